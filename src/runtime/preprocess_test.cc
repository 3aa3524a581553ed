// Tests of preprocess.h: the filters' text form, and the causal UCI-HAR chain against a plain
// direct-form-I computation with its own reading of "steady state from the first sample".
#include "runtime/preprocess.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "runtime/testing/test_model.h"

namespace legohar::runtime {
namespace {

TEST(UciHarFilters, KeyReadsBack) {
  UciHarFilters a;
  EXPECT_EQ(a.key(), "fs=50;median=3;order=3;noise=20;gravity=0.3");
  UciHarFilters b{100.0, 5, 4, 12.5, 0.25, true};
  EXPECT_EQ(b.key(), "fs=100;median=5;order=4;noise=12.5;gravity=0.25;causal");
  for (const UciHarFilters& f : {a, b}) {
    const UciHarFilters back = UciHarFilters::parse(f.key());
    EXPECT_EQ(back.key(), f.key());
    EXPECT_EQ(back.causal, f.causal);
  }
}

TEST(UciHarFilters, BadTextIsRefusedWithItsField) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "lacks fs="},
      {"fs=50", "ends after fs"},
      {"fs=5x;median=3;order=3;noise=20;gravity=0.3", "fs = '5x' is not a number"},
      {"fs=50;median=4;order=3;noise=20;gravity=0.3", "median width must be odd"},
      {"fs=50;median=3;order=0;noise=20;gravity=0.3", "order must lie in 1..8"},
      {"fs=50;median=3;order=3;noise=25;gravity=0.3", "a cut-off does not lie"},
      {"fs=50;median=3;order=3;noise=20;gravity=0.3;causl", "unknown 'causl'"},
      {"fs=50;median=3;order=3;noise=20;gravity=0.3;", "unknown ''"},
      {"fs=-1;median=3;order=3;noise=20;gravity=0.3", "fs must lie"},
      {"median=3;fs=50;order=3;noise=20;gravity=0.3", "lacks fs="},
  };
  for (const auto& [text, reason] : cases) {
    try {
      UciHarFilters::parse(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos)
          << "'" << text << "': wanted '" << reason << "', got '" << e.what() << "'";
    }
  }
}

// Direct form I: y[t] = sum_i b[i] x[t-i] - sum_{i>=1} a[i] y[t-i], the past before t = 0 being
// the first input held forever (x = x0, y = x0 * DC gain).
std::vector<double> direct_form_one(const IirFilter& f, const std::vector<double>& x) {
  double sb = 0, sa = 0;
  for (double v : f.b) sb += v;
  for (double v : f.a) sa += v;
  std::vector<double> y(x.size());
  for (size_t t = 0; t < x.size(); ++t) {
    double acc = 0;
    for (size_t i = 0; i < f.b.size(); ++i) acc += f.b[i] * (t >= i ? x[t - i] : x[0]);
    for (size_t i = 1; i < f.a.size(); ++i) acc -= f.a[i] * (t >= i ? y[t - i] : x[0] * sb / sa);
    y[t] = acc;
  }
  return y;
}

// The median of x[t - w + 1 .. t], x[0] standing in before the start, by sorting.
std::vector<double> trailing_median(const std::vector<double>& x, int w) {
  std::vector<double> y(x.size());
  for (size_t t = 0; t < x.size(); ++t) {
    std::vector<double> v;
    for (int j = 0; j < w; ++j) v.push_back(t >= static_cast<size_t>(j) ? x[t - j] : x[0]);
    std::sort(v.begin(), v.end());
    y[t] = v[v.size() / 2];
  }
  return y;
}

TEST(CausalUciHar, MatchesDirectFormOneChain) {
  for (const UciHarFilters& f :
       {UciHarFilters{50, 3, 3, 20, 0.3, true}, UciHarFilters{100, 5, 2, 15, 1.0, true},
        UciHarFilters{50, 1, 4, 10, 0.5, true}}) {
    const size_t T = 700;
    const std::vector<double> raw = testing::random_raw_samples(T, 5);
    const std::vector<float> got = uci_har_channels(raw.data(), T, f);
    const IirFilter noise = butterworth_lowpass(f.order, f.noise_cutoff_hz, f.sample_rate_hz);
    const IirFilter gravity = butterworth_lowpass(f.order, f.gravity_cutoff_hz, f.sample_rate_hz);
    for (size_t axis = 0; axis < 3; ++axis) {
      std::vector<double> a(T), g(T);
      for (size_t t = 0; t < T; ++t) {
        a[t] = raw[t * 6 + axis];
        g[t] = raw[t * 6 + 3 + axis];
      }
      const std::vector<double> total = direct_form_one(noise, trailing_median(a, f.median_width));
      const std::vector<double> grav = direct_form_one(gravity, total);
      const std::vector<double> rot = direct_form_one(noise, trailing_median(g, f.median_width));
      for (size_t t = 0; t < T; ++t) {
        EXPECT_NEAR(got[t * 9 + axis], total[t] - grav[t], 1e-5) << f.key() << " t " << t;
        EXPECT_NEAR(got[t * 9 + 3 + axis], rot[t], 1e-5) << f.key() << " t " << t;
        EXPECT_NEAR(got[t * 9 + 6 + axis], total[t], 1e-5) << f.key() << " t " << t;
      }
    }
  }
}

TEST(CausalUciHar, StillSensorGivesGravityAndNoMotionFromTheFirstSample) {
  UciHarFilters f;
  f.causal = true;
  CausalUciHar chain(f);
  const double raw[6] = {0.1, -0.2, 0.97, 0.01, 0.02, -0.03};
  float out[9];
  for (int t = 0; t < 50; ++t) {
    chain.step(raw, out);
    for (int axis = 0; axis < 3; ++axis) {
      EXPECT_NEAR(out[axis], 0.0, 1e-6);
      EXPECT_NEAR(out[3 + axis], raw[3 + axis], 1e-6);
      EXPECT_NEAR(out[6 + axis], raw[axis], 1e-6);
    }
  }
}

}  // namespace
}  // namespace legohar::runtime
