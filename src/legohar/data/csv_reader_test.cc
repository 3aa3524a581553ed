// Tests of csv_reader.h on small generated recordings, one per mapping option: a header or column
// numbers, each delimiter, time in ms or a given rate, scale and offset, labels and subjects from
// columns or paths, gaps cutting pieces, missing values filled, resampling against closed-form
// signals, windows inside segments or across a continuous recording, compressed files, and each
// fault named with its file and line.
#include "legohar/data/csv_reader.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "legohar/config/dataset_config.h"
#include "legohar/data/dataset.h"
#include "legohar/data/text_file.h"
#include "runtime/resample.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;
using test::ScratchDir;

const std::vector<std::string> kClasses = {"walk", "sit"};

// A channel read from the column named `column`.
CsvChannel channel(const std::string& column, const std::string& name = "", double scale = 1,
                   double offset = 0) {
  CsvChannel c;
  c.column.name = column;
  c.name = name;
  c.scale = scale;
  c.offset = offset;
  return c;
}

CsvLayout layout(std::vector<CsvChannel> channels) {
  CsvLayout l;
  l.time = {"t", 0};
  l.time_unit_s = 1e-3;
  l.rate_hz = 50;
  l.label = {"activity", 0};
  l.subject = {"user", 0};
  l.channels = std::move(channels);
  return l;
}

CsvRecording parse(const std::string& text, const CsvLayout& l, CsvCounts& counts,
                   const std::string& path = "a.csv") {
  return parse_csv_recording(text, path, path, l, kClasses, {}, true, counts);
}

// Rows at about 100 Hz with jittered times (ms), x = 2 t + 1 and y = sin(2 pi 1.5 t) (t in s): a
// linear signal resamples exactly, a smooth one within its interpolation error.
TEST(CsvReader, ResamplesJitteredTimesAgainstClosedForms) {
  std::string text = "t,x,y,activity,user\n";
  std::vector<double> times;
  for (int i = 0; i < 201; ++i) {
    const double t = 10.0 + i * 0.01 + (i % 3 == 1 ? 0.002 : 0.0) - (i % 5 == 2 ? 0.001 : 0.0);
    times.push_back(t);
    text += fmt::format("{:.3f},{:.9f},{:.9f},walk,7\n", t * 1000, 2 * t + 1,
                        std::sin(2 * M_PI * 1.5 * t));
  }
  CsvCounts counts;
  const CsvRecording r = parse(text, layout({channel("x"), channel("y")}), counts);
  // 2 s of recording at 50 Hz: t = 10, 10.02, ..., 12 -> 101 samples.
  ASSERT_EQ(r.labels.size(), 101u);
  double worst = 0;
  for (size_t k = 0; k < 101; ++k) {
    const double t = 10.0 + k / 50.0;
    EXPECT_NEAR(r.samples[2 * k], 2 * t + 1, 2e-5) << k;
    worst = std::max(worst, std::fabs(r.samples[2 * k + 1] - std::sin(2 * M_PI * 1.5 * t)));
  }
  // Linear interpolation of sin(w t) between samples h apart errs by at most w^2 h^2 / 8.
  const double w = 2 * M_PI * 1.5, h = 0.013;
  EXPECT_LT(worst, w * w * h * h / 8 + 1e-6);
  EXPECT_GT(worst, 1e-5);  // and does err: the grid is not the rows'
  EXPECT_EQ(r.subjects.front(), 7);
  EXPECT_EQ(r.channel_names, (std::vector<std::string>{"x", "y"}));
  EXPECT_NEAR(counts.min_rate_hz, 100, 0.5);  // the median step
  EXPECT_EQ(counts.rows, 201u);
  EXPECT_EQ(counts.pieces, 1u);
}

