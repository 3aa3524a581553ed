// Reading the text files of HAR datasets: plain or xz-compressed, parsed into numeric tables.
// Every failure throws DataError whose message names the file, the line and the problem.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace legohar {

// An error in input data: "<file>:<line>: <problem>" (line omitted when the whole file is at
// fault).
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_data_error(const std::filesystem::path& file, size_t line,
                                   const std::string& problem);

// The bytes of `file`; a name ending in ".xz" is decompressed with liblzma. A directory, a missing
// or unreadable file and a read error are DataErrors naming the file.
std::string read_file_bytes(const std::filesystem::path& file);

// `dir/name` if it exists, else `dir/name.xz` if that exists, else std::nullopt-like empty path.
std::filesystem::path find_plain_or_xz(const std::filesystem::path& dir, const std::string& name);

// A dense table of numbers, row-major: rows x cols.
struct NumericTable {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;
  double at(size_t r, size_t c) const { return values[r * cols + c]; }
};

// Parses whitespace-separated numbers, one row per non-empty line. Every row must have
// `expected_cols` numbers (0: as many as the first row); NaN and infinities are refused with their
// line (a format that marks gaps so parses them its own way). `file` names the source in errors.
NumericTable parse_numeric_table(const std::string& text, const std::filesystem::path& file,
                                 size_t expected_cols = 0);

// read_file_bytes + parse_numeric_table.
NumericTable read_numeric_table(const std::filesystem::path& file, size_t expected_cols = 0);

}  // namespace legohar
