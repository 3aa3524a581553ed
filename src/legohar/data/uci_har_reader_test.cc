// Tests of uci_har_reader.h on small files in the original UCI-HAR layout, with the real label and
// subject files' format, and its errors.
#include "legohar/data/uci_har_reader.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "legohar/data/text_file.h"
#include "runtime/preprocess.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;

using test::write_text;

// rows windows per split; channel c, window r, sample t holds c + r/10 + t/1000.
void write_small_uci(const std::filesystem::path& root, size_t rows) {
  for (const std::string split : {"train", "test"}) {
    for (size_t c = 0; c < 9; ++c) {
      std::string s;
      for (size_t r = 0; r < rows; ++r) {
        for (size_t t = 0; t < 128; ++t)
          s += fmt::format("{}{:.6e}", t ? " " : "  ",
                           static_cast<double>(c) + r / 10.0 + t / 1000.0);
        s += "\n";
      }
      write_text(root / split / "Inertial Signals" /
                     (runtime::uci_har_channel_names()[c] + "_" + split + ".txt"),
                 s);
    }
    std::string y, subj;
    for (size_t r = 0; r < rows; ++r) {
      y += std::to_string(r % 6 + 1) + "\n";
      subj += std::to_string(split == std::string("train") ? 1 : 2) + "\n";
    }
    write_text(root / split / ("y_" + split + ".txt"), y);
    write_text(root / split / ("subject_" + split + ".txt"), subj);
  }
}

const std::map<int, int> kClasses{{1, 0}, {2, 1}, {3, 2}, {4, 3}, {5, 4}, {6, 5}};
const std::vector<std::string> kNames{"a", "b", "c", "d", "e", "f"};

TEST(UciHarReader, ReadsBothSplitsInChannelOrder) {
  test::ScratchDir dir;
  write_small_uci(dir.path(), 4);
  const WindowSet w = read_uci_har_windows(dir.path(), kClasses, kNames);
  ASSERT_EQ(w.size(), 8u);
  EXPECT_EQ(w.labels, (std::vector<int32_t>{0, 1, 2, 3, 0, 1, 2, 3}));
  EXPECT_EQ(w.subjects, (std::vector<int32_t>{1, 1, 1, 1, 2, 2, 2, 2}));
  // Window 6 is test row 2: channel 5, sample 7 holds 5 + 0.2 + 0.007.
  EXPECT_NEAR(w.window(6)[7 * 9 + 5], 5.207, 1e-6);
}

TEST(UciHarReader, ErrorsNameFileAndLine) {
  test::ScratchDir dir;
  write_small_uci(dir.path(), 3);
  const auto y = dir.path() / "test" / "y_test.txt";
  write_text(y, "1\n7\n2\n");
  EXPECT_EQ(error_of([&] { read_uci_har_windows(dir.path(), kClasses, kNames); }),
            y.string() + ":2: label 7 is not one of the dataset's activities");
  // A label or subject beyond int, or not a whole number, at the line it was written on.
  write_text(y, "1\n\n1e10\n2\n");
  EXPECT_EQ(error_of([&] { read_uci_har_windows(dir.path(), kClasses, kNames); }),
            y.string() + ":3: column 1 is 10000000000, not a positive integer below 2^31");
  write_text(y, "1\n2\n3\n");
  const auto subjects = dir.path() / "test" / "subject_test.txt";
  write_text(subjects, "2\n2.5\n2\n");
  EXPECT_EQ(error_of([&] { read_uci_har_windows(dir.path(), kClasses, kNames); }),
            subjects.string() + ":2: column 1 is 2.5, not a positive integer below 2^31");
  write_text(subjects, "2\n2\n2\n");
  write_text(y, "1\n2\n");
  EXPECT_EQ(
      error_of([&] { read_uci_har_windows(dir.path(), kClasses, kNames); }),
      (dir.path() / "test" / "subject_test.txt").string() + ": has 3 rows but y_test.txt has 2");
  write_small_uci(dir.path(), 3);
  const auto acc = dir.path() / "train" / "Inertial Signals" / "body_acc_y_train.txt";
  write_text(acc, "1 2 3\n");
  EXPECT_EQ(error_of([&] { read_uci_har_windows(dir.path(), kClasses, kNames); }),
            acc.string() + ":1: expected 128 values, found 3 (short row)");
  std::filesystem::remove(acc);
  const std::string e = error_of([&] { read_uci_har_windows(dir.path(), kClasses, kNames); });
  EXPECT_EQ(e, acc.string() + ": cannot open file (missing or unreadable)");
}

TEST(UciHarReaderRealData, LabelAndSubjectFilesParse) {
  const auto data = test::real_data_dir();
  if (data.empty()) GTEST_SKIP() << "../shared/data not found";
  const NumericTable y = read_numeric_table(data / "UCI-HAR" / "train" / "y_train.txt", 1);
  const NumericTable s = read_numeric_table(data / "UCI-HAR" / "test" / "subject_test.txt", 1);
  EXPECT_EQ(y.rows, 7352u);
  EXPECT_EQ(s.rows, 2947u);
}

}  // namespace
}  // namespace legohar
