// Implementation of wisdm_reader.h: one pass over the text, records cut at ';' and line ends,
// numbers read with std::from_chars.
#include "legohar/data/wisdm_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "legohar/common/error.h"
#include "legohar/data/text_file.h"

namespace legohar {
namespace fs = std::filesystem;
using std::string_view;

nlohmann::json WisdmCounts::to_json() const {
  return {{"records", records},
          {"segments", segments},
          {"empty_lines", empty_lines},
          {"joined_lines", joined_lines},
          {"trailing_commas", trailing_commas},
          {"missing_last_field", missing_last_field},
          {"zero_timestamps", zero_timestamps},
          {"duplicate_timestamps", duplicate_timestamps},
          {"timestamp_breaks", timestamp_breaks}};
}

std::string WisdmCounts::summary() const {
  std::vector<std::string> skipped, seen;
  auto add = [](std::vector<std::string>& to, size_t n, const char* what) {
    if (n > 0) to.push_back(fmt::format("{} {}", n, what));
  };
  add(skipped, missing_last_field, "records missing their last field");
  add(skipped, zero_timestamps, "zero timestamps");
  add(skipped, duplicate_timestamps, "duplicate timestamps");
  add(seen, empty_lines, "empty lines");
  add(seen, joined_lines, "lines holding two or more records");
  add(seen, trailing_commas, "trailing commas");
  add(seen, timestamp_breaks, "segments cut where time went back or jumped");
  std::string s = fmt::format("{} records in {} segments", records, segments);
  if (!skipped.empty()) s += fmt::format("; skipped: {}", fmt::join(skipped, ", "));
  if (!seen.empty()) s += fmt::format("; handled: {}", fmt::join(seen, ", "));
  return s;
}

namespace {

string_view trim(string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The whole of `s` as a number of type T, or false.
template <class T>
bool whole_number(string_view s, T& out) {
  s = trim(s);
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Reads records and appends them to segments.
class Parser {
 public:
  Parser(const fs::path& file, const std::vector<std::string>& activities, double max_gap_s)
      : file_(file), activities_(activities), max_gap_ns_(max_gap_s * 1e9) {}

  void line(string_view text, size_t number) {
    line_ = number;
    if (trim(text).empty()) {
      ++out_.counts.empty_lines;
      return;
    }
    size_t records = 0;
    while (!text.empty()) {
      const size_t semicolon = text.find(';');
      const string_view piece = trim(text.substr(0, semicolon));
      text = semicolon == string_view::npos ? string_view() : text.substr(semicolon + 1);
      if (piece.empty()) {
        if (records == 0) fail("an empty record before ';'");
        continue;  // the ';' that ends the line, or a doubled one
      }
      ++records;
      record(piece);
    }
    if (records > 1) ++out_.counts.joined_lines;
  }

  WisdmRecords finish() {
    out_.counts.segments = out_.segments.size();
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw_data_error(file_, line_, problem);
  }

  void record(string_view r) {
    string_view fields[7];
    size_t n = 0;
    while (true) {
      const size_t comma = r.find(',');
      if (n == 7) fail("more than 6 comma-separated fields (user,activity,timestamp,x,y,z)");
      fields[n++] = r.substr(0, comma);
      if (comma == string_view::npos) break;
      r.remove_prefix(comma + 1);
    }
    if (n == 7 && trim(fields[6]).empty()) {
      ++out_.counts.trailing_commas;
      n = 6;
    }
    if (n == 6 && trim(fields[5]).empty()) {  // "x,y,;": the last field lost
      ++out_.counts.missing_last_field;
      return;
    }
    if (n == 5) {
      ++out_.counts.missing_last_field;
      return;
    }
    if (n != 6)
      fail(fmt::format("{} comma-separated fields, expected 6 (user,activity,timestamp,x,y,z)", n));
    int32_t user = 0;
    if (!whole_number(fields[0], user) || user < 1)
      fail(fmt::format("user '{}' is not a positive integer", trim(fields[0])));
    const string_view activity = trim(fields[1]);
    int32_t label = -1;
    for (size_t i = 0; i < activities_.size(); ++i)
      if (activities_[i] == activity) label = static_cast<int32_t>(i);
    if (label < 0)
      fail(
          fmt::format("unknown activity '{}' (known: {})", activity, fmt::join(activities_, ", ")));
    int64_t timestamp = 0;
    if (!whole_number(fields[2], timestamp) || timestamp < 0)
      fail(fmt::format("timestamp '{}' is not a non-negative integer", trim(fields[2])));
    float xyz[3];
    for (int a = 0; a < 3; ++a)
      if (!whole_number(fields[3 + a], xyz[a]) || !std::isfinite(xyz[a]))
        fail(fmt::format("{}-acceleration '{}' is not a finite number", "xyz"[a],
                         trim(fields[3 + a])));
    if (timestamp == 0) {
      ++out_.counts.zero_timestamps;
      return;
    }
    WisdmSegment* s = out_.segments.empty() ? nullptr : &out_.segments.back();
    const bool same_run = s && s->user == user && s->label == label;
    if (same_run && timestamp == last_timestamp_) {
      ++out_.counts.duplicate_timestamps;
      return;
    }
    const bool contiguous = same_run && timestamp > last_timestamp_ &&
                            static_cast<double>(timestamp - last_timestamp_) <= max_gap_ns_;
    if (same_run && !contiguous) ++out_.counts.timestamp_breaks;
    if (!contiguous) {
      out_.segments.push_back({user, label, line_, {}});
      s = &out_.segments.back();
    }
    s->samples.insert(s->samples.end(), xyz, xyz + 3);
    last_timestamp_ = timestamp;
    ++out_.counts.records;
  }

  const fs::path& file_;
  const std::vector<std::string>& activities_;
  const double max_gap_ns_;
  size_t line_ = 0;
  int64_t last_timestamp_ = 0;
  WisdmRecords out_;
};

}  // namespace

WisdmRecords parse_wisdm_raw(const std::string& text, const fs::path& file,
                             const std::vector<std::string>& activities, double max_gap_s) {
  if (!(max_gap_s > 0)) throw Error::usage("the WISDM segment gap must be > 0 s");
  Parser parser(file, activities, max_gap_s);
  const string_view all(text);
  size_t number = 0;
  for (size_t begin = 0; begin < all.size();) {
    const size_t end = std::min(all.find('\n', begin), all.size());
    parser.line(all.substr(begin, end - begin), ++number);
    begin = end + 1;
  }
  return parser.finish();
}

WindowSet read_wisdm_windows(const fs::path& dir, const std::vector<std::string>& activities,
                             const WindowOptions& windows, WisdmCounts* counts) {
  const fs::path file = find_plain_or_xz(dir, kWisdmRawFile);
  if (file.empty())
    throw_data_error(dir / kWisdmRawFile, 0, "missing file (looked for it plain and as .xz)");
  const WisdmRecords records = parse_wisdm_raw(read_file_bytes(file), file, activities);
  WindowSet out;
  out.length = windows.length;
  out.channels = 3;
  out.class_names = activities;
  out.channel_names = {"acc_x", "acc_y", "acc_z"};
  int32_t recording = 0;
  for (const WisdmSegment& s : records.segments) {
    const size_t samples = s.samples.size() / 3;
    append_segment_windows(out, s.samples.data(), samples, 0, samples, s.label, s.user, ++recording,
                           windows);
  }
  if (counts) *counts = records.counts;
  return out;
}

}  // namespace legohar
