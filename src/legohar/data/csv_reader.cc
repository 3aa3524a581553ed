// Implementation of csv_reader.h.
#include "legohar/data/csv_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <regex>
#include <string_view>

#include "legohar/common/error.h"
#include "legohar/data/gap_fill.h"
#include "legohar/data/text_file.h"

namespace legohar {
namespace fs = std::filesystem;
using std::string_view;

std::string CsvColumn::text() const {
  return number > 0 ? fmt::format("#{}", number) : name;
}

std::string CsvLayout::key() const {
  std::string s = fmt::format(
      "files={};delimiter={};header={};time={};unit={};sample_rate={};rate={};max_gap={};"
      "label={};label_path={};subject={};subject_path={};continuous={};channels=",
      files, delimiter, header, time.text(), time_unit_s, sample_rate_hz, rate_hz, max_gap_s,
      label.text(), label_path, subject.text(), subject_path, continuous);
  for (const CsvChannel& c : channels)
    s += fmt::format("{}:{}*{}+{},", c.column.text(), c.name, c.scale, c.offset);
  return s;
}

void CsvLayout::validate() const {
  const auto bad = [](const std::string& key, const std::string& problem) {
    throw Error::usage(fmt::format("csv.{} {}", key, problem));
  };
  if (channels.empty()) bad("channels", "lists no channel");
  if (!(rate_hz > 0)) bad("rate_hz", "must be > 0 (the rate windows are cut at)");
  if (time.empty() && !(sample_rate_hz > 0))
    bad("sample_rate_hz", "must be > 0 when there is no time column");
  if (!(max_gap_s > 0)) bad("max_gap_s", "must be > 0");
  if (label.empty() == label_path.empty())
    bad("label", "or csv.label_path: exactly one must say where the labels are");
  if (!subject.empty() && !subject_path.empty())
    bad("subject", "and csv.subject_path are both given: keep one");
  if (delimiter != "auto" && delimiter != "," && delimiter != "\t" && delimiter != ";" &&
      delimiter != " ")
    bad("delimiter",
        fmt::format("'{}' is not one of auto, \",\", \"\\t\", \";\", \" \"", delimiter));
  const auto by_number = [&](const CsvColumn& c, const std::string& key) {
    if (!header && !c.empty() && c.number == 0)
      bad(key,
          fmt::format("names column '{}', but the files have no header: use its number", c.name));
  };
  by_number(time, "time");
  by_number(label, "label");
  by_number(subject, "subject");
  for (const CsvChannel& c : channels) by_number(c.column, "channels");
  for (const std::string* re : {&label_path, &subject_path}) try {
      if (!re->empty() && std::regex(*re).mark_count() < 1)
        bad(re == &label_path ? "label_path" : "subject_path", "needs a (group)");
    } catch (const std::regex_error& e) {
      bad(re == &label_path ? "label_path" : "subject_path",
          fmt::format("'{}' is not a regular expression ({})", *re, e.what()));
    }
}

std::vector<std::string> csv_channel_names(const CsvLayout& layout) {
  std::vector<std::string> names;
  for (const CsvChannel& c : layout.channels)
    names.push_back(!c.name.empty()        ? c.name
                    : c.column.number == 0 ? c.column.name
                                           : fmt::format("c{}", c.column.number));
  return names;
}

double csv_time_unit(const std::string& name) {
  if (name == "s") return 1;
  if (name == "ms") return 1e-3;
  if (name == "us") return 1e-6;
  if (name == "ns") return 1e-9;
  throw Error::usage(fmt::format("time unit '{}' is not one of s, ms, us, ns", name));
}

namespace {

// The regex matching a glob over '/'-separated paths: '**/' any folders, '*' and '?' within one.
std::regex glob_regex(const std::string& glob) {
  std::string re;
  for (size_t i = 0; i < glob.size(); ++i) {
    const char c = glob[i];
    if (glob.compare(i, 3, "**/") == 0) {
      re += "(.*/)?";
      i += 2;
    } else if (c == '*') {
      re += "[^/]*";
    } else if (c == '?') {
      re += "[^/]";
    } else {
      if (std::string_view("\\^$.|+()[]{}").find(c) != string_view::npos) re += '\\';
      re += c;
    }
  }
  return std::regex(re);
}

// A field without the blanks around it, nor the quotes around that.
string_view trim(string_view s) {
  s = trim_blanks(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

char detect_delimiter(string_view line) {
  for (char d : {'\t', ',', ';'})
    if (line.find(d) != string_view::npos) return d;
  return ' ';
}

// The fields of one line, trimmed (a ' ' delimiter: runs of spaces and tabs).
void split(string_view line, char delimiter, std::vector<string_view>& fields) {
  fields.clear();
  if (delimiter == ' ') {
    for (size_t i = 0;;) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i == line.size()) return;
      size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
      fields.push_back(trim(line.substr(i, j - i)));
      i = j;
    }
  }
  for (size_t i = 0;;) {
    const size_t j = std::min(line.find(delimiter, i), line.size());
    fields.push_back(trim(line.substr(i, j - i)));
    if (j == line.size()) return;
    i = j + 1;
  }
}

bool parse_double(string_view s, double& v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(v);
}

bool is_missing(string_view s) {
  return s.empty() || s == "NaN" || s == "nan" || s == "NA" || s == "null";
}

// The whole number the first group of `re` finds in `path`, or a data Error naming the file.
std::string path_group(const std::string& re, const std::string& path, const fs::path& file,
                       const char* what) {
  std::smatch m;
  if (!std::regex_search(path, m, std::regex(re)) || m.size() < 2 || !m[1].matched)
    throw_data_error(file, 0,
                     fmt::format("the {} pattern '{}' does not match '{}'", what, re, path));
  return m[1];
}

}  // namespace

std::vector<fs::path> csv_files(const fs::path& dir, const CsvLayout& layout) {
  std::vector<fs::path> files;
  const std::regex re = glob_regex(layout.files);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file() && std::regex_match(fs::relative(e.path(), dir).generic_string(), re))
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string CsvCounts::summary() const {
  std::string s = fmt::format("{} files, {} rows", files, rows);
  if (files > 0) {  // the measured rates, to 4 digits
    const std::string low = fmt::format("{:.4g}", min_rate_hz),
                      high = fmt::format("{:.4g}", max_rate_hz);
    s += low == high ? fmt::format(" at {} Hz", low) : fmt::format(" at {}-{} Hz", low, high);
  }
  s += fmt::format(" -> {} samples in {} pieces", samples, pieces);
  if (windows.windows + windows.unlabelled > 0) s += fmt::format(", {} windows", windows.windows);
  if (windows.mixed > 0) s += fmt::format(" ({} mixed)", windows.mixed);
  std::vector<std::string> notes;
  auto add = [&](size_t n, const char* what) {
    if (n > 0) notes.push_back(fmt::format("{} {}", n, what));
  };
  add(repeated_time_rows, "rows repeating the previous time skipped");
  add(other_rows, "rows of no class");
  add(windows.unlabelled, "windows of no class skipped");
  add(filled_values, "missing values filled by interpolation");
  if (!notes.empty()) s += fmt::format("; {}", fmt::join(notes, ", "));
  return s;
}

CsvCounts& CsvCounts::operator+=(const CsvCounts& o) {
  min_rate_hz = files == 0 ? o.min_rate_hz : std::min(min_rate_hz, o.min_rate_hz);
  max_rate_hz = files == 0 ? o.max_rate_hz : std::max(max_rate_hz, o.max_rate_hz);
  files += o.files;
  rows += o.rows;
  repeated_time_rows += o.repeated_time_rows;
  other_rows += o.other_rows;
  filled_values += o.filled_values;
  pieces += o.pieces;
  samples += o.samples;
  windows += o.windows;
  return *this;
}

namespace {

constexpr size_t kNone = SIZE_MAX;

// Where the mapped columns sit in a file's rows (0-based; kNone: not read).
struct CsvColumns {
  size_t time = kNone, label = kNone, subject = kNone;
  std::vector<size_t> channels;
  size_t needed = 0;  // the fields a row must have
};

// The columns of `layout` among `header` (the file's first row, or "#1", "#2", ... without one).
CsvColumns resolve_columns(const CsvLayout& layout, const std::vector<std::string>& header,
                           bool labelled, const fs::path& file, size_t line) {
  CsvColumns out;
  const auto find = [&](const CsvColumn& c, const char* what) -> size_t {
    if (c.empty()) return kNone;
    size_t i = c.number - 1;
    if (c.number == 0) {
      const auto it = std::find(header.begin(), header.end(), c.name);
      if (it == header.end())
        throw_data_error(file, line,
                         fmt::format("no {} column '{}' in the header (columns: {})", what, c.name,
                                     fmt::join(header, ", ")));
      i = static_cast<size_t>(it - header.begin());
    }
    out.needed = std::max(out.needed, i + 1);
    return i;
  };
  out.time = find(layout.time, "time");
  if (labelled) out.label = find(layout.label, "label");
  if (labelled) out.subject = find(layout.subject, "subject");
  for (const CsvChannel& c : layout.channels) out.channels.push_back(find(c.column, "channel"));
  return out;
}

// A file's rows as read: time (s), the channels scaled ([rows, C] row-major, NaN where missing),
// class (-1: none) and subject.
struct CsvRows {
  std::vector<double> times;
  std::vector<float> values;
  std::vector<int32_t> labels, subjects;
};

CsvRows read_csv_rows(const std::string& text, const fs::path& file,
                      const std::string& relative_path, const CsvLayout& layout,
                      const std::vector<std::string>& class_names,
                      const std::map<int, int>& class_of_activity, bool labelled,
                      CsvCounts& counts) {
  const size_t n = layout.channels.size();
  const auto class_of = [&](string_view text) -> int32_t {
    const auto it = std::find(class_names.begin(), class_names.end(), text);
    if (it != class_names.end()) return static_cast<int32_t>(it - class_names.begin());
    int id = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc() && p == text.data() + text.size())
      if (const auto c = class_of_activity.find(id); c != class_of_activity.end()) return c->second;
    return -1;
  };
  const int32_t path_label =
      !labelled || layout.label_path.empty()
          ? -1
          : class_of(path_group(layout.label_path, relative_path, file, "label_path"));
  int32_t path_subject = 0;
  if (labelled && !layout.subject_path.empty()) {
    const std::string s = path_group(layout.subject_path, relative_path, file, "subject_path");
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), path_subject);
    if (ec != std::errc() || p != s.data() + s.size())
      throw_data_error(file, 0,
                       fmt::format("the subject_path pattern finds '{}', not a whole number", s));
  }

  CsvRows rows;
  char delimiter = layout.delimiter == "auto" ? 0 : layout.delimiter[0];
  std::vector<string_view> fields;
  std::optional<CsvColumns> columns;  // resolved on the header or the first row
  for_each_line(text, [&](string_view row, size_t line) {
    const string_view t = trim(row);
    if (t.empty() || t.front() == '#') return;
    if (delimiter == 0) delimiter = detect_delimiter(t);
    split(row, delimiter, fields);
    if (!columns) {
      std::vector<std::string> header;
      for (size_t i = 0; i < fields.size(); ++i)
        header.push_back(layout.header ? std::string(fields[i]) : fmt::format("#{}", i + 1));
      columns = resolve_columns(layout, header, labelled, file, line);
      if (layout.header) return;
    }
    const CsvColumns& col = *columns;
    if (fields.size() < col.needed)
      throw_data_error(
          file, line,
          fmt::format("{} fields, the mapped columns need {}", fields.size(), col.needed));
    double time = static_cast<double>(rows.times.size()) / layout.sample_rate_hz;
    if (col.time != kNone) {
      double v = 0;
      if (!parse_double(fields[col.time], v))
        throw_data_error(file, line, fmt::format("time '{}' is not a number", fields[col.time]));
      time = v * layout.time_unit_s;
      if (!rows.times.empty() && time < rows.times.back())
        throw_data_error(
            file, line,
            fmt::format("time {} s goes back (the row before: {} s)", time, rows.times.back()));
      if (!rows.times.empty() && time == rows.times.back()) {
        ++counts.repeated_time_rows;
        return;
      }
    }
    rows.times.push_back(time);
    for (size_t c = 0; c < n; ++c) {
      const string_view f = fields[col.channels[c]];
      double v = NAN;
      if (!is_missing(f) && !parse_double(f, v))
        throw_data_error(
            file, line,
            fmt::format("column {}: '{}' is not a number", layout.channels[c].column.text(), f));
      const double scaled = v * layout.channels[c].scale + layout.channels[c].offset;
      if (std::fabs(scaled) > 3.4e38)
        throw_data_error(file, line,
                         fmt::format("column {}: {} is out of range once scaled",
                                     layout.channels[c].column.text(), f));
      rows.values.push_back(static_cast<float>(scaled));
    }
    const int32_t label = col.label != kNone ? class_of(fields[col.label]) : path_label;
    counts.other_rows += labelled && label < 0;
    rows.labels.push_back(label);
    int32_t subject = path_subject;
    if (col.subject != kNone) {
      const string_view f = fields[col.subject];
      const auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), subject);
      if (ec != std::errc() || p != f.data() + f.size())
        throw_data_error(file, line, fmt::format("subject '{}' is not a whole number", f));
    }
    rows.subjects.push_back(subject);
  });
  return rows;
}

