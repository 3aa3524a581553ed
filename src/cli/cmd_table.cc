// `legohar table DIR...`: the papers' tables (weighted F1 mean ± std over seeds, memory,
// compression, MACs, speed-up, training time) from the metrics.json files below each DIR, as they
// stand or as they stood after a given epoch; and each variant against the global run of the same
// configuration and seed, paired.
#include <fmt/format.h>

#include "cli/commands.h"
#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "legohar/experiment/table.h"

namespace legohar::cli {
namespace fs = std::filesystem;

void register_table(CLI::App& app) {
  auto* cmd = app.add_subcommand("table", "Tabulate finished runs as Markdown and CSV");
  auto dirs = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("dirs", *dirs, "Directories holding runs (searched recursively)")->required();
  auto epoch = std::make_shared<int>(0);
  cmd->add_option("--out", *out, "Write table.md and table.csv here (default: the first DIR)");
  cmd->add_option("--epoch", *epoch,
                  "Tabulate every run as it stood after this epoch (from history.csv): equal "
                  "budgets from runs of different lengths (not for greedy runs)")
      ->check(CLI::PositiveNumber);
  auto window = std::make_shared<int>(1);
  cmd->add_option("--window", *window,
                  "Each run's F1 is the mean test F1 of this many epochs ending at --epoch (or at "
                  "its last epoch): steadier than one epoch's at a constant learning rate")
      ->check(CLI::PositiveNumber);
  auto selected = std::make_shared<bool>(false);
  cmd->add_flag("--selected", *selected,
                "Each run's F1 from the epoch chosen on its validation split (--val-subjects), "
                "not its final epoch");
  auto reference = std::make_shared<std::string>("global");
  cmd->add_option("--vs", *reference,
                  "Pair every other run with the run of this loss (same dataset, model, epochs, "
                  "seed, and settings where such a run exists), or of this full label (\"global "
                  "frozen mask\"), and tabulate the differences")
      ->capture_default_str();
  cmd->callback([=] {
    const std::vector<fs::path> paths(dirs->begin(), dirs->end());
    std::vector<nlohmann::json> metrics = collect_metrics(paths);
    if (*selected && (*epoch > 0 || *window > 1))
      throw Error::usage("--selected reads each run's chosen epoch: no --epoch or --window");
    if (*selected) metrics = metrics_selected(metrics);
    if (*epoch > 0 || *window > 1) metrics = metrics_at_epoch(metrics, *epoch, *window);
    const std::vector<TableRow> rows = build_table(metrics);
    if (rows.empty()) throw Error::state("no metrics.json found below the given directories");
    const fs::path target = out->empty() ? paths.front() : fs::path(*out);
    write_file_atomically(target / "table.md", table_markdown(rows));
    write_file_atomically(target / "table.csv", table_csv(rows));
    fmt::print("{}", table_markdown(rows));
    fmt::print(stderr, "written: {}, {}\n", (target / "table.md").string(),
               (target / "table.csv").string());
    const std::vector<PairedRow> paired = build_paired(metrics, *reference);
    if (paired.empty()) return;
    write_file_atomically(target / "paired.md", paired_markdown(paired));
    write_file_atomically(target / "paired.csv", paired_csv(paired));
    fmt::print(
        "\nPaired by seed (each variant minus its {} run; weighted F1 in percentage points):\n{}",
        *reference, paired_markdown(paired));
    fmt::print(stderr, "written: {}, {}\n", (target / "paired.md").string(),
               (target / "paired.csv").string());
  });
}

}  // namespace legohar::cli
