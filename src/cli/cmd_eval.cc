// `legohar eval`: recompute a trained model's metrics from its checkpoint on its dataset and split,
// with the normaliser stored in the checkpoint.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/record/run_record.h"
#include "legohar/train/evaluate.h"

namespace legohar::cli {

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
    const TrainedRun run = open_trained_run(*checkpoint, *opts, *dataset);
    const torch::Device device(opts->device);
    run.model->to(device);
    const Examples test(run.windows, run.split.test, run.normaliser);
    const Metrics m = evaluate_model(*run.model, test, 256, device);
    nlohmann::json record = metrics_record(m, run.model->spec(), run.options, run.split,
                                           run.meta.at("dataset"), run.windows.class_names);
    record["threads"] = threads;
    record["checkpoint_epoch"] = run.meta.at("epoch");
    if (*json_out) {
      fmt::print("{}\n", record.dump(2));
      return;
    }
    fmt::print(
        "{} on {} ({}): weighted F1 {:.4f}  macro F1 {:.4f}  accuracy {:.4f}  ({} test windows)\n",
        run.model->spec().label(), run.config.data.name, run.split.protocol, m.weighted_f1,
        m.macro_f1, m.accuracy, run.split.test.size());
  });
}

}  // namespace legohar::cli
