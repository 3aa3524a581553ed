// `legohar datasets`: every configured dataset, whether its files are found, and its windows per
// split.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/data/split.h"

namespace legohar::cli {

void register_datasets(CLI::App& app) {
  auto* cmd = app.add_subcommand("datasets", "List known datasets, their files and window counts");
  auto opts = std::make_shared<CommonOptions>();
  auto json_out = std::make_shared<bool>(false);
  add_data_options(cmd, *opts);
  cmd->add_flag("--json", *json_out, "Print JSON");
  cmd->callback([opts, json_out] {
    const auto data_dir = resolve_data_dir(opts->data_dir);
    nlohmann::json all = nlohmann::json::array();
    if (!*json_out) fmt::print("data directory: {}\n", data_dir.string());
    for (const DatasetConfig& c : load_all_dataset_configs(resolve_config_dir(opts->config_dir))) {
      const DatasetFiles files = dataset_files(c.data, data_dir);
      nlohmann::json d{{"name", c.data.name},
                       {"description", c.data.description},
                       {"path", (data_dir / c.data.path).string()},
                       {"found", files.missing.empty()},
                       {"files", files.present.size()},
                       {"classes", c.data.class_names.size()}};
      std::string counts = "-";
      if (files.missing.empty()) {
        const WindowSet w = load_dataset_windows(c, c.train, data_source(*opts));
        const Split s = dataset_split(c, w, c.train);
        d["protocol"] = s.protocol;
        d["windows"] = w.size();
        d["train_windows"] = s.train.size();
        d["test_windows"] = s.test.size();
        counts = fmt::format("{} windows: {} train / {} test ({})", w.size(), s.train.size(),
                             s.test.size(), s.protocol);
      } else {
        d["missing"] = files.missing.front().string();
        d["missing_files"] = files.missing.size();
      }
      if (!c.data.url.empty()) d["url"] = c.data.url;
      if (!*json_out) {
        fmt::print("{:<18} {:<9} {:>2} classes  {}\n{:<18} {}\n", c.data.name,
                   files.missing.empty() ? "found" : "not found", c.data.class_names.size(), counts,
                   "", c.data.description);
        if (!files.missing.empty()) {
          fmt::print("{:<18} missing: {}{}\n", "", files.missing.front().string(),
                     files.missing.size() > 1
                         ? fmt::format(" (and {} more files)", files.missing.size() - 1)
                         : "");
          if (!c.data.url.empty()) fmt::print("{:<18} get it from: {}\n", "", c.data.url);
        }
      }
      all.push_back(d);
    }
    if (*json_out) fmt::print("{}\n", all.dump(2));
  });
}

}  // namespace legohar::cli
