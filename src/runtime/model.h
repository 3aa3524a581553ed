// A trained model in the runtime: loaded from a .lhm file (model_file.h) or a memory buffer, it
// classifies raw windows ([T, C] samples as the dataset's preprocessing produces them, before
// standardisation, which the model applies itself). Loading checks the whole file (CRC-32 per
// section, every size, offset, shape and index) and throws LoadError with the reason; a loaded
// model never reads outside its arrays. Loading also sizes every buffer a prediction needs, so
// predicting allocates nothing, and drops the work no window changes: a d x 1 convolution, an
// affine map, a residual add and a read-out never mix the sensor axis's columns, so the columns a
// convolution pads on hold the same values for every window up to the dense classifier; the layers
// run on the window's own columns and those constants are folded into the classifier's bias.
// Predictions are independent per call: one Model may serve one thread at a time (each call reuses
// those buffers); a batch may be spread over several threads of the model's own (set_threads), each
// with buffers of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/model_file.h"
#include "runtime/ops.h"
#include "runtime/preprocess.h"

namespace legohar::runtime {

class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ModelBytes;  // model.cc: a file's bytes, in memory or read from disk a chunk at a time

class Model {
 public:
  // Reads the file `chunk_bytes` at a time (at least 8): besides the model it builds, loading
  // holds one chunk of the file, never all of it.
  static constexpr size_t kLoadChunkBytes = 16 << 10;
  static Model load_file(const std::string& path, size_t chunk_bytes = kLoadChunkBytes);
  static Model load_buffer(const void* data, size_t size);

  const std::vector<std::string>& class_names() const { return classes_; }
  const std::vector<std::string>& channel_names() const { return channels_; }
  size_t window() const { return window_; }             // T
  size_t channels() const { return channels_.size(); }  // C
  // For streams (stream.h): samples between window starts, the raw samples' rate (0: unknown),
  // and the preprocessing from raw samples to channels (nullptr: the raw samples are the
  // channels), with the raw sample's values.
  size_t step() const { return step_; }
  double sample_rate_hz() const { return sample_rate_hz_; }
  const UciHarFilters* filters() const { return filters_ ? &*filters_ : nullptr; }
  const std::vector<std::string>& input_names() const {
    return filters_ ? uci_har_input_names() : channels_;
  }
  // The bytes of activations and operator scratch predictions use, besides the weights: one set
  // per thread.
  size_t working_bytes() const;

  // The multiply-adds one window costs as the model runs (convolutions, Lego transforms and
  // merges, dense layers, LSTMs), after the constant columns are dropped.
  uint64_t multiply_adds() const;

  // Batches are spread over up to `threads` threads (1 when loaded: the caller's alone), each
  // with buffers sized here, so that predicting still allocates nothing (threads >= 1).
  void set_threads(size_t threads);
  size_t threads() const { return workspaces_.size(); }

  // window [T, C] -> logits [classes].
  void logits(const float* window, float* out);
  // window [T, C] -> class probabilities [classes] (softmax of the logits).
  void predict(const float* window, float* probabilities);
  // `count` windows [count, T, C] -> logits or probabilities [count, classes], in contiguous
  // shares on min(threads(), count) threads (the caller's among them); each window's result is
  // the one logits() / predict() gives it.
  void logits(const float* windows, size_t count, float* out);
  void predict(const float* windows, size_t count, float* probabilities);

 private:
  // The layers as the file holds them, the shapes' heights and widths filled in and the
  // convolutions' weights packed (pack_filters).
  std::vector<LayerRecord> layers_;
  std::vector<std::string> classes_, channels_;
  size_t window_ = 0, step_ = 0;
  double sample_rate_hz_ = 0;
  std::optional<UciHarFilters> filters_;
  std::vector<float> mean_, std_;
  // What one thread's predictions write: maps [buffers, activation] (two ping-pong maps, and a
  // saved one for residual connections) and operator scratch.
  struct Workspace {
    std::vector<float> maps, scratch;
  };
  size_t buffers_ = 0, activation_ = 0, scratch_floats_ = 0;
  std::vector<Workspace> workspaces_;  // one per thread; [0]: single-window calls'
  Workspace workspace() const;         // a new one, sized
  static Model load(const ModelBytes& bytes);
  // activation_ and scratch_floats_ for the layers as they are.
  void size_buffers();
  // Runs the layers before the classifier on the window's columns alone, when every one of them
  // keeps columns apart, and folds the other columns' constants into the classifier's bias.
  void drop_constant_columns();
  void logits(const float* window, float* out, Workspace& w) const;
  // Layers [0, end) on the window [T, C] (C: channels(), or 0 while drop_constant_columns runs
  // them on no window's columns); returns the maps they leave (`out`, holding the logits, when
  // the classifier is among them).
  const float* forward(const float* window, size_t C, size_t end, float* out, Workspace& w) const;
  // f(window i, result row i) for each of `count` windows, on threads() threads.
  template <class F>
  void each_window(const float* windows, size_t count, float* out, size_t row, F&& f);
};

}  // namespace legohar::runtime
