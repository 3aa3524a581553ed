// Tests of gap_fill.h on hand-worked columns: interior runs filled linearly, runs at the ends held
// or left, a channel without a value left alone.
#include "legohar/data/gap_fill.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace legohar {
namespace {

constexpr float N = NAN;

// Three channels over six rows, row-major.
std::vector<float> columns(const std::vector<float>& a, const std::vector<float>& b,
                           const std::vector<float>& c) {
  std::vector<float> s;
  for (size_t t = 0; t < a.size(); ++t) s.insert(s.end(), {a[t], b[t], c[t]});
  return s;
}

void expect_column(const std::vector<float>& s, size_t c, const std::vector<float>& want) {
  for (size_t t = 0; t < want.size(); ++t)
    if (std::isnan(want[t]))
      EXPECT_TRUE(std::isnan(s[t * 3 + c])) << "row " << t << " channel " << c;
    else
      EXPECT_FLOAT_EQ(s[t * 3 + c], want[t]) << "row " << t << " channel " << c;
}

TEST(GapFill, InteriorRunsLinearEndsHeldOrLeft) {
  const std::vector<float> a = {N, 2, N, N, 8, N}, b = {1, N, 3, 4, 5, 6}, c(6, N);
  std::vector<float> held = columns(a, b, c), left = held;
  EXPECT_EQ(fill_nan_gaps(held.data(), 6, 3, true), 5u);
  expect_column(held, 0, {2, 2, 4, 6, 8, 8});
  expect_column(held, 1, {1, 2, 3, 4, 5, 6});
  expect_column(held, 2, c);  // no value to fill from
  EXPECT_EQ(fill_nan_gaps(left.data(), 6, 3, false), 3u);
  expect_column(left, 0, {N, 2, 4, 6, 8, N});
  expect_column(left, 1, {1, 2, 3, 4, 5, 6});
}

}  // namespace
}  // namespace legohar
