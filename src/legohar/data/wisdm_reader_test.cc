// Tests of wisdm_reader.h on small files in the layout of WISDM_ar_v1.1_raw.txt: every known
// defect of the public file skipped or handled and counted, every other fault an error naming the
// file and the line, segments and windows checked against what the test wrote.
#include "legohar/data/wisdm_reader.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <tuple>

#include "legohar/config/dataset_config.h"
#include "legohar/data/dataset.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;
using test::ScratchDir;
using test::write_text;

const std::vector<std::string> kActivities{"Walking",    "Jogging", "Upstairs",
                                           "Downstairs", "Sitting", "Standing"};

// A run of `n` records of one user and activity, 50 ms apart from `t0` ns, as the file writes
// them ("33,Jogging,49105962326000,-0.6946377,12.680544,0.50395286;"), and the samples kept.
struct Records {
  std::vector<std::string> lines;
  std::vector<float> samples;
};
Records records(int user, const std::string& activity, size_t n, int64_t t0) {
  Records r;
  for (size_t i = 0; i < n; ++i) {
    const float x = -0.6946377f + 0.01f * static_cast<float>(i);
    const float y = 12.680544f - 0.02f * static_cast<float>(i % 7);
    const float z = 0.50395286f * static_cast<float>(user);
    r.lines.push_back(fmt::format("{},{},{},{},{},{};", user, activity,
                                  t0 + static_cast<int64_t>(i) * 50'000'000, x, y, z));
    r.samples.insert(r.samples.end(), {x, y, z});
  }
  return r;
}

std::string joined(const std::vector<std::string>& lines, const char* eol = "\n") {
  std::string s;
  for (const std::string& l : lines) s += l + eol;
  return s;
}

