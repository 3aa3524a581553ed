// Tests of opportunity_reader.h: the real column_names.txt and label_legend.txt of ../shared/data
// against the challenge's documented channels and classes; recordings written in the creators'
// layout (250 space-separated columns, "NaN" for dropped values) read into channels, labels and
// filled gaps checked by hand; continuous windows of every recording; each fault named with its
// file and line.
#include "legohar/data/opportunity_reader.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <regex>
#include <set>

#include "legohar/config/dataset_config.h"
#include "legohar/data/dataset.h"
#include "legohar/data/split.h"
#include "opportunity_writer.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;
using test::ScratchDir;

// The 1-based columns of the challenge's 113 channels, as the literature lists them (Ordonez and
// Roggen 2016's DeepConvLSTM preprocessing): 2-46, 51-59, 64-72, 77-85, 90-98, 103-134.
std::vector<size_t> challenge_columns() {
  std::vector<size_t> c;
  for (auto [a, b] : {std::pair{2, 46}, {51, 59}, {64, 72}, {77, 85}, {90, 98}, {103, 134}})
    for (size_t i = a; i <= static_cast<size_t>(b); ++i) c.push_back(i - 1);
  return c;
}

OpportunityLayout fixture_layout(const std::string& variant = "gestures") {
  return opportunity_layout(test::opportunity_column_names(), variant, "column_names.txt");
}

// The value the fixture writes in column c (0-based) of row r: whole numbers, as the creators'.
long value(size_t r, size_t c) {
  return std::lround(std::sin(0.05 * static_cast<double>(r) + static_cast<double>(c)) * 1000);
}

// Rows of a recording with the gesture label of each; `nan` lists (row, 0-based column) pairs
// written as "NaN".
std::string recording(const std::vector<int>& gesture,
                      const std::set<std::pair<size_t, size_t>>& nan, double t0 = 0) {
  std::string s;
  for (size_t r = 0; r < gesture.size(); ++r) {
    s += fmt::format("{}", std::lround(t0 + 33.333 * static_cast<double>(r)));
    for (size_t c = 1; c < 243; ++c)
      s += nan.count({r, c}) ? std::string(" NaN") : fmt::format(" {}", value(r, c));
    s += fmt::format(" 1 101 0 0 0 0 {}\n", gesture[r]);
  }
  return s;
}

const std::map<int, int> kGestures{{0, 0}, {406516, 1}, {404516, 2}};

TEST(OpportunityReader, ChannelsChosenByNameFromTheDocumentedLayout) {
  const OpportunityLayout l = fixture_layout();
  EXPECT_EQ(l.columns, 250u);
  EXPECT_EQ(l.channel_columns, challenge_columns());
  EXPECT_EQ(l.label_column, 249u);
  EXPECT_EQ(fixture_layout("locomotion").label_column, 243u);
  EXPECT_EQ(l.channel_names.front(), "acc_RKN^_accX");
  EXPECT_EQ(l.channel_names[36], "imu_BACK_accX");
  EXPECT_EQ(l.channel_names.back(), "imu_R-SHOE_Compass");
  // The text form parses back to the same names.
  const std::vector<std::string> names = test::opportunity_column_names();
  EXPECT_EQ(parse_opportunity_columns(test::opportunity_columns_text(names), "c.txt"), names);
}

