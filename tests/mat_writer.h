// Writes small MATLAB .mat files with matio for the readers' tests: numeric matrices and cell
// arrays of strings, in the v5 format (compressed or not) or v7.3 (HDF5), as the downloads have
// them.
#pragma once

#include <matio.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace legohar::test {

// A variable to write: a rows x cols matrix of `cls` (values row-major, converted to the class's
// C type), or, when `cells` is not empty, a cell array of strings (cells[r][c]).
struct MatVariable {
  std::string name;
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> values;
  matio_classes cls = MAT_C_DOUBLE;
  std::vector<std::vector<std::string>> cells;
};

template <class T>
std::vector<T> column_major_as(const MatVariable& v) {
  std::vector<T> out(v.rows * v.cols);
  for (size_t r = 0; r < v.rows; ++r)
    for (size_t c = 0; c < v.cols; ++c)
      out[c * v.rows + r] = static_cast<T>(v.values[r * v.cols + c]);
  return out;
}

// A numeric variable of C type T.
template <class T>
matvar_t* numeric_variable(const MatVariable& v, matio_classes cls, matio_types type) {
  std::vector<T> data = column_major_as<T>(v);
  size_t dims[2] = {v.rows, v.cols};
  return Mat_VarCreate(v.name.c_str(), cls, type, 2, dims, data.data(), 0);  // copies the data
}

inline matvar_t* cell_variable(const MatVariable& v) {
  size_t dims[2] = {v.cells.size(), v.cells[0].size()};
  matvar_t* var = Mat_VarCreate(v.name.c_str(), MAT_C_CELL, MAT_T_CELL, 2, dims, nullptr, 0);
  for (size_t r = 0; r < dims[0]; ++r)
    for (size_t c = 0; c < dims[1]; ++c) {
      // As MATLAB writes characters: UTF-16 code units.
      std::vector<uint16_t> s(v.cells[r][c].begin(), v.cells[r][c].end());
      size_t sdims[2] = {1, s.size()};
      Mat_VarSetCell(var, static_cast<int>(c * dims[0] + r),
                     Mat_VarCreate(nullptr, MAT_C_CHAR, MAT_T_UINT16, 2, sdims, s.data(), 0));
    }
  return var;
}

inline void write_mat(const std::filesystem::path& file, const std::vector<MatVariable>& vars,
                      mat_ft version = MAT_FT_MAT5, bool compress = true) {
  mat_t* mat = Mat_CreateVer(file.c_str(), nullptr, version);
  if (!mat) throw std::runtime_error("cannot create " + file.string());
  for (const MatVariable& v : vars) {
    matvar_t* var = !v.cells.empty()       ? cell_variable(v)
                    : v.cls == MAT_C_UINT8 ? numeric_variable<uint8_t>(v, v.cls, MAT_T_UINT8)
                    : v.cls == MAT_C_SINGLE
                        ? numeric_variable<float>(v, v.cls, MAT_T_SINGLE)
                        : numeric_variable<double>(v, MAT_C_DOUBLE, MAT_T_DOUBLE);
    if (!var || Mat_VarWrite(mat, var, compress ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE))
      throw std::runtime_error("cannot write " + v.name + " to " + file.string());
    Mat_VarFree(var);
  }
  Mat_Close(mat);
}

}  // namespace legohar::test
