// Tests of unimib_reader.h: windows from small files in the download's layout (written with
// matio), its refusals, and the real acc_labels.mat and acc_names.mat of ../shared/data against
// the counts the creators document.
#include "legohar/data/unimib_reader.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "legohar/config/dataset_config.h"
#include "legohar/data/dataset.h"
#include "mat_writer.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;
using test::MatVariable;
using test::ScratchDir;

// The value the fixture stores for window r, axis a, sample t.
double sample(size_t r, size_t a, size_t t) {
  return std::sin(0.1 * t + a) * 9.81 + r;
}

// `labels` rows (class, subject, trial) and their windows, x then y then z samples per row.
void write_fixture(const std::filesystem::path& dir, const std::vector<std::vector<double>>& labels,
                   mat_ft version = MAT_FT_MAT5) {
  MatVariable data{"acc_data", labels.size(), 3 * kUnimibWindow, {}, MAT_C_DOUBLE, {}};
  MatVariable lab{"acc_labels", labels.size(), 3, {}, MAT_C_DOUBLE, {}};
  for (size_t r = 0; r < labels.size(); ++r) {
    for (size_t a = 0; a < 3; ++a)
      for (size_t t = 0; t < kUnimibWindow; ++t) data.values.push_back(sample(r, a, t));
    lab.values.insert(lab.values.end(), labels[r].begin(), labels[r].end());
  }
  test::write_mat(dir / "acc_data.mat", {data}, version);
  test::write_mat(dir / "acc_labels.mat", {lab}, version);
}

TEST(UnimibReader, WindowsFromTheDownloadLayout) {
  for (mat_ft version : {MAT_FT_MAT5, MAT_FT_MAT73}) {
    ScratchDir dir;
    write_fixture(dir.path(), {{3, 1, 1}, {4, 1, 2}, {17, 2, 1}, {3, 2, 5}}, version);
    // Classes 3 and 17 only (as a config listing them would ask).
    const WindowSet w =
        read_unimib_windows(dir.path(), "acc", {{3, 0}, {17, 1}}, {"Walking", "FallingLeft"});
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w.labels, (std::vector<int32_t>{0, 1, 0}));
    EXPECT_EQ(w.subjects, (std::vector<int32_t>{1, 2, 2}));
    EXPECT_EQ(w.recordings, (std::vector<int32_t>{3001, 17001, 3005}));
    EXPECT_EQ(w.length, kUnimibWindow);
    EXPECT_EQ(w.channels, 3);
    const size_t rows[] = {0, 2, 3};  // the file rows of the windows kept
    for (size_t i = 0; i < 3; ++i)
      for (size_t t = 0; t < kUnimibWindow; ++t)
        for (size_t a = 0; a < 3; ++a)
          ASSERT_FLOAT_EQ(w.window(i)[t * 3 + a], static_cast<float>(sample(rows[i], a, t)))
              << i << " " << t << " " << a;
  }
}

