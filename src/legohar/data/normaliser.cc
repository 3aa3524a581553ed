// Implementation of normaliser.h.
#include "legohar/data/normaliser.h"

#include <cmath>
#include <stdexcept>

namespace legohar {

Normaliser Normaliser::fit(const WindowSet& w, const std::vector<size_t>& rows) {
  if (rows.empty()) throw std::invalid_argument("cannot fit a normaliser on zero windows");
  const auto c = static_cast<size_t>(w.channels);
  std::vector<double> sum(c, 0.0), sq(c, 0.0);
  for (size_t r : rows) {
    const float* x = w.window(r);
    for (int64_t t = 0; t < w.length; ++t)
      for (size_t k = 0; k < c; ++k) {
        const double v = x[t * c + k];
        sum[k] += v;
        sq[k] += v * v;
      }
  }
  const double n = static_cast<double>(rows.size()) * static_cast<double>(w.length);
  Normaliser out;
  for (size_t k = 0; k < c; ++k) {
    const double mean = sum[k] / n;
    const double var = std::max(0.0, sq[k] / n - mean * mean);
    out.mean.push_back(static_cast<float>(mean));
    out.std.push_back(static_cast<float>(var > 1e-12 ? std::sqrt(var) : 1.0));
  }
  return out;
}

void Normaliser::apply(float* x, size_t n) const {
  const size_t c = mean.size();
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < c; ++k) x[i * c + k] = (x[i * c + k] - mean[k]) / std[k];
}

nlohmann::json Normaliser::to_json() const {
  return {{"mean", mean}, {"std", std}};
}

Normaliser Normaliser::from_json(const nlohmann::json& j) {
  Normaliser n;
  j.at("mean").get_to(n.mean);
  j.at("std").get_to(n.std);
  if (n.mean.size() != n.std.size())
    throw std::invalid_argument("normaliser: mean and std differ in size");
  return n;
}

}  // namespace legohar
