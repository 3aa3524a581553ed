// Tests of pamap2_reader.h on small files in the layout of PAMAP2's Protocol/subject1NN.dat:
// transients and unlisted activities dropped, short NaN gaps filled against a hand computation,
// long ones cutting a run, decimation and windows checked against the values written, a whole
// recording read for prediction, and each fault named with its file and line.
#include "legohar/data/pamap2_reader.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>

#include "legohar/config/dataset_config.h"
#include "legohar/data/dataset.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;
using test::ScratchDir;

// The value the fixture writes in column c (0-based) of row r.
double value(size_t r, size_t c) {
  return std::sin(0.01 * static_cast<double>(r) + c) * 10;
}

// Kept column of channel k: per IMU at 3, 20, 37: +1..+3, +7..+12.
size_t column_of(size_t k) {
  const size_t imu = 3 + 17 * (k / 9), j = k % 9;
  return imu + (j < 3 ? 1 + j : 4 + j);
}

// Rows with the activity of each, as the creators write them ("NaN" for a dropped value; the
// heart rate mostly NaN). `nan[r]` lists the channels (0-26) missing in row r.
std::string rows(const std::vector<int>& activity,
                 const std::map<size_t, std::vector<size_t>>& nan) {
  std::string s;
  for (size_t r = 0; r < activity.size(); ++r) {
    s += fmt::format("{:.2f} {} {}", 8.38 + 0.01 * static_cast<double>(r), activity[r],
                     r % 11 == 0 ? "104" : "NaN");
    std::vector<std::string> cols(51);
    for (size_t c = 3; c < 54; ++c) cols[c - 3] = fmt::format("{:.6f}", value(r, c));
    if (const auto it = nan.find(r); it != nan.end())
      for (size_t k : it->second) cols[column_of(k) - 3] = "NaN";
    for (const std::string& c : cols) s += " " + c;
    s += "\n";
  }
  return s;
}

const std::map<int, int> kClasses{{1, 0}, {4, 1}};

TEST(Pamap2Reader, RunsGapsAndTransients) {
  // 0 x 5, lying x 40 (channel 3 missing in rows 10-12, channel 20 in row 20), walking x 60 with a
  // 15-row gap of channel 0 in rows 70-84, watching TV (9) x 10, lying x 30 starting with a NaN.
  std::vector<int> activity(5, 0);
  activity.insert(activity.end(), 40, 1);
  activity.insert(activity.end(), 60, 4);
  activity.insert(activity.end(), 10, 9);
  activity.insert(activity.end(), 30, 1);
  std::map<size_t, std::vector<size_t>> nan{
      {15, {3}}, {16, {3}}, {17, {3}}, {25, {20}}, {115, {8}}};
  for (size_t r = 70; r < 85; ++r) nan[r] = {0};
  Pamap2Counts counts;
  const auto runs = parse_pamap2(rows(activity, nan), "subject101.dat", kClasses, 10, counts);
  ASSERT_EQ(runs.size(), 4u);  // lying, walking before and after its long gap, lying
  EXPECT_EQ(runs[0].label, 0);
  EXPECT_EQ(runs[0].first_row, 5u);
  EXPECT_EQ(runs[0].samples.size(), 40u * kPamap2Channels);
  EXPECT_EQ(runs[1].first_row, 45u);
  EXPECT_EQ(runs[1].samples.size(), 25u * kPamap2Channels);  // rows 45-69
  EXPECT_EQ(runs[2].first_row, 85u);
  EXPECT_EQ(runs[2].samples.size(), 20u * kPamap2Channels);  // rows 85-104
  EXPECT_EQ(runs[3].first_row, 116u);                        // row 115 starts with a NaN
  EXPECT_EQ(runs[3].samples.size(), 29u * kPamap2Channels);
  EXPECT_EQ(counts.rows, 145u);
  EXPECT_EQ(counts.transient_rows, 5u);
  EXPECT_EQ(counts.other_rows, 10u);
  EXPECT_EQ(counts.dropped_rows, 16u);  // the 15-row gap and row 115
  EXPECT_EQ(counts.filled_values, 4u);
  EXPECT_EQ(counts.runs, 4u);
  // Kept values as written; filled ones on the line between their neighbours (rows 14 and 18).
  for (size_t t = 0; t < 40; ++t)
    for (size_t k = 0; k < kPamap2Channels; ++k) {
      const size_t r = 5 + t;
      double want = value(r, column_of(k));
      if (k == 3 && r >= 15 && r <= 17)
        want = value(14, column_of(3)) + (value(18, column_of(3)) - value(14, column_of(3))) *
                                             static_cast<double>(r - 14) / 4;
      if (k == 20 && r == 25) want = (value(24, column_of(20)) + value(26, column_of(20))) / 2;
      ASSERT_NEAR(runs[0].samples[t * kPamap2Channels + k], want, 2e-5) << t << " " << k;
    }
  EXPECT_EQ(counts.summary(),
            "145 rows in 4 runs; dropped: 5 transient rows (activity 0), 10 rows of other "
            "activities, 16 rows in long gaps or at a run's NaN ends; 4 NaN values filled by "
            "interpolation");
}