TEST(UnimibReader, RefusalsNameTheFile) {
  ScratchDir dir;
  write_fixture(dir.path(), {{3, 1, 1}, {4, 1, 2.5}});
  const auto labels = (dir.path() / "acc_labels.mat").string();
  EXPECT_EQ(error_of([&] { read_unimib_labels(dir.path(), "acc"); }),
            labels + ": 'acc_labels' row 2: the trial is 2.5, not a positive integer");
  // Labels for three windows, data for two.
  test::write_mat(dir.path() / "acc_labels.mat",
                  {{"acc_labels", 3, 3, {3, 1, 1, 3, 1, 2, 3, 1, 3}, MAT_C_UINT8, {}}});
  EXPECT_EQ(
      error_of([&] {
        read_unimib_windows(dir.path(), "acc", {{3, 0}}, {"W"});
      }),
      (dir.path() / "acc_data.mat").string() + ": 'acc_data' has 2 rows but acc_labels.mat has 3");
  // A window of 150 samples per axis.
  test::write_mat(dir.path() / "acc_data.mat",
                  {{"acc_data", 3, 450, std::vector<double>(3 * 450, 1.0), MAT_C_DOUBLE, {}}});
  EXPECT_EQ(error_of([&] {
              read_unimib_windows(dir.path(), "acc", {{3, 0}}, {"W"});
            }),
            (dir.path() / "acc_data.mat").string() +
                ": 'acc_data' has 450 columns, not 453 (x, y and z of 151 samples)");
  std::vector<double> nan(3 * 453, 1.0);
  nan[453 + 7] = std::nan("");
  test::write_mat(dir.path() / "acc_data.mat", {{"acc_data", 3, 453, nan, MAT_C_DOUBLE, {}}});
  EXPECT_EQ(error_of([&] {
              read_unimib_windows(dir.path(), "acc", {{3, 0}}, {"W"});
            }),
            (dir.path() / "acc_data.mat").string() +
                ": 'acc_data' row 2 column 8: nan is not a finite number");
  EXPECT_EQ(error_of([&] { read_unimib_labels(dir.path(), "walk"); }),
            "unknown UniMiB-SHAR variant 'walk' (known: acc, adl, fall, two_classes)");
}

// The creators' acc_labels.mat and acc_names.mat (../shared/data/UniMiB-SHAR/data): 11771
// windows of 17 classes and 30 subjects, trials 1-6, with the class counts of the data README.
TEST(UnimibReader, RealLabelsAndNames) {
  const auto data = test::real_data_dir();
  const auto dir = data / "UniMiB-SHAR" / "data";
  if (data.empty() || !std::filesystem::exists(dir / "acc_labels.mat"))
    GTEST_SKIP() << "no UniMiB-SHAR labels";
  const std::vector<UnimibLabel> labels = read_unimib_labels(dir, "acc");
  ASSERT_EQ(labels.size(), 11771u);
  std::vector<size_t> per_class(17);
  std::set<int> subjects, trials;
  for (const UnimibLabel& l : labels) {
    ASSERT_GE(l.activity, 1);
    ASSERT_LE(l.activity, 17);
    ++per_class[l.activity - 1];
    subjects.insert(l.subject);
    trials.insert(l.trial);
  }
  EXPECT_EQ(per_class, (std::vector<size_t>{153, 216, 1738, 1985, 921, 746, 1324, 296, 200, 529,
                                            511, 526, 661, 484, 434, 513, 534}));
  EXPECT_EQ(subjects.size(), 30u);
  EXPECT_EQ(*subjects.begin(), 1);
  EXPECT_EQ(*subjects.rbegin(), 30);
  EXPECT_EQ(trials, (std::set<int>{1, 2, 3, 4, 5, 6}));
  const std::vector<std::string> names = read_unimib_names(dir);
  const DatasetConfig c = load_dataset_config("unimib-shar", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(names, c.data.class_names);  // the shipped config names the classes as the file does
  EXPECT_EQ(names.front(), "StandingUpFS");
  EXPECT_EQ(names.back(), "FallingLeft");
}

TEST(UnimibReader, ShippedConfig) {
  const DatasetConfig c = load_dataset_config("unimib-shar", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(c.data.source, "unimib-shar");
  EXPECT_EQ(c.data.variant, "acc");
  EXPECT_EQ(c.data.windows.length, kUnimibWindow);
  EXPECT_EQ(c.data.class_names.size(), 17u);
  EXPECT_EQ(c.model.input_channels, 3);
  EXPECT_EQ(c.train.protocol, "random:0.3");
  EXPECT_DOUBLE_EQ(c.train.lr, 5e-4);
  ScratchDir empty;
  const DatasetFiles files = dataset_files(c.data, empty.path());
  EXPECT_EQ(files.missing.size(), 2u);  // acc_data.mat and acc_labels.mat
}

}  // namespace
}  // namespace legohar
