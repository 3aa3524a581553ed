// Implementation of common.h.
#include "cli/common.h"

#include <torch/torch.h>

#include <unistd.h>
#include "cli/progress.h"
#include "legohar/data/split.h"
#include "legohar/train/trainer.h"

#include <thread>

namespace legohar::cli {

void add_data_options(CLI::App* app, CommonOptions& o) {
  app->add_option(
      "--data-dir", o.data_dir,
      "Data directory laid out like shared/data (default: $LEGOHAR_DATA, ./data, ../shared/data)");
  app->add_option("--cache-dir", o.cache_dir,
                  "Window cache (default: $LEGOHAR_CACHE or ~/.cache/legohar)");
  app->add_option("--config-dir", o.config_dir,
                  "Configs directory (default: $LEGOHAR_CONFIGS or the source tree's)");
  app->add_flag("--no-cache", o.no_cache, "Read and preprocess the recordings even when cached");
}

void add_compute_options(CLI::App* app, CommonOptions& o) {
  app->add_option("--threads", o.threads, "CPU threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--device", o.device, "cpu or cuda (cuda:N)");
}

int apply_compute_options(const CommonOptions& o) {
  const int threads = o.threads > 0
                          ? o.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  const torch::Device device(o.device);
  if (device.is_cuda() && !torch::cuda::is_available())
    throw std::runtime_error("--device " + o.device +
                             ": this LibTorch build or machine has no CUDA");
  return threads;
}

void add_model_flags(CLI::App* app, ModelFlags& f) {
  f.model_opt = app->add_option("--model", f.model, "baseline or lego")
                    ->check(CLI::IsMember({"baseline", "lego"}));
  f.o_opt = app->add_option("--o", f.o, "Lego: fragments the input channels are split into")
                ->check(CLI::PositiveNumber);
  f.m_opt = app->add_option("--m", f.m, "Lego: Lego filters per output channel, k = m * n")
                ->check(CLI::Range(1e-6, 1.0));
  f.std_opt =
      app->add_option("--mask-init-std", f.mask_init_std, "Lego: std of the initial mask logits");
}

ModelSpec apply_model_flags(ModelSpec base, const ModelFlags& f) {
  if (f.model_opt->count()) base.model = f.model;
  if (f.o_opt->count()) base.o = f.o;
  if (f.m_opt->count()) base.m = f.m;
  if (f.std_opt->count()) base.mask_init_std = f.mask_init_std;
  base.validate();
  return base;
}

void add_train_option_flags(CLI::App* app, TrainOptionFlags& f) {
  for (const TrainOptionInfo& info : train_option_table())
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(f.values.*member)>;
          CLI::Option* opt = nullptr;
          if constexpr (std::is_same_v<T, bool>)
            opt = app->add_flag(info.flag(), f.values.*member, std::string(info.help));
          else
            opt = app->add_option(info.flag(), f.values.*member, std::string(info.help));
          f.given.emplace_back(opt,
                               [&f, member](TrainOptions& o) { o.*member = f.values.*member; });
        },
        info.field);
}

TrainOptions apply_train_option_flags(const TrainOptionFlags& f, TrainOptions base) {
  for (const auto& [opt, set] : f.given)
    if (opt->count()) set(base);
  return base;
}

WindowSet load_dataset_windows(const DatasetConfig& config, const CommonOptions& o) {
  return load_windows(config.data, resolve_data_dir(o.data_dir),
                      o.no_cache ? std::filesystem::path() : resolve_cache_dir(o.cache_dir));
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
                         const std::filesystem::path& out_dir, bool resume,
                         const CommonOptions& o) {
  RunSettings settings;
  settings.out_dir = out_dir;
  settings.resume = resume;
  settings.device = o.device;
  settings.threads = apply_compute_options(o);
  settings.dataset = {
      {"name", config.data.name}, {"config", dataset}, {"description", config.data.description}};
  Progress progress(stderr_is_terminal());
  progress.attach(settings);
  const WindowSet windows = load_dataset_windows(config, o);
  const Split split = dataset_split(config, windows, options);
  return train_model(spec, options, windows, split, settings);
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) != 0;
}

}  // namespace legohar::cli
