// Reader for the original UCI-HAR download: {train,test}/Inertial Signals/<channel>_<split>.txt
// (one 128-sample window per row, nine files in the UCI-HAR channel order), y_<split>.txt and
// subject_<split>.txt, each plain or .xz.
#pragma once

#include <filesystem>
#include <map>
#include <vector>

#include "legohar/data/window_set.h"

namespace legohar {

inline constexpr double kUciHarRateHz = 50;  // the windows' samples

// Paths of every file the reader needs for one split ("train" or "test").
std::vector<std::filesystem::path> uci_har_split_files(const std::filesystem::path& root,
                                                       const std::string& split);

// Both splits concatenated (train first); the split is recoverable from the subjects. `recordings`
// holds 0 for train rows and 1 for test rows.
WindowSet read_uci_har_windows(const std::filesystem::path& root,
                               const std::map<int, int>& class_of_activity,
                               const std::vector<std::string>& class_names);

}  // namespace legohar
