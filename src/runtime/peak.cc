// Implementation of peak.h.
#include "runtime/peak.h"

#include <algorithm>
#include <chrono>

#include "runtime/simd.h"

namespace legohar::runtime {

LEGOHAR_MULTIVERSION
float multiply_add_chains(size_t rounds, float start) {
  Vec x[kPeakChains];
  for (size_t i = 0; i < kPeakChains; ++i)
    for (size_t j = 0; j < kLanes; ++j)
      x[i][j] = start + static_cast<float>(i) + static_cast<float>(j) / 16.0f;
  const Vec a = Vec{} + 0.999f, b = Vec{} + 0.001f;
  for (size_t r = 0; r < rounds; ++r)
    for (size_t i = 0; i < kPeakChains; ++i) x[i] = x[i] * a + b;
  float sum = 0.0f;
  for (size_t i = 0; i < kPeakChains; ++i)
    for (size_t j = 0; j < kLanes; ++j) sum += x[i][j];
  return sum;
}

double peak_gflops(double seconds) {
  using Clock = std::chrono::steady_clock;
  const auto timed = [](size_t rounds) {
    const auto t0 = Clock::now();
    volatile float sink = multiply_add_chains(rounds, 1.0f);
    (void)sink;
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  size_t rounds = 1 << 12;
  while (timed(rounds) < seconds) rounds *= 2;
  double best = timed(rounds);
  for (int i = 0; i < 2; ++i) best = std::min(best, timed(rounds));
  const double flops = 2.0 * static_cast<double>(rounds * kPeakChains * kLanes);
  return flops / best / 1e9;
}

}  // namespace legohar::runtime