// The creators' column_names.txt and label_legend.txt (../shared/data/OPPORTUNITY): 250 columns,
// the challenge's 113 channels at their documented columns and names, ML_Both_Arms in column 250;
// the legend's 17 ML_Both_Arms gestures with Null are the shipped config's classes in order.
TEST(OpportunityReader, RealColumnNamesAndLabelLegend) {
  const auto data = test::real_data_dir();
  const std::filesystem::path dir = data / "OPPORTUNITY";
  if (data.empty() || !std::filesystem::exists(dir / "column_names.txt"))
    GTEST_SKIP() << "no OPPORTUNITY column_names.txt";
  const std::vector<std::string> columns =
      parse_opportunity_columns(read_file_bytes(dir / "column_names.txt"), "column_names.txt");
  ASSERT_EQ(columns.size(), 250u);
  const OpportunityLayout real = opportunity_layout(columns, "gestures", "column_names.txt");
  EXPECT_EQ(real.channel_columns, challenge_columns());
  EXPECT_EQ(real.channel_names, fixture_layout().channel_names);
  EXPECT_EQ(real.label_column, 249u);
  EXPECT_EQ(opportunity_layout(columns, "locomotion", "c").label_column, 243u);

  std::vector<int> ids = {0};
  std::vector<std::string> names = {"Null"};
  std::ifstream legend(dir / "label_legend.txt");
  const std::regex entry(R"(\s*(\d+)\s+-\s+ML_Both_Arms\s+-\s+(.*\S)\s*)");
  std::smatch m;
  for (std::string line; std::getline(legend, line);)
    if (std::regex_match(line, m, entry)) {
      ids.push_back(std::stoi(m[1]));
      names.push_back(m[2]);
    }
  EXPECT_EQ(ids.size(), 18u);
  const DatasetConfig c = load_dataset_config("opportunity", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(c.data.activity_ids, ids);
  EXPECT_EQ(c.data.class_names, names);
}

TEST(OpportunityReader, ChannelsLabelsAndFilledGaps) {
  // 12 rows: Null x 5, Open Door 1 x 4, an unlisted gesture x 3. Channel 0 (column 2) misses
  // rows 3-5, channel 5 (column 7) rows 0-1 and 11, channel 112 (column 134) every row.
  std::set<std::pair<size_t, size_t>> nan = {{3, 1}, {4, 1}, {5, 1}, {0, 6}, {1, 6}, {11, 6}};
  for (size_t r = 0; r < 12; ++r) nan.insert({r, 133});
  const std::vector<int> gesture = {0, 0, 0, 0, 0, 406516, 406516, 406516, 406516, 1, 1, 1};
  OpportunityCounts counts;
  const OpportunityRecording r = parse_opportunity(recording(gesture, nan), "S1-ADL1.dat",
                                                   fixture_layout(), kGestures, counts);
  EXPECT_EQ(r.labels, (std::vector<int32_t>{0, 0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1}));
  ASSERT_EQ(r.samples.size(), 12 * kOpportunityChannels);
  const auto at = [&](size_t row, size_t channel) { return r.samples[row * 113 + channel]; };
  for (size_t row : {3, 4, 5})  // linear between rows 2 and 6
    EXPECT_NEAR(at(row, 0), value(2, 1) + (value(6, 1) - value(2, 1)) * (row - 2.0) / 4.0, 1e-3);
  EXPECT_EQ(at(0, 5), value(2, 6));  // held from the first value
  EXPECT_EQ(at(1, 5), value(2, 6));
  EXPECT_EQ(at(11, 5), value(10, 6));  // held from the last
  for (size_t row = 0; row < 12; ++row) EXPECT_EQ(at(row, 112), 0.0f);
  EXPECT_EQ(at(7, 36), value(7, 37));  // imu_BACK_accX
  EXPECT_EQ(at(7, 45), value(7, 50));  // imu_RUA_accX, after BACK's quaternions
  EXPECT_EQ(counts.rows, 12u);
  EXPECT_EQ(counts.filled_values, 6u);
  EXPECT_EQ(counts.empty_channels, 1u);
  EXPECT_EQ(counts.other_rows, 3u);
}

// Every recording of the download's layout (dataset/ with column_names.txt, some files xz'd):
// windows across each whole recording, never across two, with their subject, recording and the
// values of the file; the challenge split tests ADL4 and ADL5 of subjects 2 and 3 only.
TEST(OpportunityReader, ContinuousWindowsOfEveryRecording) {
  ScratchDir root;
  const std::filesystem::path dir = root.path() / "dataset";
  test::write_text(dir / "column_names.txt",
                   test::opportunity_columns_text(test::opportunity_column_names()));
  std::vector<int> gesture(30, 0);
  std::fill(gesture.begin() + 10, gesture.begin() + 20, 406516);
  const std::string text = recording(gesture, {});
  for (const OpportunityFile& f : opportunity_files(dir)) {
    const std::string name = f.path.filename().string();
    if (f.subject == 3)
      test::write_text(dir / (name + ".xz"), test::xz_compress(text));
    else
      test::write_text(dir / name, text);
  }
  // Windows of 8 every 4: starts 0, 4, ..., 20 (6 per recording); by their last sample.
  OpportunityCounts counts;
  const WindowSet w = read_opportunity_windows(
      root.path(), "gestures", kGestures, {"Null", "Open Door 1", "Close Door 1"}, {8, 4}, &counts);
  ASSERT_EQ(w.size(), 24u * 6);
  EXPECT_EQ(w.channels, 113);
  EXPECT_EQ(w.starts[5], 20);
  EXPECT_EQ(std::vector<int32_t>(w.labels.begin(), w.labels.begin() + 6),
            (std::vector<int32_t>{0, 1, 1, 1, 0, 0}));
  EXPECT_EQ(w.recordings[0], 11);
  EXPECT_EQ(w.recordings[6 * 5], 16);  // S1-Drill
  EXPECT_EQ(w.recordings.back(), 46);
  EXPECT_EQ(w.subjects.back(), 4);
  EXPECT_EQ(counts.windows.mixed, 3u * 24);  // from rows 4, 8 and 16
  for (size_t t = 0; t < 8; ++t)             // window 3 of S1-ADL2 starts at row 12
    for (size_t k = 0; k < 113; ++k)
      ASSERT_EQ(w.window(6 + 3)[t * 113 + k], value(12 + t, challenge_columns()[k]));
  const DatasetConfig c = load_dataset_config("opportunity", LEGOHAR_SOURCE_DIR "/configs");
  const Split s = make_split(w, "recordings", c.data.splits, 0, true);
  EXPECT_EQ(s.test.size(), 4u * 6);
  EXPECT_EQ(s.train.size(), 14u * 6);
  EXPECT_EQ(s.test_subjects, (std::vector<int>{2, 3}));
  EXPECT_FALSE(s.leaky);
}

TEST(OpportunityReader, FaultsNameFileAndLine) {
  const std::string good = recording({0, 0, 0}, {});
  const auto line = [&](size_t i) {
    size_t b = 0;
    for (size_t k = 0; k < i; ++k) b = good.find('\n', b) + 1;
    return good.substr(b, good.find('\n', b) - b);
  };
  const std::string two = line(1);
  const std::string head = two.substr(0, two.rfind(' '));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head, "249 columns, expected 250"},
      {two + " 1", "more than 250 columns"},
      {head + " abc", "column 250: 'abc' is not a number or NaN"},
      {head + " 1.5", "label 1.5 (column 250) is not an integer >= 0"},
      {head + " -3", "label -3 (column 250) is not an integer >= 0"},
      {head + " NaN", "label nan (column 250) is not an integer >= 0"},
      {"0" + two.substr(two.find(' ')), "timestamp 0 does not follow 0"},
  };
  for (const auto& [bad, problem] : cases) {
    OpportunityCounts counts;
    EXPECT_EQ(error_of([&] {
                parse_opportunity(line(0) + "\n" + bad + "\n" + line(2) + "\n", "S1-ADL1.dat",
                                  fixture_layout(), kGestures, counts);
              }),
              "S1-ADL1.dat:2: " + problem)
        << bad;
  }
  // column_names.txt: numbering out of sequence, a channel renamed, the label track missing.
  std::vector<std::string> names = test::opportunity_column_names();
  std::string text = test::opportunity_columns_text(names);
  const std::string skipped = std::regex_replace(text, std::regex("Column: 5 "), "Column: 6 ");
  EXPECT_EQ(error_of([&] { parse_opportunity_columns(skipped, "c.txt"); }),
            "c.txt:7: column 6 where column 5 was due");
  names[58] = "InertialMeasurementUnit RUA Quaternion5";
  EXPECT_EQ(error_of([&] { opportunity_layout(names, "gestures", "c.txt"); }),
            "c.txt: 112 of the challenge's 113 on-body channels found (expected the creators' "
            "column_names.txt)");
  names = test::opportunity_column_names();
  names.pop_back();
  EXPECT_EQ(error_of([&] { opportunity_layout(names, "gestures", "c.txt"); }),
            "c.txt: label track ML_Both_Arms (variant gestures) found 0 times, expected once");
  ScratchDir empty;
  EXPECT_EQ(
      error_of([&] {
        read_opportunity_windows(empty.path(), "gestures", kGestures, {"a", "b", "c"}, {8, 4});
      }),
      (empty.path() / "column_names.txt").string() + ": cannot open file (missing or unreadable)");
}

TEST(OpportunityReader, ShippedConfig) {
  const DatasetConfig c = load_dataset_config("opportunity", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(c.data.source, "opportunity");
  EXPECT_EQ(c.data.variant, "gestures");
  EXPECT_EQ(c.data.windows.length, 64);
  EXPECT_EQ(c.data.windows.step, 8);
  EXPECT_EQ(c.data.windows.label, WindowLabel::kLast);
  EXPECT_EQ(c.data.class_names.size(), 18u);
  EXPECT_EQ(c.model.input_channels, 113);
  EXPECT_EQ(c.train.protocol, "recordings");
  EXPECT_EQ(c.data.splits.test_recordings, (std::vector<int>{24, 25, 34, 35}));
  ScratchDir empty;
  EXPECT_EQ(dataset_files(c.data, empty.path()).missing.size(), 25u);  // 24 recordings + names
}

}  // namespace
}  // namespace legohar
