// Implementation of experiment.h.
#include "legohar/experiment/experiment.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>

#include "legohar/common/error.h"
#include "legohar/config/dataset_config.h"
#include "legohar/config/toml_options.h"
#include "legohar/data/text_file.h"
#include "legohar/record/run_record.h"

namespace legohar {
namespace fs = std::filesystem;

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Keys of an experiment file that are not options.
const std::vector<std::string_view> kStructureKeys = {"dataset", "seeds", "name", "description",
                                                      "run"};

// Applies the keys of `t` that name model or training options; unknown keys are errors naming the
// nearest valid key. Returns the model option keys among them.
std::vector<std::string> apply_keys(const toml::table& t, ModelSpec& m, TrainOptions& o,
                                    const fs::path& file, const std::string& where) {
  std::vector<std::string> model_keys;
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (apply_toml_option(model_option_table(), m, k, node, file, where)) {
      model_keys.push_back(k);
      continue;
    }
    if (apply_toml_option(train_option_table(), o, k, node, file, where)) continue;
    if (std::find(kStructureKeys.begin(), kStructureKeys.end(), k) != kStructureKeys.end())
      continue;
    std::vector<std::string_view> known = option_keys(model_option_table());
    for (std::string_view key_name : option_keys(train_option_table())) known.push_back(key_name);
    known.insert(known.end(), kStructureKeys.begin(), kStructureKeys.end());
    throw_unknown_key(file, node, where, "", k, known);
  }
  return model_keys;
}

// Applies "key=value" to a training option, or to a model option where the run's family has it;
// errors name the setting.
void apply_setting(ModelSpec& m, TrainOptions& o, const std::string& kv) {
  const auto eq = kv.find('=');
  const std::string key = kv.substr(0, eq);
  const TrainOptionInfo* train_info = find_train_option(key);
  const ModelOptionInfo* model_info = find_model_option(key);
  if (eq == std::string::npos || (!train_info && !model_info))
    throw Error::usage("--set " + kv +
                       ": expected KEY=VALUE with KEY a training option or a model option");
  if (key == "model")
    throw Error::usage(
        "--set " + kv +
        ": the model family is the [[run]]'s (its training defaults follow from it)");
  const std::string value = kv.substr(eq + 1);
  nlohmann::json v = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (v.is_discarded() || v.is_structured()) v = value;
  try {
    if (train_info) {
      train_info->set(o, v);
    } else if (model_info->applies_to(m.model)) {
      model_info->set(m, v);
    }
  } catch (const Error& e) {
    throw Error::usage("--set " + kv + ": " + e.what());
  }
}

// The run's name: its `name` if the [[run]] gives one, else model and loss (the folder adds the
// seed).
std::string run_name(const std::string& given, const ModelSpec& m, const TrainOptions& o) {
  std::string name = given;
  if (name.empty()) {
    // The model's label as a folder name: "lego(o=2,m=0.5)" -> "lego-o2-m0.5", a word value
    // after a dash: "resnet(order=full-preact)" -> "resnet-order-full-preact".
    const std::string label = m.label();
    for (size_t i = 0; i < label.size(); ++i) {
      const char c = label[i];
      const bool word_follows =
          i + 1 < label.size() && std::isalpha(static_cast<unsigned char>(label[i + 1]));
      if (c == '(' || c == ',' || (c == '=' && word_follows))
        name += '-';
      else if (c != '=' && c != ')')
        name += c;
    }
    name += "-" + (o.greedy ? std::string("greedy") : o.loss);
    if (o.freeze_mask) name += "-frozen";
  }
  return name;
}

}  // namespace