TEST(Pamap2Reader, WholeRecordingForPrediction) {
  // Transients x 3, lying x 10, watching TV (9) x 5, walking x 10: every row is kept. Channel 0
  // misses rows 0-1 (held at row 2's value), channel 5 rows 12-16 (across two activities: on the
  // line from row 11 to row 17), channel 26 the last row (held at row 26's).
  std::vector<int> activity(3, 0);
  activity.insert(activity.end(), 10, 1);
  activity.insert(activity.end(), 5, 9);
  activity.insert(activity.end(), 10, 4);
  std::map<size_t, std::vector<size_t>> nan{{0, {0}}, {1, {0}}, {27, {26}}};
  for (size_t r = 12; r <= 16; ++r) nan[r] = {5};
  Pamap2Counts counts;
  const std::vector<float> samples =
      parse_pamap2_recording(rows(activity, nan), "subject101.dat", counts);
  ASSERT_EQ(samples.size(), 28u * kPamap2Channels);
  EXPECT_EQ(counts.rows, 28u);
  EXPECT_EQ(counts.filled_values, 8u);
  for (size_t r = 0; r < 28; ++r)
    for (size_t k = 0; k < kPamap2Channels; ++k) {
      double want = value(r, column_of(k));
      if (k == 0 && r < 2) want = value(2, column_of(0));
      if (k == 5 && r >= 12 && r <= 16)
        want = value(11, column_of(5)) + (value(17, column_of(5)) - value(11, column_of(5))) *
                                             static_cast<double>(r - 11) / 6;
      if (k == 26 && r == 27) want = value(26, column_of(26));
      ASSERT_NEAR(samples[r * kPamap2Channels + k], want, 2e-5) << r << " " << k;
    }
  // A channel that never has a value cannot be streamed.
  std::map<size_t, std::vector<size_t>> dead;
  for (size_t r = 0; r < 4; ++r) dead[r] = {7};
  EXPECT_EQ(error_of([&] {
              Pamap2Counts c;
              parse_pamap2_recording(rows({1, 1, 4, 4}, dead), "subject101.dat", c);
            }),
            "subject101.dat: channel hand_mag_y has no value in the file's 4 rows");
}

TEST(Pamap2Reader, DecimatedWindowsInsideRuns) {
  // subject 102: lying x 200 rows -> 67 samples at 33.3 Hz: windows of 20 every 10 -> 5.
  std::vector<int> activity(200, 1);
  activity.insert(activity.end(), 50, 0);
  activity.insert(activity.end(), 90, 4);  // 30 samples: 2 windows
  ScratchDir dir;
  test::write_text(dir.path() / "subject102.dat", rows(activity, {}));
  test::write_text(dir.path() / "subject102.txt", "not a recording");  // ignored
  Pamap2Counts counts;
  const WindowSet w =
      read_pamap2_windows(dir.path(), kClasses, {"lying", "walking"}, {20, 10}, 10, &counts);
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w.labels, (std::vector<int32_t>{0, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(w.subjects, std::vector<int32_t>(7, 102));
  EXPECT_EQ(w.starts, (std::vector<int64_t>{0, 30, 60, 90, 120, 250, 280}));
  EXPECT_EQ(w.channels, 27);
  EXPECT_EQ(w.channel_names.front(), "hand_acc16_x");
  EXPECT_EQ(w.channel_names.back(), "ankle_mag_z");
  // Window 6 (walking, from row 280): sample t is row 280 + 3 t.
  for (size_t t = 0; t < 20; ++t)
    for (size_t k = 0; k < kPamap2Channels; ++k)
      ASSERT_NEAR(w.window(6)[t * kPamap2Channels + k], value(280 + 3 * t, column_of(k)), 2e-5);
}

TEST(Pamap2Reader, FaultsNameFileAndLine) {
  const std::string good = rows({1, 1, 1}, {});
  const auto line = [&](size_t i) {
    size_t b = 0;
    for (size_t k = 0; k < i; ++k) b = good.find('\n', b) + 1;
    return good.substr(b, good.find('\n', b) - b);
  };
  std::string two = line(1);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {two.substr(0, two.rfind(' ')), "53 columns, expected 54"},
      {two + " 1.0", "more than 54 columns"},
      {two.substr(0, two.rfind(' ')) + " abc", "column 54: 'abc' is not a number or NaN"},
      {two.substr(0, two.rfind(' ')) + " inf", "column 54: 'inf' is not a number or NaN"},
      {"8.38" + two.substr(two.find(' ')), "timestamp 8.38 does not follow 8.38"},
      {two.substr(0, two.find(' ')) + " 1.5" + two.substr(two.find(' ', two.find(' ') + 1)),
       "activity id 1.5 is not an integer"},
  };
  for (const auto& [bad, problem] : cases) {
    Pamap2Counts counts;
    EXPECT_EQ(error_of([&] {
                parse_pamap2(line(0) + "\n" + bad + "\n" + line(2) + "\n", "subject101.dat",
                             kClasses, 10, counts);
              }),
              "subject101.dat:2: " + problem)
        << bad;
  }
  ScratchDir empty;
  EXPECT_EQ(error_of([&] {
              read_pamap2_windows(empty.path(), kClasses, {"a", "b"}, {20, 10});
            }),
            (empty.path() / "subject101.dat").string() +
                ": missing: no subject1NN.dat[.xz] in the folder");
}

TEST(Pamap2Reader, ShippedConfig) {
  const DatasetConfig c = load_dataset_config("pamap2", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(c.data.source, "pamap2");
  EXPECT_EQ(c.data.windows.length, 171);
  EXPECT_EQ(c.data.windows.step, 38);
  EXPECT_EQ(c.data.class_names.size(), 12u);
  EXPECT_EQ(c.model.input_channels, 27);
  ASSERT_EQ(c.model.layers.size(), 5u);
  EXPECT_EQ(c.train.protocol, "random:0.2");
  EXPECT_EQ(c.train.batch_size, 300);
  ScratchDir empty;
  EXPECT_EQ(dataset_files(c.data, empty.path()).missing.size(), 1u);
}

}  // namespace
}  // namespace legohar
