// Implementation of pamap2_reader.h.
#include "legohar/data/pamap2_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>
#include <string_view>

#include "legohar/common/error.h"
#include "legohar/data/gap_fill.h"
#include "legohar/data/text_file.h"

namespace legohar {
namespace fs = std::filesystem;
using std::string_view;

std::string Pamap2Counts::summary() const {
  std::vector<std::string> dropped;
  auto add = [&](size_t n, const char* what) {
    if (n > 0) dropped.push_back(fmt::format("{} {}", n, what));
  };
  add(transient_rows, "transient rows (activity 0)");
  add(other_rows, "rows of other activities");
  add(dropped_rows, "rows in long gaps or at a run's NaN ends");
  std::string s = fmt::format("{} rows in {} runs", rows, runs);
  if (!dropped.empty()) s += fmt::format("; dropped: {}", fmt::join(dropped, ", "));
  if (filled_values > 0) s += fmt::format("; {} NaN values filled by interpolation", filled_values);
  return s;
}

Pamap2Counts& Pamap2Counts::operator+=(const Pamap2Counts& o) {
  rows += o.rows;
  transient_rows += o.transient_rows;
  other_rows += o.other_rows;
  filled_values += o.filled_values;
  dropped_rows += o.dropped_rows;
  runs += o.runs;
  return *this;
}

namespace {

// The columns kept (0-based): per IMU (hand, chest, ankle, 17 columns from 3, 20 and 37) the
// +-16 g accelerometer (+1..+3), the gyroscope (+7..+9) and the magnetometer (+10..+12).
const std::vector<size_t>& kept_columns() {
  static const std::vector<size_t> columns = [] {
    std::vector<size_t> c;
    for (size_t imu : {3, 20, 37})
      for (size_t offset : {1, 2, 3, 7, 8, 9, 10, 11, 12}) c.push_back(imu + offset);
    return c;
  }();
  return columns;
}

}  // namespace

const std::vector<std::string>& pamap2_channel_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const char* imu : {"hand", "chest", "ankle"})
      for (const char* sensor : {"acc16", "gyro", "mag"})
        for (const char* axis : {"x", "y", "z"})
          out.push_back(fmt::format("{}_{}_{}", imu, sensor, axis));
    return out;
  }();
  return names;
}

namespace {

// Every row of a file: its class (-1: transient or not in the config) and its 27 channels, with
// the rows counted in `counts`.
struct Pamap2Rows {
  std::vector<int32_t> labels;  // [rows]
  std::vector<float> samples;   // [rows, 27]
};
Pamap2Rows parse_pamap2_rows(const std::string& text, const fs::path& file,
                             const std::map<int, int>& class_of_activity, Pamap2Counts& counts) {
  const std::vector<size_t>& kept = kept_columns();
  Pamap2Rows rows;
  double previous_time = -INFINITY;
  double values[kPamap2Columns];
  for_each_line(text, [&](string_view row, size_t line) {
    const size_t count = parse_row_with_nans(row, values, kPamap2Columns, file, line);
    if (count == 0) return;  // a blank line
    if (count != kPamap2Columns)
      throw_data_error(file, line, fmt::format("{} columns, expected {}", count, kPamap2Columns));
    const double time = values[0], activity = values[1];
    if (!(time > previous_time))
      throw_data_error(file, line,
                       fmt::format("timestamp {} does not follow {}", time, previous_time));
    previous_time = time;
    if (!(activity >= 0 && activity <= 1000 && activity == std::floor(activity)))
      throw_data_error(file, line, fmt::format("activity id {} is not an integer", activity));
    ++counts.rows;
    int32_t label = -1;
    if (activity == 0) {
      ++counts.transient_rows;
    } else if (const auto it = class_of_activity.find(static_cast<int>(activity));
               it != class_of_activity.end()) {
      label = it->second;
    } else {
      ++counts.other_rows;
    }
    rows.labels.push_back(label);
    for (size_t c : kept) rows.samples.push_back(static_cast<float>(values[c]));
  });
  return rows;
}

}  // namespace

