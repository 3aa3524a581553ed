// Inference speed of the runtime (src/runtime/) against LibTorch on the same model, side by side
// in one process: batch-1 latency (median over single calls) and batch-256 throughput, with the two
// engines' agreement on the timed windows. The model gets random weights (the time of a dense
// forward pass does not depend on them) and an identity normaliser, so both see the same input.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "legohar/spec/model_spec.h"

namespace legohar {

struct Latency {
  double single_window_ms = 0;  // median of single-window calls
  double windows_per_s = 0;     // batches of 256 windows
  nlohmann::json to_json() const;
};

struct RuntimeBench {
  Latency runtime, libtorch;
  size_t model_bytes = 0;      // the .lhm file
  size_t working_bytes = 0;    // the runtime's activations and scratch
  double macs_per_window = 0;  // the model's multiply-accumulates (profile_model)
  // What the runtime executes: fewer, where it drops the columns no window reaches (model.h).
  double runtime_macs_per_window = 0;
  double max_logit_difference = 0;  // runtime against LibTorch, on every timed window
  double peak_gflops = 0;           // one thread's measured peak (runtime/peak.h)
  int threads = 1;                  // of the batches (LibTorch's and the runtime's)
  // Adds each engine's GFLOP/s at batch 256 (2 x the MACs it executes x windows per second) and
  // its fraction of the peak of that many threads (threads x peak_gflops).
  nlohmann::json to_json() const;
};

// `singles` single-window calls per engine (the contract: >= 1000) and `batches` batches
// of 256, after a warm-up of each, then the peak probe. LibTorch runs with its current thread
// count throughout; the runtime's single windows on one thread, its batches on `threads`
// (Model::set_threads).
RuntimeBench benchmark_runtime(const ModelSpec& spec, int singles, int batches, int threads);

}  // namespace legohar
