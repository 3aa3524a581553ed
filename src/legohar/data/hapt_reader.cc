// Implementation of hapt_reader.h.
#include "legohar/data/hapt_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <stdexcept>

#include "legohar/data/text_file.h"

namespace legohar {
namespace fs = std::filesystem;

static fs::path require(const fs::path& dir, const std::string& name) {
  fs::path p = find_plain_or_xz(dir, name);
  if (p.empty()) throw_data_error(dir / name, 0, "missing file (looked for it plain and as .xz)");
  return p;
}

// activity_labels.txt: 6 activities and 6 postural transitions.
constexpr int kHaptActivities = 12;

static std::string recording_name(const char* sensor, int experiment, int user) {
  return fmt::format("{}_exp{:02d}_user{:02d}.txt", sensor, experiment, user);
}

std::vector<HaptSegment> read_hapt_labels(const fs::path& raw_dir) {
  const fs::path file = require(raw_dir, "labels.txt");
  const NumericTable t = read_numeric_table(file, 5);
  std::vector<HaptSegment> segments;
  for (size_t r = 0; r < t.rows; ++r) {
    int v[5];
    for (size_t c = 0; c < 5; ++c) v[c] = t.positive_integer_at(r, c);
    if (v[2] > kHaptActivities)
      t.fail(r, fmt::format("activity {} is not a HAPT activity (1-{}, activity_labels.txt)", v[2],
                            kHaptActivities));
    if (v[4] < v[3])
      t.fail(r, fmt::format("segment ends (row {}) before it starts (row {})", v[4], v[3]));
    segments.push_back(
        {v[0], v[1], v[2], static_cast<size_t>(v[3] - 1), static_cast<size_t>(v[4]), t.lines[r]});
  }
  return segments;
}

HaptRecording read_hapt_recording(const fs::path& raw_dir, int experiment, int user) {
  const fs::path acc_file = require(raw_dir, recording_name("acc", experiment, user));
  const fs::path gyro_file = require(raw_dir, recording_name("gyro", experiment, user));
  NumericTable acc = read_numeric_table(acc_file, 3);
  NumericTable gyro = read_numeric_table(gyro_file, 3);
  if (acc.rows != gyro.rows)
    throw_data_error(gyro_file, 0,
                     fmt::format("has {} rows but {} has {}", gyro.rows,
                                 acc_file.filename().string(), acc.rows));
  std::vector<double> raw(acc.rows * 6);
  for (size_t t = 0; t < acc.rows; ++t)
    for (size_t a = 0; a < 3; ++a) {
      raw[t * 6 + a] = acc.at(t, a);
      raw[t * 6 + 3 + a] = gyro.at(t, a);
    }
  return {acc_file, acc.rows, std::move(raw)};
}

std::vector<fs::path> hapt_source_files(const fs::path& raw_dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(raw_dir)) return files;
  static const std::regex pattern(R"((acc|gyro)_exp\d+_user\d+\.txt(\.xz)?|labels\.txt(\.xz)?)");
  for (const auto& e : fs::directory_iterator(raw_dir))
    if (e.is_regular_file() && std::regex_match(e.path().filename().string(), pattern))
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

WindowSet read_hapt_windows(const fs::path& raw_dir, const std::map<int, int>& class_of_activity,
                            const std::vector<std::string>& class_names,
                            const WindowOptions& windows, const runtime::UciHarFilters& filters) {
  const std::vector<HaptSegment> segments = read_hapt_labels(raw_dir);
  const fs::path labels_file = find_plain_or_xz(raw_dir, "labels.txt");
  WindowSet out;
  out.length = windows.length;
  out.channels = 9;
  out.class_names = class_names;
  out.channel_names = runtime::uci_har_channel_names();

  // Segments are grouped by experiment; each recording is read and filtered once.
  std::map<std::pair<int, int>, std::vector<const HaptSegment*>> by_recording;
  for (const HaptSegment& s : segments) by_recording[{s.experiment, s.user}].push_back(&s);
  for (const auto& [key, segs] : by_recording) {
    const auto [experiment, user] = key;
    const HaptRecording rec = read_hapt_recording(raw_dir, experiment, user);
    for (const HaptSegment* s : segs)
      if (s->end > rec.samples)
        throw_data_error(labels_file, s->line,
                         fmt::format("rows {}..{} lie outside {} ({} rows)", s->begin + 1, s->end,
                                     recording_name("acc", experiment, user), rec.samples));
    bool wanted = false;
    for (const HaptSegment* s : segs) wanted |= class_of_activity.count(s->activity) > 0;
    if (!wanted) continue;
    std::vector<float> signal;
    try {
      signal = runtime::uci_har_channels(rec.raw.data(), rec.samples, filters);
    } catch (const std::invalid_argument& e) {  // a recording too short for the filters
      throw_data_error(rec.acc_file, 0, e.what());
    }
    for (const HaptSegment* s : segs) {
      auto it = class_of_activity.find(s->activity);
      if (it == class_of_activity.end()) continue;
      append_segment_windows(out, signal.data(), rec.samples, s->begin, s->end, it->second, user,
                             experiment, windows);
    }
  }
  return out;
}

}  // namespace legohar
