// Inference over a whole example set in batches, and the metrics of its predictions.
#pragma once

#include <torch/types.h>

#include "legohar/nn/model.h"
#include "legohar/train/local_loss.h"
#include "legohar/train/metrics.h"
#include "legohar/train/tensors.h"

namespace legohar {

// Predicted class per example, computed in evaluation mode without gradients. [N] int64 on CPU
torch::Tensor predict_classes(HarModel& model, const torch::Tensor& x, int64_t batch_size,
                              const torch::Device& device);

// The metrics of the model's predictions on `examples`; when `mean_loss` is given, it receives the
// mean cross-entropy of the logits.
Metrics evaluate_model(HarModel& model, const Examples& examples, int64_t batch_size,
                       const torch::Device& device, double* mean_loss = nullptr);

// The metrics of each block's local pred head (a linear probe trained by local-loss training) on
// `examples`, blocks and heads in evaluation mode: how linearly separable each block's output is,
// which shows where a layer-wise trained network loses class information. [blocks]
std::vector<Metrics> evaluate_local_heads(HarModel& model, std::vector<LocalHeads> heads,
                                          const Examples& examples, int64_t batch_size,
                                          const torch::Device& device);

}  // namespace legohar
