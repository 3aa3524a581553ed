// Implementation of windowing.h.
#include "legohar/data/windowing.h"

#include <stdexcept>

#include "legohar/common/error.h"

namespace legohar {

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
  const auto c = static_cast<size_t>(out.channels);
  for (size_t w = 0; w < count; ++w) {
    const size_t start = begin + w * static_cast<size_t>(o.step);
    out.data.insert(out.data.end(), signal + start * c, signal + (start + o.length) * c);
    out.labels.push_back(label);
    out.subjects.push_back(subject);
    out.recordings.push_back(recording);
    out.starts.push_back(static_cast<int64_t>(start));
  }
  return count;
}

}  // namespace legohar
