// Implementation of run_record.h.
#include "legohar/record/run_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>

#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "legohar/data/text_file.h"
#include "legohar/spec/profile.h"

namespace legohar {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 7> kFixed = {
    "epoch", "loss", "train_accuracy", "test_accuracy", "test_weighted_f1", "seconds", "lr"};
constexpr std::array<std::string_view, 2> kValidation = {"val_loss", "val_weighted_f1"};

// The fixed fields of a record, in kFixed's order after epoch.
std::array<double*, 6> fixed_values(EpochRecord& r) {
  return {&r.loss, &r.train_accuracy, &r.test_accuracy, &r.test_weighted_f1, &r.seconds, &r.lr};
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    cells.push_back(line.substr(start, comma - start));
  cells.push_back(line.substr(start));
  return cells;
}

double parse_number(const std::string& cell) {
  size_t used = 0;
  const double v = std::stod(cell, &used);
  if (used != cell.size()) throw std::invalid_argument(cell);
  return v;
}

template <typename Names>
bool is_in(std::string_view key, const Names& names) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

}  // namespace

json EpochRecord::to_json() const {
  json j = {{"epoch", epoch},
            {"loss", loss},
            {"train_accuracy", train_accuracy},
            {"test_accuracy", test_accuracy},
            {"test_weighted_f1", test_weighted_f1},
            {"seconds", seconds},
            {"lr", lr}};
  if (val_loss) j["val_loss"] = *val_loss;
  if (val_weighted_f1) j["val_weighted_f1"] = *val_weighted_f1;
  for (const auto& [name, value] : diagnostics) j[name] = value;
  return j;
}

EpochRecord EpochRecord::from_json(const json& j) {
  EpochRecord r;
  r.epoch = j.at("epoch").get<int>();
  const std::array<double*, 6> fields = fixed_values(r);
  for (size_t i = 0; i < fields.size(); ++i) *fields[i] = j.at(std::string(kFixed[i + 1]));
  if (j.contains("val_loss")) r.val_loss = j["val_loss"].get<double>();
  if (j.contains("val_weighted_f1")) r.val_weighted_f1 = j["val_weighted_f1"].get<double>();
  for (const auto& [key, value] : j.items())
    if (!is_in(key, kFixed) && !is_in(key, kValidation)) {
      if (!value.is_number())
        throw Error::usage("epoch record: diagnostic '" + key + "' is not a number");
      r.diagnostics.emplace_back(key, value.get<double>());
    }
  return r;
}

std::optional<double> EpochRecord::diagnostic(std::string_view name) const {
  for (const auto& [n, v] : diagnostics)
    if (n == name) return v;
  return std::nullopt;
}

json history_to_json(const History& history) {
  json rows = json::array();
  for (const EpochRecord& r : history) rows.push_back(r.to_json());
  return rows;
}

History history_from_json(const json& rows) {
  History history;
  for (const json& r : rows) history.push_back(EpochRecord::from_json(r));
  return history;
}

std::string history_csv(const History& history) {
  const bool validated = std::any_of(history.begin(), history.end(),
                                     [](const EpochRecord& r) { return r.val_weighted_f1; });
  std::vector<std::string> diagnostics;
  for (const EpochRecord& r : history)
    for (const auto& d : r.diagnostics)
      if (!is_in(d.first, diagnostics)) diagnostics.push_back(d.first);

  std::string out = fmt::format("{}", fmt::join(kFixed, ","));
  if (validated) out += fmt::format(",{}", fmt::join(kValidation, ","));
  for (const std::string& d : diagnostics) out += "," + d;
  out += "\n";
  auto optional = [](const std::optional<double>& v) {
    return v ? fmt::format("{:.6f}", *v) : std::string();
  };
  for (const EpochRecord& r : history) {
    out += fmt::format("{},{:.6f},{:.6f},{:.6f},{:.6f},{:.3f},{:.6g}", r.epoch, r.loss,
                       r.train_accuracy, r.test_accuracy, r.test_weighted_f1, r.seconds, r.lr);
    if (validated) out += "," + optional(r.val_loss) + "," + optional(r.val_weighted_f1);
    for (const std::string& d : diagnostics) out += "," + optional(r.diagnostic(d));
    out += "\n";
  }
  return out;
}

int history_column(std::string_view fixed_column) {
  const auto it = std::find(kFixed.begin(), kFixed.end(), fixed_column);
  if (it == kFixed.end())
    throw std::invalid_argument("history.csv has no fixed column '" + std::string(fixed_column) +
                                "'");
  return static_cast<int>(it - kFixed.begin()) + 1;
}

History read_history(const fs::path& run_dir) {
  const fs::path file = run_dir / kHistoryFile;
  std::ifstream in(file);
  if (!in) throw Error::data(file, 0, "cannot open");
  std::string line;
  if (!std::getline(in, line)) throw_data_error(file, 1, "empty file (no header)");
  const std::vector<std::string> header = split_csv_line(line);
  for (std::string_view name : kFixed)
    if (!is_in(name, header)) throw_data_error(file, 1, "no column '" + std::string(name) + "'");
  History history;
  for (size_t line_no = 2; std::getline(in, line); ++line_no) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = split_csv_line(line);
    if (cells.size() != header.size())
      throw_data_error(file, line_no,
                       fmt::format("malformed row '{}': {} cells under a header of {}", line,
                                   cells.size(), header.size()));
    json row;
    for (size_t c = 0; c < header.size(); ++c) {
      if (cells[c].empty()) continue;  // a value this row does not have
      try {
        row[header[c]] = parse_number(cells[c]);
      } catch (const std::exception&) {
        throw_data_error(file, line_no,
                         "malformed row '" + line + "': " + header[c] + " is not a number");
      }
    }
    for (std::string_view name : kFixed)
      if (!row.contains(name))
        throw_data_error(file, line_no, "malformed row '" + line + "': no " + std::string(name));
    row["epoch"] = static_cast<int>(row["epoch"].get<double>());
    history.push_back(EpochRecord::from_json(row));
    const int expected = static_cast<int>(history.size());  // epochs run 1, 2, ...
    if (history.back().epoch != expected)
      throw_data_error(file, line_no, fmt::format("epoch {} out of order", history.back().epoch));
  }
  return history;
}