TEST(WisdmReader, DefectsAreCountedAndSegmentsKept) {
  // user 33 Jogging (230), user 33 Walking (250, then 5 s of silence, then 210), user 7 Sitting
  // (201) with the public file's defects in between.
  Records jog = records(33, "Jogging", 230, 49105962326000);
  Records walk = records(33, "Walking", 250, 49200000000000);
  Records walk2 =
      records(33, "Walking", 210, 49200000000000 + 250 * 50'000'000LL + 5'000'000'000LL);
  Records sit = records(7, "Sitting", 201, 1000000000);
  std::vector<std::string> lines;
  for (const Records* r : {&jog, &walk, &walk2, &sit})
    lines.insert(lines.end(), r->lines.begin(), r->lines.end());
  // Two records on one line (jog 10 and 11), a trailing comma (jog 20), an empty and a blank line.
  lines[10] += lines[11];
  lines.erase(lines.begin() + 11);
  lines[19].insert(lines[19].size() - 1, ",");  // "...,z,;"
  lines.insert(lines.begin() + 30, "");
  lines.insert(lines.begin() + 31, "   \t");
  // Skipped: a record missing its last field, one whose last field is empty, a zero timestamp, a
  // duplicate timestamp (the last kept record again).
  const size_t at = lines.size() - 50;  // inside the Sitting run
  lines.insert(lines.begin() + at, "7,Sitting,1009000000000,0.1,0.2;");
  lines.insert(lines.begin() + at, "7,Sitting,1009000000000,0.1,0.2,;");
  lines.insert(lines.begin() + at, "7,Sitting,0,0.1,0.2,0.3;");
  lines.push_back(lines.back());
  ScratchDir dir;
  const auto file = dir.path() / kWisdmRawFile;
  for (const char* eol : {"\n", "\r\n"}) {
    const WisdmRecords r = parse_wisdm_raw(joined(lines, eol), file, kActivities);
    const WisdmCounts& c = r.counts;
    EXPECT_EQ(c.records, 230u + 250 + 210 + 201);
    EXPECT_EQ(c.segments, 4u);
    EXPECT_EQ(c.empty_lines, 2u);
    EXPECT_EQ(c.joined_lines, 1u);
    EXPECT_EQ(c.trailing_commas, 1u);
    EXPECT_EQ(c.missing_last_field, 2u);
    EXPECT_EQ(c.zero_timestamps, 1u);
    EXPECT_EQ(c.duplicate_timestamps, 1u);
    EXPECT_EQ(c.timestamp_breaks, 1u);  // the 5 s gap
    ASSERT_EQ(r.segments.size(), 4u);
    const std::vector<std::tuple<int, int, const Records*>> want = {
        {33, 1, &jog}, {33, 0, &walk}, {33, 0, &walk2}, {7, 4, &sit}};
    for (size_t s = 0; s < 4; ++s) {
      const auto& [user, label, expected] = want[s];
      EXPECT_EQ(r.segments[s].user, user);
      EXPECT_EQ(r.segments[s].label, label);
      ASSERT_EQ(r.segments[s].samples.size(), expected->samples.size()) << s;
      for (size_t i = 0; i < expected->samples.size(); ++i)
        ASSERT_FLOAT_EQ(r.segments[s].samples[i], expected->samples[i]) << s << " " << i;
    }
    EXPECT_EQ(r.segments[1].line, 230u - 1 + 2 + 1);  // after the joined line and two empty ones
    EXPECT_EQ(c.summary(),
              "891 records in 4 segments; skipped: 2 records missing their last field, 1 zero "
              "timestamps, 1 duplicate timestamps; handled: 2 empty lines, 1 lines holding two or "
              "more records, 1 trailing commas, 1 segments cut where time went back or jumped");
  }
}

// Time going back within one user and activity starts a new segment; so does another user.
TEST(WisdmReader, TimeGoingBackCutsASegment) {
  Records a = records(3, "Upstairs", 40, 5'000'000'000);
  Records b = records(3, "Upstairs", 30, 1'000'000'000);
  Records c = records(4, "Upstairs", 20, 1'000'000'000);
  std::vector<std::string> lines = a.lines;
  lines.insert(lines.end(), b.lines.begin(), b.lines.end());
  lines.insert(lines.end(), c.lines.begin(), c.lines.end());
  const WisdmRecords r = parse_wisdm_raw(joined(lines), "w.txt", kActivities);
  ASSERT_EQ(r.segments.size(), 3u);
  EXPECT_EQ(r.segments[0].samples.size(), 40u * 3);
  EXPECT_EQ(r.segments[1].samples.size(), 30u * 3);
  EXPECT_EQ(r.segments[2].user, 4);
  EXPECT_EQ(r.counts.timestamp_breaks, 1u);  // a new user is no break
}

// Windows lie inside one segment each: 10 s windows (200 samples) every 1 s (20 samples).
TEST(WisdmReader, WindowsNeverCrossASegment) {
  Records a = records(1, "Walking", 260, 1'000'000'000);
  Records b = records(1, "Jogging", 199, 100'000'000'000);  // too short for a window
  Records c = records(2, "Standing", 241, 1'000'000'000);
  std::vector<std::string> lines;
  for (const Records* r : {&a, &b, &c}) lines.insert(lines.end(), r->lines.begin(), r->lines.end());
  for (bool xz : {false, true}) {
    ScratchDir dir;
    const std::string text = joined(lines);
    if (xz)
      write_text(dir.path() / (std::string(kWisdmRawFile) + ".xz"), test::xz_compress(text));
    else
      write_text(dir.path() / kWisdmRawFile, text);
    WisdmCounts counts;
    const WindowSet w = read_wisdm_windows(dir.path(), kActivities, {200, 20}, &counts);
    // (260 - 200) / 20 + 1 = 4 windows, then 0, then (241 - 200) / 20 + 1 = 3.
    ASSERT_EQ(w.size(), 7u);
    EXPECT_EQ(w.labels, (std::vector<int32_t>{0, 0, 0, 0, 5, 5, 5}));
    EXPECT_EQ(w.subjects, (std::vector<int32_t>{1, 1, 1, 1, 2, 2, 2}));
    EXPECT_EQ(w.recordings, (std::vector<int32_t>{1, 1, 1, 1, 3, 3, 3}));
    EXPECT_EQ(w.starts, (std::vector<int64_t>{0, 20, 40, 60, 0, 20, 40}));
    EXPECT_EQ(w.channels, 3);
    EXPECT_EQ(w.channel_names, (std::vector<std::string>{"acc_x", "acc_y", "acc_z"}));
    EXPECT_EQ(counts.records, 700u);
    // Window 6 (the third of user 2) starts at sample 40 of run c.
    for (size_t i = 0; i < 200 * 3; ++i) ASSERT_FLOAT_EQ(w.window(6)[i], c.samples[40 * 3 + i]);
  }
}

// Anything but the known defects stops the reader at its line.
TEST(WisdmReader, OtherFaultsNameFileAndLine) {
  const std::string good = "33,Jogging,49105962326000,-0.6946377,12.680544,0.50395286;\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x3,Jogging,49105962326000,1,2,3;", "user 'x3' is not a positive integer"},
      {"0,Jogging,49105962326000,1,2,3;", "user '0' is not a positive integer"},
      {"33,Joging,49105962326000,1,2,3;",
       "unknown activity 'Joging' (known: Walking, Jogging, Upstairs, Downstairs, Sitting, "
       "Standing)"},
      {"33,Jogging,-5,1,2,3;", "timestamp '-5' is not a non-negative integer"},
      {"33,Jogging,4.9e13,1,2,3;", "timestamp '4.9e13' is not a non-negative integer"},
      {"33,Jogging,49105962326000,1,abc,3;", "y-acceleration 'abc' is not a finite number"},
      {"33,Jogging,49105962326000,1,2,NaN;", "z-acceleration 'NaN' is not a finite number"},
      {"33,Jogging,49105962326000,1e39,2,3;", "x-acceleration '1e39' is not a finite number"},
      {"33,Jogging,49105962326000,1;",
       "4 comma-separated fields, expected 6 "
       "(user,activity,timestamp,x,y,z)"},
      {"33,Jogging,49105962326000,1,2,3,4;",
       "7 comma-separated fields, expected 6 "
       "(user,activity,timestamp,x,y,z)"},
      {"33,Jogging,49105962326000,1,2,3,4,5;",
       "more than 6 comma-separated fields (user,activity,timestamp,x,y,z)"},
      {";33,Jogging,49105962326000,1,2,3;", "an empty record before ';'"},
  };
  for (const auto& [bad, problem] : cases) {
    EXPECT_EQ(
        error_of([&] { parse_wisdm_raw(good + good + bad + "\n" + good, "raw.txt", kActivities); }),
        "raw.txt:3: " + problem)
        << bad;
  }
  EXPECT_EQ(error_of([&] {
              read_wisdm_windows("/nonexistent", kActivities, {200, 20});
            }),
            std::string("/nonexistent/") + kWisdmRawFile +
                ": missing file (looked for it plain and as .xz)");
}

// The shipped configuration: the Lego paper's WISDM windows (10 s every 1 s at 20 Hz), its six
// activities as the raw file names them, three channels; without the raw file (as here) the
// dataset is listed as missing it.
TEST(WisdmReader, ShippedConfig) {
  const DatasetConfig c = load_dataset_config("wisdm", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(c.data.source, "wisdm-raw");
  EXPECT_EQ(c.data.windows.length, 200);
  EXPECT_EQ(c.data.windows.step, 20);
  EXPECT_EQ(c.data.class_names, kActivities);
  EXPECT_EQ(c.model.input_channels, 3);
  ASSERT_EQ(c.model.layers.size(), 5u);
  EXPECT_EQ(c.train.protocol, "random:0.3");
  ScratchDir empty;
  const DatasetFiles files = dataset_files(c.data, empty.path());
  ASSERT_EQ(files.missing.size(), 1u);
  EXPECT_EQ(files.missing[0], empty.path() / "WISDM" / kWisdmRawFile);
  // Its one raw file holds every user's recordings: `predict --dataset wisdm` refuses it.
  EXPECT_EQ(error_of([&] { read_recording(c.data, empty.path() / kWisdmRawFile); }),
            "dataset wisdm: the files of a wisdm-raw dataset are not one recording each; give "
            "the samples as csv");
}

}  // namespace
}  // namespace legohar
