// Reading MATLAB .mat files (v5, compressed or not, and v7.3/HDF5) through matio: a numeric
// matrix as doubles, or a cell array of strings. Every failure (a file matio cannot open, a
// missing variable, another class or shape than asked for) is a data Error naming the file and
// the variable; matio's own messages are kept out of the terminal and put into the error.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace legohar {

// A 2-D numeric variable, row-major.
struct MatMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;
  double at(size_t r, size_t c) const { return values[r * cols + c]; }
};

// `variable` of `file`: a real 2-D matrix of any numeric class (double, single, (u)int8-64).
MatMatrix read_mat_matrix(const std::filesystem::path& file, const std::string& variable);

// `variable` of `file`: a 2-D cell array of character arrays, row-major (cells[r][c]); an empty
// array (a dimension of 0) gives no rows.
std::vector<std::vector<std::string>> read_mat_strings(const std::filesystem::path& file,
                                                       const std::string& variable);

}  // namespace legohar
