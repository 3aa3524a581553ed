// Options and helpers shared by the `legohar` subcommands: data, cache and config directories,
// threads and device, and building a model spec from a dataset config plus command-line flags.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "legohar/config/dataset_config.h"
#include "legohar/data/normaliser.h"
#include "legohar/nn/model.h"
#include "legohar/train/run.h"
#include "runtime/model.h"

namespace legohar::cli {

struct CommonOptions {
  std::string data_dir;
  std::string cache_dir;
  std::string config_dir;
  int threads = 0;  // 0: all cores
  std::string device = "cpu";
  bool no_cache = false;
};

// --data-dir, --cache-dir, --config-dir, --no-cache.
void add_data_options(CLI::App* app, CommonOptions& o);
// --threads, --device.
void add_compute_options(CLI::App* app, CommonOptions& o);
// Sets LibTorch's thread count (0: every core) and checks the device; returns the thread count.
int apply_compute_options(const CommonOptions& o);

// One flag per option of an option table (option_table.h): the values the user gave, and how to
// apply each to a base.
template <class S>
struct OptionFlags {
  S values;
  std::vector<std::pair<CLI::Option*, std::function<void(S&)>>> given;
};

// Model flags, one per model option (--model, --o, --m, --blocks, --order, ...).
using ModelFlags = OptionFlags<ModelSpec>;
void add_model_flags(CLI::App* app, ModelFlags& f);
// `base` with every flag the user gave applied; --o or --m on a ResNet turns its Lego
// convolutions on. Validates.
ModelSpec apply_model_flags(ModelSpec base, const ModelFlags& f);

// One flag per training option of train_option_table() (--epochs, --schedule, --alpha, ...).
using TrainOptionFlags = OptionFlags<TrainOptions>;
void add_train_option_flags(CLI::App* app, TrainOptionFlags& f);
// `base` with every training-option flag the user gave applied.
TrainOptions apply_train_option_flags(const TrainOptionFlags& f, TrainOptions base);

// --data-dir, --cache-dir and --no-cache as the library's DataSource.
DataSource data_source(const CommonOptions& o);

// Trains as the library's train_run does, into out_dir (resuming from its checkpoint when
// `resume`, replacing a run there when `overwrite`), on the threads and device of `o`, with
// progress on standard error.
nlohmann::json train_run(const DatasetConfig& config, const std::string& dataset,
                         const ModelSpec& spec, const TrainOptions& options,
                         const std::filesystem::path& out_dir, bool resume, bool overwrite,
                         const CommonOptions& o);

// A trained run reopened from its checkpoint (a run directory or its model.pt): the model, the
// checkpoint's meta, and the windows and split of the dataset it was trained on (`dataset`, when
// not empty, names another one), with the checkpoint's normaliser.
struct TrainedRun {
  std::shared_ptr<HarModel> model;
  nlohmann::json meta;
  DatasetConfig config;
  TrainOptions options;
  WindowSet windows;
  Split split;
  Normaliser normaliser;
};
TrainedRun open_trained_run(const std::string& checkpoint, const CommonOptions& o,
                            const std::string& dataset = "");

// A runtime model file; a missing, damaged or inconsistent one is a data Error naming it.
runtime::Model load_runtime_model(const std::string& file);

// Whether standard error is a terminal (live progress) or a log (plain lines).
bool stderr_is_terminal();

}  // namespace legohar::cli