// The rows cut into pieces at a gap over max_gap_s, a new subject and (unless the layout is
// continuous or the rows are not labelled) a new class; each piece's missing values filled (a
// channel without any becomes 0) and resampled linearly onto t0 + k / rate_hz.
CsvRecording resample_pieces(CsvRows& rows, const CsvLayout& layout, bool labelled,
                             CsvCounts& counts) {
  const size_t n = layout.channels.size(), count = rows.times.size();
  const std::vector<double>& times = rows.times;
  CsvRecording out;
  out.channel_names = csv_channel_names(layout);
  int32_t piece = 0;
  for (size_t b = 0; b < count;) {
    size_t e = b + 1;
    while (e < count && times[e] - times[e - 1] <= layout.max_gap_s &&
           rows.subjects[e] == rows.subjects[b] &&
           (layout.continuous || !labelled || rows.labels[e] == rows.labels[b]))
      ++e;
    float* x = rows.values.data() + b * n;  // [e - b, n]
    counts.filled_values += fill_nan_gaps(x, e - b, n, true);
    for (size_t c = 0; c < n; ++c)
      if (std::isnan(x[c])) {
        for (size_t t = 0; t < e - b; ++t) x[t * n + c] = 0;
        counts.filled_values += e - b;
      }
    // Counted from the span, not by stepping a time that large times would not move.
    const double t0 = times[b];
    const auto grid = static_cast<size_t>((times[e - 1] - t0) * layout.rate_hz + 1e-6) + 1;
    size_t j = b;
    for (size_t k = 0; k < grid; ++k) {
      const double g = t0 + static_cast<double>(k) / layout.rate_hz;
      while (j + 1 < e && times[j + 1] <= g) ++j;
      const double w = j + 1 < e ? (g - times[j]) / (times[j + 1] - times[j]) : 0;
      for (size_t c = 0; c < n; ++c) {
        const double a = rows.values[j * n + c];
        const double z = j + 1 < e ? rows.values[(j + 1) * n + c] : a;
        out.samples.push_back(static_cast<float>(a + (z - a) * w));
      }
      out.labels.push_back(rows.labels[j]);
      out.subjects.push_back(rows.subjects[b]);
      out.pieces.push_back(piece);
    }
    ++piece;
    b = e;
  }
  counts.pieces = static_cast<size_t>(piece);
  counts.samples = out.labels.size();
  return out;
}

}  // namespace

