// Implementation of dataset_config.h with toml++.
#include "legohar/config/dataset_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>

#include "legohar/common/error.h"
#include "legohar/config/toml_options.h"
#include "legohar/data/text_file.h"

namespace legohar {
namespace fs = std::filesystem;

fs::path resolve_config_dir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("LEGOHAR_CONFIGS"); env && *env) return env;
  return LEGOHAR_CONFIG_DIR;
}

namespace {
// Typed look-ups that name the file and the key when a value is missing or of the wrong type.
struct Table {
  const toml::table& t;
  const fs::path& file;
  std::string prefix;

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw_data_error(file, 0, fmt::format("'{}{}' {}", prefix, key, problem));
  }
  template <class T>
  T get(const std::string& key, std::optional<T> fallback = std::nullopt) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (fallback) return *fallback;
      fail(key, "is missing");
    }
    if constexpr (std::is_same_v<T, double>) {
      if (auto v = n->value<double>()) return *v;
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (auto v = n->value<std::string>()) return *v;
    } else if constexpr (std::is_same_v<T, bool>) {
      if (auto v = n->value_exact<bool>()) return *v;
    } else {
      if (auto v = n->value<int64_t>()) return static_cast<T>(*v);
    }
    fail(key, "has the wrong type");
  }
  template <class T>
  std::vector<T> list(const std::string& key) const {
    const toml::array* a = t.get_as<toml::array>(key);
    if (!a) fail(key, "is missing or not an array");
    std::vector<T> out;
    for (const toml::node& n : *a) {
      std::optional<T> v;
      if constexpr (std::is_same_v<T, std::string>)
        v = n.value<std::string>();
      else
        v = n.value<int64_t>().has_value() ? std::optional<T>(static_cast<T>(*n.value<int64_t>()))
                                           : std::nullopt;
      if (!v) fail(key, "holds an element of the wrong type");
      out.push_back(*v);
    }
    return out;
  }
  // Refuses a key outside `known` with the file, its line and the nearest known key.
  void only(const std::vector<std::string_view>& known) const {
    for (const auto& [key, node] : t)
      if (std::find(known.begin(), known.end(), key.str()) == known.end())
        throw_unknown_key(file, node, "", prefix, std::string(key.str()), known);
  }
  Table sub(const std::string& key) const {
    const toml::table* s = t.get_as<toml::table>(key);
    if (!s) fail(key, "is missing or not a table");
    return {*s, file, prefix + key + "."};
  }
};
}  // namespace

// A column by name (a string) or by 1-based number (an integer); absent: empty.
static CsvColumn csv_column(const Table& t, const std::string& key) {
  const toml::node* n = t.t.get(key);
  if (!n) return {};
  if (const auto name = n->value<std::string>(); name && !name->empty()) return {*name, 0};
  if (const auto number = n->value<int64_t>(); number && *number >= 1)
    return {"", static_cast<size_t>(*number)};
  t.fail(key, "must be a column name or a column number >= 1");
}

// The [csv] table of a dataset file of source "csv".
static CsvLayout parse_csv_layout(const Table& root) {
  const Table t = root.sub("csv");
  t.only({"files", "delimiter", "header", "time", "time_unit", "sample_rate_hz", "rate_hz",
          "max_gap_s", "channels", "label", "label_path", "subject", "subject_path", "continuous"});
  CsvLayout l;
  l.files = t.get<std::string>("files", l.files);
  l.delimiter = t.get<std::string>("delimiter", l.delimiter);
  l.header = t.get<bool>("header", l.header);
  l.time = csv_column(t, "time");
  try {
    l.time_unit_s = csv_time_unit(t.get<std::string>("time_unit", std::string("s")));
  } catch (const Error& e) {
    t.fail("time_unit", e.what());
  }
  l.sample_rate_hz = t.get<double>("sample_rate_hz", 0.0);
  l.rate_hz = t.get<double>("rate_hz", l.sample_rate_hz);
  l.max_gap_s = t.get<double>("max_gap_s", l.max_gap_s);
  const toml::array* channels = t.t.get_as<toml::array>("channels");
  if (!channels) t.fail("channels", "is missing or not an array");
  for (const toml::node& n : *channels) {
    CsvChannel ch;
    if (const auto name = n.value<std::string>()) {
      ch.column = {*name, 0};
    } else if (const toml::table* c = n.as_table()) {
      const Table ct{*c, t.file, "csv.channels[]."};
      ct.only({"column", "name", "scale", "offset"});
      ch.column = csv_column(ct, "column");
      if (ch.column.empty()) ct.fail("column", "is missing");
      ch.name = ct.get<std::string>("name", std::string());
      ch.scale = ct.get<double>("scale", 1.0);
      ch.offset = ct.get<double>("offset", 0.0);
    } else {
      t.fail("channels", "holds an element that is neither a column name nor a table");
    }
    l.channels.push_back(ch);
  }
  l.label = csv_column(t, "label");
  l.label_path = t.get<std::string>("label_path", std::string());
  l.subject = csv_column(t, "subject");
  l.subject_path = t.get<std::string>("subject_path", std::string());
  l.continuous = t.get<bool>("continuous", l.continuous);
  try {
    l.validate();
  } catch (const Error& e) {
    throw_data_error(t.file, 0, e.what());
  }
  return l;
}

