// Implementation of classification_loss.h.
#include "legohar/train/classification_loss.h"

#include <torch/nn/functional/loss.h>

namespace legohar {

torch::Tensor classification_loss(const torch::Tensor& logits, const torch::Tensor& labels,
                                  double label_smoothing) {
  namespace F = torch::nn::functional;
  return F::cross_entropy(logits, labels,
                          F::CrossEntropyFuncOptions().label_smoothing(label_smoothing));
}

}  // namespace legohar
