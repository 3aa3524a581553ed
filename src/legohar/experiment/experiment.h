// Experiments: a grid of training runs (dataset, model, o, m, loss, seeds, epochs,
// hyper-parameters) read from a TOML file, run one after another, each in its own sub-folder. A
// finished run (its metrics.json exists, recording the planned model and options) is skipped and
// an interrupted one resumes from its checkpoint, so an interrupted experiment continues where it
// stopped.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "legohar/config/dataset_config.h"
#include "legohar/spec/model_spec.h"
#include "legohar/spec/train_options.h"

namespace legohar {

struct PlannedRun {
  std::string name;     // sub-folder: "<[[run]] name>-seed1", else e.g. "lego-o2-m0.5-local-seed1"
  std::string dataset;  // dataset name or config file
  // The dataset's configuration as read when the experiment was loaded: a run trains on it even if
  // the file is edited while earlier runs train.
  DatasetConfig config;
  ModelSpec model;
  TrainOptions train;
};

struct Experiment {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<PlannedRun> runs;
};

// Overrides from the command line (the papers' full budget: epochs = 500, seeds = 1..5).
struct ExperimentOverrides {
  std::optional<int> epochs;
  std::optional<std::vector<uint64_t>> seeds;
  // "key=value" settings of training options, applied to every run after the file's
  // (e.g. "schedule=step"), or of model options but the family, applied to every run whose family
  // has the option (e.g. "lego_init=he"; a run's folder name shows a model option that differs
  // from its default); a value is read as JSON when it parses, else as a string.
  std::vector<std::string> set;
  // Run only the [[run]]s of these names (a run's folder without its "-seedN"); empty: all. A name
  // no [[run]] has is an error listing the names.
  std::vector<std::string> only;
};

// Parses FILE.toml; the dataset configs come from config_dir. Errors name the file and the key;
// two runs that would share a folder are an error.
Experiment load_experiment(const std::filesystem::path& file,
                           const std::filesystem::path& config_dir,
                           const ExperimentOverrides& overrides = {});

// A finished run in out_dir (its metrics.json exists) made with another model or other options
// than planned is an error listing each such run and key.
void check_finished_runs(const Experiment& experiment, const std::filesystem::path& out_dir);

// How each run is executed: `train(run, run_dir)` trains it (resuming when run_dir holds a
// checkpoint). Returns the folders of every run, skipped or trained. check_finished_runs() runs
// first, before anything trains.
std::vector<std::filesystem::path> run_experiment(
    const Experiment& experiment, const std::filesystem::path& out_dir,
    const std::function<void(const PlannedRun&, const std::filesystem::path&)>& train,
    const std::function<void(const std::string&)>& log);

}  // namespace legohar
