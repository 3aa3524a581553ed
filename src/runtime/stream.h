// Streaming prediction over a Model: raw samples go in, in chunks of any size; each window that
// completes (starts every `step` samples from the stream's first) is classified as soon as its
// samples have arrived. The channels are made as in training: exactly, when the model's
// preprocessing is causal or absent (the stream runs the same CausalUciHar sample by sample);
// for a zero-phase model, by zero-phase filters over the window plus `history` raw samples before
// it and `lookahead` after it (an approximation of filtering the whole recording, whose agreement
// `legohar stream-eval` measures; lookahead delays each prediction by that many samples). Samples
// that arrive at another rate than the model's are first resampled linearly to it (resample.h),
// as training resamples recordings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "runtime/model.h"
#include "runtime/preprocess.h"
#include "runtime/resample.h"

namespace legohar::runtime {

struct StreamOptions {
  size_t history = 0;    // zero-phase models: raw samples before each window the filters see
  size_t lookahead = 0;  // zero-phase models: raw samples after each window waited for
  // The rate samples arrive at (Hz; 0: the model's). History, lookahead, window starts and
  // samples_seen() count samples at the model's rate.
  double input_rate_hz = 0;
};

struct WindowPrediction {
  uint64_t start = 0;                // the window's first sample, counted from the stream's first
  size_t top = 0;                    // the most probable class
  std::vector<float> probabilities;  // [classes]
};

class Stream {
 public:
  // The model must outlive the stream, and serve no other caller while the stream pushes.
  // Throws std::invalid_argument when a zero-phase model's window plus lookahead is too short
  // for its filters' padding, or when the input rate differs from the model's and the model
  // records none (or it is outside (0, 100000] Hz).
  explicit Stream(Model& model, StreamOptions options = {});

  // `count` raw samples [count, model.input_names().size()] at the input rate. Throws
  // std::invalid_argument, having consumed none of them, when a value is not finite. Returns the
  // windows completed.
  size_t push(const double* samples, size_t count);
  // Moves the oldest prediction not taken yet into `out`; false when there is none. Predictions
  // wait until taken.
  bool next(WindowPrediction& out);
  size_t pending() const { return ready_.size(); }
  uint64_t samples_seen() const { return seen_; }

 private:
  // One sample at the model's rate; whether it completed a window.
  bool take(const double* raw);
  void complete(uint64_t start);
  const float* zero_phase_window(uint64_t start);

  Model& model_;
  StreamOptions options_;
  size_t inputs_, channels_, window_, step_, lookahead_;
  std::optional<LinearResampler> resampler_;
  std::vector<double> resampled_;  // one input's outputs [.., inputs]
  uint64_t received_ = 0;          // samples at the input rate
  std::optional<CausalUciHar> causal_;
  bool zero_phase_ = false;
  uint64_t seen_ = 0, next_start_ = 0;
  std::vector<float> ring_;  // causal or raw channels: the last `window` rows [window, C]
  std::vector<double> raw_;  // zero-phase: raw samples [.., inputs] from raw_begin_ on
  uint64_t raw_begin_ = 0;
  std::vector<float> window_values_, probabilities_;  // [T, C], [classes]
  std::deque<WindowPrediction> ready_;
};

}  // namespace legohar::runtime
