// Implementation of sample_text.h.
#include "legohar/data/sample_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <regex>

#include "legohar/common/error.h"
#include "legohar/data/hapt_reader.h"

namespace legohar {

SampleTextParser::SampleTextParser(std::filesystem::path source, std::vector<std::string> inputs)
    : source_(std::move(source)), inputs_(std::move(inputs)) {}

bool SampleTextParser::parse(const std::string& text, std::vector<double>& sample) {
  ++line_;
  std::vector<std::string> fields;
  std::string field;
  for (const char c : text + ",") {
    if (c == ',' || c == ' ' || c == '\t' || c == '\r') {
      if (!field.empty()) fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  if (fields.empty() || fields[0][0] == '#') return false;
  const bool numeric = fields[0].find_first_of("0123456789") != std::string::npos &&
                       fields[0].find_first_not_of("0123456789+-.eE") == std::string::npos;
  if (!numeric && !seen_data_) {  // a header
    if (fields != inputs_)
      throw_data_error(source_, line_,
                       fmt::format("the header names {}; the model takes {}",
                                   fmt::join(fields, ","), fmt::join(inputs_, ",")));
    seen_data_ = true;
    return false;
  }
  seen_data_ = true;
  if (fields.size() != inputs_.size())
    throw_data_error(source_, line_,
                     fmt::format("{} values; a sample has {} ({})", fields.size(), inputs_.size(),
                                 fmt::join(inputs_, ",")));
  sample.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    const char* begin = f.data() + (f[0] == '+' ? 1 : 0);
    const auto r = std::from_chars(begin, f.data() + f.size(), sample[i]);
    if (r.ec != std::errc() || r.ptr != f.data() + f.size() || !std::isfinite(sample[i]))
      throw_data_error(
          source_, line_,
          fmt::format("value {} ({}) '{}' is not a finite number", i + 1, inputs_[i], f));
  }
  return true;
}

std::vector<double> read_hapt_samples(const std::filesystem::path& acc_file) {
  static const std::regex name(R"(acc_exp(\d+)_user(\d+)\.txt(\.xz)?)");
  std::smatch m;
  const std::string file = acc_file.filename().string();
  if (!std::regex_match(file, m, name))
    throw Error::usage(fmt::format(
        "--format hapt: '{}' is not a HAPT acc_expNN_userMM.txt[.xz] file", acc_file.string()));
  return read_hapt_recording(acc_file.parent_path(), std::stoi(m[1]), std::stoi(m[2])).raw;
}

}  // namespace legohar