void write_history(const fs::path& run_dir, const History& history) {
  write_file_atomically(run_dir / kHistoryFile, history_csv(history));
}

int selected_epoch(const History& history) {
  int best = 0;
  double best_f1 = -1;
  for (const EpochRecord& r : history)
    if (r.val_weighted_f1 && *r.val_weighted_f1 >= best_f1) {
      best_f1 = *r.val_weighted_f1;
      best = r.epoch;
    }
  return best;
}

json metrics_record(const Metrics& m, const ModelSpec& spec, const TrainOptions& o,
                    const Split& split, const json& dataset,
                    const std::vector<std::string>& class_names) {
  const ModelProfile profile = profile_model(spec);
  const bool lego = spec.uses_lego();
  json record = m.to_json(class_names);
  record.update(json{{"dataset", dataset.value("name", "")},
                     {"dataset_info", dataset},
                     {"protocol", split.protocol},
                     {"split", split.to_json()},
                     {"model", spec.model},
                     {"model_label", spec.label()},
                     {"model_spec", spec.to_json()},
                     {"o", lego ? json(spec.o) : json(nullptr)},
                     {"m", lego ? json(spec.m) : json(nullptr)},
                     {"epochs", o.epochs},
                     {"seed", o.seed},
                     {"options", o.to_json()},
                     {"params", profile.params},
                     {"inference_params", profile.inference_params},
                     {"memory_mb", profile.memory_mb},
                     {"macs", profile.macs},
                     {"train_windows", split.train.size()},
                     {"test_windows", split.test.size()}});
  return record;
}

void add_training_record(json& record, const TrainingOutcome& t, const History& history,
                         const std::vector<std::string>& class_names) {
  double seconds = 0;
  for (const EpochRecord& h : history) seconds += h.seconds;
  const double epochs = static_cast<double>(history.size());
  record.update(json{{"reported_epoch", record.at("epochs")},
                     {"loss", t.loss},
                     {"peak_rss_mb", t.peak_rss_mb},
                     {"peak_rss_scope", t.peak_rss_is_run ? "run" : "process"},
                     {"rss_at_start_mb", t.rss_at_start_mb},
                     {"activation_bytes_per_step", t.activation_bytes_per_step},
                     {"threads", t.threads},
                     {"device", t.device},
                     {"train_accuracy", history.empty() ? 0.0 : history.back().train_accuracy},
                     {"seconds_per_epoch", history.empty() ? 0.0 : seconds / epochs},
                     {"train_seconds", seconds}});
  if (!history.empty()) {
    const EpochRecord& last = history.back();
    for (const auto& [name, value] : last.diagnostics) record[name] = value;
    if (last.val_weighted_f1) record["val_weighted_f1"] = *last.val_weighted_f1;
    if (last.val_loss) record["val_loss"] = *last.val_loss;
  }
  if (t.selected) {
    const int chosen = selected_epoch(history);
    if (chosen == 0)
      throw std::logic_error("a selected epoch's metrics without a validated epoch in the history");
    const EpochRecord& h = history.at(static_cast<size_t>(chosen - 1));
    json selected = t.selected->to_json(class_names);
    selected.update(json{{"epoch", chosen},
                         {"criterion", "val_weighted_f1"},
                         {"val_weighted_f1", *h.val_weighted_f1},
                         {"val_loss", h.val_loss ? json(*h.val_loss) : json(nullptr)},
                         {"checkpoint", "best.pt"}});
    record["selected"] = selected;
  }
  if (!t.local_head_weighted_f1.empty())
    record["local_head_weighted_f1"] = t.local_head_weighted_f1;
}

void write_metrics(const fs::path& run_dir, const json& metrics) {
  write_file_atomically(run_dir / kMetricsFile, metrics.dump(2) + "\n");
}

bool has_metrics(const fs::path& run_dir) {
  return fs::exists(run_dir / kMetricsFile);
}

json read_metrics(const fs::path& run_dir) {
  const fs::path file = run_dir / kMetricsFile;
  std::ifstream in(file);
  if (!in) throw Error::data(file, 0, "cannot open");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw Error::data(file, 0, std::string("not valid JSON (") + e.what() + ")");
  }
}

std::vector<json> collect_metrics(const std::vector<fs::path>& dirs) {
  std::vector<fs::path> runs;
  for (const fs::path& d : dirs) {
    if (!fs::is_directory(d)) throw Error::usage(d.string() + ": not a directory");
    for (const auto& e : fs::recursive_directory_iterator(d))
      if (e.is_regular_file() && e.path().filename() == kMetricsFile)
        runs.push_back(e.path().parent_path());
  }
  std::sort(runs.begin(), runs.end());
  std::vector<json> out;
  for (const fs::path& run : runs) {
    json m = read_metrics(run);
    m["run_dir"] = run.string();
    // The label of today's ModelSpec::label(): model settings recorded since name their rows.
    if (m.contains("model_spec")) m["model_label"] = ModelSpec::from_json(m["model_spec"]).label();
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace legohar
