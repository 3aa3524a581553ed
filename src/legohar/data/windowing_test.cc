// Tests of windowing.h: windows inside a segment, and windows across a continuous recording
// labelled by their last or majority sample, on hand-worked examples.
#include "legohar/data/windowing.h"

#include <gtest/gtest.h>

#include "legohar/common/error.h"

namespace legohar {
namespace {

// A recording of 10 samples x 2 channels, sample t = (t, 100 + t).
std::vector<float> ramp() {
  std::vector<float> s;
  for (int t = 0; t < 10; ++t) s.insert(s.end(), {float(t), float(100 + t)});
  return s;
}

TEST(Windowing, SegmentWindowsStayInside) {
  WindowSet w;
  w.channels = 2;
  const std::vector<float> s = ramp();
  // Segment [1, 9): windows of 3 every 2 from 1, 3, 5 (7 + 3 > 9).
  EXPECT_EQ(append_segment_windows(w, s.data(), 10, 1, 9, 4, 7, 70, {3, 2}), 3u);
  EXPECT_EQ(w.starts, (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(w.labels, (std::vector<int32_t>{4, 4, 4}));
  EXPECT_EQ(w.window(2)[0], 5.0f);  // window 2's first sample
  // Views into the stretch [1, 8) the windows cover, stored once.
  EXPECT_EQ(w.samples.size(), 7u * 2);
  EXPECT_EQ(w.offsets, (std::vector<int64_t>{0, 2, 4}));
  EXPECT_EQ(windows_in_segment(2, {3, 2}), 0u);
  EXPECT_THROW(windows_in_segment(5, {3, 0}), Error);
}

// Labels 0 0 0 1 1 -1 -1 -1 2 2, windows of 4 every 2 (from 0, 2, 4, 6):
//   from 0: 0 0 0 1     last 1, majority 0
//   from 2: 0 1 1 -1    last -1 (skipped), majority 1
//   from 4: 1 -1 -1 -1  skipped either way
//   from 6: -1 -1 2 2   last 2, majority: a tie of -1 and 2, the latest sample's 2
TEST(Windowing, ContinuousWindowsByLastOrMajority) {
  const std::vector<int32_t> labels = {0, 0, 0, 1, 1, -1, -1, -1, 2, 2};
  const std::vector<float> s = ramp();
  const auto run = [&](WindowLabel rule, WindowSet& w) {
    w.channels = 2;
    return append_continuous_windows(w, s.data(), labels.data(), 10, 3, 31, {4, 2, rule});
  };
  WindowSet last, majority;
  const ContinuousWindowCounts a = run(WindowLabel::kLast, last);
  EXPECT_EQ(last.labels, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(last.starts, (std::vector<int64_t>{0, 6}));
  EXPECT_EQ(a.windows, 2u);
  EXPECT_EQ(a.mixed, 2u);
  EXPECT_EQ(a.unlabelled, 2u);
  const ContinuousWindowCounts b = run(WindowLabel::kMajority, majority);
  EXPECT_EQ(majority.labels, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(majority.starts, (std::vector<int64_t>{0, 2, 6}));
  EXPECT_EQ(b.windows, 3u);
  EXPECT_EQ(b.mixed, 3u);
  EXPECT_EQ(b.unlabelled, 1u);
  EXPECT_EQ(majority.subjects, (std::vector<int32_t>{3, 3, 3}));
  EXPECT_EQ(majority.recordings, (std::vector<int32_t>{31, 31, 31}));
  EXPECT_EQ(majority.samples.size(), 10u * 2);  // the recording once
  EXPECT_EQ(majority.window(1)[0], 2.0f);       // window 1, sample 0, channel 0: t = 2
  EXPECT_EQ(majority.window(2)[7], 109.0f);     // window 2, sample 3, channel 1: t = 9
  EXPECT_EQ(parse_window_label("majority"), WindowLabel::kMajority);
  EXPECT_STREQ(window_label_name(WindowLabel::kLast), "last");
  EXPECT_THROW(parse_window_label("first"), Error);
}

}  // namespace
}  // namespace legohar
