// Layer-wise local losses (Nøkland & Eidnes "predsim", as used by the Lego paper III-D and the
// block-wise ResNet paper II-B..D): per block a local linear classifier (pred) and a similarity
// matching loss (sim) on a 3x3 convolution of the block output, combined as
// (1 - alpha) * pred + alpha * sim.
#pragma once

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace legohar {

// Adjusted cosine similarity of a mini-batch: a 4-D [N, C, H, W] tensor is first reduced to [N, C]
// by the standard deviation over its positions (a 2-D [N, D] is used as is); each row is centred
// and normalised; the result is every pairwise dot product. [N, N]
torch::Tensor similarity_matrix(const torch::Tensor& h);

// Mean squared difference between S(h) and S(one-hot labels).
torch::Tensor similarity_loss(const torch::Tensor& h, const torch::Tensor& labels, int64_t classes);

// The two heads of one block: pred, a Linear from the flattened block output to the classes; sim,
// a 3x3 convolution (stride 1, padding 1, no bias) from the block's channels to themselves.
class LocalHeadsImpl : public torch::nn::Cloneable<LocalHeadsImpl> {
 public:
  // The block output is [N, channels, height, width].
  LocalHeadsImpl(int64_t channels, int64_t height, int64_t width, int64_t classes);
  void reset() override;
  // (1 - alpha) * CE(pred(h), y) + alpha * sim_loss(sim(h), y)
  torch::Tensor loss(const torch::Tensor& h, const torch::Tensor& labels, double alpha);

  int64_t channels, height, width, classes;
  torch::nn::Linear pred{nullptr};
  torch::nn::Conv2d sim{nullptr};
};
TORCH_MODULE(LocalHeads);

}  // namespace legohar
