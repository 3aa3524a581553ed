// Implementation of run.h.
#include "legohar/train/run.h"

#include "legohar/common/error.h"

namespace legohar {

DatasetSpec run_dataset(const DatasetConfig& config, const TrainOptions& options) {
  DatasetSpec spec = config.data;
  if (options.causal_filters && spec.source != "hapt-raw")
    throw Error::usage("causal_filters: dataset '" + spec.name +
                       "' is made of windows filtered already; it needs raw recordings");
  spec.filters.causal = options.causal_filters;
  return spec;
}

WindowSet load_dataset_windows(const DatasetConfig& config, const TrainOptions& options,
                               const DataSource& source) {
  return load_windows(
      run_dataset(config, options), resolve_data_dir(source.data_dir),
      source.no_cache ? std::filesystem::path() : resolve_cache_dir(source.cache_dir));
}

Split dataset_split(const DatasetConfig& config, const WindowSet& windows,
                    const TrainOptions& options) {
  Split split = make_split(windows, options.protocol, config.data.splits, options.seed,
                           config.data.windows.step < config.data.windows.length);
  hold_out_validation_subjects(split, windows, options.val_subjects, options.seed);
  return split;
}

nlohmann::json train_run(const DatasetConfig& config, const std::string& dataset,
                         const ModelSpec& spec, const TrainOptions& options,
                         const DataSource& source, RunSettings settings) {
  settings.dataset = {
      {"name", config.data.name}, {"config", dataset}, {"description", config.data.description}};
  const WindowSet windows = load_dataset_windows(config, options, source);
  const Split split = dataset_split(config, windows, options);
  return train_model(spec, options, windows, split, settings);
}

}  // namespace legohar