static DatasetConfig parse(const toml::table& root, const fs::path& file) {
  DatasetConfig c;
  c.file = file;
  const Table t{root, file, ""};
  t.only({"name", "description", "source", "variant", "path", "url", "windows", "filters",
          "classes", "protocol", "model", "train", "csv"});
  DatasetSpec& d = c.data;
  d.name = t.get<std::string>("name");
  d.description = t.get<std::string>("description", std::string());
  d.source = t.get<std::string>("source");
  if (const auto& known = source_variants(d.source); !known.empty()) {
    d.variant = t.get<std::string>("variant", known.front());
    if (std::find(known.begin(), known.end(), d.variant) == known.end())
      t.fail("variant", fmt::format("'{}' is not one of {}", d.variant, fmt::join(known, ", ")));
  } else if (root.get("variant")) {
    t.fail("variant", "source '" + d.source + "' has no variants");
  }
  d.path = t.get<std::string>("path");
  d.url = t.get<std::string>("url", std::string());
  const Table win = t.sub("windows");
  win.only({"length", "step", "label"});
  d.windows.length = win.get<int64_t>("length");
  d.windows.step = win.get<int64_t>("step");
  if (win.t.get("label")) {
    if (!source_is_continuous(d.source))
      win.fail("label", "applies to continuous recordings only: source '" + d.source +
                            "' windows segments of one label");
    try {
      d.windows.label = parse_window_label(win.get<std::string>("label"));
    } catch (const Error& e) {
      win.fail("label", e.what());
    }
  }
  if (root.get("filters")) {
    if (d.source != "hapt-raw")
      t.fail("filters",
             "applies to source 'hapt-raw' only (the UCI-HAR pipeline), not '" + d.source + "'");
    const Table f = t.sub("filters");
    f.only({"sample_rate_hz", "median_width", "order", "noise_cutoff_hz", "gravity_cutoff_hz"});
    d.filters.sample_rate_hz = f.get<double>("sample_rate_hz", d.filters.sample_rate_hz);
    d.filters.median_width = f.get<int>("median_width", d.filters.median_width);
    d.filters.order = f.get<int>("order", d.filters.order);
    d.filters.noise_cutoff_hz = f.get<double>("noise_cutoff_hz", d.filters.noise_cutoff_hz);
    d.filters.gravity_cutoff_hz = f.get<double>("gravity_cutoff_hz", d.filters.gravity_cutoff_hz);
  }
  const Table cls = t.sub("classes");
  cls.only({"activity_ids", "names"});
  d.class_names = cls.list<std::string>("names");
  if (d.source != "csv" || cls.t.get("activity_ids"))  // csv labels may be the names alone
    d.activity_ids = cls.list<int>("activity_ids");
  if (d.source != "csv" || !d.activity_ids.empty())
    if (d.activity_ids.size() != d.class_names.size())
      t.fail("classes", "has different numbers of activity_ids and names");
  const Table prot = t.sub("protocol");
  prot.only({"default", "train_subjects", "train_recordings", "test_recordings"});
  d.splits.train_subjects = prot.list<int>("train_subjects");
  if (prot.t.get("train_recordings") || prot.t.get("test_recordings")) {
    d.splits.train_recordings = prot.list<int>("train_recordings");
    d.splits.test_recordings = prot.list<int>("test_recordings");
  }
  c.train.protocol = prot.get<std::string>("default", std::string("subjects"));

  const Table model = t.sub("model");
  // Besides the layers, model options as this dataset's defaults (not the family, which the
  // command line or the experiment names).
  for (const auto& [key, node] : model.t) {
    const std::string k(key.str());
    if (k == "layers" ||
        (k != "model" && apply_toml_option(model_option_table(), c.model, k, node, file, "model.")))
      continue;
    std::vector<std::string_view> known = {"layers"};
    for (std::string_view o : option_keys(model_option_table()))
      if (o != "model") known.push_back(o);
    throw_unknown_key(file, node, "", "model.", k, known);
  }
  const toml::array* layers = model.t.get_as<toml::array>("layers");
  if (!layers) model.fail("layers", "is missing or not an array of tables");
  for (const toml::node& n : *layers) {
    const toml::table* l = n.as_table();
    if (!l) model.fail("layers", "holds an element that is not a table");
    const Table lt{*l, file, "model.layers[]."};
    lt.only({"channels", "kernel", "stride", "padding"});
    c.model.layers.push_back({lt.get<int64_t>("channels"), lt.get<int64_t>("kernel"),
                              lt.get<int64_t>("stride", int64_t{1}),
                              lt.get<int64_t>("padding", int64_t{0})});
  }
  c.model.input_length = d.windows.length;
  if (d.source == "csv")
    d.csv = parse_csv_layout(t);
  else if (root.get("csv"))
    t.fail("csv", "applies to source 'csv' only, not '" + d.source + "'");
  c.model.input_channels = dataset_channels(d);
  c.model.classes = static_cast<int64_t>(d.class_names.size());
  c.model.validate();

  const Table tr = t.sub("train");
  std::vector<std::string_view> families;
  for (const ModelFamily& f : model_families()) families.push_back(f.name);
  for (const auto& [key, node] : tr.t) {
    const std::string k(key.str());
    if (const toml::table* family = node.as_table()) {
      if (std::find(families.begin(), families.end(), k) == families.end())
        throw_unknown_key(file, node, "", "train.", k, families);
      // [train.<family>]: kept as JSON keys, applied by train_options_for().
      TrainOptions scratch;
      nlohmann::json& keys = c.family_train[k];
      keys = nlohmann::json::object();
      for (const auto& [fkey, fnode] : *family) {
        const std::string fk(fkey.str());
        const std::string prefix = "train." + k + ".";
        if (!apply_toml_option(train_option_table(), scratch, fk, fnode, file, prefix))
          throw_unknown_key(file, fnode, "", prefix, fk, option_keys(train_option_table()));
        keys[fk] = find_train_option(fk)->get(scratch);
      }
      continue;
    }
    if (!apply_toml_option(train_option_table(), c.train, k, node, file, "train."))
      throw_unknown_key(file, node, "", "train.", k, option_keys(train_option_table()));
  }
  return c;
}

