// Implementation of resample.h.
#include "runtime/resample.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace legohar::runtime {

LinearResampler::LinearResampler(double in_hz, double out_hz, size_t channels)
    : ratio_(in_hz / out_hz), channels_(channels), last_(channels) {
  if (!(in_hz > 0 && in_hz <= 1e5) || !(out_hz > 0 && out_hz <= 1e5))
    throw std::invalid_argument("resample: rates must be in (0, 100000] Hz");
  if (channels == 0) throw std::invalid_argument("resample: no channels");
}

size_t LinearResampler::push(const double* sample, std::vector<double>& out) {
  const auto i = static_cast<double>(inputs_);  // this sample's position
  size_t n = 0;
  for (;; ++n) {
    // Output k's position, snapped to a whole input when within rounding of one (so that an
    // integer ratio given as a rounded rate, 100 / 33.333333333333336, keeps exact samples).
    double p = static_cast<double>(outputs_) * ratio_;
    if (std::fabs(p - std::round(p)) <= 1e-12 * std::max(1.0, p)) p = std::round(p);
    if (p > i) break;
    const double w = inputs_ == 0 ? 1 : p - (i - 1);  // weight of this sample against the last
    for (size_t c = 0; c < channels_; ++c)
      out.push_back(w == 1 ? sample[c] : last_[c] + (sample[c] - last_[c]) * w);
    ++outputs_;
  }
  last_.assign(sample, sample + channels_);
  ++inputs_;
  return n;
}

}  // namespace legohar::runtime
