// Reader for users' own recordings: delimited text files (comma, tab, semicolon or whitespace
// separated; with a header or without; plain, .xz or .gz) whose columns a dataset file's [csv]
// table maps: an optional time column (s, ms, us or ns; else a given sample rate), channel columns
// with a scale and an offset, the label from a column or from the file's path, the subject from a
// column or from the path. Each file is cut into pieces where the time jumps by more than
// max_gap_s or the subject changes (and, for recordings of one activity per segment, where the
// label changes); NaN or empty values are filled linearly per channel; each piece is resampled to
// rate_hz by linear interpolation (the label of a resampled sample is that of the last raw sample
// at or before it) and windowed inside segments of one label, or, for continuous recordings,
// across the piece with a window labelled by its last or majority sample.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "legohar/data/window_set.h"
#include "legohar/data/windowing.h"

namespace legohar {

// A column by its header name, or by its 1-based number (number > 0).
struct CsvColumn {
  std::string name;
  size_t number = 0;
  bool empty() const { return name.empty() && number == 0; }
  std::string text() const;  // "ax" or "#3"
};

struct CsvChannel {
  CsvColumn column;
  std::string name;              // the channel's name (default: the header name, else "c<number>")
  double scale = 1, offset = 0;  // value = raw * scale + offset
};

struct CsvLayout {
  std::string files = "**/*.csv";  // glob over paths under the dataset folder ('**/' any folders)
  std::string delimiter = "auto";  // "auto", ",", "\t", ";" or " " (runs of spaces and tabs)
  bool header = true;              // the first line that is not a comment names the columns
  CsvColumn time;                  // empty: samples at sample_rate_hz
  double time_unit_s = 1;          // seconds per time unit (s 1, ms 1e-3, us 1e-6, ns 1e-9)
  double sample_rate_hz = 0;       // the recordings' rate when there is no time column
  double rate_hz = 0;              // the rate windows are cut at (resampled to)
  double max_gap_s = 1;            // a time step above this ends a piece
  std::vector<CsvChannel> channels;
  CsvColumn label;           // the label column, or
  std::string label_path;    // a regex whose first group, searched in the relative path
  CsvColumn subject;         // the subject column (whole numbers), or
  std::string subject_path;  // a regex whose first group (digits) is the subject
  bool continuous = false;   // windows across labels (windows.label), not inside segments

  // Every field, as text (part of the cache key).
  std::string key() const;
  // A usage Error for a layout that cannot work (no channels, no rate, ...), naming the key.
  void validate() const;
};

// Each channel's name: its `name`, else its header name, else "c<number>".
std::vector<std::string> csv_channel_names(const CsvLayout& layout);

// The time units time_unit_s accepts by name: "s", "ms", "us", "ns"; others are a usage Error.
double csv_time_unit(const std::string& name);

// The files `layout.files` matches under `dir`, sorted by path.
std::vector<std::filesystem::path> csv_files(const std::filesystem::path& dir,
                                             const CsvLayout& layout);

struct CsvCounts {
  size_t files = 0, rows = 0;
  size_t repeated_time_rows = 0;  // rows whose time equals the previous row's: skipped
  size_t other_rows = 0;          // rows whose label is no class of the config
  size_t filled_values = 0;       // NaN or empty values filled
  size_t pieces = 0;              // continuous stretches resampled
  size_t samples = 0;             // samples after resampling
  ContinuousWindowCounts windows;
  double min_rate_hz = 0, max_rate_hz = 0;  // the files' measured rates (median time step)

  std::string summary() const;
  CsvCounts& operator+=(const CsvCounts& o);
};

// One recording as the model sees it: the channels at rate_hz ([T, C] row-major, scaled), each
// sample's class (-1: none), subject and piece (pieces follow each other without their gaps).
// `relative_path` is what label_path and subject_path search; a recording that is not `labelled`
// (one to predict) has no label or subject read: labels -1, subjects 0. Counts are added to
// `counts`. Errors name the file and the line: a missing column, a value that is not a number, a
// time that goes back, a subject that is not a whole number, a row with too few fields.
struct CsvRecording {
  std::vector<float> samples;
  std::vector<int32_t> labels;
  std::vector<int32_t> subjects;
  std::vector<int32_t> pieces;
  std::vector<std::string> channel_names;
};
CsvRecording parse_csv_recording(const std::string& text, const std::filesystem::path& file,
                                 const std::string& relative_path, const CsvLayout& layout,
                                 const std::vector<std::string>& class_names,
                                 const std::map<int, int>& class_of_activity, bool labelled,
                                 CsvCounts& counts);

// Every file's windows (the layout validated first): recording = the file's 1-based index in
// csv_files() order, start = the window's first sample among the file's resampled samples.
WindowSet read_csv_windows(const std::filesystem::path& dir, const CsvLayout& layout,
                           const std::vector<std::string>& class_names,
                           const std::map<int, int>& class_of_activity,
                           const WindowOptions& windows, CsvCounts* counts = nullptr);

}  // namespace legohar
