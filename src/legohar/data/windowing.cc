// Implementation of windowing.h.
#include "legohar/data/windowing.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "legohar/common/error.h"

namespace legohar {

const char* window_label_name(WindowLabel label) {
  return label == WindowLabel::kLast ? "last" : "majority";
}

WindowLabel parse_window_label(const std::string& name) {
  if (name == "last") return WindowLabel::kLast;
  if (name == "majority") return WindowLabel::kMajority;
  throw Error::usage("window label '" + name + "': use last or majority");
}

ContinuousWindowCounts& ContinuousWindowCounts::operator+=(const ContinuousWindowCounts& o) {
  windows += o.windows;
  mixed += o.mixed;
  unlabelled += o.unlabelled;
  return *this;
}

size_t windows_in_segment(size_t segment_length, const WindowOptions& o) {
  if (o.length <= 0 || o.step <= 0) throw Error::usage("window length and step must be > 0");
  const auto len = static_cast<size_t>(o.length);
  if (segment_length < len) return 0;
  return (segment_length - len) / static_cast<size_t>(o.step) + 1;
}

size_t append_segment_windows(WindowSet& out, const float* signal, size_t samples, size_t begin,
                              size_t end, int32_t label, int32_t subject, int32_t recording,
                              const WindowOptions& o) {
  if (end > samples || begin > end) throw std::out_of_range("segment outside its recording");
  const size_t count = windows_in_segment(end - begin, o);
  if (count == 0) return 0;
  const auto c = static_cast<size_t>(out.channels), step = static_cast<size_t>(o.step);
  // The stretch the windows cover, once; each window a view into it.
  const int64_t first =
      out.add_samples(signal + begin * c, (count - 1) * step + static_cast<size_t>(o.length));
  for (size_t w = 0; w < count; ++w) {
    const size_t start = begin + w * step;
    out.offsets.push_back(first + static_cast<int64_t>(w * step));
    out.labels.push_back(label);
    out.subjects.push_back(subject);
    out.recordings.push_back(recording);
    out.starts.push_back(static_cast<int64_t>(start));
  }
  return count;
}

ContinuousWindowCounts append_continuous_windows(WindowSet& out, const float* signal,
                                                 const int32_t* labels, size_t samples,
                                                 int32_t subject, int32_t recording,
                                                 const WindowOptions& o) {
  ContinuousWindowCounts counts;
  const size_t count = windows_in_segment(samples, o);
  if (count == 0) return counts;
  const auto len = static_cast<size_t>(o.length);
  // The stretch the windows cover, once; each kept window a view into it.
  const int64_t first = out.add_samples(signal, (count - 1) * static_cast<size_t>(o.step) + len);
  std::map<int32_t, size_t> votes;
  for (size_t w = 0; w < count; ++w) {
    const size_t start = w * static_cast<size_t>(o.step);
    const int32_t* l = labels + start;
    const bool mixed = std::any_of(l, l + len, [&](int32_t x) { return x != l[0]; });
    int32_t label = l[len - 1];
    if (mixed && o.label == WindowLabel::kMajority) {
      votes.clear();
      for (size_t t = 0; t < len; ++t) ++votes[l[t]];
      size_t best = 0;
      for (size_t t = len; t-- > 0;)  // from the end: a tie keeps the latest sample's label
        if (votes[l[t]] > best) best = votes[label = l[t]];
    }
    if (label < 0) {
      ++counts.unlabelled;
      continue;
    }
    out.offsets.push_back(first + static_cast<int64_t>(start));
    out.labels.push_back(label);
    out.subjects.push_back(subject);
    out.recordings.push_back(recording);
    out.starts.push_back(static_cast<int64_t>(start));
    ++counts.windows;
    counts.mixed += mixed;
  }
  return counts;
}

}  // namespace legohar
