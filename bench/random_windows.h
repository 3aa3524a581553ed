/* Input windows for the runtime's benchmarks: values in [-2, 2) from a fixed linear
 * congruential sequence, so that every run and every build predicts the same windows. */
#pragma once

#include <stddef.h>

static inline void fill_windows(float* x, size_t n, unsigned* state) {
  for (size_t i = 0; i < n; ++i) {
    *state = *state * 1664525u + 1013904223u;
    x[i] = (float)(*state >> 8) / (float)(1u << 24) * 4.0f - 2.0f;
  }
}
