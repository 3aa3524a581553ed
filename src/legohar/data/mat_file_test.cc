// Tests of mat_file.h: matrices and string cells written with matio in the v5 format (compressed
// and not) and v7.3 read back to the values written; every refusal names the file and the variable.
#include "legohar/data/mat_file.h"

#include <gtest/gtest.h>

#include <cstring>

#include "legohar/data/text_file.h"
#include "mat_writer.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;
using test::MatVariable;
using test::ScratchDir;

TEST(MatFile, MatricesAndStringsRoundTrip) {
  const MatVariable doubles{"d", 2, 3, {1.5, -2, 3, 4, 5e-3, 6e10}, MAT_C_DOUBLE, {}};
  const MatVariable bytes{"u", 3, 2, {1, 2, 3, 250, 17, 0}, MAT_C_UINT8, {}};
  const MatVariable singles{"s", 1, 4, {0.25, -1, 7, 1e-3}, MAT_C_SINGLE, {}};
  const MatVariable names{"names", 0, 0, {}, MAT_C_CELL, {{"Walking up", "Running"}, {"W", "R"}}};
  for (const auto& [version, compress] :
       {std::pair{MAT_FT_MAT5, true}, std::pair{MAT_FT_MAT5, false},
        std::pair{MAT_FT_MAT73, false}}) {
    ScratchDir dir;
    const auto file = dir.path() / "f.mat";
    test::write_mat(file, {doubles, bytes, singles, names}, version, compress);
    for (const MatVariable* v : {&doubles, &bytes, &singles}) {
      const MatMatrix m = read_mat_matrix(file, v->name);
      ASSERT_EQ(m.rows, v->rows) << v->name;
      ASSERT_EQ(m.cols, v->cols);
      for (size_t i = 0; i < v->values.size(); ++i)
        EXPECT_DOUBLE_EQ(m.values[i],
                         v->cls == MAT_C_SINGLE ? static_cast<float>(v->values[i]) : v->values[i])
            << v->name << " " << i << " version " << version;
    }
    EXPECT_EQ(read_mat_strings(file, "names"), names.cells) << version;
  }
}

TEST(MatFile, RefusalsNameFileAndVariable) {
  ScratchDir dir;
  const auto file = dir.path() / "f.mat";
  test::write_mat(
      file, {{"d", 2, 2, {1, 2, 3, 4}, MAT_C_DOUBLE, {}}, {"c", 0, 0, {}, MAT_C_CELL, {{"a"}}}});
  EXPECT_EQ(error_of([&] {
              read_mat_matrix(file, "nope");
            }).rfind(file.string() + ": has no readable variable 'nope'", 0),
            0u);
  EXPECT_EQ(error_of([&] { read_mat_matrix(file, "c"); }),
            file.string() + ": variable 'c' is not a real numeric matrix (matio class 1)");
  EXPECT_EQ(error_of([&] { read_mat_strings(file, "d"); }),
            file.string() + ": variable 'd' is not a cell array");
  test::write_text(dir.path() / "text.mat", "not a mat file at all\n");
  EXPECT_EQ(error_of([&] { read_mat_matrix(dir.path() / "text.mat", "d"); }),
            (dir.path() / "text.mat").string() +
                ": is shorter than a MAT-file header (128 bytes) (byte 0)");
  test::write_text(dir.path() / "text.mat", std::string(200, 'x'));
  EXPECT_EQ(error_of([&] { read_mat_matrix(dir.path() / "text.mat", "d"); }),
            (dir.path() / "text.mat").string() + ": has no MAT-file v5 endian mark (byte 126)");
  EXPECT_EQ(error_of([&] { read_mat_matrix(dir.path() / "missing.mat", "d"); }),
            (dir.path() / "missing.mat").string() + ": missing file (or not a regular file)");
  // A v5 file cut short: refused, never read past its end.
  const std::string whole = read_file_bytes(file);
  test::write_text(dir.path() / "cut.mat", whole.substr(0, whole.size() - 20));
  EXPECT_EQ(error_of([&] {
              read_mat_matrix(dir.path() / "cut.mat", "c");
            }).rfind((dir.path() / "cut.mat").string() + ": an element claims", 0),
            0u);
}

