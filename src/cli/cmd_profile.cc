// `legohar profile`: per-layer and total parameters, memory and MACs of a model, without training.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/spec/profile.h"

namespace legohar::cli {

void register_profile(CLI::App& app) {
  auto* cmd = app.add_subcommand("profile", "Parameters, memory and MACs of a model, per layer");
  auto opts = std::make_shared<CommonOptions>();
  auto flags = std::make_shared<ModelFlags>();
  auto dataset = std::make_shared<std::string>();
  auto json_out = std::make_shared<bool>(false);
  cmd->add_option("--dataset", *dataset, "Dataset name or config file")->required();
  cmd->add_option("--config-dir", opts->config_dir, "Configs directory");
  add_model_flags(cmd, *flags);
  cmd->add_flag("--json", *json_out, "Print JSON");
  cmd->callback([=] {
    const DatasetConfig c = load_dataset_config(*dataset, resolve_config_dir(opts->config_dir));
    const ModelSpec spec = apply_model_flags(c.model, *flags);
    const ModelProfile p = profile_model(spec);
    if (*json_out) {
      nlohmann::json j = p.to_json();
      j["dataset"] = c.data.name;
      j["model"] = spec.to_json();
      fmt::print("{}\n", j.dump(2));
      return;
    }
    fmt::print("{} on {} (input [1, {}, {}])\n", spec.label(), c.data.name, spec.input_length,
               spec.input_channels);
    fmt::print("{:<16} {:<7} {:>16} {:>12} {:>12} {:>10} {:>14}\n", "layer", "kind", "output",
               "params", "inference", "memory MB", "MACs");
    for (const LayerProfile& l : p.layers) {
      std::string shape;
      for (size_t i = 0; i < l.out_shape.size(); ++i)
        shape += (i ? "x" : "") + std::to_string(l.out_shape[i]);
      fmt::print("{:<16} {:<7} {:>16} {:>12} {:>12} {:>10.4f} {:>14}\n", l.name, l.kind, shape,
                 l.params, l.inference_params,
                 static_cast<double>(l.inference_params) * 4 / 1048576.0, l.macs);
    }
    fmt::print("{:<16} {:<7} {:>16} {:>12} {:>12} {:>10.4f} {:>14}\n", "total", "", "", p.params,
               p.inference_params, p.memory_mb, p.macs);
    fmt::print(
        "memory: inference parameters x 4 bytes in MiB; MACs: multiply-accumulates per window\n");
  });
}

}  // namespace legohar::cli
