// Per-channel standardisation, fitted on training windows only and stored with the model so that
// inference applies exactly the training preprocessing.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/data/window_set.h"

namespace legohar {

struct Normaliser {
  std::vector<float> mean;  // [C]
  std::vector<float> std;   // [C], never 0

  // Mean and standard deviation per channel over every sample of windows `rows`.
  static Normaliser fit(const WindowSet& w, const std::vector<size_t>& rows);
  // x <- (x - mean) / std on `n` samples of C channels, [n, C] row-major.
  void apply(float* samples, size_t n) const;

  nlohmann::json to_json() const;
  static Normaliser from_json(const nlohmann::json& j);
};

}  // namespace legohar
