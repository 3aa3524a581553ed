/* legohar's inference runtime for C (and anything with a C FFI: Java/JNI, Swift, Python ctypes).
 * A model (.lhm, written by `legohar export --format lhm`) classifies windows, [window][channels]
 * float32 as the dataset's preprocessing produces them (the model standardises them itself), or
 * a stream of raw sensor samples, which it preprocesses as in training (lh_stream_*). Every
 * function that can fail returns NULL or a negative value and leaves the reason in lh_last_error()
 * (per thread). A model serves one calling thread at a time (use one per thread), and may spread
 * a batch over threads of its own (lh_model_set_threads). C++ callers may use runtime/model.h
 * directly. */
#ifndef LEGOHAR_RUNTIME_H
#define LEGOHAR_RUNTIME_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lh_model lh_model;
typedef struct lh_stream lh_stream;

/* A window a stream completed. */
typedef struct lh_prediction {
  unsigned long long start;   /* its first sample, counted from the stream's first (0) */
  double time_s;              /* start / the model's sample rate; -1 when the rate is unknown */
  int top;                    /* the most probable class */
  const float* probabilities; /* [classes]; owned by the stream, valid until its next call */
} lh_prediction;

/* The reason for the last failure in this thread ("" when none); valid until the next call. */
const char* lh_last_error(void);

/* A model from a file (read 16 kB at a time: never held whole) or from `size` bytes in memory
 * (copied: the buffer may be freed after); NULL when the file cannot be read or is not a valid
 * model (truncated, damaged, inconsistent). */
lh_model* lh_model_load_file(const char* path);
lh_model* lh_model_load_buffer(const void* data, size_t size);
void lh_model_free(lh_model* model); /* NULL is allowed */

size_t lh_model_classes(const lh_model* model);
size_t lh_model_window(const lh_model* model);   /* samples per window, T */
size_t lh_model_channels(const lh_model* model); /* values per sample, C */
/* Names, NULL when `i` is out of range; owned by the model. */
const char* lh_model_class_name(const lh_model* model, size_t i);
const char* lh_model_channel_name(const lh_model* model, size_t i);

/* `count` windows [count][T][C] -> class probabilities [count][classes]. Returns the index of
 * the most probable class of the last window, or -1 on error (NULL arguments, count 0). */
int lh_model_predict(lh_model* model, const float* windows, size_t count, float* probabilities);
/* Spread each lh_model_predict of several windows over up to `threads` threads (the caller's
 * among them; 1 after loading), each with buffers of its own, allocated here: predictions still
 * allocate nothing. Each window's probabilities are those it gets alone. 0, or -1 on error (NULL,
 * threads 0). */
int lh_model_set_threads(lh_model* model, size_t threads);

/* What a stream takes: values per raw sample and their names (for a UCI-HAR model: acc_x, acc_y,
 * acc_z in g, gyro_x, gyro_y, gyro_z in rad/s), samples between window starts, and the raw
 * samples' rate in Hz (0 when unknown). */
size_t lh_model_inputs(const lh_model* model);
const char* lh_model_input_name(const lh_model* model, size_t i);
size_t lh_model_step(const lh_model* model);
double lh_model_sample_rate(const lh_model* model);

/* A stream over `model`, which must outlive it and serve nothing else meanwhile. `history` and
 * `lookahead`: for a model trained with zero-phase filters, the raw samples before and after each
 * window its filters see (more agree better with training's whole-recording filtering;
 * lookahead delays each prediction); ignored for causal models, which a stream reproduces
 * exactly. NULL on error. */
lh_stream* lh_stream_create(lh_model* model, size_t history, size_t lookahead);
/* lh_stream_create for samples that arrive at `input_rate_hz` (0: the model's rate): each is
 * resampled linearly to the model's rate before its preprocessing; `history`, `lookahead` and the
 * windows' starts count samples at the model's rate. NULL on error (a rate outside (0, 100000],
 * or a model that records no rate of its own). */
lh_stream* lh_stream_create_at(lh_model* model, size_t history, size_t lookahead,
                               double input_rate_hz);
void lh_stream_free(lh_stream* stream); /* NULL is allowed */
/* `count` raw samples [count][inputs], in chunks of any size. Returns the number of windows this
 * chunk completed, or -1 (nothing taken) when a value is not finite or an argument NULL. */
int lh_stream_push(lh_stream* stream, const float* samples, size_t count);
/* Takes the oldest completed window not taken yet: 1 and *out filled, 0 when there is none, -1
 * on NULL arguments. */
int lh_stream_next(lh_stream* stream, lh_prediction* out);

#ifdef __cplusplus
}
#endif

#endif /* LEGOHAR_RUNTIME_H */
