// `legohar eval`: recompute a trained model's metrics from its checkpoint on its dataset and split,
// with the normaliser stored in the checkpoint.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/data/normaliser.h"
#include "legohar/record/run_record.h"
#include "legohar/train/checkpoint.h"
#include "legohar/train/evaluate.h"

namespace legohar::cli {
namespace fs = std::filesystem;

void register_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Evaluate a trained model on its test split");
  auto opts = std::make_shared<CommonOptions>();
  auto checkpoint = std::make_shared<std::string>();
  auto dataset = std::make_shared<std::string>();
  auto json_out = std::make_shared<bool>(false);
  cmd->add_option("--checkpoint", *checkpoint, "Run directory or model.pt")->required();
  cmd->add_option("--dataset", *dataset, "Dataset (default: the one it was trained on)");
  add_data_options(cmd, *opts);
  add_compute_options(cmd, *opts);
  cmd->add_flag("--json", *json_out, "Print JSON");
  cmd->callback([=] {
    const int threads = apply_compute_options(*opts);
    fs::path file = *checkpoint;
    if (fs::is_directory(file)) file /= "model.pt";
    nlohmann::json meta;
    const std::shared_ptr<HarModel> model = load_model(file, &meta);
    const torch::Device device(opts->device);
    model->to(device);
    const std::string name =
        dataset->empty() ? meta.at("dataset").at("config").get<std::string>() : *dataset;
    const DatasetConfig config = load_dataset_config(name, resolve_config_dir(opts->config_dir));
    const TrainOptions options = TrainOptions::from_json(meta.at("train"));
    const WindowSet windows = load_dataset_windows(config, data_source(*opts));
    const Split split = dataset_split(config, windows, options);
    const Examples test =
        make_examples(windows, split.test, Normaliser::from_json(meta.at("normaliser")));
    const Metrics m = evaluate_model(*model, test, 256, device);
    nlohmann::json record =
        metrics_record(m, model->spec(), options, split, meta.at("dataset"), windows.class_names);
    record["threads"] = threads;
    record["checkpoint_epoch"] = meta.at("epoch");
    if (*json_out) {
      fmt::print("{}\n", record.dump(2));
      return;
    }
    fmt::print(
        "{} on {} ({}): weighted F1 {:.4f}  macro F1 {:.4f}  accuracy {:.4f}  ({} test windows)\n",
        model->spec().label(), config.data.name, split.protocol, m.weighted_f1, m.macro_f1,
        m.accuracy, split.test.size());
  });
}

}  // namespace legohar::cli
