// Reading the text files of HAR datasets: plain, xz- or gzip-compressed, parsed into numeric
// tables. Every failure throws a data Error (common/error.h) whose message names the file, the line
// and the problem.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "legohar/common/error.h"

namespace legohar {

// The bytes of `file`; a name ending in ".xz" is decompressed with liblzma, one ending in ".gz"
// with zlib. A directory, a missing or unreadable file, a read error and corrupt compressed data
// are data Errors naming the file.
std::string read_file_bytes(const std::filesystem::path& file);

// `dir/name` if it exists, else `dir/name.xz` if that exists, else std::nullopt-like empty path.
std::filesystem::path find_plain_or_xz(const std::filesystem::path& dir, const std::string& name);

// A dense table of numbers, row-major: rows x cols, read from `file`; row r was line lines[r]
// (blank lines are skipped).
struct NumericTable {
  std::filesystem::path file;
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;
  std::vector<size_t> lines;
  double at(size_t r, size_t c) const { return values[r * cols + c]; }
  // The value at (r, c) as an int in [1, 2^31 - 1] (an id, a label, a row number); anything else
  // is a data error at the row's line, naming the column and the value as written.
  int positive_integer_at(size_t r, size_t c) const;
  // A data error at row r's line.
  [[noreturn]] void fail(size_t r, const std::string& problem) const;
};

// Parses whitespace-separated numbers, one row per non-empty line. Every row must have
// `expected_cols` numbers (0: as many as the first row); NaN and infinities are refused with their
// line (a format that marks gaps so parses them its own way). `file` names the source in errors.
NumericTable parse_numeric_table(const std::string& text, const std::filesystem::path& file,
                                 size_t expected_cols = 0);

// Calls line_fn(row, line) for each line of `text` (row without its '\n'; line 1-based).
template <typename LineFn>
void for_each_line(std::string_view text, LineFn&& line_fn) {
  size_t line = 0;
  for (size_t begin = 0; begin < text.size();) {
    const size_t end = std::min(text.find('\n', begin), text.size());
    line_fn(text.substr(begin, end - begin), ++line);
    begin = end + 1;
  }
}

// `s` without the spaces and tabs around it (and a '\r' a CRLF line ends with).
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The whitespace-separated numbers of one line of a format that writes gaps as "NaN" (PAMAP2,
// OPPORTUNITY), into values[0, max); returns how many (0: a blank line). More than `max` values,
// a token that is not a number or "NaN", an infinity and a value beyond a float's range are data
// errors at file:line naming the column.
size_t parse_row_with_nans(std::string_view row, double* values, size_t max,
                           const std::filesystem::path& file, size_t line);

// read_file_bytes + parse_numeric_table.
NumericTable read_numeric_table(const std::filesystem::path& file, size_t expected_cols = 0);

}  // namespace legohar
