// Sliding windows over recordings: inside one labelled segment (a window has its segment's label),
// or across a continuous recording whose samples each carry a label (a window takes its last
// sample's label or its majority label).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "legohar/data/window_set.h"

namespace legohar {

// How a window across samples of several labels is labelled (continuous recordings only).
enum class WindowLabel { kLast, kMajority };

struct WindowOptions {
  int64_t length = 128;
  int64_t step = 64;
  WindowLabel label = WindowLabel::kLast;
};

// "last" / "majority"; parse_window_label throws a usage Error for anything else.
const char* window_label_name(WindowLabel label);
WindowLabel parse_window_label(const std::string& name);

// Appends to `out` every window [s, s + length) with s = begin, begin + step, ... and
// s + length <= end, cut from `signal` ([samples, out.channels] row-major). Returns the count.
size_t append_segment_windows(WindowSet& out, const float* signal, size_t samples, size_t begin,
                              size_t end, int32_t label, int32_t subject, int32_t recording,
                              const WindowOptions& options);

// What append_continuous_windows made of a recording.
struct ContinuousWindowCounts {
  size_t windows = 0;     // appended
  size_t mixed = 0;       // appended windows whose samples carry more than one label
  size_t unlabelled = 0;  // windows skipped: their label was -1 (no class)
  ContinuousWindowCounts& operator+=(const ContinuousWindowCounts& o);
};

// Appends every window [s, s + length), s = 0, step, ..., s + length <= samples, of a continuous
// recording (`signal` [samples, out.channels] row-major, `labels` [samples] class indices or -1
// for none), labelled by options.label: its last sample's label, or the label most of its samples
// carry (a tie goes to the label of the latest of the tied samples). A window whose label is -1 is
// skipped.
ContinuousWindowCounts append_continuous_windows(WindowSet& out, const float* signal,
                                                 const int32_t* labels, size_t samples,
                                                 int32_t subject, int32_t recording,
                                                 const WindowOptions& options);

// How many windows a segment of `segment_length` samples yields.
size_t windows_in_segment(size_t segment_length, const WindowOptions& options);

}  // namespace legohar
