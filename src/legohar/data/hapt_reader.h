// Reader for the HAPT raw recordings (UCI "Smartphone-Based Recognition of Human Activities and
// Postural Transitions"): RawData/acc_expNN_userMM.txt, gyro_expNN_userMM.txt and labels.txt, each
// plain or .xz. Turns them into UCI-HAR-style windows.
#pragma once

#include <filesystem>
#include <map>
#include <vector>

#include "legohar/data/window_set.h"
#include "legohar/data/windowing.h"
#include "runtime/preprocess.h"

namespace legohar {

// One line of labels.txt; begin/end are 0-based, end exclusive (the file is 1-based inclusive).
struct HaptSegment {
  int experiment = 0;
  int user = 0;
  int activity = 0;
  size_t begin = 0;
  size_t end = 0;
  size_t line = 0;
};

// Parses RawData/labels.txt[.xz]. Errors name the file and line.
std::vector<HaptSegment> read_hapt_labels(const std::filesystem::path& raw_dir);

// The acc and gyro files of one experiment as raw samples; throws when missing or when their row
// counts differ.
struct HaptRecording {
  std::filesystem::path acc_file;  // named in errors about the recording as a whole
  size_t samples = 0;
  std::vector<double> raw;  // [samples, 6]: acc xyz (g), gyro xyz (rad/s)
};
HaptRecording read_hapt_recording(const std::filesystem::path& raw_dir, int experiment, int user);

// Every source file the windows depend on (for cache keys and `datasets`).
std::vector<std::filesystem::path> hapt_source_files(const std::filesystem::path& raw_dir);

// Windows of every labelled segment whose activity is a key of `class_of_activity`, filtered with
// the UCI-HAR pipeline. A segment whose rows fall outside its recording is an error naming
// labels.txt and its line.
WindowSet read_hapt_windows(const std::filesystem::path& raw_dir,
                            const std::map<int, int>& class_of_activity,
                            const std::vector<std::string>& class_names,
                            const WindowOptions& windows, const runtime::UciHarFilters& filters);

}  // namespace legohar
