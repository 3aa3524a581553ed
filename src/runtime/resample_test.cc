// Tests of resample.h against closed forms: a linear signal comes out exactly (the interpolant
// of a line is the line) at every rate pair of a table, an integer ratio keeps every ratio-th
// sample bit for bit, a sine stays within the linear-interpolation error bound, bad rates are
// refused.
#include "runtime/resample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

namespace legohar::runtime {
namespace {

// Every output of `input` ([n, channels]) pushed one sample at a time.
std::vector<double> resample_all(double in_hz, double out_hz, const std::vector<double>& input,
                                 size_t channels) {
  LinearResampler r(in_hz, out_hz, channels);
  std::vector<double> out;
  for (size_t i = 0; i < input.size() / channels; ++i) {
    const size_t before = out.size(), n = r.push(&input[i * channels], out);
    EXPECT_EQ(n * channels, out.size() - before);
  }
  EXPECT_EQ(r.outputs() * channels, out.size());
  return out;
}

TEST(LinearResampler, LinesComeOutExactlyAtEveryRatePair) {
  const double pairs[][2] = {{100, 100.0 / 3}, {50, 20}, {20, 50}, {44.1, 16},
                             {30, 30},         {200, 1}, {1, 7},   {100, 99}};
  for (const auto& [in, out] : pairs) {
    const size_t n = 257, channels = 2;
    std::vector<double> x(n * channels);
    for (size_t i = 0; i < n; ++i) {
      x[i * channels] = 3 + 0.5 * static_cast<double>(i);      // a line in input samples
      x[i * channels + 1] = -2 * static_cast<double>(i) / in;  // a line in seconds
    }
    const std::vector<double> y = resample_all(in, out, x, channels);
    // Outputs at k / out s for every k with k / out <= (n - 1) / in.
    const auto expected = static_cast<size_t>(std::floor((n - 1) * out / in + 1e-9)) + 1;
    ASSERT_EQ(y.size(), expected * channels) << in << " -> " << out;
    for (size_t k = 0; k < expected; ++k) {
      const double t = static_cast<double>(k) / out;
      EXPECT_NEAR(y[k * channels], 3 + 0.5 * t * in, 1e-9 * (1 + t * in)) << in << " " << k;
      EXPECT_NEAR(y[k * channels + 1], -2 * t, 1e-9 * (1 + t)) << in << " " << k;
    }
  }
}

TEST(LinearResampler, AnIntegerRatioKeepsEveryRatioThSample) {
  std::mt19937 rng(5);
  std::normal_distribution<double> unit;
  for (int ratio : {1, 2, 3, 7, 11}) {  // 100 / (100 / 11.0) is 11 - 2^-49 in doubles
    const size_t n = 1000, channels = 3;
    std::vector<double> x(n * channels);
    for (double& v : x) v = unit(rng);
    // The model's rate as a file holds it: 100 / 3 = 33.333333333333336.
    const std::vector<double> y = resample_all(100, 100.0 / ratio, x, channels);
    ASSERT_EQ(y.size(), ((n - 1) / ratio + 1) * channels);
    for (size_t k = 0; k < y.size() / channels; ++k)
      for (size_t c = 0; c < channels; ++c)
        ASSERT_EQ(y[k * channels + c], x[k * ratio * channels + c]) << ratio << " " << k;
  }
}

TEST(LinearResampler, SineWithinTheInterpolationErrorBound) {
  const double in = 50, out = 32, f = 1.5, w = 2 * M_PI * f;
  std::vector<double> x(500);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(w * static_cast<double>(i) / in);
  const std::vector<double> y = resample_all(in, out, x, 1);
  const double h = 1 / in, bound = w * w * h * h / 8;  // max |f''| h^2 / 8
  double worst = 0;
  for (size_t k = 0; k < y.size(); ++k)
    worst = std::max(worst, std::fabs(y[k] - std::sin(w * static_cast<double>(k) / out)));
  EXPECT_LE(worst, bound);
  EXPECT_GT(worst, bound / 10);  // interpolated, not sampled from the closed form
}

TEST(LinearResampler, RefusesRatesOutsideTheRange) {
  EXPECT_THROW(LinearResampler(0, 50, 1), std::invalid_argument);
  EXPECT_THROW(LinearResampler(50, -1, 1), std::invalid_argument);
  EXPECT_THROW(LinearResampler(NAN, 50, 1), std::invalid_argument);
  EXPECT_THROW(LinearResampler(50, 2e5, 1), std::invalid_argument);
  EXPECT_THROW(LinearResampler(50, 25, 0), std::invalid_argument);
}

}  // namespace
}  // namespace legohar::runtime
