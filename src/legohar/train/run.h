// Run composition, shared by the command line, experiments and tests: a dataset config's windows
// (through the window cache), the split its protocol defines, and training on them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "legohar/config/dataset_config.h"
#include "legohar/data/split.h"
#include "legohar/train/trainer.h"

namespace legohar {

// Where recordings and the window cache are ("" for each: the default search, see dataset.h).
struct DataSource {
  std::string data_dir;
  std::string cache_dir;
  bool no_cache = false;  // read and preprocess the recordings even when cached
};

// The dataset as a run with `options` reads it: its filters causal when options.causal_filters
// (a usage Error for a dataset of ready-made windows).
DatasetSpec run_dataset(const DatasetConfig& config, const TrainOptions& options);
// The window set of run_dataset(config, options).
WindowSet load_dataset_windows(const DatasetConfig& config, const TrainOptions& options,
                               const DataSource& source);

// The split options.protocol defines on the dataset's windows (leaky when its windows overlap),
// with options.val_subjects training subjects held out for validation.
Split dataset_split(const DatasetConfig& config, const WindowSet& windows,
                    const TrainOptions& options);

// Trains `spec` with `options` on the dataset of `config` (`dataset`: the name or config file it
// was loaded from, recorded for resume and eval) as `settings` say (out_dir, resume, device,
// callbacks); settings.dataset is filled from the config. Returns metrics.json.
nlohmann::json train_run(const DatasetConfig& config, const std::string& dataset,
                         const ModelSpec& spec, const TrainOptions& options,
                         const DataSource& source, RunSettings settings);

}  // namespace legohar
