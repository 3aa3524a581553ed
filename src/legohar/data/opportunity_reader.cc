// Implementation of opportunity_reader.h.
#include "legohar/data/opportunity_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>

#include "legohar/common/error.h"
#include "legohar/data/gap_fill.h"
#include "legohar/data/text_file.h"

namespace legohar {
namespace fs = std::filesystem;
using std::string_view;

const std::vector<std::string>& opportunity_variants() {
  static const std::vector<std::string> variants = {"gestures", "locomotion"};
  return variants;
}

std::string OpportunityCounts::summary() const {
  std::string s =
      fmt::format("{} rows, {} windows ({} mixed)", rows, windows.windows, windows.mixed);
  std::vector<std::string> notes;
  auto add = [&](size_t n, const char* what) {
    if (n > 0) notes.push_back(fmt::format("{} {}", n, what));
  };
  add(windows.unlabelled, "windows of no class skipped");
  add(other_rows, "rows of no class");
  add(filled_values, "NaN values filled by interpolation");
  add(empty_channels, "channels without a value in a whole file (set to 0)");
  if (!notes.empty()) s += fmt::format("; {}", fmt::join(notes, ", "));
  return s;
}

OpportunityCounts& OpportunityCounts::operator+=(const OpportunityCounts& o) {
  rows += o.rows;
  filled_values += o.filled_values;
  empty_channels += o.empty_channels;
  other_rows += o.other_rows;
  windows += o.windows;
  return *this;
}

namespace {

// The words of a column name: "Accelerometer RKN^ accX" -> {"Accelerometer", "RKN^", "accX"}.
std::vector<string_view> words(string_view name) {
  std::vector<string_view> out;
  for (size_t i = 0; i < name.size();) {
    const size_t j = std::min(name.find(' ', i), name.size());
    if (j > i) out.push_back(name.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The challenge's body-worn accelerometers (the others are on objects); every IMU is body-worn.
const std::set<string_view> kBodyAccelerometers = {"RKN^", "HIP", "LUA^", "RUA_", "LH",  "BACK",
                                                   "RKN_", "RWR", "RUA^", "LUA_", "LWR", "RH"};

bool is_challenge_channel(const std::vector<string_view>& w) {
  if (w.size() != 3) return false;
  if (w[0] == "Accelerometer") return kBodyAccelerometers.count(w[1]) > 0;
  return w[0] == "InertialMeasurementUnit" && w[2].substr(0, 10) != "Quaternion";
}

const char* label_track(const std::string& variant) {
  if (variant == "gestures") return "ML_Both_Arms";
  if (variant == "locomotion") return "Locomotion";
  throw Error::usage(fmt::format("OPPORTUNITY variant '{}' is not one of {}", variant,
                                 fmt::join(opportunity_variants(), ", ")));
}

}  // namespace

std::vector<std::string> parse_opportunity_columns(const std::string& text, const fs::path& file) {
  std::vector<std::string> names;
  for_each_line(text, [&](string_view row, size_t line) {
    row = trim_blanks(row);
    constexpr string_view prefix = "Column:";
    if (row.substr(0, prefix.size()) != prefix) return;  // a heading or a blank line
    row = trim_blanks(row.substr(prefix.size()));
    size_t number = 0;
    const auto [p, ec] = std::from_chars(row.data(), row.data() + row.size(), number);
    if (ec != std::errc()) throw_data_error(file, line, "a 'Column:' line without a column number");
    if (number != names.size() + 1)
      throw_data_error(file, line,
                       fmt::format("column {} where column {} was due", number, names.size() + 1));
    const string_view rest = row.substr(static_cast<size_t>(p - row.data()));
    const string_view name = trim_blanks(rest.substr(0, rest.find(';')));
    if (name.empty()) throw_data_error(file, line, fmt::format("column {} has no name", number));
    names.emplace_back(name);
  });
  if (names.empty()) throw_data_error(file, 0, "no 'Column: N name' line");
  return names;
}

OpportunityLayout opportunity_layout(const std::vector<std::string>& columns,
                                     const std::string& variant, const fs::path& file) {
  const std::string track = label_track(variant);
  OpportunityLayout layout;
  layout.columns = columns.size();
  std::vector<size_t> label_columns;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::vector<string_view> w = words(columns[i]);
    if (is_challenge_channel(w)) {
      layout.channel_columns.push_back(i);
      layout.channel_names.push_back(
          fmt::format("{}_{}_{}", w[0] == "Accelerometer" ? "acc" : "imu", w[1], w[2]));
    }
    if (columns[i] == track) label_columns.push_back(i);
  }
  if (layout.channel_columns.size() != kOpportunityChannels)
    throw_data_error(file, 0,
                     fmt::format("{} of the challenge's {} on-body channels found (expected the "
                                 "creators' column_names.txt)",
                                 layout.channel_columns.size(), kOpportunityChannels));
  const std::set<std::string> distinct(layout.channel_names.begin(), layout.channel_names.end());
  if (distinct.size() != kOpportunityChannels)
    throw_data_error(file, 0, "an on-body channel is named twice");
  if (label_columns.size() != 1)
    throw_data_error(file, 0,
                     fmt::format("label track {} (variant {}) found {} times, expected once", track,
                                 variant, label_columns.size()));
  layout.label_column = label_columns[0];
  return layout;
}

OpportunityRecording parse_opportunity(const std::string& text, const fs::path& file,
                                       const OpportunityLayout& layout,
                                       const std::map<int, int>& class_of_activity,
                                       OpportunityCounts& counts) {
  constexpr size_t n = kOpportunityChannels;
  OpportunityRecording r;
  std::vector<double> values(layout.columns);
  double previous_time = -INFINITY;
  for_each_line(text, [&](string_view row, size_t line) {
    const size_t count = parse_row_with_nans(row, values.data(), layout.columns, file, line);
    if (count == 0) return;  // a blank line
    if (count != layout.columns)
      throw_data_error(file, line, fmt::format("{} columns, expected {}", count, layout.columns));
    if (!(values[0] > previous_time))
      throw_data_error(file, line,
                       fmt::format("timestamp {} does not follow {}", values[0], previous_time));
    previous_time = values[0];
    const double label = values[layout.label_column];
    if (!(label >= 0 && label <= 1e9 && label == std::floor(label)))
      throw_data_error(file, line,
                       fmt::format("label {} (column {}) is not an integer >= 0", label,
                                   layout.label_column + 1));
    const auto it = class_of_activity.find(static_cast<int>(label));
    r.labels.push_back(it == class_of_activity.end() ? -1 : it->second);
    counts.other_rows += it == class_of_activity.end();
    for (size_t c : layout.channel_columns) r.samples.push_back(static_cast<float>(values[c]));
  });
  const size_t rows = r.labels.size();
  counts.rows += rows;
  counts.filled_values += fill_nan_gaps(r.samples.data(), rows, n, true);
  for (size_t c = 0; c < n && rows > 0; ++c)
    if (std::isnan(r.samples[c])) {  // no value at all in this file
      ++counts.empty_channels;
      for (size_t t = 0; t < rows; ++t) r.samples[t * n + c] = 0;
    }
  return r;
}

OpportunityLayout read_opportunity_layout(const fs::path& folder, const std::string& variant) {
  fs::path columns_file = find_plain_or_xz(folder, kOpportunityColumnFile);
  if (columns_file.empty()) columns_file = folder / kOpportunityColumnFile;
  return opportunity_layout(parse_opportunity_columns(read_file_bytes(columns_file), columns_file),
                            variant, columns_file);
}

fs::path opportunity_folder(const fs::path& root) {
  const fs::path nested = root / "dataset";
  std::error_code ec;
  return fs::is_directory(nested, ec) ? nested : root;
}

std::vector<OpportunityFile> opportunity_files(const fs::path& folder) {
  std::vector<OpportunityFile> files;
  for (int32_t subject = 1; subject <= 4; ++subject)
    for (int32_t session = 1; session <= 6; ++session) {
      const std::string name = session <= 5 ? fmt::format("S{}-ADL{}.dat", subject, session)
                                            : fmt::format("S{}-Drill.dat", subject);
      fs::path path = find_plain_or_xz(folder, name);
      files.push_back({path.empty() ? folder / name : path, subject, 10 * subject + session});
    }
  return files;
}

WindowSet read_opportunity_windows(const fs::path& root, const std::string& variant,
                                   const std::map<int, int>& class_of_activity,
                                   const std::vector<std::string>& class_names,
                                   const WindowOptions& windows, OpportunityCounts* counts) {
  const fs::path folder = opportunity_folder(root);
  const OpportunityLayout layout = read_opportunity_layout(folder, variant);
  WindowSet out;
  out.length = windows.length;
  out.channels = kOpportunityChannels;
  out.class_names = class_names;
  out.channel_names = layout.channel_names;
  OpportunityCounts total;
  for (const OpportunityFile& f : opportunity_files(folder)) {
    const OpportunityRecording r =
        parse_opportunity(read_file_bytes(f.path), f.path, layout, class_of_activity, total);
    total.windows += append_continuous_windows(out, r.samples.data(), r.labels.data(),
                                               r.labels.size(), f.subject, f.recording, windows);
  }
  if (counts) *counts = total;
  return out;
}

}  // namespace legohar
