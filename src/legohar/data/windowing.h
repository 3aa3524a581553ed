// Sliding windows inside one labelled segment of a continuous recording.
#pragma once

#include <cstddef>
#include <cstdint>

#include "legohar/data/window_set.h"

namespace legohar {

struct WindowOptions {
  int64_t length = 128;
  int64_t step = 64;
};

// Appends to `out` every window [s, s + length) with s = begin, begin + step, ... and
// s + length <= end, cut from `signal` ([samples, out.channels] row-major). Returns the count.
size_t append_segment_windows(WindowSet& out, const float* signal, size_t samples, size_t begin,
                              size_t end, int32_t label, int32_t subject, int32_t recording,
                              const WindowOptions& options);

// How many windows a segment of `segment_length` samples yields.
size_t windows_in_segment(size_t segment_length, const WindowOptions& options);

}  // namespace legohar
