// Timing of a model on this machine: seconds per training step and epoch (with the options'
// training strategy: global, local or greedy) and inference throughput, on random inputs of the
// model's shape.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "legohar/spec/model_spec.h"
#include "legohar/spec/train_options.h"

namespace legohar {

struct BenchResult {
  double seconds_per_batch = 0;        // one training step of options.batch_size windows
  double seconds_per_epoch = 0;        // seconds_per_batch * ceil(train_windows / batch_size)
  double inference_windows_per_s = 0;  // evaluation mode, batches of 256
  double single_window_ms = 0;         // evaluation mode, batch of 1
  // Local training: of seconds_per_batch, the part spent in the local heads' losses (pred and the
  // 3x3 sim convolution, forward and backward down to the block outputs), all blocks together.
  double local_heads_seconds_per_batch = 0;

  nlohmann::json to_json() const;
};

// Times `batches` training steps after one warm-up step, the local heads alone (local training),
// and inference likewise.
BenchResult benchmark_model(const ModelSpec& spec, const TrainOptions& options,
                            int64_t train_windows, int batches, const std::string& device);

}  // namespace legohar