TrainOptions train_options_for(const DatasetConfig& config, std::string_view family) {
  TrainOptions o = with_family_defaults(config.train, family);
  if (const auto it = config.family_train.find(std::string(family));
      it != config.family_train.end())
    for (const auto& [key, value] : it->second.items()) find_train_option(key)->set(o, value);
  return o;
}

DatasetConfig load_dataset_config(const std::string& name_or_file, const fs::path& config_dir) {
  fs::path file = name_or_file;
  if (file.extension() != ".toml") file = config_dir / "datasets" / (name_or_file + ".toml");
  if (!fs::exists(file)) {
    std::vector<std::string> known;
    for (const auto& c : load_all_dataset_configs(config_dir)) known.push_back(c.data.name);
    throw Error::usage(fmt::format("unknown dataset '{}': no {} (known: {})", name_or_file,
                                   file.string(), fmt::format("{}", fmt::join(known, ", "))));
  }
  try {
    return parse(toml::parse_file(file.string()), file);
  } catch (const toml::parse_error& e) {
    throw_data_error(file, e.source().begin.line, std::string(e.description()));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kUsage) throw;
    throw e.in_file(file, 0);
  }
}

std::vector<DatasetConfig> load_all_dataset_configs(const fs::path& config_dir) {
  std::vector<fs::path> files;
  if (fs::is_directory(config_dir / "datasets"))
    for (const auto& e : fs::directory_iterator(config_dir / "datasets"))
      if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<DatasetConfig> out;
  for (const fs::path& f : files) out.push_back(load_dataset_config(f.string(), config_dir));
  return out;
}

}  // namespace legohar
