/* legohar's inference runtime for C (and anything with a C FFI: Java/JNI, Swift, Python ctypes).
 * A model (.lhm, written by `legohar export --format lhm`) classifies windows of raw samples,
 * [window][channels] float32 as the dataset's preprocessing produces them; the model standardises
 * them itself. Every function that can fail returns NULL or a negative value and leaves the reason
 * in lh_last_error() (per thread). A model serves one thread at a time; use one per thread.
 * C++ callers may use runtime/model.h directly. */
#ifndef LEGOHAR_RUNTIME_H
#define LEGOHAR_RUNTIME_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lh_model lh_model;

/* The reason for the last failure in this thread ("" when none); valid until the next call. */
const char* lh_last_error(void);

/* A model from a file or from `size` bytes in memory (copied: the buffer may be freed after);
 * NULL when the file cannot be read or is not a valid model (truncated, damaged, inconsistent). */
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

#ifdef __cplusplus
}
#endif

#endif /* LEGOHAR_RUNTIME_H */
