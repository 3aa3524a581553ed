// WindowSet: what every dataset reader yields — fixed-length multichannel windows with their class
// index and subject, independent of any model or tensor library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace legohar {

struct WindowSet {
  int64_t length = 0;               // samples per window (T)
  int64_t channels = 0;             // channels per sample (C)
  std::vector<float> data;          // [N, T, C] row-major
  std::vector<int32_t> labels;      // [N] class index in [0, class_names.size())
  std::vector<int32_t> subjects;    // [N] subject id as the dataset numbers it
  std::vector<int32_t> recordings;  // [N] recording (experiment/session) id
  std::vector<int64_t> starts;      // [N] first sample of the window in its recording
  std::vector<std::string> class_names;
  std::vector<std::string> channel_names;

  size_t size() const { return labels.size(); }
  const float* window(size_t i) const { return data.data() + i * length * channels; }
};

}  // namespace legohar
