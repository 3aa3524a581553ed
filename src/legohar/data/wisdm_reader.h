// Reader for WISDM v1.1's raw file (WISDM_ar_v1.1_raw.txt: one record "user,activity,timestamp,
// x,y,z;" per line, 20 Hz, 36 users, 6 activities by name, acceleration in m/s^2 with gravity).
// The public file's known defects are skipped and counted, never fatal: empty lines, two records
// on one line, a trailing ',' before the ';', a record that lacks its last field, zero and
// duplicate timestamps. Anything else (a bad number, an unknown activity, a wrong field count) is
// a data Error naming the file, the line and the problem. A segment is a run of records of one
// user and activity whose timestamps rise by at most `max_gap_s`; windows never cross one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/data/window_set.h"
#include "legohar/data/windowing.h"

namespace legohar {

inline constexpr const char* kWisdmRawFile = "WISDM_ar_v1.1_raw.txt";
inline constexpr double kWisdmRateHz = 20;

// What the reader skipped or repaired, by kind, and what it kept.
struct WisdmCounts {
  size_t records = 0;               // samples kept
  size_t segments = 0;              // runs of one user and activity with contiguous timestamps
  size_t empty_lines = 0;           // empty or whitespace-only lines
  size_t joined_lines = 0;          // lines holding more than one record
  size_t trailing_commas = 0;       // records ending "z,;" (kept)
  size_t missing_last_field = 0;    // records of five fields (skipped)
  size_t zero_timestamps = 0;       // (skipped)
  size_t duplicate_timestamps = 0;  // a user's timestamp repeated within a segment (skipped)
  size_t timestamp_breaks = 0;      // segments cut because time went back or jumped > max_gap_s

  nlohmann::json to_json() const;
  // "1098207 records in 2090 segments; skipped: 4 zero timestamps, ..." (kinds with a count only).
  std::string summary() const;
};

// One segment: its user, its class index, the line of its first record and its samples.
struct WisdmSegment {
  int32_t user = 0;
  int32_t label = 0;
  size_t line = 0;
  std::vector<float> samples;  // [T, 3] row-major: x, y, z
};

struct WisdmRecords {
  std::vector<WisdmSegment> segments;
  WisdmCounts counts;
};

// Parses the raw file's text; `activities` are the class names in class-index order, as the file
// spells them ("Walking", ...). A timestamp is in nanoseconds (the phone's uptime).
WisdmRecords parse_wisdm_raw(const std::string& text, const std::filesystem::path& file,
                             const std::vector<std::string>& activities, double max_gap_s = 1.0);

// The windows of every segment of dir/WISDM_ar_v1.1_raw.txt[.xz]: subject = user, one recording
// per segment (numbered from 1), channels acc_x, acc_y, acc_z. `counts` (optional) receives what
// was skipped.
WindowSet read_wisdm_windows(const std::filesystem::path& dir,
                             const std::vector<std::string>& activities,
                             const WindowOptions& windows, WisdmCounts* counts = nullptr);

}  // namespace legohar
