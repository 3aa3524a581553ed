// Tests of hapt_reader.h on small files in the HAPT RawData format (its errors among them) and on
// the real recordings when ../shared/data is present (window counts of UCI-HAR and HAPT).
#include "legohar/data/hapt_reader.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "legohar/config/dataset_config.h"
#include "legohar/data/split.h"
#include "legohar/data/text_file.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;

using test::ScratchDir;
using test::write_text;

std::string table(size_t rows, double scale) {
  std::string s;
  for (size_t r = 0; r < rows; ++r)
    s += fmt::format("{} {} {}\n", scale * std::sin(0.1 * r), scale * std::cos(0.05 * r),
                     1.0 + 0.01 * r);
  return s;
}

// Two experiments of user 1 and 2: 400 and 300 rows; labels for activities 1, 2 and 7.
void write_small_hapt(const std::filesystem::path& raw, bool compress_acc) {
  const std::string acc1 = table(400, 1.0);
  if (compress_acc)
    write_text(raw / "acc_exp01_user01.txt.xz", test::xz_compress(acc1));
  else
    write_text(raw / "acc_exp01_user01.txt", acc1);
  write_text(raw / "gyro_exp01_user01.txt", table(400, 0.5));
  write_text(raw / "acc_exp02_user02.txt", table(300, 1.0));
  write_text(raw / "gyro_exp02_user02.txt", table(300, 0.5));
  write_text(raw / "labels.txt", "1 1 1 1 200\n1 1 7 201 260\n1 1 2 261 400\n2 2 2 11 300\n");
}

const std::vector<std::string> kNames{"WALKING", "UPSTAIRS"};
const std::map<int, int> kClasses{{1, 0}, {2, 1}};

TEST(HaptReader, WindowsInsideSegments) {
  for (bool xz : {false, true}) {
    ScratchDir dir;
    write_small_hapt(dir.path(), xz);
    const WindowSet w = read_hapt_windows(dir.path(), kClasses, kNames, {128, 64}, {});
    // Segments of 200, 140 and 290 rows: 2 + 1 + 3 windows; the activity-7 segment is skipped.
    ASSERT_EQ(w.size(), 6u);
    EXPECT_EQ(w.labels, (std::vector<int32_t>{0, 0, 1, 1, 1, 1}));
    EXPECT_EQ(w.subjects, (std::vector<int32_t>{1, 1, 1, 2, 2, 2}));
    EXPECT_EQ(w.starts, (std::vector<int64_t>{0, 64, 260, 10, 74, 138}));
    EXPECT_EQ(w.channels, 9);
    // Each segment's windows are views into the stretch they cover: 192 + 128 + 256 samples.
    EXPECT_EQ(w.samples.size(), (192u + 128 + 256) * 9);
    EXPECT_EQ(w.offsets, (std::vector<int64_t>{0, 64, 192, 320, 384, 448}));
  }
}

TEST(HaptReader, LabelOutsideRecordingNamesLabelsLine) {
  ScratchDir dir;
  write_small_hapt(dir.path(), false);
  write_text(dir.path() / "labels.txt", "1 1 1 1 200\n2 2 2 11 301\n");
  EXPECT_EQ(error_of([&] {
              read_hapt_windows(dir.path(), kClasses, kNames, {128, 64}, {});
            }),
            (dir.path() / "labels.txt").string() +
                ":2: rows 11..301 lie outside acc_exp02_user02.txt (300 rows)");
}