CsvRecording parse_csv_recording(const std::string& text, const fs::path& file,
                                 const std::string& relative_path, const CsvLayout& layout,
                                 const std::vector<std::string>& class_names,
                                 const std::map<int, int>& class_of_activity, bool labelled,
                                 CsvCounts& total) {
  CsvCounts counts;
  CsvRows rows = read_csv_rows(text, file, relative_path, layout, class_names, class_of_activity,
                               labelled, counts);
  const size_t n = rows.times.size();
  counts.files = 1;
  counts.rows = n;
  // The measured rate: the median time step.
  double rate = layout.sample_rate_hz;
  if (!layout.time.empty() && n > 1) {
    std::vector<double> steps(n - 1);
    for (size_t i = 1; i < n; ++i) steps[i - 1] = rows.times[i] - rows.times[i - 1];
    std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
    rate = 1 / steps[steps.size() / 2];
  }
  counts.min_rate_hz = counts.max_rate_hz = rate;
  CsvRecording out = resample_pieces(rows, layout, labelled, counts);
  total += counts;
  return out;
}

WindowSet read_csv_windows(const fs::path& dir, const CsvLayout& layout,
                           const std::vector<std::string>& class_names,
                           const std::map<int, int>& class_of_activity,
                           const WindowOptions& windows, CsvCounts* counts) {
  layout.validate();
  const std::vector<fs::path> files = csv_files(dir, layout);
  if (files.empty())
    throw_data_error(dir, 0, fmt::format("no file matches '{}' in the folder", layout.files));
  WindowSet out;
  out.length = windows.length;
  out.channels = static_cast<int64_t>(layout.channels.size());
  out.class_names = class_names;
  out.channel_names = csv_channel_names(layout);
  CsvCounts total;
  const size_t n = layout.channels.size();
  for (size_t f = 0; f < files.size(); ++f) {
    CsvCounts c;
    const CsvRecording r = parse_csv_recording(read_file_bytes(files[f]), files[f],
                                               fs::relative(files[f], dir).generic_string(), layout,
                                               class_names, class_of_activity, true, c);
    const auto recording = static_cast<int32_t>(f + 1);
    for (size_t b = 0; b < r.labels.size();) {
      size_t e = b;
      while (e < r.labels.size() && r.pieces[e] == r.pieces[b]) ++e;
      const size_t before = out.size();
      if (layout.continuous) {
        c.windows += append_continuous_windows(out, r.samples.data() + b * n, r.labels.data() + b,
                                               e - b, r.subjects[b], recording, windows);
      } else if (r.labels[b] >= 0) {
        c.windows.windows += append_segment_windows(out, r.samples.data() + b * n, e - b, 0, e - b,
                                                    r.labels[b], r.subjects[b], recording, windows);
      } else {
        c.windows.unlabelled += windows_in_segment(e - b, windows);
      }
      for (size_t w = before; w < out.size(); ++w)  // starts as samples of the recording
        out.starts[w] += static_cast<int64_t>(b);
      b = e;
    }
    total += c;
  }
  if (counts) *counts = total;
  return out;
}

}  // namespace legohar