std::vector<Pamap2Run> parse_pamap2(const std::string& text, const fs::path& file,
                                    const std::map<int, int>& class_of_activity, size_t max_gap,
                                    Pamap2Counts& counts) {
  constexpr size_t n = kPamap2Channels;
  Pamap2Rows parsed = parse_pamap2_rows(text, file, class_of_activity, counts);
  const std::vector<int32_t>& labels = parsed.labels;
  std::vector<float>& samples = parsed.samples;

  // Runs of one kept class; within each, rows where a channel's NaN run is longer than max_gap
  // cut it; each piece is trimmed to its first and last complete rows and its gaps filled.
  std::vector<Pamap2Run> runs;
  const size_t rows = labels.size();
  std::vector<char> long_gap(rows, 0);
  for (size_t c = 0; c < n; ++c)
    for (size_t t = 0; t < rows;) {
      if (!std::isnan(samples[t * n + c])) {
        ++t;
        continue;
      }
      size_t e = t;
      while (e < rows && std::isnan(samples[e * n + c])) ++e;
      if (e - t > max_gap) std::fill(long_gap.begin() + t, long_gap.begin() + e, 1);
      t = e;
    }
  const auto complete = [&](size_t t) {
    for (size_t c = 0; c < n; ++c)
      if (std::isnan(samples[t * n + c])) return false;
    return true;
  };
  for (size_t t = 0; t < rows;) {
    if (labels[t] < 0) {
      ++t;
      continue;
    }
    size_t e = t;
    while (e < rows && labels[e] == labels[t] && !long_gap[e]) ++e;
    // [t, e): one class, no long gap; trim to complete rows at both ends.
    size_t b = t, f = e;
    while (b < f && !complete(b)) ++b;
    while (f > b && !complete(f - 1)) --f;
    counts.dropped_rows += (b - t) + (e - f);
    if (f > b) {
      counts.filled_values += fill_nan_gaps(samples.data() + b * n, f - b, n, false);
      runs.push_back(
          {labels[t], b, std::vector<float>(samples.begin() + b * n, samples.begin() + f * n)});
    }
    t = e;
    while (t < rows && long_gap[t]) {
      if (labels[t] >= 0) ++counts.dropped_rows;
      ++t;
    }
  }
  counts.runs += runs.size();
  return runs;
}

std::vector<float> parse_pamap2_recording(const std::string& text, const fs::path& file,
                                          Pamap2Counts& counts) {
  constexpr size_t n = kPamap2Channels;
  std::vector<float> samples = parse_pamap2_rows(text, file, {}, counts).samples;
  const size_t rows = samples.size() / n;
  counts.filled_values += fill_nan_gaps(samples.data(), rows, n, true);
  for (size_t c = 0; c < n && rows > 0; ++c)
    if (std::isnan(samples[c]))  // every value of the channel is NaN
      throw_data_error(file, 0,
                       fmt::format("channel {} has no value in the file's {} rows",
                                   pamap2_channel_names()[c], rows));
  return samples;
}

std::vector<fs::path> pamap2_files(const fs::path& dir) {
  std::vector<fs::path> files;
  static const std::regex name(R"(subject1(\d\d)\.dat(\.xz)?)");
  std::error_code ec;
  if (fs::is_directory(dir, ec))
    for (const auto& e : fs::directory_iterator(dir))
      if (std::regex_match(e.path().filename().string(), name)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

WindowSet read_pamap2_windows(const fs::path& dir, const std::map<int, int>& class_of_activity,
                              const std::vector<std::string>& class_names,
                              const WindowOptions& windows, size_t max_gap, Pamap2Counts* counts) {
  const std::vector<fs::path> files = pamap2_files(dir);
  if (files.empty())
    throw_data_error(dir / "subject101.dat", 0, "missing: no subject1NN.dat[.xz] in the folder");
  WindowSet out;
  out.length = windows.length;
  out.channels = kPamap2Channels;
  out.class_names = class_names;
  out.channel_names = pamap2_channel_names();
  Pamap2Counts total;
  for (const fs::path& file : files) {
    const int subject = std::stoi(file.filename().string().substr(7, 3));  // "subject1NN"
    Pamap2Counts c;
    const std::vector<Pamap2Run> runs =
        parse_pamap2(read_file_bytes(file), file, class_of_activity, max_gap, c);
    total += c;
    for (const Pamap2Run& run : runs) {
      // 100 -> 33.3 Hz: every third row of the run.
      std::vector<float> decimated;
      const size_t rows = run.samples.size() / kPamap2Channels;
      for (size_t t = 0; t < rows; t += kPamap2Decimation)
        decimated.insert(decimated.end(), run.samples.begin() + t * kPamap2Channels,
                         run.samples.begin() + (t + 1) * kPamap2Channels);
      const size_t m = decimated.size() / kPamap2Channels;
      const size_t before = out.size();
      append_segment_windows(out, decimated.data(), m, 0, m, run.label, subject, subject, windows);
      for (size_t w = before; w < out.size(); ++w)  // starts as rows of the 100 Hz file
        out.starts[w] = static_cast<int64_t>(run.first_row) + 3 * out.starts[w];
    }
  }
  if (counts) *counts = total;
  return out;
}

}  // namespace legohar
