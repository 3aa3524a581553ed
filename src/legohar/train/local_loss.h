// Layer-wise local losses (Nøkland & Eidnes "predsim", as used by the Lego paper III-D and the
// block-wise ResNet paper II-B..D): per block a local linear classifier (pred) and a similarity
// matching loss (sim) on a 3x3 convolution of the block output, combined as
// (1 - alpha) * pred + alpha * sim; or either alone (the block-wise paper's Pred and Sim ResNets).
#pragma once

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <string>

namespace legohar {

// Adjusted cosine similarity of a mini-batch: a 4-D [N, C, H, W] tensor is first reduced to [N, C]
// by the standard deviation over its positions (a 2-D [N, D] is used as is); each row is centred
// and normalised; the result is every pairwise dot product. [N, N]
torch::Tensor similarity_matrix(const torch::Tensor& h);

// Mean squared difference between S(h) and S(one-hot labels).
torch::Tensor similarity_loss(const torch::Tensor& h, const torch::Tensor& labels, int64_t classes);

// How a block's local heads read its output and are trained (TrainOptions' local_loss,
// pred_features, head_zero_init, sim_pool, label_smoothing).
struct LocalHeadsOptions {
  // "predsim"; "pred": the local classifier alone (no sim head); "sim": the similarity loss alone,
  // the local classifier trained beside it as a probe on the detached output.
  std::string kind = "predsim";
  int64_t pred_features = 0;   // > 0: average-pool the pred input to at most this many features
  bool zero_init = false;      // pred starts at zero weights and bias
  int64_t sim_pool = 1;        // > 1: average-pool the block output by this factor before sim
  double label_smoothing = 0;  // of pred's cross-entropy (classification_loss.h)
};

// The two heads of one block: pred, a Linear from the (optionally average-pooled) block output to
// the classes; sim, a 3x3 convolution (stride 1, padding 1, no bias) from the block's channels to
// themselves, on the block output (optionally average-pooled first, which divides its cost by
// about sim_pool^2).
class LocalHeadsImpl : public torch::nn::Cloneable<LocalHeadsImpl> {
 public:
  // The block output is [N, channels, height, width].
  LocalHeadsImpl(int64_t channels, int64_t height, int64_t width, int64_t classes,
                 const LocalHeadsOptions& options = {});
  void reset() override;
  // The local classifier's logits. [N, C, H, W] -> [N, classes]
  torch::Tensor predict(const torch::Tensor& h);
  // predsim: (1 - alpha) * CE(predict(h), y) + alpha * sim_loss(sim(pool(h)), y);
  // pred: CE(predict(h), y); sim: sim_loss(sim(pool(h)), y) + CE(predict(h.detach()), y); CE is
  // classification_loss with the options' label smoothing.
  torch::Tensor loss(const torch::Tensor& h, const torch::Tensor& labels, double alpha);

  int64_t channels, height, width, classes;
  LocalHeadsOptions options;
  std::vector<int64_t> pred_pool;  // [h, w] the pred input is pooled to (the block's own: none)
  std::vector<int64_t> sim_size;   // [h, w] the sim head sees
  torch::nn::Linear pred{nullptr};
  torch::nn::Conv2d sim{nullptr};  // none for kind "pred"
};
TORCH_MODULE(LocalHeads);

}  // namespace legohar
