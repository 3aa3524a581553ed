// Tests of text_file.h: plain and xz files, and each parse or read error naming file, line and
// problem.
#include "legohar/data/text_file.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;

using test::ScratchDir;
using test::write_text;

TEST(NumericTable, ParsesPlainAndXzAlike) {
  ScratchDir dir;
  const std::string text = "1 2 3\n4.5 -6e-1 7\n\n";
  write_text(dir.path() / "a.txt", text);
  write_text(dir.path() / "b.txt.xz", test::xz_compress(text));
  for (const char* name : {"a.txt", "b.txt.xz"}) {
    const NumericTable t = read_numeric_table(dir.path() / name, 3);
    ASSERT_EQ(t.rows, 2u) << name;
    EXPECT_DOUBLE_EQ(t.at(1, 0), 4.5);
    EXPECT_DOUBLE_EQ(t.at(1, 1), -0.6);
  }
  EXPECT_EQ(find_plain_or_xz(dir.path(), "b.txt"), dir.path() / "b.txt.xz");
  EXPECT_TRUE(find_plain_or_xz(dir.path(), "c.txt").empty());
}

TEST(NumericTable, ShortRowNamesFileAndLine) {
  EXPECT_EQ(error_of([] { parse_numeric_table("1 2 3\n4 5\n", "acc.txt", 3); }),
            "acc.txt:2: expected 3 values, found 2 (short row)");
}

TEST(NumericTable, LongRowNamesFileAndLine) {
  EXPECT_EQ(error_of([] { parse_numeric_table("1 2 3\n1 2 3 4\n", "acc.txt"); }),
            "acc.txt:2: expected 3 values, found 4");
}

TEST(NumericTable, NonNumberNamesFileLineAndToken) {
  EXPECT_EQ(error_of([] { parse_numeric_table("1 2 3\n\n1 x2 3\n", "gyro.txt", 3); }),
            "gyro.txt:3: 'x2' is not a number");
}

TEST(NumericTable, NonFiniteValuesNameFileLineAndColumn) {
  for (const char* token : {"nan", "NaN", "inf", "-Infinity"})
    EXPECT_EQ(error_of([&] {
                parse_numeric_table(std::string("1 2 3\n4 ") + token + " 6\n", "acc.txt", 3);
              }),
              std::string("acc.txt:2: '") + token + "' is not a finite number (column 2)");
  EXPECT_EQ(error_of([] { parse_numeric_table("1e999 0 0\n", "acc.txt", 3); }),
            "acc.txt:1: '1e999' is out of range");
}

TEST(NumericTable, DirectoryInsteadOfFileIsNamed) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "labels.txt");
  EXPECT_EQ(error_of([&] { read_file_bytes(dir.path() / "labels.txt"); }),
            (dir.path() / "labels.txt").string() + ": is a directory, not a file");
}

TEST(NumericTable, MissingFileIsNamed) {
  const std::string e = error_of([] { read_file_bytes("/nonexistent/labels.txt"); });
  EXPECT_NE(e.find("/nonexistent/labels.txt"), std::string::npos) << e;
  EXPECT_NE(e.find("cannot open"), std::string::npos) << e;
}

TEST(NumericTable, CorruptXzIsNamed) {
  ScratchDir dir;
  write_text(dir.path() / "bad.txt.xz", "not xz at all");
  const std::string e = error_of([&] { read_file_bytes(dir.path() / "bad.txt.xz"); });
  EXPECT_NE(e.find("bad.txt.xz: corrupt or truncated xz"), std::string::npos) << e;
}

}  // namespace
}  // namespace legohar
