// `legohar experiment FILE.toml --out DIR`: run a grid of trainings (skipping finished runs,
// resuming interrupted ones), then write DIR/table.md and DIR/table.csv.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/common/atomic_file.h"
#include "legohar/experiment/experiment.h"
#include "legohar/experiment/table.h"
#include "legohar/record/run_record.h"

namespace legohar::cli {
namespace fs = std::filesystem;

void register_experiment(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("experiment", "Run a grid of trainings from a TOML file, then tabulate");
  auto opts = std::make_shared<CommonOptions>();
  auto file = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto epochs = std::make_shared<int>(0);
  auto seeds = std::make_shared<std::vector<uint64_t>>();
  auto dry = std::make_shared<bool>(false);
  cmd->add_option("file", *file, "Experiment file (experiments/*.toml)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", *out, "Directory of the runs and tables")->required();
  cmd->add_option("--epochs", *epochs, "Override every run's epochs (paper budget: 500)");
  cmd->add_option("--seeds", *seeds, "Override the seeds (paper budget: 1 2 3 4 5)")
      ->delimiter(',');
  auto set = std::make_shared<std::vector<std::string>>();
  cmd->add_option(
      "--set", *set,
      "KEY=VALUE: a training option for every run (paper budget: schedule=step), or a model "
      "option for every run whose family has it (lego_init=uniform)");
  auto only = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--only", *only,
                  "NAME,...: run only these [[run]]s (folder names without -seedN; see --dry-run)")
      ->delimiter(',');
  cmd->add_flag("--dry-run", *dry, "List the runs (finished, resumes, to train) without training");
  add_data_options(cmd, *opts);
  add_compute_options(cmd, *opts);
  cmd->callback([=] {
    ExperimentOverrides overrides;
    if (*epochs > 0) overrides.epochs = *epochs;
    if (!seeds->empty()) overrides.seeds = *seeds;
    overrides.set = *set;
    overrides.only = *only;
    const Experiment ex = load_experiment(*file, resolve_config_dir(opts->config_dir), overrides);
    fmt::print(stderr, "experiment {}: {} runs into {}\n", ex.name, ex.runs.size(), *out);
    if (*dry) {
      check_finished_runs(ex, *out);
      for (const PlannedRun& r : ex.runs) {
        const fs::path dir = fs::path(*out) / r.name;
        const char* state = has_metrics(dir)               ? "finished"
                            : fs::exists(dir / "model.pt") ? "resumes"
                                                           : "to train";
        fmt::print("{}  {} {} epochs={} seed={}  {}\n", r.name, r.dataset, r.model.label(),
                   r.train.epochs, r.train.seed, state);
      }
      return;
    }
    run_experiment(
        ex, *out,
        [&](const PlannedRun& run, const fs::path& dir) {
          train_run(run.config, run.dataset, run.model, run.train, dir, true, false, *opts);
        },
        [](const std::string& line) { fmt::print(stderr, "{}\n", line); });
    const std::vector<TableRow> rows = build_table(collect_metrics({*out}));
    write_file_atomically(fs::path(*out) / "table.md", table_markdown(rows));
    write_file_atomically(fs::path(*out) / "table.csv", table_csv(rows));
    fmt::print("{}", table_markdown(rows));
  });
}

}  // namespace legohar::cli
