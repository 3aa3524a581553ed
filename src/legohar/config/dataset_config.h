// Per-dataset configuration files (configs/datasets/<name>.toml): the dataset's protocol and
// windows, the CNN architecture, and the training hyper-parameters of the reference.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "legohar/data/dataset.h"
#include "legohar/spec/model_spec.h"
#include "legohar/spec/train_options.h"

namespace legohar {

struct DatasetConfig {
  std::filesystem::path file;
  DatasetSpec data;
  ModelSpec model;     // architecture; model kind "baseline" until the command line says otherwise
  TrainOptions train;  // the reference's hyper-parameters
  // [train.<family>] tables: options this dataset gives one model family on top of `train` and
  // the family's own defaults, as JSON keys of TrainOptions (family name -> {key: value}).
  std::map<std::string, nlohmann::json> family_train;
};

// The training options a run of `family` starts from on this dataset: the file's [train], then
// the family's defaults (family_train_defaults()), then the file's [train.<family>]; flags and
// experiment keys override them all.
TrainOptions train_options_for(const DatasetConfig& config, std::string_view family);

// --config-dir if given, else $LEGOHAR_CONFIGS, else the source tree's configs/.
std::filesystem::path resolve_config_dir(const std::string& flag);

// `name_or_file`: a dataset name (configs/datasets/<name>.toml) or a path to a .toml file.
// Errors name the file and, for TOML syntax errors, the line.
DatasetConfig load_dataset_config(const std::string& name_or_file,
                                  const std::filesystem::path& config_dir);

// Every configuration in config_dir/datasets, sorted by name.
std::vector<DatasetConfig> load_all_dataset_configs(const std::filesystem::path& config_dir);

}  // namespace legohar
