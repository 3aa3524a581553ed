// Reader for UniMiB-SHAR (Micucci, Mobilio and Napoletano 2017): windows its creators cut, 151
// samples of a smartphone's tri-axial acceleration (m/s^2, 50 Hz) around a peak above 1.5 g,
// stored in MATLAB files as the download has them (data/<variant>_data.mat: N x 453, the x, y
// and z samples of a window in turn; <variant>_labels.mat: N x 3, class, subject and trial;
// acc_names.mat: the 17 classes' names). Variants: "acc" (AF-17: 9 daily activities and 8
// falls), "adl" (AF-9), "fall" (AF-8), "two_classes" (AF-2).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "legohar/data/window_set.h"

namespace legohar {

inline constexpr int kUnimibWindow = 151;  // samples per window
inline constexpr double kUnimibRateHz = 50;

// acc, adl, fall, two_classes.
const std::vector<std::string>& unimib_variants();

// One row of <variant>_labels.mat.
struct UnimibLabel {
  int activity = 0;  // class, 1-based as the file numbers it
  int subject = 0;
  int trial = 0;
};

// The rows of dir/<variant>_labels.mat (variable <variant>_labels); each value a positive
// integer, else a data Error naming the file and the row.
std::vector<UnimibLabel> read_unimib_labels(const std::filesystem::path& dir,
                                            const std::string& variant);

// The classes' short names from dir/acc_names.mat (a 2 x 17 cell array: descriptions in its
// first row, "Standing up from sitting", ..., short names in its second, "StandingUpFS", ...).
std::vector<std::string> read_unimib_names(const std::filesystem::path& dir);

// The data and labels files of a variant (for `datasets` and cache keys).
std::vector<std::filesystem::path> unimib_files(const std::filesystem::path& dir,
                                                const std::string& variant);

// Every window whose class is a key of `class_of_activity`: [N, 151, 3] (x, y, z), subject from
// the labels, recording 1000 x class + trial (a subject's trials of one activity). Rows of data and
// labels must agree in number, every value must be finite.
WindowSet read_unimib_windows(const std::filesystem::path& dir, const std::string& variant,
                              const std::map<int, int>& class_of_activity,
                              const std::vector<std::string>& class_names);

}  // namespace legohar
