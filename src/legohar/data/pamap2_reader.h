// Reader for PAMAP2's protocol recordings (Reiss and Stricker 2012): Protocol/subject1NN.dat, one
// row per 10 ms of 54 space-separated columns (timestamp s, activity id, heart rate, then 17
// columns for each IMU on the hand, chest and ankle), "NaN" where a sensor dropped a sample. Kept
// per IMU: the +-16 g accelerometer, the gyroscope and the magnetometer (27 channels; the +-6 g
// accelerometer saturates, the temperature and orientation columns are not motion, the
// orientation is marked invalid by the creators, the heart rate is sampled at 9 Hz). Rows of
// activity 0 (transients) and of activities outside the config are dropped; within a run of one
// activity, gaps of at most `max_gap` samples are filled by linear interpolation per channel,
// longer ones cut the run; each run is then decimated 100 -> 33.3 Hz (every third sample) and cut
// into windows that never cross a run.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "legohar/data/window_set.h"
#include "legohar/data/windowing.h"

namespace legohar {

inline constexpr size_t kPamap2Columns = 54;
inline constexpr size_t kPamap2Channels = 27;
inline constexpr size_t kPamap2Decimation = 3;     // 100 Hz rows -> 33.3 Hz samples
inline constexpr double kPamap2RowRateHz = 100.0;  // the files' rows
inline constexpr double kPamap2RateHz = kPamap2RowRateHz / kPamap2Decimation;

struct Pamap2Counts {
  size_t rows = 0;            // rows read
  size_t transient_rows = 0;  // activity 0
  size_t other_rows = 0;      // activities the config does not list
  size_t filled_values = 0;   // NaN values filled by interpolation
  size_t dropped_rows = 0;    // rows in gaps longer than max_gap or at a run's ends with NaN
  size_t runs = 0;            // runs of one activity without a long gap, as windowed

  // "N rows; dropped: ...; filled: ..." (kinds with a count only).
  std::string summary() const;
  Pamap2Counts& operator+=(const Pamap2Counts& o);
};

// hand_acc16_x ... ankle_mag_z, in the order of the columns.
const std::vector<std::string>& pamap2_channel_names();

// The 27 channels of every kept 100 Hz sample of one file's text, cut into runs: each run's class
// index and samples [T, 27] row-major, before decimation, after filling short gaps. Errors name
// the file and the line: a row without 54 numbers, an activity id that is not an integer, a
// timestamp that does not rise.
struct Pamap2Run {
  int32_t label = 0;
  size_t first_row = 0;  // 0-based row of the file
  std::vector<float> samples;
};
std::vector<Pamap2Run> parse_pamap2(const std::string& text, const std::filesystem::path& file,
                                    const std::map<int, int>& class_of_activity, size_t max_gap,
                                    Pamap2Counts& counts);

// A whole file as a sensor stream gives it, for prediction: the 27 channels of every row at
// 100 Hz [rows, 27], whatever its activity, each channel's NaN values filled linearly (at the
// file's ends with the nearest value); counts the rows and the values filled. Training instead
// drops transients and cuts runs at longer gaps (parse_pamap2). Errors as parse_pamap2's, and a
// channel without a single value in the file.
std::vector<float> parse_pamap2_recording(const std::string& text,
                                          const std::filesystem::path& file, Pamap2Counts& counts);

// dir/subject1NN.dat[.xz] of the subjects found there (subject = NN + 100, as the file names it).
std::vector<std::filesystem::path> pamap2_files(const std::filesystem::path& dir);

// Windows of every file: runs decimated by 3, windows inside each run; recording = subject.
WindowSet read_pamap2_windows(const std::filesystem::path& dir,
                              const std::map<int, int>& class_of_activity,
                              const std::vector<std::string>& class_names,
                              const WindowOptions& windows, size_t max_gap = 10,
                              Pamap2Counts* counts = nullptr);

}  // namespace legohar
