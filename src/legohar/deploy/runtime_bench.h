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
  size_t model_bytes = 0;           // the .lhm file
  size_t working_bytes = 0;         // the runtime's activations and scratch
  double macs_per_window = 0;       // multiply-accumulates (profile_model)
  double max_logit_difference = 0;  // runtime against LibTorch, on every timed window
  nlohmann::json to_json() const;   // adds GFLOP/s (2 x MACs x windows per second)
};

// `singles` single-window calls per engine (the contract: >= 1000) and `batches` batches
// of 256, after a warm-up of each. LibTorch runs with its current thread count; the runtime on one.
RuntimeBench benchmark_runtime(const ModelSpec& spec, int singles, int batches);

}  // namespace legohar
