/* Latency of a runtime model through the C API (include/legohar_runtime.h), robust to a shared
 * machine: ROUNDS rounds of CALLS predictions of BATCH windows each, and the fastest round's time
 * per window (a round slowed by another process does not count), with the median round beside it.
 * Two builds of the runtime compare by running this alternately on one model file, as the README's
 * Deployment section does for its old-against-new figures.
 *   runtime_latency MODEL.lhm [BATCH [ROUNDS [CALLS]]]   (defaults 1, 40, 200) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "legohar_runtime.h"
#include "random_windows.h"

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int by_value(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s MODEL.lhm [BATCH [ROUNDS [CALLS]]]\n", argv[0]);
    return 2;
  }
  const long batch = argc > 2 ? atol(argv[2]) : 1, rounds = argc > 3 ? atol(argv[3]) : 40,
             calls = argc > 4 ? atol(argv[4]) : 200;
  if (batch < 1 || rounds < 1 || calls < 1) {
    fprintf(stderr, "%s: BATCH, ROUNDS and CALLS must be positive\n", argv[0]);
    return 2;
  }
  lh_model* m = lh_model_load_file(argv[1]);
  if (!m) {
    fprintf(stderr, "%s: %s\n", argv[1], lh_last_error());
    return 1;
  }
  const size_t T = lh_model_window(m), C = lh_model_channels(m), K = lh_model_classes(m);
  float* x = malloc((size_t)batch * T * C * sizeof(float));
  float* p = malloc((size_t)batch * K * sizeof(float));
  double* per_window = malloc((size_t)rounds * sizeof(double));
  if (!x || !p || !per_window) {
    fprintf(stderr, "%s: out of memory\n", argv[0]);
    return 1;
  }
  unsigned state = 1;
  fill_windows(x, (size_t)batch * T * C, &state);
  for (long r = 0; r < rounds; ++r) {
    const double start = seconds();
    for (long i = 0; i < calls; ++i)
      if (lh_model_predict(m, x, (size_t)batch, p) < 0) {
        fprintf(stderr, "%s: %s\n", argv[1], lh_last_error());
        return 1;
      }
    per_window[r] = (seconds() - start) / (double)(calls * batch);
  }
  qsort(per_window, (size_t)rounds, sizeof(double), by_value);
  printf(
      "{\"model\": \"%s\", \"batch\": %ld, \"rounds\": %ld, \"calls\": %ld, "
      "\"fastest_ms\": %.4f, \"median_ms\": %.4f}\n",
      argv[1], batch, rounds, calls, per_window[0] * 1e3, per_window[rounds / 2] * 1e3);
  free(per_window);
  free(p);
  free(x);
  lh_model_free(m);
  return 0;
}