// Labels and subjects cut segments; so does a time gap above max_gap_s; a repeated time is
// skipped; empty and NaN values are filled; scale and offset apply.
// A device's stream resamples as training did: the runtime's resampler over a recording's scaled
// rows at their rate gives the reader's samples (which find their rows by timestamp).
TEST(CsvReader, ResamplesAsTheRuntimeStreamDoes) {
  for (const double rate : {40.0, 100.0 / 3, 64.0}) {
    std::string text = "t,x,activity,user\n";
    std::vector<double> rows;
    for (int i = 0; i < 300; ++i) {
      const double x = std::sin(0.37 * i) + 0.01 * (i % 7);
      rows.push_back(static_cast<float>(x * 2 - 1));  // as the reader stores it: scaled, float
      text += fmt::format("{},{:.9f},walk,7\n", i * 10, x);
    }
    CsvLayout l = layout({channel("x", "", 2, -1)});
    l.rate_hz = rate;
    CsvCounts counts;
    const CsvRecording r = parse(text, l, counts);
    runtime::LinearResampler device(100, rate, 1);
    std::vector<double> streamed;
    for (const double& v : rows) device.push(&v, streamed);
    ASSERT_EQ(r.samples.size(), streamed.size()) << rate;
    for (size_t k = 0; k < streamed.size(); ++k)
      EXPECT_NEAR(r.samples[k], streamed[k], 2e-6) << rate << " " << k;
  }
}

TEST(CsvReader, SegmentsGapsMissingValuesAndScale) {
  // 50 Hz rows (20 ms): walk x 6, sit x 4, a 2 s gap, sit x 5 of user 2 then 3 rows of user 3.
  std::string text = "# exported by some app\nt;x;activity;user\n";
  int ms = 0;
  const auto row = [&](const std::string& x, const char* activity, int user) {
    text += fmt::format("{};{};{};{}\n", ms, x, activity, user);
  };
  for (int i = 0; i < 6; ++i, ms += 20) row(i == 2 ? "" : std::to_string(i), "walk", 2);
  ms -= 20;
  row("99", "walk", 2);  // the time of the row before: skipped
  ms += 20;
  for (int i = 0; i < 4; ++i, ms += 20) row(i == 1 ? "NaN" : "10", "sit", 2);
  ms += 2000;
  for (int i = 0; i < 5; ++i, ms += 20) row("10", "sit", 2);
  for (int i = 0; i < 3; ++i, ms += 20) row("10", "jump", 3);
  CsvCounts counts;
  CsvLayout l = layout({channel("x", "acc", 0.5, 1)});
  const CsvRecording r = parse(text, l, counts);
  // Pieces: walk [6], sit [4], sit after the gap [5], user 3 [3] (a class the config lacks).
  EXPECT_EQ(counts.pieces, 4u);
  EXPECT_EQ(r.pieces, (std::vector<int32_t>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3}));
  EXPECT_EQ(r.labels,
            (std::vector<int32_t>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1}));
  EXPECT_EQ(r.subjects.back(), 3);
  EXPECT_FLOAT_EQ(r.samples[2], 2 * 0.5 + 1);  // the empty value: between 1 and 3, scaled
  EXPECT_FLOAT_EQ(r.samples[5], 5 * 0.5 + 1);
  EXPECT_FLOAT_EQ(r.samples[7], 10 * 0.5 + 1);
  EXPECT_EQ(counts.repeated_time_rows, 1u);
  EXPECT_EQ(counts.filled_values, 2u);
  EXPECT_EQ(counts.other_rows, 3u);
  EXPECT_EQ(r.channel_names, (std::vector<std::string>{"acc"}));
}

