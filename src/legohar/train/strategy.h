// Training strategies, interchangeable over any model family (nn/model.h): global
// back-propagation through the whole network; block-wise local losses, where each block is
// trained by its own optimizer from its own loss and the graph is cut after every block; and
// greedy block-wise training, where blocks are trained one after the other on their frozen
// predecessors. The interface and the choice live here; each strategy in strategies/.
#pragma once

#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <memory>

#include "legohar/nn/model.h"
#include "legohar/spec/train_options.h"
#include "legohar/train/local_loss.h"

namespace legohar {

struct StepResult {
  double loss = 0;       // the objective of this step (summed over blocks for local training)
  torch::Tensor logits;  // the final classifier's output on the batch (for train accuracy)
};

class TrainingStrategy {
 public:
  virtual ~TrainingStrategy() = default;
  // Sets the learning rates to base * lr_factor and, when greedy, which block trains.
  virtual void begin_epoch(int epoch, double lr_factor) = 0;
  virtual StepResult step(const torch::Tensor& x, const torch::Tensor& y) = 0;
  // Optimizer states and local heads, for checkpoints.
  virtual void save(torch::serialize::OutputArchive& archive) = 0;
  virtual void load(torch::serialize::InputArchive& archive) = 0;
  // The local heads of each block (local strategies), else none.
  virtual std::vector<LocalHeads> local_heads() const { return {}; }
};

// options.loss picks the strategy ("global" or "local", with options.greedy).
std::unique_ptr<TrainingStrategy> make_strategy(HarModel& model, const TrainOptions& options,
                                                const torch::Device& device);

// Bytes of activations a training step keeps for its backward pass, estimated from the profile's
// per-layer activations (4 bytes each): global keeps every block's at once; local and greedy keep
// one block's plus its sim head's at a time.
int64_t activation_bytes_per_step(const ModelSpec& spec, const TrainOptions& options);

}  // namespace legohar
