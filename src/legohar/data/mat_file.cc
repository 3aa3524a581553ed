// Implementation of mat_file.h with matio.
#include "legohar/data/mat_file.h"

#include <fmt/format.h>
#include <matio.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include "legohar/common/error.h"
#include "legohar/data/text_file.h"

namespace legohar {
namespace fs = std::filesystem;

namespace {

// matio reports through a logger: its messages are collected for the error that follows rather
// than printed.
thread_local std::string last_matio_message;
void collect_matio_message(int /*level*/, char* message) {
  if (message) last_matio_message = message;
}

struct MatCloser {
  void operator()(mat_t* m) const { Mat_Close(m); }
};
struct VarFreer {
  void operator()(matvar_t* v) const { Mat_VarFree(v); }
};
using MatPtr = std::unique_ptr<mat_t, MatCloser>;
using VarPtr = std::unique_ptr<matvar_t, VarFreer>;

std::string matio_detail() {
  return last_matio_message.empty() ? std::string() : " (matio: " + last_matio_message + ")";
}

// A v5 file's structure, checked before matio reads it: matio allocates whatever sizes a
// variable's header claims, so a 200-byte file could ask for gigabytes. Every element must fit in
// its container, every compressed element must inflate completely with a valid checksum, and
// every matrix's dimensions must fit in the bytes that hold it (at least one byte per value, a
// tag per cell). v7.3 files (HDF5) are left to matio and libhdf5.
class V5Check {
 public:
  V5Check(const std::string& bytes, const fs::path& file) : bytes_(bytes), file_(file) {}

