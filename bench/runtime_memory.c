/* Resident memory of a process that loads a runtime model and predicts with it through the C API
 * (include/legohar_runtime.h), as a device would: single windows, then a stream fed raw samples in
 * chunks of 32, then (apart) a batch of 256 windows. Prints one JSON object: the model file's
 * bytes, the process's resident set (VmRSS, kB) before loading, after loading and after each
 * phase, its peak (VmHWM) after the stream, and that peak above the start less the model's bytes:
 * what the runtime adds to the model. The batch's own input (1.2 MB for UCI-HAR windows) is the
 * caller's and comes after.
 *   runtime_memory MODEL.lhm [WINDOWS]      (WINDOWS single-window calls, default 1000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "legohar_runtime.h"
#include "random_windows.h"

/* A "Key:   N kB" line of /proc/self/status, in kB (-1 when absent). */
static long status_kb(const char* key) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  const size_t n = strlen(key);
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, key, n) == 0) kb = strtol(line + n, NULL, 10);
  if (f) fclose(f);
  return kb;
}

static long file_bytes(const char* path) {
  FILE* f = fopen(path, "rb");
  long n = -1;
  if (f && fseek(f, 0, SEEK_END) == 0) n = ftell(f);
  if (f) fclose(f);
  return n;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s MODEL.lhm [WINDOWS]\n", argv[0]);
    return 2;
  }
  const long windows = argc > 2 ? atol(argv[2]) : 1000;
  const long start = status_kb("VmRSS:");
  lh_model* m = lh_model_load_file(argv[1]);
  if (!m) {
    fprintf(stderr, "%s: %s\n", argv[1], lh_last_error());
    return 1;
  }
  const long loaded = status_kb("VmRSS:");
  const size_t T = lh_model_window(m), C = lh_model_channels(m), K = lh_model_classes(m);
  const size_t batch = 256;
  const size_t inputs = lh_model_inputs(m), chunk = 32;
  float* x = malloc((T * C > chunk * inputs ? T * C : chunk * inputs) * sizeof(float));
  float* p = malloc(batch * K * sizeof(float));
  if (!x || !p) return 1;
  unsigned state = 1;
  for (long i = 0; i < windows; ++i) {
    fill_windows(x, T * C, &state);
    if (lh_model_predict(m, x, 1, p) < 0) return 1;
  }
  const long singles = status_kb("VmRSS:");
  lh_stream* s = lh_stream_create(m, 128, 0);
  if (!s) return 1;
  lh_prediction out;
  long predictions = 0;
  for (long i = 0; i < windows * (long)lh_model_step(m) / (long)chunk; ++i) {
    fill_windows(x, chunk * inputs, &state);
    for (size_t j = 0; j < chunk * inputs; ++j) x[j] *= 0.25f; /* in a sensor's range */
    if (lh_stream_push(s, x, chunk) < 0) return 1;
    while (lh_stream_next(s, &out) == 1) ++predictions;
  }
  const long streamed = status_kb("VmRSS:"), peak = status_kb("VmHWM:");
  float* b = malloc(batch * T * C * sizeof(float));
  if (!b) return 1;
  fill_windows(b, batch * T * C, &state);
  if (lh_model_predict(m, b, batch, p) < 0) return 1;
  const long batched = status_kb("VmRSS:");
  const long model = file_bytes(argv[1]);
  printf(
      "{\"model_bytes\": %ld, \"rss_start_kb\": %ld, \"rss_loaded_kb\": %ld, "
      "\"rss_after_singles_kb\": %ld, \"rss_after_stream_kb\": %ld, \"stream_predictions\": "
      "%ld, \"peak_kb\": %ld, \"peak_above_start_less_model_kb\": %ld, "
      "\"rss_after_batch_kb\": %ld}\n",
      model, start, loaded, singles, streamed, predictions, peak, peak - start - model / 1024,
      batched);
  free(b);
  lh_stream_free(s);
  lh_model_free(m);
  free(x);
  free(p);
  return 0;
}
