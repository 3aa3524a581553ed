// Implementation of gap_fill.h.
#include "legohar/data/gap_fill.h"

#include <cmath>

namespace legohar {

size_t fill_nan_gaps(float* s, size_t rows, size_t n, bool hold_ends) {
  size_t filled = 0;
  for (size_t c = 0; c < n; ++c) {
    const auto at = [&](size_t t) -> float& { return s[t * n + c]; };
    size_t t = 0;
    while (t < rows && std::isnan(at(t))) ++t;
    if (t == rows) continue;  // no value at all
    if (hold_ends)
      for (size_t k = 0; k < t; ++k, ++filled) at(k) = at(t);
    size_t last = t;  // the last row with a value
    for (++t; t < rows; ++t) {
      if (std::isnan(at(t))) continue;
      for (size_t k = last + 1; k < t; ++k, ++filled) {
        const float w = static_cast<float>(k - last) / static_cast<float>(t - last);
        at(k) = (1 - w) * at(last) + w * at(t);
      }
      last = t;
    }
    if (hold_ends)
      for (size_t k = last + 1; k < rows; ++k, ++filled) at(k) = at(last);
  }
  return filled;
}

}  // namespace legohar
