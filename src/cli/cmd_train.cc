// `legohar train`: train a model of any family on a dataset, writing DIR/metrics.json,
// DIR/history.csv and DIR/model.pt; `--resume DIR` continues an interrupted run.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/common/error.h"
#include "legohar/train/checkpoint.h"

namespace legohar::cli {
namespace fs = std::filesystem;

namespace {

struct TrainFlags {
  CommonOptions common;
  ModelFlags model;
  std::string dataset;
  std::string out;
  std::string resume;
  bool overwrite = false;
  bool json = false;
  TrainOptionFlags options;
};

void print_report(const nlohmann::json& m, const fs::path& out) {
  fmt::print("\n{} ({} loss) on {} ({} protocol: {} train / {} test windows), {} epochs, seed {}\n",
             m["model_label"].get<std::string>(), m["loss"].get<std::string>(),
             m["dataset"].get<std::string>(), m["protocol"].get<std::string>(),
             m["train_windows"].get<size_t>(), m["test_windows"].get<size_t>(),
             m["epochs"].get<int>(), m["seed"].get<uint64_t>());
  fmt::print("  weighted F1 {:.4f}   macro F1 {:.4f}   accuracy {:.4f}   (final epoch)\n",
             m["weighted_f1"].get<double>(), m["macro_f1"].get<double>(),
             m["accuracy"].get<double>());
  if (m.contains("selected")) {
    const nlohmann::json& s = m["selected"];
    fmt::print(
        "  weighted F1 {:.4f}   macro F1 {:.4f}   accuracy {:.4f}   (epoch {}, chosen by "
        "validation weighted F1 {:.4f} on subjects {})\n",
        s["weighted_f1"].get<double>(), s["macro_f1"].get<double>(), s["accuracy"].get<double>(),
        s["epoch"].get<int>(), s["val_weighted_f1"].get<double>(),
        m["split"]["val_subjects"].dump());
  }
  fmt::print("  params {}   memory {:.2f} MB   MACs {:.2f} M   {:.1f} s/epoch",
             m["params"].get<int64_t>(), m["memory_mb"].get<double>(),
             m["macs"].get<double>() / 1e6, m["seconds_per_epoch"].get<double>());
  if (m.contains("mask_changed_fraction"))  // a model with Lego selections
    fmt::print("   mask changed {:.1f}%", 100 * m["mask_changed_fraction"].get<double>());
  fmt::print("\n  {:<20} {:>9} {:>9} {:>9} {:>8}\n", "class", "precision", "recall", "F1",
             "windows");
  for (const auto& c : m["per_class"])
    fmt::print("  {:<20} {:>9.4f} {:>9.4f} {:>9.4f} {:>8}\n", c["class"].get<std::string>(),
               c["precision"].get<double>(), c["recall"].get<double>(), c["f1"].get<double>(),
               c["support"].get<int64_t>());
  fmt::print("  written: {}/metrics.json, history.csv, model.pt\n", out.string());
}

}  // namespace

void register_train(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("train", "Train a model (global back-propagation or local losses)");
  auto f = std::make_shared<TrainFlags>();
  cmd->add_option("--dataset", f->dataset,
                  "Dataset name or config file (required unless --resume)");
  cmd->add_option("--out", f->out, "Run directory for metrics.json, history.csv, model.pt");
  cmd->add_option("--resume", f->resume,
                  "Continue the run in this directory from its last checkpoint");
  cmd->add_flag("--overwrite", f->overwrite,
                "Replace a run already in --out (without it, such a run is refused)");
  add_model_flags(cmd, f->model);
  add_train_option_flags(cmd, f->options);
  add_data_options(cmd, f->common);
  add_compute_options(cmd, f->common);
  cmd->add_flag("--json", f->json, "Print metrics.json instead of the report");
  cmd->callback([f] {
    const bool resume = !f->resume.empty();
    if (resume && !f->out.empty() && f->out != f->resume)
      throw Error::usage("give either --out or --resume, not two different directories");
    const fs::path out = resume ? fs::path(f->resume) : fs::path(f->out);
    if (out.empty()) throw Error::usage("--out DIR is required");
    const fs::path checkpoint = out / "model.pt";
    if (resume && f->overwrite) throw Error::usage("give either --resume or --overwrite");
    nlohmann::json meta;
    if (resume) {
      if (!fs::exists(checkpoint))
        throw Error::state("no run in " + out.string() + ": it has no model.pt to resume");
      meta = read_checkpoint_meta(checkpoint);
    }
    std::string dataset = f->dataset;
    if (dataset.empty() && !meta.is_null())
      dataset = meta.at("dataset").at("config").get<std::string>();
    if (dataset.empty()) throw Error::usage("--dataset is required");

    const DatasetConfig config =
        load_dataset_config(dataset, resolve_config_dir(f->common.config_dir));
    // A resumed run starts from its own settings; flags given now override them (and must agree).
    const ModelSpec spec = apply_model_flags(
        meta.is_null() ? config.model : ModelSpec::from_json(meta.at("model")), f->model);
    const TrainOptions options = apply_train_option_flags(
        f->options, meta.is_null() ? train_options_for(config, spec.model)
                                   : TrainOptions::from_json(meta.at("train")));
    options.validate();

    const nlohmann::json metrics =
        train_run(config, dataset, spec, options, out, resume, f->overwrite, f->common);
    if (f->json)
      fmt::print("{}\n", metrics.dump(2));
    else
      print_report(metrics, out);
  });
}

}  // namespace legohar::cli
