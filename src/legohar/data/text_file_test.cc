// Tests of text_file.h: plain, xz and gzip files (gzip's written by the gzip tool), and each parse
// or read error naming file, line and problem.
#include "legohar/data/text_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;

using test::ScratchDir;
using test::write_text;

TEST(NumericTable, ParsesPlainXzAndGzipAlike) {
  ScratchDir dir;
  const std::string text = "1 2 3\n4.5 -6e-1 7\n\n";
  write_text(dir.path() / "a.txt", text);
  write_text(dir.path() / "b.txt.xz", test::xz_compress(text));
  const std::string gz = (dir.path() / "c.txt.gz").string();
  ASSERT_EQ(std::system(("gzip -c " + (dir.path() / "a.txt").string() + " > " + gz).c_str()), 0);
  for (const char* name : {"a.txt", "b.txt.xz", "c.txt.gz"}) {
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
  // Beyond a float's range (they would become infinities); a double's too (strtod's ERANGE).
  for (const char* token : {"1e39", "-3.5e38", "1e308", "1e999"})
    EXPECT_EQ(
        error_of([&] { parse_numeric_table(std::string("0 0 ") + token + "\n", "acc.txt", 3); }),
        std::string("acc.txt:1: '") + token + "' is out of range (column 3: beyond +-3.4e38)");
  EXPECT_EQ(parse_numeric_table("3.4e38 -3.4e38 1e-400\n", "acc.txt", 3).values[1], -3.4e38);
}

TEST(NumericTable, RowsKeepTheirLinesAcrossBlankLines) {
  const NumericTable t = parse_numeric_table("7 1\n\n\n2.5 3000000000\n\n0 -3\n", "y.txt", 2);
  EXPECT_EQ(t.lines, (std::vector<size_t>{1, 4, 6}));
  EXPECT_EQ(t.positive_integer_at(0, 0), 7);
  EXPECT_EQ(t.positive_integer_at(0, 1), 1);
  // Each refusal names the line the row came from, the column and the value as written.
  EXPECT_EQ(error_of([&] { t.positive_integer_at(1, 0); }),
            "y.txt:4: column 1 is 2.5, not a positive integer below 2^31");
  EXPECT_EQ(error_of([&] { t.positive_integer_at(1, 1); }),
            "y.txt:4: column 2 is 3000000000, not a positive integer below 2^31");
  EXPECT_EQ(error_of([&] { t.positive_integer_at(2, 0); }),
            "y.txt:6: column 1 is 0, not a positive integer below 2^31");
  EXPECT_EQ(error_of([&] { t.positive_integer_at(2, 1); }),
            "y.txt:6: column 2 is -3, not a positive integer below 2^31");
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

TEST(NumericTable, CorruptXzAndGzipAreNamed) {
  ScratchDir dir;
  write_text(dir.path() / "bad.txt.xz", "not xz at all");
  const std::string e = error_of([&] { read_file_bytes(dir.path() / "bad.txt.xz"); });
  EXPECT_NE(e.find("bad.txt.xz: corrupt or truncated xz"), std::string::npos) << e;
  write_text(dir.path() / "a.txt", std::string(5000, 'x'));
  const std::string gz = (dir.path() / "a.txt.gz").string();
  ASSERT_EQ(std::system(("gzip -c " + (dir.path() / "a.txt").string() + " > " + gz).c_str()), 0);
  const std::string whole = read_file_bytes(gz);
  EXPECT_EQ(whole, std::string(5000, 'x'));
  std::ifstream in(gz, std::ios::binary);  // the compressed bytes
  const std::string packed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  for (const std::string& bad : {packed.substr(0, packed.size() / 2), std::string("not gzip")}) {
    write_text(dir.path() / "bad.txt.gz", bad);
    const std::string g = error_of([&] { read_file_bytes(dir.path() / "bad.txt.gz"); });
    EXPECT_NE(g.find("bad.txt.gz: corrupt or truncated gzip"), std::string::npos) << g;
  }
}

}  // namespace
}  // namespace legohar
