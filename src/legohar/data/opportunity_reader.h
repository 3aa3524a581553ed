// Reader for OPPORTUNITY (Roggen et al. 2010) as its challenge uses it (Chavarriaga et al. 2013):
// S{1-4}-ADL{1-5}.dat and S{1-4}-Drill.dat, one row per 33 ms of 250 space-separated columns (a
// millisecond timestamp, 242 sensor columns, 7 label tracks), "NaN" where a sensor dropped a
// sample; column_names.txt beside them names the columns. Kept: the challenge's 113 on-body
// channels, chosen by name: every axis of the 12 body-worn accelerometers and every column of the
// 7 inertial measurement units but their quaternions. A label track (the variant) labels each
// sample: "gestures" = ML_Both_Arms (17 mid-level gestures and Null), "locomotion" = Locomotion.
// Each channel's NaN runs are filled linearly (runs at a file's ends hold the nearest value; a
// channel without any value in a file is 0, and counted); each recording is cut into continuous
// windows labelled by their last or their majority sample (WindowOptions::label).
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

inline constexpr size_t kOpportunityChannels = 113;
inline constexpr double kOpportunityRateHz = 30;
inline constexpr const char* kOpportunityColumnFile = "column_names.txt";

// "gestures" (the default) and "locomotion".
const std::vector<std::string>& opportunity_variants();

// The names of the columns in column_names.txt's "Column: N <name>[; value = ...]" lines, column N
// at index N - 1; other lines (headings, blank) are skipped. Errors name the file and the line: a
// column number out of sequence, a line without a number or a name.
std::vector<std::string> parse_opportunity_columns(const std::string& text,
                                                   const std::filesystem::path& file);

// Where a file's values go: the 0-based columns of the 113 channels and of the variant's label.
struct OpportunityLayout {
  size_t columns = 0;                      // per row
  std::vector<size_t> channel_columns;     // [113]
  std::vector<std::string> channel_names;  // "acc_RKN^_accX", "imu_BACK_gyroX", ...
  size_t label_column = 0;
};
// From the column names; a data Error naming `file` when the 113 channels or the label
// track are not all there exactly once.
OpportunityLayout opportunity_layout(const std::vector<std::string>& columns,
                                     const std::string& variant, const std::filesystem::path& file);

// The layout of folder/column_names.txt[.xz] (errors name that file, also when it is missing).
OpportunityLayout read_opportunity_layout(const std::filesystem::path& folder,
                                          const std::string& variant);

struct OpportunityCounts {
  size_t rows = 0;
  size_t filled_values = 0;   // NaN values filled
  size_t empty_channels = 0;  // (file, channel) pairs without a single value, set to 0
  size_t other_rows = 0;      // rows whose label is no class of the config
  ContinuousWindowCounts windows;

  // "N rows, W windows (M mixed); ..." (kinds with a count only).
  std::string summary() const;
  OpportunityCounts& operator+=(const OpportunityCounts& o);
};

// One recording: its 113 channels [T, 113] row-major with gaps filled, and each row's class (-1:
// a label the config does not list). Errors name the file and the line: a row without
// layout.columns numbers, a timestamp that does not rise, a label that is not an integer >= 0.
struct OpportunityRecording {
  std::vector<float> samples;
  std::vector<int32_t> labels;
};
OpportunityRecording parse_opportunity(const std::string& text, const std::filesystem::path& file,
                                       const OpportunityLayout& layout,
                                       const std::map<int, int>& class_of_activity,
                                       OpportunityCounts& counts);

// The folder holding the files: root/dataset as the download unpacks, else root.
std::filesystem::path opportunity_folder(const std::filesystem::path& root);

// The recordings, S1-ADL1 ... S4-Drill (plain or .xz), with their subject and recording id
// (10 x subject + session: ADL1-5 are sessions 1-5, the drill 6); `path` is the plain name when
// neither exists.
struct OpportunityFile {
  std::filesystem::path path;
  int32_t subject = 0;
  int32_t recording = 0;
};
std::vector<OpportunityFile> opportunity_files(const std::filesystem::path& folder);

// Every recording's continuous windows; subject and recording as opportunity_files() numbers them.
WindowSet read_opportunity_windows(const std::filesystem::path& root, const std::string& variant,
                                   const std::map<int, int>& class_of_activity,
                                   const std::vector<std::string>& class_names,
                                   const WindowOptions& windows,
                                   OpportunityCounts* counts = nullptr);

}  // namespace legohar
