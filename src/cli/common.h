// Options and helpers shared by the `legohar` subcommands: data, cache and config directories,
// threads and device, and building a model spec from a dataset config plus command-line flags.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "legohar/config/dataset_config.h"
#include "legohar/data/split.h"

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

// Model choice flags: --model, --o, --m, --mask-init-std.
struct ModelFlags {
  std::string model = "baseline";
  int64_t o = 2;
  double m = 0.5;
  double mask_init_std = 1e-3;
  CLI::Option* model_opt = nullptr;
  CLI::Option* o_opt = nullptr;
  CLI::Option* m_opt = nullptr;
  CLI::Option* std_opt = nullptr;
};
void add_model_flags(CLI::App* app, ModelFlags& f);
// `base` with every flag the user gave applied.
ModelSpec apply_model_flags(ModelSpec base, const ModelFlags& f);

// One flag per training option of train_option_table() (--epochs, --schedule, --alpha, ...).
struct TrainOptionFlags {
  TrainOptions values;
  std::vector<std::pair<CLI::Option*, std::function<void(TrainOptions&)>>> given;
};
void add_train_option_flags(CLI::App* app, TrainOptionFlags& f);
// `base` with every training-option flag the user gave applied.
TrainOptions apply_train_option_flags(const TrainOptionFlags& f, TrainOptions base);

// The window set of a dataset config, through the cache unless --no-cache.
WindowSet load_dataset_windows(const DatasetConfig& config, const CommonOptions& o);

// The split options.protocol defines on the dataset's windows (leaky when its windows overlap),
// with options.val_subjects training subjects held out for validation.
Split dataset_split(const DatasetConfig& config, const WindowSet& windows,
                    const TrainOptions& options);

// Trains `spec` with `options` on the dataset of `config` (`dataset`: the name or config file it
// was loaded from, recorded for resume and eval) into out_dir, resuming from its checkpoint when
// `resume`; progress goes to standard error.
nlohmann::json train_run(const DatasetConfig& config, const std::string& dataset,
                         const ModelSpec& spec, const TrainOptions& options,
                         const std::filesystem::path& out_dir, bool resume, const CommonOptions& o);

// Whether standard error is a terminal (live progress) or a log (plain lines).
bool stderr_is_terminal();

}  // namespace legohar::cli
