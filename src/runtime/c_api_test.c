/* The C API (include/legohar_runtime.h) from a C program: loading from a file and from memory,
 * the model's shape and names, batch (on one and on three threads) and single predictions against
 * the reference probabilities
 * that runtime_test_files wrote, a stream of raw samples against the windows it filtered offline,
 * and each failure reported through lh_last_error().
 *   runtime_c_test DIR   (DIR holds what runtime_test_files writes) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "legohar_runtime.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* The whole file, its size in *size; NULL if it cannot be read. */
static void* read_all(const char* dir, const char* name, size_t* size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  void* data = malloc(*size ? *size : 1);
  if (data && fread(data, 1, *size, f) != *size) {
    free(data);
    data = NULL;
  }
  fclose(f);
  return data;
}

static int argmax(const float* p, size_t n) {
  size_t best = 0;
  for (size_t i = 1; i < n; ++i)
    if (p[i] > p[best]) best = i;
  return (int)best;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: runtime_c_test DIR\n");
    return 2;
  }
  const char* dir = argv[1];
  size_t model_size = 0, windows_size = 0, expected_size = 0;
  void* bytes = read_all(dir, "model.lhm", &model_size);
  float* windows = read_all(dir, "windows.f32", &windows_size);
  float* expected = read_all(dir, "expected.f32", &expected_size);
  if (!bytes || !windows || !expected) {
    fprintf(stderr, "runtime_c_test: cannot read the files in %s\n", dir);
    return 1;
  }

  char path[4096];
  snprintf(path, sizeof path, "%s/model.lhm", dir);
  lh_model* from_file = lh_model_load_file(path);
  lh_model* model = lh_model_load_buffer(bytes, model_size);
  free(bytes); /* the model keeps its own copy */
  CHECK(from_file != NULL && model != NULL);
  if (!from_file || !model) {
    fprintf(stderr, "load: %s\n", lh_last_error());
    return 1;
  }
  CHECK(strcmp(lh_last_error(), "") == 0);

  const size_t classes = lh_model_classes(model), T = lh_model_window(model),
               C = lh_model_channels(model);
  const size_t count = windows_size / sizeof(float) / (T * C);
  CHECK(classes >= 2 && T > 0 && C > 0);
  CHECK(count == 8 && expected_size == count * classes * sizeof(float));
  CHECK(classes == lh_model_classes(from_file) && T == lh_model_window(from_file));
  CHECK(strcmp(lh_model_class_name(model, 1), "class 1") == 0);
  CHECK(strcmp(lh_model_channel_name(model, 0), "ch0") == 0);
  CHECK(lh_model_class_name(model, classes) == NULL);
  CHECK(lh_model_channel_name(model, C) == NULL);

  /* The batch, then each window alone from the other model: both equal the reference. */
  float* batch = malloc(count * classes * sizeof(float));
  float* one = malloc(classes * sizeof(float));
  CHECK(lh_model_predict(model, windows, count, batch) ==
        argmax(expected + (count - 1) * classes, classes));
  for (size_t i = 0; i < count; ++i) {
    const float* want = expected + i * classes;
    CHECK(lh_model_predict(from_file, windows + i * T * C, 1, one) == argmax(want, classes));
    for (size_t k = 0; k < classes; ++k) {
      CHECK(fabsf(batch[i * classes + k] - want[k]) <= 1e-5f);
      CHECK(one[k] == batch[i * classes + k]);
    }
  }
  /* The batch spread over 3 threads: the same probabilities, to the bit. */
  float* threaded = malloc(count * classes * sizeof(float));
  CHECK(lh_model_set_threads(model, 3) == 0);
  CHECK(lh_model_predict(model, windows, count, threaded) ==
        argmax(expected + (count - 1) * classes, classes));
  CHECK(memcmp(threaded, batch, count * classes * sizeof(float)) == 0);
  CHECK(lh_model_set_threads(model, 0) == -1);
  CHECK(strstr(lh_last_error(), "threads is 0") != NULL);
  CHECK(lh_model_set_threads(NULL, 2) == -1);
  free(threaded);

  /* Failures: a NULL, and no model where there is none or a damaged one. */
  CHECK(lh_model_predict(model, NULL, 1, one) == -1);
  CHECK(strstr(lh_last_error(), "NULL") != NULL);
  CHECK(lh_model_predict(model, windows, 0, one) == -1);
  snprintf(path, sizeof path, "%s/no-such-model.lhm", dir);
  CHECK(lh_model_load_file(path) == NULL);
  CHECK(strstr(lh_last_error(), "cannot open") != NULL);
  CHECK(lh_model_load_buffer("LEGOHARM", 8) == NULL);
  CHECK(strstr(lh_last_error(), "not a legohar model file") != NULL);
  lh_model_free(NULL);

  /* A stream: raw samples pushed 7 at a time give every window's probabilities. */
  size_t stream_model_size = 0, raw_size = 0, stream_expected_size = 0;
  void* stream_bytes = read_all(dir, "stream_model.lhm", &stream_model_size);
  float* raw = read_all(dir, "raw.f32", &raw_size);
  float* stream_expected = read_all(dir, "stream_expected.f32", &stream_expected_size);
  lh_model* sm = stream_bytes ? lh_model_load_buffer(stream_bytes, stream_model_size) : NULL;
  CHECK(sm != NULL && raw != NULL && stream_expected != NULL);
  if (sm && raw && stream_expected) {
    const size_t inputs = lh_model_inputs(sm), samples = raw_size / sizeof(float) / inputs,
                 sclasses = lh_model_classes(sm),
                 windows_expected = stream_expected_size / sizeof(float) / sclasses;
    CHECK(inputs == 6 && strcmp(lh_model_input_name(sm, 3), "gyro_x") == 0);
    CHECK(lh_model_input_name(sm, 6) == NULL);
    CHECK(lh_model_sample_rate(sm) == 50.0 && lh_model_step(sm) == lh_model_window(sm) / 2);
    lh_stream* stream = lh_stream_create(sm, 0, 0);
    CHECK(stream != NULL);
    size_t seen = 0, pushed = 0;
    int completed = 0;
    lh_prediction p;
    while (stream && pushed < samples) {
      const size_t n = samples - pushed < 7 ? samples - pushed : 7;
      const int done = lh_stream_push(stream, raw + pushed * inputs, n);
      CHECK(done >= 0);
      completed += done;
      pushed += n;
      while (lh_stream_next(stream, &p) == 1) {
        CHECK(seen < windows_expected);
        if (seen >= windows_expected) break;
        CHECK(p.start == seen * lh_model_step(sm));
        CHECK(fabs(p.time_s - (double)p.start / 50.0) < 1e-12);
        CHECK(p.top == argmax(stream_expected + seen * sclasses, sclasses));
        for (size_t k = 0; k < sclasses; ++k)
          CHECK(fabsf(p.probabilities[k] - stream_expected[seen * sclasses + k]) <= 1e-5f);
        ++seen;
      }
    }
    CHECK(seen == windows_expected && (size_t)completed == windows_expected);

    /* The same samples at 100 Hz (each sent twice): resampled to the model's 50 Hz, every other
     * one is kept, and the windows are the same. */
    float* doubled = malloc(2 * samples * inputs * sizeof(float));
    lh_stream* fast = lh_stream_create_at(sm, 0, 0, 100.0);
    CHECK(doubled != NULL && fast != NULL);
    if (doubled && fast) {
      for (size_t i = 0; i < 2 * samples * inputs; ++i)
        doubled[i] = raw[(i / inputs / 2) * inputs + i % inputs];
      CHECK(lh_stream_push(fast, doubled, 2 * samples) == (int)windows_expected);
      for (size_t w = 0; lh_stream_next(fast, &p) == 1; ++w) {
        CHECK(w < windows_expected && p.start == w * lh_model_step(sm));
        for (size_t k = 0; w < windows_expected && k < sclasses; ++k)
          CHECK(fabsf(p.probabilities[k] - stream_expected[w * sclasses + k]) <= 1e-5f);
      }
    }
    CHECK(lh_stream_create_at(sm, 0, 0, -1.0) == NULL);
    CHECK(strstr(lh_last_error(), "rates") != NULL);
    lh_stream_free(fast);
    free(doubled);
    raw[2] = NAN;
    CHECK(lh_stream_push(stream, raw, 1) == -1);
    CHECK(strstr(lh_last_error(), "not finite") != NULL);
    CHECK(lh_stream_next(stream, NULL) == -1);
    CHECK(lh_stream_create(NULL, 0, 0) == NULL);
    lh_stream_free(stream);
    lh_stream_free(NULL);
  }
  lh_model_free(sm);
  free(stream_bytes);
  free(raw);
  free(stream_expected);

  lh_model_free(model);
  lh_model_free(from_file);
  free(batch);
  free(one);
  free(windows);
  free(expected);
  if (failures) fprintf(stderr, "runtime_c_test: %d checks failed\n", failures);
  return failures ? 1 : 0;
}
