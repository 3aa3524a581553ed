// The papers' tables from finished runs (read through the run record, collect_metrics): per
// configuration (dataset, model, loss) the weighted F1 mean and standard deviation over seeds,
// memory, compression ratio, MACs and theoretical speed-up against the baseline CNN of the same
// architecture (Lego paper Tables III and VII), and training time; as Markdown and CSV. Beside it,
// a paired comparison: each variant against the global-back-propagation run of the same
// configuration and seed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/record/run_record.h"

namespace legohar {

struct TableRow {
  std::string dataset;
  std::string model;  // "baseline", "lego(o=2,m=0.5)"
  std::string loss;   // "global", "local", "greedy", + the model options that train it
                      // differently ("coefficients=per-candidate"), " frozen mask" and
                      // non-default training settings
  int epochs = 0;
  int f1_window = 1;   // the F1 of each run is the mean over its last f1_window epochs; 0: the
                       // F1 of the epoch chosen on validation data (metrics_selected)
  int runs = 0;        // seeds averaged
  double f1_mean = 0;  // weighted F1, mean over runs
  double f1_std = 0;   // sample standard deviation (0 for one run)
  double memory_mb = 0;
  double compression = 0;  // baseline memory / memory
  double macs = 0;
  double speedup = 0;        // baseline MACs / MACs
  double train_seconds = 0;  // mean over runs
  double seconds_per_epoch = 0;
  double peak_rss_mb = 0;   // mean over runs (0 when not recorded)
  double val_f1_mean = -1;  // mean final-epoch validation weighted F1 (-1: not every run had one)
};

// One variant (e.g. "local") against a reference loss ("global") of the same dataset, model,
// budget and seed: the runs share initial weights and data order, so the per-seed differences
// answer "does the variant beat the reference" more sharply than two means with their spreads.
struct PairedRow {
  std::string dataset;
  std::string model;
  std::string loss;       // the variant's loss label, as in TableRow
  std::string reference;  // the reference's loss label ("global", "global lr_step=10")
  int epochs = 0;
  int f1_window = 1;
  int pairs = 0;
  double diff_mean = 0;  // weighted F1 of the variant minus the reference, mean over pairs
  double diff_std = 0;   // sample standard deviation of the differences (0 for one pair)
  double diff_min = 0;
  double diff_max = 0;
  int wins = 0;                     // pairs where the variant's F1 is higher
  double train_accuracy_diff = 0;   // mean difference of the last epoch's training accuracy
  bool has_train_accuracy = false;  // every run of every pair recorded its training accuracy
};

// The records as they stood after epoch `epoch` (<= 0: each run's last epoch), from each run's
// history.csv: weighted F1 is the mean test F1 of the `window` epochs ending there (1: that
// epoch's), epochs is `epoch`, train seconds the sum up to it, train_accuracy that epoch's (when
// the history has the column). With a step or constant schedule, epoch N of a longer global or
// local run is exactly an N-epoch run (the learning rate depends on the epoch only), so budgets
// can be compared without re-running; runs tied to their length (run_length_dependence: cosine,
// warm-up, a selection frozen after 3/4 of the run) and greedy runs are refused before their last
// epoch. Runs that stopped earlier are left out.
std::vector<nlohmann::json> metrics_at_epoch(const std::vector<nlohmann::json>& metrics, int epoch,
                                             int window = 1);

// The records with each run's weighted F1 taken from the epoch chosen on its validation split
// (metrics.json "selected"; f1_window 0). A run without a validation split is an error naming it.
std::vector<nlohmann::json> metrics_selected(const std::vector<nlohmann::json>& metrics);

// One row per configuration (dataset, model, loss, epochs and the training settings that differ
// from the defaults); per dataset, loss and epochs the rows run from the largest memory
// (the baseline) to the smallest, as in the papers' tables.
std::vector<TableRow> build_table(const std::vector<nlohmann::json>& metrics);

// Every run other than the default-settings runs of loss `reference`, paired by (dataset, model,
// epochs, F1 window, seed) with a run of that loss: the one with the same non-default settings
// ("local lr_step=10" with "global lr_step=10") if there is one, else the one with the defaults.
// `reference` may also be a full label ("global frozen mask"): runs are then paired with the runs
// of that label.
// One row per (variant, reference) with at least one pair. Two reference runs for one key are an
// error naming both folders.
std::vector<PairedRow> build_paired(const std::vector<nlohmann::json>& metrics,
                                    const std::string& reference = "global");

std::string table_markdown(const std::vector<TableRow>& rows);
std::string paired_markdown(const std::vector<PairedRow>& rows);
std::string paired_csv(const std::vector<PairedRow>& rows);
std::string table_csv(const std::vector<TableRow>& rows);

}  // namespace legohar