// No header (columns by number), whitespace-separated, no time column: 25 Hz rows upsampled by
// index to 50 Hz; labels from the folder, subjects from the file name.
TEST(CsvReader, NoHeaderGivenRateAndLabelsFromPaths) {
  ScratchDir dir;
  std::string text;
  for (int i = 0; i < 10; ++i) text += fmt::format("  {}\t{}  \n", i, 100 + i);
  test::write_text(dir.path() / "sit" / "subject07_a.txt", text);
  test::write_text(dir.path() / "walk" / "subject03_b.txt", text);
  test::write_text(dir.path() / "walk" / "notes.md", "not a recording");
  CsvLayout l;
  l.files = "**/subject*.txt";
  l.header = false;
  l.delimiter = " ";
  l.sample_rate_hz = 25;
  l.rate_hz = 50;
  CsvChannel second;
  second.column.number = 2;
  l.channels = {second};
  l.label_path = "^(\\w+)/";
  l.subject_path = "subject(\\d+)";
  CsvCounts counts;
  const WindowSet w = read_csv_windows(dir.path(), l, kClasses, {}, {4, 4}, &counts);
  // 10 rows at 25 Hz = 0.36 s -> 19 samples at 50 Hz: windows of 4 every 4 -> 4 per file.
  ASSERT_EQ(w.size(), 8u);
  EXPECT_EQ(w.labels, (std::vector<int32_t>{1, 1, 1, 1, 0, 0, 0, 0}));  // sit/ sorts first
  EXPECT_EQ(w.subjects, (std::vector<int32_t>{7, 7, 7, 7, 3, 3, 3, 3}));
  EXPECT_EQ(w.recordings, (std::vector<int32_t>{1, 1, 1, 1, 2, 2, 2, 2}));
  EXPECT_EQ(w.channel_names, (std::vector<std::string>{"c2"}));
  EXPECT_EQ(w.starts[1], 4);
  for (int k = 0; k < 4; ++k) EXPECT_FLOAT_EQ(w.window(1)[k], 100 + (4 + k) / 2.0f);
  EXPECT_EQ(counts.files, 2u);
  EXPECT_EQ(counts.samples, 38u);
}

// A continuous recording of short activities: windows across labels by their majority sample,
// mixed windows counted; plain, .gz and .xz files alike.
TEST(CsvReader, ContinuousWindowsAndCompressedFiles) {
  ScratchDir dir;
  std::string text = "t\tx\tactivity\tuser\n";
  for (int i = 0; i < 20; ++i)
    text += fmt::format("{}\t{}\t{}\t1\n", 20 * i, i, i < 7 ? "walk" : "sit");
  test::write_text(dir.path() / "a.tsv", text);
  test::write_text(dir.path() / "b.tsv.xz", test::xz_compress(text));
  test::write_text(dir.path() / "c.tsv", text);
  ASSERT_EQ(std::system(("gzip " + (dir.path() / "c.tsv").string()).c_str()), 0);
  CsvLayout l = layout({channel("x")});
  l.files = "*.tsv*";
  l.continuous = true;
  CsvCounts counts;
  const WindowSet w =
      read_csv_windows(dir.path(), l, kClasses, {}, {5, 5, WindowLabel::kMajority}, &counts);
  // Windows from 0, 5, 10, 15: walk, sit (2 walk, 3 sit: mixed), sit, sit; per file.
  ASSERT_EQ(w.size(), 12u);
  EXPECT_EQ(std::vector<int32_t>(w.labels.begin(), w.labels.begin() + 4),
            (std::vector<int32_t>{0, 1, 1, 1}));
  EXPECT_EQ(counts.windows.mixed, 3u);
  EXPECT_EQ(counts.files, 3u);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(std::vector<float>(w.window(i), w.window(i) + 5),
              std::vector<float>(w.window(8 + i), w.window(8 + i) + 5));
}

// Times so large that adding 1/rate does not move them: one sample per row, no endless loop.
TEST(CsvReader, HugeTimesEnd) {
  CsvCounts counts;
  const CsvRecording r = parse("t,x,activity,user\n1e300,1,walk,1\n1.0000001e300,2,walk,1\n",
                               layout({channel("x")}), counts);
  EXPECT_EQ(r.labels.size(), 2u);
  EXPECT_EQ(counts.pieces, 2u);
}