  void run() {
    if (bytes_.size() < 128) fail(0, "is shorter than a MAT-file header (128 bytes)");
    const std::string endian = bytes_.substr(126, 2);
    if (endian != "IM" && endian != "MI") fail(126, "has no MAT-file v5 endian mark");
    swap_ = endian == "MI";
    const auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes_[i])); };
    const uint32_t version = swap_ ? b(124) << 8 | b(125) : b(125) << 8 | b(124);
    if (version == 0x0200) return;  // v7.3: HDF5
    if (version != 0x0100)
      fail(124,
           fmt::format("has MAT-file version {:#06x}, not 0x0100 (v5) or 0x0200 (v7.3)", version));
    elements(bytes_.data() + 128, bytes_.size() - 128, 128, 0, true);
  }

 private:
  static constexpr uint32_t kInt32 = 5, kUint32 = 6, kMatrix = 14, kCompressed = 15;
  static constexpr int kMaxDepth = 8;

  [[noreturn]] void fail(size_t offset, const std::string& problem) const {
    throw_data_error(file_, 0, fmt::format("{} (byte {})", problem, offset));
  }
  uint32_t u32(const char* p) const {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return swap_ ? __builtin_bswap32(v) : v;
  }

  // The elements of [p, p + n) (`at`: p's offset in the file, for errors).
  void elements(const char* p, size_t n, size_t at, int depth, bool top) {
    size_t i = 0;
    while (i < n) {
      if (n - i < 8) fail(at + i, "ends inside an element's tag");
      const uint32_t type = u32(p + i), size = u32(p + i + 4);
      if (size > n - i - 8)
        fail(at + i, fmt::format("an element claims {} bytes where {} remain", size, n - i - 8));
      if (type == kCompressed && top)
        matrix_in(inflate(p + i + 8, size, at + i), at + i, depth);
      else if (type == kMatrix)
        matrix(p + i + 8, size, at + i + 8, depth);
      else if (top)
        fail(at + i, fmt::format("a top-level element of type {}, not a variable", type));
      i += 8 + (type == kCompressed ? size : (size + 7) / 8 * 8);
    }
  }

  std::string inflate(const char* p, size_t n, size_t at) const {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) fail(at, "cannot start zlib");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
    z.avail_in = static_cast<uInt>(n);
    std::string out;
    int ret = Z_OK;
    char buf[1 << 16];
    while (ret == Z_OK) {  // Z_BUF_ERROR once the input runs out before the stream's end
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      ret = ::inflate(&z, Z_NO_FLUSH);
      out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    if (ret != Z_STREAM_END) fail(at, "holds corrupt or truncated compressed data");
    return out;
  }

  void matrix_in(const std::string& inflated, size_t at, int depth) {
    elements(inflated.data(), inflated.size(), at, depth, false);
  }

  // The bytes of one value of a v5 data type (miINT8 ... miUINT64, miUTF8/16/32); 0: unknown.
  static size_t value_bytes(uint32_t type) {
    switch (type) {
      case 1:
      case 2:
      case 16:
        return 1;  // miINT8, miUINT8, miUTF8
      case 3:
      case 4:
      case 17:
        return 2;  // miINT16, miUINT16, miUTF16
      case 5:
      case 6:
      case 7:
      case 18:
        return 4;  // miINT32, miUINT32, miSINGLE, miUTF32
      case 9:
      case 12:
      case 13:
        return 8;  // miDOUBLE, miINT64, miUINT64
      default:
        return 0;
    }
  }

  // A matrix element's body: array flags, dimensions, name, then its values or cells.
  void matrix(const char* p, size_t n, size_t at, int depth) {
    if (depth > kMaxDepth) fail(at, "nests cells deeper than 8");
    if (n == 0) return;  // an empty cell
    size_t i = 0;
    auto sub = [&](uint32_t& type, const char*& data, uint32_t& size) {
      if (i > n || n - i < 8) fail(at + std::min(i, n), "ends inside a matrix's header");
      type = u32(p + i);
      if (type >> 16) {  // the small-element format: size and type in one word, 4 data bytes
        size = type >> 16;
        type &= 0xffff;
        if (size > 4) fail(at + i, "a small element of more than 4 bytes");
        data = p + i + 4;
        i += 8;
        return;
      }
      size = u32(p + i + 4);
      if (size > n - i - 8) fail(at + i, "a matrix's sub-element runs past it");
      data = p + i + 8;
      i += 8 + (size + 7) / 8 * 8;
    };
    uint32_t type = 0, size = 0;
    const char* data = nullptr;
    sub(type, data, size);
    if (type != kUint32 || size != 8) fail(at, "a matrix without its array flags");
    const uint32_t flags = u32(data), cls = flags & 0xff;
    const bool complex = flags & 0x800;
    sub(type, data, size);
    if (type != kInt32 || size % 4 != 0 || size < 8) fail(at, "a matrix without dimensions");
    uint64_t count = 1;
    for (uint32_t d = 0; d < size / 4; ++d) {
      const auto dim = static_cast<int32_t>(u32(data + 4 * d));
      if (dim < 0) fail(at, "a negative dimension");
      if (__builtin_mul_overflow(count, static_cast<uint64_t>(dim), &count)) count = UINT64_MAX;
    }
    if (count > n) fail(at, fmt::format("dimensions of {} values in {} bytes", count, n));
    sub(type, data, size);  // the name
    const size_t rest = n - std::min(n, i);
    if (cls == 1) {  // a cell array: one matrix element per cell
      if (count * 8 > rest) fail(at, fmt::format("{} cells in {} bytes", count, rest));
      elements(p + i, rest, at + i, depth + 1, false);
    } else if (cls >= 4 && cls <= 15 && cls != 5) {  // characters and numbers
      if (count * (complex ? 2 : 1) > rest)
        fail(at, fmt::format("dimensions of {} values in {} bytes", count, rest));
      // The real (and imaginary) values: each element inside the matrix, holding every value
      // (matio sizes its reads by the element's byte count; the fuzzer found a 248-byte file
      // whose values claimed 3.5 GB).
      for (int part = 0; part < (complex ? 2 : 1); ++part) {
        if (count == 0 && i >= n) break;  // an empty matrix may end here
        sub(type, data, size);
        const size_t width = value_bytes(type);
        if (width == 0) fail(at, fmt::format("values of unknown type {}", type));
        if (count * width > size)
          fail(at, fmt::format("{} values in a {}-byte element", count, size));
      }
    } else {
      fail(at, fmt::format("a variable of MATLAB class {} (structures, objects and sparse "
                           "matrices are not read)",
                           cls));
    }
  }

  const std::string& bytes_;
  const fs::path& file_;
  bool swap_ = false;
};

// The variable, read whole; errors name the file and the variable.
VarPtr read_variable(const fs::path& file, const std::string& variable, MatPtr& mat) {
  static const bool logging = [] {
    Mat_LogInitFunc("legohar", collect_matio_message);
    return true;
  }();
  (void)logging;
  last_matio_message.clear();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw_data_error(file, 0, "missing file (or not a regular file)");
  // matio opens files by name only, so the checked bytes are read again by it (from the page
  // cache): the cost of one more pass over the file, which parsing dwarfs.
  V5Check(read_file_bytes(file), file).run();
  mat.reset(Mat_Open(file.c_str(), MAT_ACC_RDONLY));
  if (!mat) throw_data_error(file, 0, "not a MATLAB .mat file matio can read" + matio_detail());
  VarPtr var(Mat_VarRead(mat.get(), variable.c_str()));
  if (!var)
    throw_data_error(file, 0,
                     fmt::format("has no readable variable '{}'{}", variable, matio_detail()));
  if (var->rank != 2 || !var->dims)
    throw_data_error(file, 0,
                     fmt::format("variable '{}' has {} dimensions, not 2", variable, var->rank));
  return var;
}

