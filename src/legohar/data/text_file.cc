// Implementation of text_file.h: liblzma and zlib stream decoding and a strict numeric-table
// parser.
#include "legohar/data/text_file.h"

#include <fmt/format.h>
#include <lzma.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

namespace legohar {
namespace fs = std::filesystem;

int NumericTable::positive_integer_at(size_t r, size_t c) const {
  const double x = at(r, c);
  if (x != std::floor(x) || x < 1 || x > std::numeric_limits<int>::max())
    fail(r, fmt::format("column {} is {}, not a positive integer below 2^31", c + 1,
                        x == std::floor(x) ? fmt::format("{:.0f}", x) : fmt::format("{}", x)));
  return static_cast<int>(x);
}

void NumericTable::fail(size_t r, const std::string& problem) const {
  throw_data_error(file, lines.at(r), problem);
}

static std::string decompress_xz(const std::string& packed, const fs::path& file) {
  lzma_stream strm = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    throw_data_error(file, 0, "cannot start the xz decoder");
  std::string out;
  std::string buf(1 << 20, '\0');
  strm.next_in = reinterpret_cast<const uint8_t*>(packed.data());
  strm.avail_in = packed.size();
  lzma_ret ret = LZMA_OK;
  while (ret == LZMA_OK) {
    strm.next_out = reinterpret_cast<uint8_t*>(buf.data());
    strm.avail_out = buf.size();
    ret = lzma_code(&strm, LZMA_FINISH);
    out.append(buf.data(), buf.size() - strm.avail_out);
  }
  lzma_end(&strm);
  if (ret != LZMA_STREAM_END)
    throw_data_error(
        file, 0,
        fmt::format("corrupt or truncated xz data (liblzma error {})", static_cast<int>(ret)));
  return out;
}

static std::string decompress_gz(const std::string& packed, const fs::path& file) {
  z_stream strm{};
  if (inflateInit2(&strm, 16 + MAX_WBITS) != Z_OK)  // 16: a gzip wrapper
    throw_data_error(file, 0, "cannot start the gzip decoder");
  std::string out;
  std::string buf(1 << 20, '\0');
  strm.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  size_t left = packed.size();
  int ret = Z_OK;
  while (ret == Z_OK) {
    if (strm.avail_in == 0 && left > 0) {  // avail_in is 32 bits wide
      strm.avail_in = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
      left -= strm.avail_in;
    }
    strm.next_out = reinterpret_cast<Bytef*>(buf.data());
    strm.avail_out = static_cast<uInt>(buf.size());
    ret = inflate(&strm, Z_NO_FLUSH);
    out.append(buf.data(), buf.size() - strm.avail_out);
    if (ret == Z_BUF_ERROR && strm.avail_in == 0 && left == 0) break;  // truncated
  }
  inflateEnd(&strm);
  if (ret != Z_STREAM_END)
    throw_data_error(file, 0, fmt::format("corrupt or truncated gzip data (zlib error {})", ret));
  return out;
}

std::string read_file_bytes(const fs::path& file) {
  std::error_code ec;
  if (fs::is_directory(file, ec)) throw_data_error(file, 0, "is a directory, not a file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_data_error(file, 0, "cannot open file (missing or unreadable)");
  std::string bytes;
  try {  // libstdc++ throws from the stream buffer on a read error
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::exception& e) {
    throw_data_error(file, 0, std::string("read error: ") + e.what());
  }
  if (in.bad()) throw_data_error(file, 0, "read error");
  if (file.extension() == ".xz") return decompress_xz(bytes, file);
  if (file.extension() == ".gz") return decompress_gz(bytes, file);
  return bytes;
}

fs::path find_plain_or_xz(const fs::path& dir, const std::string& name) {
  fs::path plain = dir / name;
  if (fs::exists(plain)) return plain;
  fs::path xz = dir / (name + ".xz");
  if (fs::exists(xz)) return xz;
  return {};
}

NumericTable parse_numeric_table(const std::string& text, const fs::path& file,
                                 size_t expected_cols) {
  NumericTable table;
  table.file = file;
  table.cols = expected_cols;
  const char* p = text.data();
  const char* end = p + text.size();
  size_t line = 0;
  std::string token;
  while (p < end) {
    ++line;
    const char* eol = static_cast<const char*>(memchr(p, '\n', end - p));
    if (!eol) eol = end;
    size_t found = 0;
    const char* q = p;
    while (q < eol) {
      while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r' || *q == ',')) ++q;
      if (q >= eol) break;
      const char* tok_end = q;
      while (tok_end < eol && *tok_end != ' ' && *tok_end != '\t' && *tok_end != '\r' &&
             *tok_end != ',')
        ++tok_end;
      token.assign(q, tok_end);
      char* parsed_end = nullptr;
      errno = 0;
      double v = std::strtod(token.c_str(), &parsed_end);
      if (parsed_end != token.c_str() + token.size() || token.empty())
        throw_data_error(file, line, fmt::format("'{}' is not a number", token));
      if (std::isnan(v) || (std::isinf(v) && errno != ERANGE))
        throw_data_error(file, line,
                         fmt::format("'{}' is not a finite number (column {})", token, found + 1));
      // Samples become 32-bit floats: a value beyond their range would turn into an infinity.
      if (std::fabs(v) > std::numeric_limits<float>::max())
        throw_data_error(
            file, line,
            fmt::format("'{}' is out of range (column {}: beyond +-3.4e38)", token, found + 1));
      ++found;
      table.values.push_back(v);
      q = tok_end;
    }
    if (found > 0) {
      if (table.cols == 0) table.cols = found;
      if (found != table.cols)
        throw_data_error(file, line,
                         fmt::format("expected {} values, found {}{}", table.cols, found,
                                     found < table.cols ? " (short row)" : ""));
      ++table.rows;
      table.lines.push_back(line);
    }
    p = eol + 1;
  }
  return table;
}

size_t parse_row_with_nans(std::string_view row, double* values, size_t max, const fs::path& file,
                           size_t line) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  size_t count = 0;
  for (size_t i = 0;;) {
    while (i < row.size() && is_space(row[i])) ++i;
    if (i == row.size()) return count;
    size_t j = i;
    while (j < row.size() && !is_space(row[j])) ++j;
    if (count == max) throw_data_error(file, line, fmt::format("more than {} columns", max));
    double v = 0;
    const auto [p, ec] = std::from_chars(row.data() + i, row.data() + j, v);
    if (ec != std::errc() || p != row.data() + j || std::isinf(v))
      throw_data_error(
          file, line,
          fmt::format("column {}: '{}' is not a number or NaN", count + 1, row.substr(i, j - i)));
    if (std::fabs(v) > std::numeric_limits<float>::max())  // samples become 32-bit floats
      throw_data_error(file, line,
                       fmt::format("column {}: '{}' is out of range (beyond +-3.4e38)", count + 1,
                                   row.substr(i, j - i)));
    values[count++] = v;
    i = j;
  }
}

NumericTable read_numeric_table(const fs::path& file, size_t expected_cols) {
  return parse_numeric_table(read_file_bytes(file), file, expected_cols);
}

}  // namespace legohar