TEST(CsvReader, FaultsNameFileAndLine) {
  const CsvLayout l = layout({channel("x")});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"t,y,activity,user\n0,1,walk,1\n",
       "a.csv:1: no channel column 'x' in the header (columns: t, y, activity, user)"},
      {"t,x,activity,user\n0,1,walk,1\n20,abc,walk,1\n",
       "a.csv:3: column x: 'abc' is not a number"},
      {"t,x,activity,user\n20,1,walk,1\n0,1,walk,1\n",
       "a.csv:3: time 0 s goes back (the row before: 0.02 s)"},
      {"t,x,activity,user\nnow,1,walk,1\n", "a.csv:2: time 'now' is not a number"},
      {"t,x,activity,user\n0,1,walk,1.5\n", "a.csv:2: subject '1.5' is not a whole number"},
      {"t,x,activity,user\n0,1,walk\n", "a.csv:2: 3 fields, the mapped columns need 4"},
      {"t,x,activity,user\n0,1e39,walk,1\n", "a.csv:2: column x: 1e39 is out of range once scaled"},
  };
  for (const auto& [text, message] : cases) {
    CsvCounts counts;
    EXPECT_EQ(error_of([&] { parse(text, l, counts); }), message) << text;
  }
  CsvLayout by_path = l;
  by_path.subject = {};
  by_path.subject_path = "subject(\\d+)";
  CsvCounts counts;
  EXPECT_EQ(error_of([&] { parse("t,x,activity\n0,1,walk\n", by_path, counts, "walk/s1.csv"); }),
            "walk/s1.csv: the subject_path pattern 'subject(\\d+)' does not match 'walk/s1.csv'");
  // Layouts that cannot work, named by their key.
  const auto invalid = [](auto change) {
    CsvLayout bad = layout({channel("x")});
    change(bad);
    return error_of([&] { bad.validate(); });
  };
  EXPECT_EQ(invalid([](CsvLayout& b) { b.channels.clear(); }), "csv.channels lists no channel");
  EXPECT_EQ(invalid([](CsvLayout& b) { b.label_path = "(x)"; }),
            "csv.label or csv.label_path: exactly one must say where the labels are");
  EXPECT_EQ(invalid([](CsvLayout& b) { b.header = false; }),
            "csv.time names column 't', but the files have no header: use its number");
  EXPECT_EQ(invalid([](CsvLayout& b) { b.time = {}; }),
            "csv.sample_rate_hz must be > 0 when there is no time column");
  EXPECT_EQ(invalid([](CsvLayout& b) {
              b.label = {};
              b.label_path = "walk";
            }),
            "csv.label_path needs a (group)");
  ScratchDir empty;
  EXPECT_EQ(error_of([&] {
              read_csv_windows(empty.path(), l, kClasses, {}, {4, 4});
            }),
            empty.path().string() + ": no file matches '**/*.csv' in the folder");
}

// The walkthrough's dataset file (examples/own-recordings/my-har.toml) maps what it says; a [csv]
// table that cannot work is refused with the file and the key.
TEST(CsvReader, DatasetFileMapping) {
  const std::string example = LEGOHAR_SOURCE_DIR "/examples/own-recordings/my-har.toml";
  const DatasetConfig c = load_dataset_config(example, LEGOHAR_SOURCE_DIR "/configs");
  const CsvLayout& l = c.data.csv;
  EXPECT_EQ(csv_channel_names(l), (std::vector<std::string>{"acc_x", "acc_y", "acc_z"}));
  EXPECT_EQ(l.channels[0].column.name, "ax");
  EXPECT_DOUBLE_EQ(l.channels[2].offset, -9.81);
  EXPECT_DOUBLE_EQ(l.time_unit_s, 1e-3);
  EXPECT_DOUBLE_EQ(l.rate_hz, 50);
  EXPECT_EQ(l.subject_path, "subject(\\d+)");
  EXPECT_EQ(c.model.input_channels, 3);
  EXPECT_TRUE(c.data.activity_ids.empty());  // labels matched by name
  std::ifstream in(example);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ScratchDir dir;
  const auto file = dir.path() / "mine.toml";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"rate_hz = 50", "csv.rate_hz must be > 0 (the rate windows are cut at)"},
      {"time_unit = \"ms\"", "'csv.time_unit' time unit 'min' is not one of s, ms, us, ns"},
      {"label = \"activity\"",
       "csv.label or csv.label_path: exactly one must say where the "
       "labels are"},
  };
  for (const auto& [from, message] : cases) {
    std::string bad = text;
    const std::string to = from == "time_unit = \"ms\"" ? "time_unit = \"min\"" : "";
    bad.replace(bad.find(from), from.size(), to);
    test::write_text(file, bad);
    EXPECT_EQ(error_of([&] { load_dataset_config(file.string(), dir.path()); }),
              file.string() + ": " + message);
  }
}

}  // namespace
}  // namespace legohar