template <class T>
void convert(const matvar_t& v, std::vector<double>& out) {
  const T* p = static_cast<const T*>(v.data);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(p[i]);
}

}  // namespace

MatMatrix read_mat_matrix(const fs::path& file, const std::string& variable) {
  MatPtr mat;
  const VarPtr var = read_variable(file, variable, mat);
  const matvar_t& v = *var;
  if (v.isComplex || v.class_type < MAT_C_DOUBLE || v.class_type > MAT_C_UINT64)
    throw_data_error(file, 0,
                     fmt::format("variable '{}' is not a real numeric matrix (matio class {})",
                                 variable, static_cast<int>(v.class_type)));
  MatMatrix m;
  m.rows = v.dims[0];
  m.cols = v.dims[1];
  const size_t n = m.rows * m.cols;
  if (m.cols != 0 && n / m.cols != m.rows)
    throw_data_error(file, 0, fmt::format("variable '{}' is too large", variable));
  if (n > 0 && (!v.data || v.data_size <= 0 || v.nbytes / static_cast<size_t>(v.data_size) < n))
    throw_data_error(file, 0,
                     fmt::format("variable '{}' holds fewer values than its {} x {} shape",
                                 variable, m.rows, m.cols));
  std::vector<double> column_major(n);
  switch (v.class_type) {
    case MAT_C_DOUBLE:
      convert<double>(v, column_major);
      break;
    case MAT_C_SINGLE:
      convert<float>(v, column_major);
      break;
    case MAT_C_INT8:
      convert<int8_t>(v, column_major);
      break;
    case MAT_C_UINT8:
      convert<uint8_t>(v, column_major);
      break;
    case MAT_C_INT16:
      convert<int16_t>(v, column_major);
      break;
    case MAT_C_UINT16:
      convert<uint16_t>(v, column_major);
      break;
    case MAT_C_INT32:
      convert<int32_t>(v, column_major);
      break;
    case MAT_C_UINT32:
      convert<uint32_t>(v, column_major);
      break;
    case MAT_C_INT64:
      convert<int64_t>(v, column_major);
      break;
    default:
      convert<uint64_t>(v, column_major);
      break;
  }
  m.values.resize(n);
  if (n == 0) return m;  // an empty matrix may claim 0 x 989 million: no loop over the other side
  for (size_t c = 0; c < m.cols; ++c)
    for (size_t r = 0; r < m.rows; ++r) m.values[r * m.cols + c] = column_major[c * m.rows + r];
  return m;
}

std::vector<std::vector<std::string>> read_mat_strings(const fs::path& file,
                                                       const std::string& variable) {
  MatPtr mat;
  const VarPtr var = read_variable(file, variable, mat);
  if (var->class_type != MAT_C_CELL)
    throw_data_error(file, 0, fmt::format("variable '{}' is not a cell array", variable));
  const size_t rows = var->dims[0], cols = var->dims[1];
  // An empty array may claim 0 x 50 million: nothing is allocated for the empty side (the fuzzer
  // found 248 bytes that made a 1.6 GB table of empty strings).
  if (rows == 0 || cols == 0) return {};
  std::vector<std::vector<std::string>> cells(rows, std::vector<std::string>(cols));
  for (size_t c = 0; c < cols; ++c)
    for (size_t r = 0; r < rows; ++r) {
      const matvar_t* cell = Mat_VarGetCell(var.get(), static_cast<int>(c * rows + r));
      if (!cell || cell->class_type != MAT_C_CHAR || (cell->rank == 2 && cell->dims[0] > 1))
        throw_data_error(file, 0,
                         fmt::format("variable '{}': cell ({}, {}) is not a one-line string",
                                     variable, r + 1, c + 1));
      const size_t length = cell->rank == 2 ? cell->dims[1] : 0;
      if (length > 0 && (!cell->data || cell->data_size <= 0 ||
                         cell->nbytes < length * static_cast<size_t>(cell->data_size)))
        throw_data_error(
            file, 0,
            fmt::format("variable '{}': cell ({}, {}) is truncated", variable, r + 1, c + 1));
      std::string& s = cells[r][c];
      for (size_t i = 0; i < length; ++i) {
        uint32_t code = 0;
        if (cell->data_size == 1)
          code = static_cast<const uint8_t*>(cell->data)[i];
        else if (cell->data_size == 2)
          code = static_cast<const uint16_t*>(cell->data)[i];
        else
          throw_data_error(file, 0,
                           fmt::format("variable '{}': cell ({}, {}) has {}-byte characters",
                                       variable, r + 1, c + 1, cell->data_size));
        s += code < 128 ? static_cast<char>(code) : '?';
      }
    }
  return cells;
}

}  // namespace legohar
