// The classification loss of training, shared by every strategy and local classifier: the
// cross-entropy against labels smoothed by epsilon (Szegedy et al. 2016): the target is
// 1 - epsilon + epsilon / K for the true class and epsilon / K for each other of the K classes,
// so loss = (1 - epsilon) * CE(logits, y) + epsilon * mean over classes of -log softmax(logits).
// epsilon 0 is the plain cross-entropy. Evaluation always reports the plain cross-entropy.
#pragma once

#include <torch/types.h>

namespace legohar {

// logits [N, K], labels [N] int64 -> the batch mean, a scalar.
torch::Tensor classification_loss(const torch::Tensor& logits, const torch::Tensor& labels,
                                  double label_smoothing);

}  // namespace legohar
