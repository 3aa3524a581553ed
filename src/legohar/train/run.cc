// Implementation of run.h.
#include "legohar/train/run.h"

namespace legohar {

WindowSet load_dataset_windows(const DatasetConfig& config, const DataSource& source) {
  return load_windows(
      config.data, resolve_data_dir(source.data_dir),
      source.no_cache ? std::filesystem::path() : resolve_cache_dir(source.cache_dir));
}

Split dataset_split(const DatasetConfig& config, const WindowSet& windows,
                    const TrainOptions& options) {
  Split split = make_split(windows, options.protocol, config.data.train_subjects, options.seed,
                           config.data.windows.step < config.data.windows.length);
  hold_out_validation_subjects(split, windows, options.val_subjects, options.seed);
  return split;
}

nlohmann::json train_run(const DatasetConfig& config, const std::string& dataset,
                         const ModelSpec& spec, const TrainOptions& options,
                         const DataSource& source, RunSettings settings) {
  settings.dataset = {
      {"name", config.data.name}, {"config", dataset}, {"description", config.data.description}};
  const WindowSet windows = load_dataset_windows(config, source);
  const Split split = dataset_split(config, windows, options);
  return train_model(spec, options, windows, split, settings);
}

}  // namespace legohar
