// Raw sensor samples as text, for streams (`legohar predict`): one sample per line, its values
// separated by commas, spaces or tabs, read a line at a time so that standard input can be a live
// sensor. Blank lines and lines starting with '#' are skipped; a first line of names is a header,
// which must name the model's inputs in order. Every other fault is a data Error naming the
// source, the line and the problem.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace legohar {

class SampleTextParser {
 public:
  // `source` names the input in errors ("<stdin>" or a path); `inputs` the values of a sample.
  SampleTextParser(std::filesystem::path source, std::vector<std::string> inputs);
  // The next line (without its newline). Returns true and sets `sample` ([inputs]) for a sample;
  // false for a blank, comment or header line.
  bool parse(const std::string& line, std::vector<double>& sample);

 private:
  std::filesystem::path source_;
  std::vector<std::string> inputs_;
  size_t line_ = 0;
  bool seen_data_ = false;
};

// A HAPT recording as raw samples [T, 6] (acc xyz in g, gyro xyz in rad/s) from the path of its
// acc_expNN_userMM.txt[.xz]; the gyro file is its sibling.
std::vector<double> read_hapt_samples(const std::filesystem::path& acc_file);

}  // namespace legohar
