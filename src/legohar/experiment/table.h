// The papers' tables from finished runs: per configuration (dataset, model, loss) the weighted F1
// mean and standard deviation over seeds, memory, compression ratio, MACs and theoretical speed-up
// against the baseline CNN of the same architecture (Lego paper Tables III and VII), and training
// time; as Markdown and CSV.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace legohar {

struct TableRow {
  std::string dataset;
  std::string model;  // "baseline", "lego(o=2,m=0.5)"
  std::string loss;   // "global", "local", "greedy", + " frozen mask" and non-default settings
  int epochs = 0;
  int f1_window = 1;   // the F1 of each run is the mean over its last f1_window epochs
  int runs = 0;        // seeds averaged
  double f1_mean = 0;  // weighted F1, mean over runs
  double f1_std = 0;   // sample standard deviation (0 for one run)
  double memory_mb = 0;
  double compression = 0;  // baseline memory / memory
  double macs = 0;
  double speedup = 0;        // baseline MACs / MACs
  double train_seconds = 0;  // mean over runs
  double seconds_per_epoch = 0;
  double peak_rss_mb = 0;  // mean over runs (0 when not recorded)
};

// Every metrics.json below each directory (recursively), parsed, with "run_dir" set to its folder.
std::vector<nlohmann::json> collect_metrics(const std::vector<std::filesystem::path>& dirs);

// The records as they stood after epoch `epoch` (<= 0: each run's last epoch), from each run's
// history.csv: weighted F1 is the mean test F1 of the `window` epochs ending there (1: that
// epoch's), epochs is `epoch`, train seconds the sum up to it. For global and local training epoch
// N of a longer run is exactly an N-epoch run (the learning rate depends on the epoch only), so
// budgets can be compared without re-running; greedy runs are refused before their last epoch
// (their block schedule depends on the total). Runs that stopped earlier are left out.
std::vector<nlohmann::json> metrics_at_epoch(const std::vector<nlohmann::json>& metrics, int epoch,
                                             int window = 1);

// One row per configuration (dataset, model, loss, epochs and the training settings that differ
// from the defaults); per dataset, loss and epochs the rows run from the largest memory
// (the baseline) to the smallest, as in the papers' tables.
std::vector<TableRow> build_table(const std::vector<nlohmann::json>& metrics);

std::string table_markdown(const std::vector<TableRow>& rows);
std::string table_csv(const std::vector<TableRow>& rows);

}  // namespace legohar