// matio allocates what a variable's header claims: a file whose header claims more values than
// it holds is refused before matio reads it (the fuzzer's first finding: 195 bytes asking for
// 3.4 GB through a corrupted compressed stream).
TEST(MatFile, HeadersClaimingMoreThanTheFileHoldsAreRefused) {
  ScratchDir dir;
  const auto plain = dir.path() / "plain.mat";
  test::write_mat(plain, {{"d", 2, 2, {1, 2, 3, 4}, MAT_C_DOUBLE, {}}}, MAT_FT_MAT5, false);
  std::string bytes = read_file_bytes(plain);
  // Header (128), the matrix tag (8), the array flags (16), the dimensions' tag (8): rows.
  const int32_t rows = 100000;
  std::memcpy(&bytes[160], &rows, 4);
  test::write_text(plain, bytes);
  EXPECT_EQ(error_of([&] {
              read_mat_matrix(plain, "d");
            }).rfind(plain.string() + ": dimensions of 200000 values in", 0),
            0u);
  std::memcpy(&bytes[132], "\xff\xff\xff\x00", 4);  // the matrix's byte count
  test::write_text(plain, bytes);
  EXPECT_EQ(error_of([&] {
              read_mat_matrix(plain, "d");
            }).rfind(plain.string() + ": an element claims 16777215 bytes where", 0),
            0u);

  // The values' element claiming more bytes than the matrix holds (the fuzzer's second finding:
  // 0xd2000030 bytes, which matio took for a negative size), or fewer than its values need.
  test::write_mat(plain, {{"d", 2, 2, {1, 2, 3, 4}, MAT_C_DOUBLE, {}}}, MAT_FT_MAT5, false);
  bytes = read_file_bytes(plain);
  // After the matrix tag, flags (16), dimensions (16) and the 1-letter name (8): the values' tag.
  ASSERT_EQ(bytes[176], 9);  // miDOUBLE
  std::memcpy(&bytes[180], "\x30\x00\x00\xd2", 4);
  test::write_text(plain, bytes);
  EXPECT_EQ(error_of([&] { read_mat_matrix(plain, "d"); }),
            plain.string() + ": a matrix's sub-element runs past it (byte 176)");
  std::memcpy(&bytes[180], "\x10\x00\x00\x00", 4);
  test::write_text(plain, bytes);
  EXPECT_EQ(error_of([&] { read_mat_matrix(plain, "d"); }),
            plain.string() + ": 4 values in a 16-byte element (byte 136)");

  // An empty matrix of 0 x 989 million (the fuzzer's third finding: a 10-second loop over the
  // empty side) reads at once as empty.
  test::write_mat(plain, {{"d", 0, 0, {}, MAT_C_DOUBLE, {}}}, MAT_FT_MAT5, false);
  bytes = read_file_bytes(plain);
  std::memcpy(&bytes[164], "\x03\x00\x00\x3b", 4);  // the columns
  test::write_text(plain, bytes);
  const MatMatrix empty = read_mat_matrix(plain, "d");
  EXPECT_EQ(empty.rows, 0u);
  EXPECT_EQ(empty.cols, 989855747u);
  EXPECT_TRUE(empty.values.empty());

  // An empty cell array of 0 x 50 million (the fuzzer's fourth finding: 1.6 GB of empty strings
  // for its empty side) reads as no rows, at once.
  const auto cells = dir.path() / "cells.mat";
  test::write_mat(cells, {{"c", 0, 0, {}, MAT_C_CELL, {{"x"}}}}, MAT_FT_MAT5, false);
  bytes = read_file_bytes(cells);
  std::memcpy(&bytes[160], "\x00\x00\x00\x00\xfb\xff\x00\x03", 8);  // rows 0, columns 50 M
  test::write_text(cells, bytes);
  EXPECT_TRUE(read_mat_strings(cells, "c").empty());

  const auto packed = dir.path() / "packed.mat";
  test::write_mat(packed, {{"d", 2, 2, {1, 2, 3, 4}, MAT_C_DOUBLE, {}}}, MAT_FT_MAT5, true);
  bytes = read_file_bytes(packed);
  bytes[142] ^= 0x5a;  // inside the deflate stream
  test::write_text(packed, bytes);
  EXPECT_EQ(error_of([&] { read_mat_matrix(packed, "d"); }),
            packed.string() + ": holds corrupt or truncated compressed data (byte 128)");
}

}  // namespace
}  // namespace legohar
