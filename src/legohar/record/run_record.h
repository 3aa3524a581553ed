// The run record: the two files a training run leaves beside its checkpoints, metrics.json (the
// run's result: metrics, model, options, protocol and cost) and history.csv (one row per epoch).
// This module is their one writer and reader: the trainer and `eval` write through it; tables,
// plots and experiments read through it. A history row has fixed columns, the validation columns
// when the run's split holds validation subjects, and the model's named diagnostics (the Lego
// selections' changes) when it reports any; a family without Lego convolutions has no mask columns.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/data/split.h"
#include "legohar/spec/model_spec.h"
#include "legohar/spec/train_options.h"
#include "legohar/train/metrics.h"

namespace legohar {

inline constexpr const char* kMetricsFile = "metrics.json";
inline constexpr const char* kHistoryFile = "history.csv";

// One epoch of a run, as a row of history.csv and an element of a checkpoint's "history".
struct EpochRecord {
  int epoch = 0;
  double loss = 0;  // mean training loss of the epoch
  double train_accuracy = 0;
  double test_accuracy = 0;
  double test_weighted_f1 = 0;
  double seconds = 0;              // wall time of the epoch, training and evaluation
  double lr = 0;                   // the weights' learning rate during the epoch
  std::optional<double> val_loss;  // mean cross-entropy on the validation split, when there is one
  std::optional<double> val_weighted_f1;
  std::vector<std::pair<std::string, double>> diagnostics;  // the model's named values, its order

  // A flat object: the diagnostics are keys beside the fixed ones.
  nlohmann::json to_json() const;
  // Every key outside the fixed and validation ones is a diagnostic; errors name the key.
  static EpochRecord from_json(const nlohmann::json& j);
  // The named diagnostic, or nullopt.
  std::optional<double> diagnostic(std::string_view name) const;
};

using History = std::vector<EpochRecord>;

// A history as a checkpoint's "history" array (EpochRecord::to_json per epoch), and back.
nlohmann::json history_to_json(const History& history);
History history_from_json(const nlohmann::json& rows);

// history.csv: the fixed columns (epoch, loss, train_accuracy, test_accuracy, test_weighted_f1,
// seconds, lr) in that order, then val_loss and val_weighted_f1 when any row has them, then every
// diagnostic any row names, in order of first appearance; a cell a row lacks is blank.
std::string history_csv(const History& history);
// The 1-based position of a fixed column in every history.csv (gnuplot's `using`).
int history_column(std::string_view fixed_column);
// Reads `run_dir`/history.csv by column name. Errors name the file and the line: a missing fixed
// column, a malformed cell, epochs that do not run 1, 2, ...
History read_history(const std::filesystem::path& run_dir);
void write_history(const std::filesystem::path& run_dir, const History& history);
// The epoch model selection picks: the highest validation weighted F1, the later epoch on a tie;
// 0 when no epoch was validated.
int selected_epoch(const History& history);

// The record of a model's evaluation, as in metrics.json: the metrics (metrics.h) plus dataset,
// protocol, split, model (family, label, spec, o, m), epochs, seed, options, params, memory_mb,
// macs, train_windows and test_windows. A training run adds its own (add_training_record).
nlohmann::json metrics_record(const Metrics& metrics, const ModelSpec& spec,
                              const TrainOptions& options, const Split& split,
                              const nlohmann::json& dataset,
                              const std::vector<std::string>& class_names);
// What a training run adds to its evaluation record beside its history: how it trained, what it
// cost, and the metrics only training can measure.
struct TrainingOutcome {
  std::string loss;  // "global", "local" or "greedy"
  std::string device;
  int threads = 0;
  double peak_rss_mb = 0;
  bool peak_rss_is_run = true;  // false: the process's lifetime peak (it could not be reset)
  double rss_at_start_mb = 0;
  int64_t activation_bytes_per_step = 0;
  // With a validation split: the test metrics of the epoch chosen on it (its weights: best.pt).
  std::optional<Metrics> selected;
  // Local losses: each block's local linear classifier's test weighted F1, first block first.
  std::vector<double> local_head_weighted_f1;
};

// Adds a training run's keys to `record` (metrics_record): reported_epoch, loss, the cost
// (peak_rss_mb, peak_rss_scope, rss_at_start_mb, activation_bytes_per_step, threads, device,
// train_seconds, seconds_per_epoch), the final epoch's train_accuracy, diagnostics, val_weighted_f1
// and val_loss, "selected" (the chosen epoch's test metrics, its number, criterion, validation
// figures and checkpoint) and local_head_weighted_f1. `history` holds every epoch trained.
void add_training_record(nlohmann::json& record, const TrainingOutcome& outcome,
                         const History& history, const std::vector<std::string>& class_names);
// Atomically (a finished run is one whose metrics.json exists).
void write_metrics(const std::filesystem::path& run_dir, const nlohmann::json& metrics);
bool has_metrics(const std::filesystem::path& run_dir);
// `run_dir`/metrics.json, parsed; an error names the file.
nlohmann::json read_metrics(const std::filesystem::path& run_dir);
// Every metrics.json below each directory (recursively, in path order), parsed, with "run_dir"
// set to its folder and "model_label" to today's label of its model spec.
std::vector<nlohmann::json> collect_metrics(const std::vector<std::filesystem::path>& dirs);

}  // namespace legohar
