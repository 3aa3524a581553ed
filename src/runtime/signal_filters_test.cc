// Tests of signal_filters.h against closed forms: first-order Butterworth coefficients, the -3 dB
// point at the cut-off, zero-phase forward-backward filtering, the median filter.
#include "runtime/signal_filters.h"

#include <gtest/gtest.h>

#include <cmath>

namespace legohar::runtime {
namespace {

const double kPi = std::acos(-1.0);

TEST(Butterworth, FirstOrderMatchesBilinearClosedForm) {
  // H(z) = t (1 + z^-1) / ((1 + t) + (t - 1) z^-1), t = tan(pi fc / fs).
  const double fs = 50, fc = 5, t = std::tan(kPi * fc / fs);
  const IirFilter f = butterworth_lowpass(1, fc, fs);
  ASSERT_EQ(f.b.size(), 2u);
  EXPECT_NEAR(f.b[0], t / (1 + t), 1e-12);
  EXPECT_NEAR(f.b[1], t / (1 + t), 1e-12);
  EXPECT_NEAR(f.a[0], 1.0, 1e-12);
  EXPECT_NEAR(f.a[1], (t - 1) / (t + 1), 1e-12);
}

class ButterworthCutoff : public ::testing::TestWithParam<std::tuple<int, double>> {};

TEST_P(ButterworthCutoff, MinusThreeDecibelsAtCutoffUnityAtDc) {
  const auto [order, cutoff] = GetParam();
  const IirFilter f = butterworth_lowpass(order, cutoff, 50.0);
  EXPECT_NEAR(magnitude_response(f, 0.0, 50.0), 1.0, 1e-9);
  EXPECT_NEAR(20 * std::log10(magnitude_response(f, cutoff, 50.0)), -3.0103, 1e-3);
  // Monotone fall-off: an octave above the cut-off is attenuated by about 6 dB per order.
  if (2 * cutoff < 25.0) {
    EXPECT_LT(20 * std::log10(magnitude_response(f, 2 * cutoff, 50.0)), -5.0 * order);
  }
}

INSTANTIATE_TEST_SUITE_P(UciHarFilters, ButterworthCutoff,
                         ::testing::Values(std::make_tuple(3, 20.0), std::make_tuple(3, 0.3),
                                           std::make_tuple(1, 5.0), std::make_tuple(4, 10.0)));

TEST(Filtfilt, ZeroPhaseAndSquaredMagnitudeOnASinusoid) {
  const double fs = 50, fc = 0.3;
  const IirFilter f = butterworth_lowpass(3, fc, fs);
  std::vector<double> x(20000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(2 * kPi * fc * static_cast<double>(i) / fs);
  const std::vector<double> y = filtfilt(f, x);
  // In the middle, y = |H|^2 x with no phase shift: at the cut-off |H|^2 = 1/2.
  for (size_t i = 8000; i < 12000; i += 97) EXPECT_NEAR(y[i], 0.5 * x[i], 2e-3) << i;
}

TEST(Filtfilt, ConstantSignalPassesUnchangedToTheEdges) {
  const IirFilter f = butterworth_lowpass(3, 20.0, 50.0);
  const std::vector<double> y = filtfilt(f, std::vector<double>(100, 0.981));
  for (double v : y) EXPECT_NEAR(v, 0.981, 1e-9);
}

TEST(Filtfilt, RejectsSignalShorterThanPadding) {
  EXPECT_THROW(filtfilt(butterworth_lowpass(3, 20.0, 50.0), std::vector<double>(12, 1.0)),
               std::invalid_argument);
}

TEST(MedianFilter, RemovesSpikesKeepsEdges) {
  const std::vector<double> x{1, 9, 2, 3, -7, 4, 5};
  const std::vector<double> expect{1, 2, 3, 2, 3, 4, 5};
  EXPECT_EQ(median_filter(x, 3), expect);
  EXPECT_THROW(median_filter(x, 2), std::invalid_argument);
}

}  // namespace
}  // namespace legohar::runtime
