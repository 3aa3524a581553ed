// WindowSet: what every dataset reader yields — fixed-length multichannel windows with their class
// index and subject, independent of any model or tensor library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace legohar {

struct WindowSet {
  int64_t length = 0;    // samples per window (T)
  int64_t channels = 0;  // channels per sample (C)
  // The samples the windows are cut from, [S, C] row-major: the stretches of the recordings that
  // hold windows, one after another. Window i is the `length` samples from sample offsets[i]: a
  // view, so overlapping windows share their samples and memory grows with the recordings, not
  // with the windows (PAMAP2's 78 % overlap, OPPORTUNITY's step of 8).
  std::vector<float> samples;
  std::vector<int64_t> offsets;     // [N] window i's first sample in `samples`
  std::vector<int32_t> labels;      // [N] class index in [0, class_names.size())
  std::vector<int32_t> subjects;    // [N] subject id as the dataset numbers it
  std::vector<int32_t> recordings;  // [N] recording (experiment/session) id
  std::vector<int64_t> starts;      // [N] first sample of the window in its recording
  std::vector<std::string> class_names;
  std::vector<std::string> channel_names;

  size_t size() const { return labels.size(); }
  const float* window(size_t i) const { return samples.data() + offsets[i] * channels; }
  // Appends `count` samples ([count, C] row-major) to `samples`; returns the index of the first.
  int64_t add_samples(const float* x, size_t count) {
    const auto first = static_cast<int64_t>(samples.size()) / channels;
    samples.insert(samples.end(), x, x + count * static_cast<size_t>(channels));
    return first;
  }
};

}  // namespace legohar