TEST(HaptReader, BadLabelValuesNameTheLine) {
  ScratchDir dir;
  write_small_hapt(dir.path(), false);
  // The error read_hapt_labels gives for this labels.txt, without the file's name.
  const auto error_for = [&](const std::string& labels) {
    write_text(dir.path() / "labels.txt", labels);
    const std::string e = error_of([&] { read_hapt_labels(dir.path()); });
    const std::string file = (dir.path() / "labels.txt").string();
    return e.rfind(file, 0) == 0 ? e.substr(file.size()) : e;
  };
  EXPECT_EQ(error_for("1 1 1 1 200\n1 1 1.5 201 260\n"),
            ":2: column 3 is 1.5, not a positive integer below 2^31");
  // Numbers too large for an int are shown as written, not overflowed.
  EXPECT_EQ(error_for("1 1 1 1 200\n1 1 1 201 3000000000\n"),
            ":2: column 5 is 3000000000, not a positive integer below 2^31");
  EXPECT_EQ(error_for("1e10 1 1 1 200\n"),
            ":1: column 1 is 10000000000, not a positive integer below 2^31");
  // An activity HAPT does not have is an error, not a row dropped in silence.
  EXPECT_EQ(error_for("1 1 1 1 200\n1 1 13 201 260\n"),
            ":2: activity 13 is not a HAPT activity (1-12, activity_labels.txt)");
  EXPECT_EQ(error_for("1 1 1 300 200\n"), ":1: segment ends (row 200) before it starts (row 300)");
}

TEST(HaptReader, MissingAndMismatchedFilesAreNamed) {
  ScratchDir dir;
  write_small_hapt(dir.path(), false);
  std::filesystem::remove(dir.path() / "gyro_exp02_user02.txt");
  EXPECT_EQ(error_of([&] {
              read_hapt_windows(dir.path(), kClasses, kNames, {128, 64}, {});
            }),
            (dir.path() / "gyro_exp02_user02.txt").string() +
                ": missing file (looked for it plain and as .xz)");
  write_text(dir.path() / "gyro_exp02_user02.txt", table(299, 0.5));
  EXPECT_EQ(error_of([&] {
              read_hapt_windows(dir.path(), kClasses, kNames, {128, 64}, {});
            }),
            (dir.path() / "gyro_exp02_user02.txt").string() +
                ": has 299 rows but acc_exp02_user02.txt has 300");
  write_text(dir.path() / "gyro_exp02_user02.txt", table(300, 0.5) + "1 2\n");
  EXPECT_EQ(error_of([&] {
              read_hapt_windows(dir.path(), kClasses, kNames, {128, 64}, {});
            }),
            (dir.path() / "gyro_exp02_user02.txt").string() +
                ":301: expected 3 values, found 2 (short row)");
}

TEST(HaptReaderRealData, UciHarAndHaptWindowCounts) {
  const auto data = test::real_data_dir();
  if (data.empty()) GTEST_SKIP() << "../shared/data not found";
  for (const auto& [name, train, test] :
       {std::tuple{"uci-har", 7415u, 2996u}, std::tuple{"hapt", 7767u, 3162u}}) {
    const DatasetConfig c = load_dataset_config(name, LEGOHAR_SOURCE_DIR "/configs");
    const WindowSet w = load_windows(c.data, data, "");
    const Split s = split_by_subjects(w, c.data.splits.train_subjects);
    EXPECT_EQ(s.train.size(), train) << name;
    EXPECT_EQ(s.test.size(), test) << name;
    EXPECT_EQ(s.test_subjects, (std::vector<int>{2, 4, 9, 10, 12, 13, 18, 20, 24})) << name;
    // UCI-HAR's body_acc has (nearly) zero mean, total_acc carries gravity (about 1 g overall).
    double body = 0, total = 0;
    for (size_t i = 0; i < w.size(); ++i)
      for (int64_t t = 0; t < w.length; ++t) {
        const float* s9 = w.window(i) + t * 9;
        body += s9[0];
        total += std::sqrt(s9[6] * s9[6] + s9[7] * s9[7] + s9[8] * s9[8]);
      }
    const double n = static_cast<double>(w.size() * w.length);
    EXPECT_NEAR(body / n, 0.0, 0.01) << name;
    EXPECT_NEAR(total / n, 1.0, 0.1) << name;
  }
}

}  // namespace
}  // namespace legohar
