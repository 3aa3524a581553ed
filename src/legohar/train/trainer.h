// Training of a model of any family on one split with any strategy (global, local, greedy; see
// strategy.h): Adam on the options' learning-rate schedule (lr_factor), a seeded order per epoch,
// evaluation after every epoch (test, and validation when the split holds one), an atomic
// checkpoint every epoch, resume from the last checkpoint, and the run's files: model.pt, the run
// record (record/run_record.h: history.csv, metrics.json), and with a validation split best.pt (the
// epoch of the highest validation weighted F1). metrics.json reports the final epoch
// ("reported_epoch") and, with a validation split, the epoch chosen on validation data with its
// test metrics ("selected"); never the best test epoch.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "legohar/data/split.h"
#include "legohar/data/window_set.h"
#include "legohar/record/run_record.h"
#include "legohar/spec/model_spec.h"
#include "legohar/spec/train_options.h"

namespace legohar {

struct RunSettings {
  std::filesystem::path out_dir;
  // out_dir may hold a run (its model.pt or metrics.json): `resume` continues it from model.pt
  // (with epochs >= those it has), `overwrite` replaces it; with neither it is refused.
  bool resume = false;
  bool overwrite = false;
  std::string device = "cpu";
  int threads = 1;         // recorded in metrics.json (set by the caller)
  nlohmann::json dataset;  // name, description, ... copied into metrics.json
  std::function<void(const EpochRecord&, int epochs)> on_epoch;  // after each epoch
  std::function<void(int epoch, int epochs, int64_t batch, int64_t batches, double loss)> on_batch;
};

// Trains and returns the final metrics (also written to out_dir/metrics.json). metrics.json exists
// only for a finished run: a stale one is removed before the first epoch. Refused before training:
// an empty train or test split, out_dir holding a run without resume or overwrite, resuming to
// fewer epochs than the checkpoint has. A non-finite training loss stops training with an error
// naming the epoch and batch; the last checkpoint stays as it was. A pending SIGINT or SIGTERM
// (common/interrupt.h) throws Error::interrupted before the next step, saying how to resume.
nlohmann::json train_model(const ModelSpec& spec, const TrainOptions& options,
                           const WindowSet& windows, const Split& split,
                           const RunSettings& settings);

}  // namespace legohar
