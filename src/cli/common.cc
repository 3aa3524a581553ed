// Implementation of common.h.
#include "cli/common.h"

#include <fmt/format.h>
#include <torch/torch.h>
#include <unistd.h>

#include <regex>
#include <thread>

#include "cli/progress.h"
#include "legohar/common/error.h"
#include "legohar/data/text_file.h"
#include "legohar/train/checkpoint.h"

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
  // More threads than a few per core only slow LibTorch down; 100000 hangs creating them.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  app->add_option(
         "--threads", o.threads,
         fmt::format("CPU threads (default: all cores; at most 4 per core: {})", 4 * cores))
      ->check(CLI::Range(0u, 4 * cores));
  app->add_option("--device", o.device, "cpu or cuda (cuda:N)")
      ->check(CLI::Validator(
          [](const std::string& d) {
            return std::regex_match(d, std::regex("cpu|cuda(:[0-9]+)?"))
                       ? std::string()
                       : "'" + d + "' is not a device: use cpu, cuda or cuda:N";
          },
          "cpu|cuda|cuda:N"));
}

int apply_compute_options(const CommonOptions& o) {
  const int threads = o.threads > 0
                          ? o.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  const torch::Device device(o.device);
  if (device.is_cuda() && !torch::cuda::is_available())
    throw Error::usage("--device " + o.device + ": this LibTorch build or machine has no CUDA");
  return threads;
}

namespace {

// A flag per option of `table` into `f`: the help names the valid values, choices are checked by
// CLI11, ranges by validate(); a boolean has a --no- form too.
template <class S>
void add_option_flags(CLI::App* app, OptionFlags<S>& f, const std::vector<OptionInfo<S>>& table) {
  for (const OptionInfo<S>& info : table)
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(f.values.*member)>;
          const std::string valid = info.valid();
          const std::string help =
              std::string(info.help) + (valid.empty() ? "" : " (" + valid + ")");
          CLI::Option* opt = nullptr;
          if constexpr (std::is_same_v<T, bool>) {  // --residual, and --no-residual
            opt = app->add_flag(info.flag() + ",!--no-" + info.flag().substr(2), f.values.*member,
                                help);
          } else {
            opt = app->add_option(info.flag(), f.values.*member, help);
            if constexpr (std::is_unsigned_v<T>)  // "-1" would wrap around to 2^64 - 1
              opt->check(CLI::Validator(
                  [key = info.key](const std::string& v) {
                    return v.find('-') == std::string::npos
                               ? std::string()
                               : fmt::format("{} = {}: must be a whole number >= 0", key, v);
                  },
                  "UINT"));
            if (!info.choices.empty())
              opt->check(CLI::IsMember(
                  std::vector<std::string>(info.choices.begin(), info.choices.end())));
          }
          f.given.emplace_back(opt, [&f, member](S& s) { s.*member = f.values.*member; });
        },
        info.field);
}

template <class S>
S apply_option_flags(const OptionFlags<S>& f, S base) {
  for (const auto& [opt, set] : f.given)
    if (opt->count()) set(base);
  return base;
}

}  // namespace

void add_model_flags(CLI::App* app, ModelFlags& f) {
  add_option_flags(app, f, model_option_table());
}

ModelSpec apply_model_flags(ModelSpec base, const ModelFlags& f) {
  base = apply_option_flags(f, base);
  std::vector<std::string> given;
  for (const auto& [opt, set] : f.given)
    if (opt->count()) given.push_back(opt->get_name().substr(2));  // "--o" -> "o"
  base.imply_lego(given);
  base.validate();
  return base;
}

void add_train_option_flags(CLI::App* app, TrainOptionFlags& f) {
  add_option_flags(app, f, train_option_table());
}

TrainOptions apply_train_option_flags(const TrainOptionFlags& f, TrainOptions base) {
  return apply_option_flags(f, base);
}

DataSource data_source(const CommonOptions& o) {
  return {o.data_dir, o.cache_dir, o.no_cache};
}

nlohmann::json train_run(const DatasetConfig& config, const std::string& dataset,
                         const ModelSpec& spec, const TrainOptions& options,
                         const std::filesystem::path& out_dir, bool resume, bool overwrite,
                         const CommonOptions& o) {
  RunSettings settings;
  settings.out_dir = out_dir;
  settings.resume = resume;
  settings.overwrite = overwrite;
  settings.device = o.device;
  settings.threads = apply_compute_options(o);
  Progress progress(stderr_is_terminal());
  progress.attach(settings);
  return legohar::train_run(config, dataset, spec, options, data_source(o), settings);
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) != 0;
}

TrainedRun open_trained_run(const std::string& checkpoint, const CommonOptions& o,
                            const std::string& dataset) {
  std::filesystem::path file = checkpoint;
  if (std::filesystem::is_directory(file)) file /= "model.pt";
  TrainedRun r;
  r.model = load_model(file, &r.meta);
  const std::string name =
      dataset.empty() ? r.meta.at("dataset").at("config").get<std::string>() : dataset;
  r.config = load_dataset_config(name, resolve_config_dir(o.config_dir));
  r.options = TrainOptions::from_json(r.meta.at("train"));
  r.windows = load_dataset_windows(r.config, r.options, data_source(o));
  r.split = dataset_split(r.config, r.windows, r.options);
  r.normaliser = Normaliser::from_json(r.meta.at("normaliser"));
  return r;
}

runtime::Model load_runtime_model(const std::string& file) {
  const std::string bytes = read_file_bytes(file);
  try {
    return runtime::Model::load_buffer(bytes.data(), bytes.size());
  } catch (const runtime::LoadError& e) {
    throw Error::data(file, 0, e.what());
  }
}

}  // namespace legohar::cli