Experiment load_experiment(const fs::path& file, const fs::path& config_dir,
                           const ExperimentOverrides& overrides) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw_data_error(file, e.source().begin.line, std::string(e.description()));
  } catch (const std::exception& e) {
    throw_data_error(file, 0, e.what());
  }
  Experiment ex;
  ex.file = file;
  ex.name = root["name"].value_or(file.stem().string());
  ex.description = root["description"].value_or(std::string());
  const std::string dataset = root["dataset"].value_or(std::string());
  if (dataset.empty()) throw_data_error(file, 0, "'dataset' is missing");
  std::vector<uint64_t> seeds;
  if (const toml::array* a = root["seeds"].as_array())
    for (const auto& s : *a) seeds.push_back(static_cast<uint64_t>(s.value_or(int64_t{1})));
  if (overrides.seeds) seeds = *overrides.seeds;
  if (seeds.empty()) seeds = {1};
  const toml::array* runs = root["run"].as_array();
  if (!runs || runs->empty()) throw_data_error(file, 0, "no [[run]] tables");
  std::vector<std::string> names;  // of every [[run]], selected or not

  for (const toml::node& node : *runs) {
    const toml::table* t = node.as_table();
    if (!t) throw_data_error(file, node.source().begin.line, "[[run]] must be a table");
    const std::string run_dataset = (*t)["dataset"].value_or(dataset);
    const DatasetConfig config = load_dataset_config(run_dataset, config_dir);
    ModelSpec model = config.model;
    TrainOptions train = config.train;
    apply_keys(root, model, train, file, "");
    apply_keys(*t, model, train, file, "[[run]] ");
    // Again from the family's training defaults, now that the family is known: the file's keys
    // override them.
    train = train_options_for(config, model.model);
    apply_keys(root, model, train, file, "");
    const std::vector<std::string> run_keys = apply_keys(*t, model, train, file, "[[run]] ");
    if (overrides.epochs) train.epochs = *overrides.epochs;
    for (const std::string& kv : overrides.set) apply_setting(model, train, kv);
    // Only a [[run]]'s own Lego option makes its ResNet a Lego ResNet: one for the whole file
    // or from --set applies to the runs that have Lego convolutions.
    model.imply_lego(run_keys);
    try {
      model.validate();
      train.validate();
    } catch (const Error& e) {
      throw e.in_file(file, node.source().begin.line);
    }
    const std::string name = run_name((*t)["name"].value_or(std::string()), model, train);
    if (contains(names, name))
      throw_data_error(file, node.source().begin.line,
                       fmt::format("[[run]] writes to '{}-seed{}' like an earlier run: give the "
                                   "runs different 'name's",
                                   name, seeds.front()));
    names.push_back(name);
    if (!overrides.only.empty() && !contains(overrides.only, name)) continue;
    for (uint64_t seed : seeds) {
      train.seed = seed;
      ex.runs.push_back({fmt::format("{}-seed{}", name, seed), run_dataset, config, model, train});
    }
  }
  for (const std::string& wanted : overrides.only)
    if (!contains(names, wanted))
      throw_data_error(
          file, 0,
          fmt::format("no [[run]] named '{}' (its runs: {})", wanted, fmt::join(names, ", ")));
  return ex;
}

void check_finished_runs(const Experiment& ex, const fs::path& out_dir) {
  // A finished run is skipped, so it must be the planned one: a run kept from before a default
  // or the file changed would otherwise be reported under the new settings.
  std::vector<std::string> stale;
  for (const PlannedRun& run : ex.runs) {
    const fs::path dir = out_dir / run.name;
    if (!has_metrics(dir)) continue;
    const nlohmann::json m = read_metrics(dir);
    if (!m.contains("options") || !m.contains("model_spec"))
      throw Error::data(dir / kMetricsFile, 0,
                        fmt::format("records no 'options' or 'model_spec': cannot tell whether "
                                    "it is the planned run '{}'",
                                    run.name));
    const std::vector<std::string> diff =
        recorded_settings_differ(m.at("model_spec"), m.at("options"), run.model, run.train);
    if (!diff.empty()) stale.push_back(fmt::format("{}: {}", dir.string(), fmt::join(diff, ", ")));
  }
  if (!stale.empty())
    throw Error::state(fmt::format(
        "{} finished run(s) in {} were made with other settings than {} plans (recorded, not "
        "planned):\n  {}\ntrain into another --out, or remove those folders to train them again",
        stale.size(), out_dir.string(), ex.file.filename().string(), fmt::join(stale, "\n  ")));
}

std::vector<fs::path> run_experiment(
    const Experiment& ex, const fs::path& out_dir,
    const std::function<void(const PlannedRun&, const fs::path&)>& train,
    const std::function<void(const std::string&)>& log) {
  check_finished_runs(ex, out_dir);
  std::vector<fs::path> dirs;
  size_t index = 0;
  for (const PlannedRun& run : ex.runs) {
    ++index;
    const fs::path dir = out_dir / run.name;
    dirs.push_back(dir);
    if (has_metrics(dir)) {
      log(fmt::format("[{}/{}] {}: finished before, skipped", index, ex.runs.size(), run.name));
      continue;
    }
    log(fmt::format("[{}/{}] {}{}", index, ex.runs.size(), run.name,
                    fs::exists(dir / "model.pt") ? " (resuming)" : ""));
    train(run, dir);
  }
  return dirs;
}

}  // namespace legohar
