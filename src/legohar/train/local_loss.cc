// Implementation of local_loss.h.
#include "legohar/train/local_loss.h"

#include <torch/torch.h>

namespace legohar {
namespace F = torch::nn::functional;

torch::Tensor similarity_matrix(const torch::Tensor& h) {
  torch::Tensor z = h.dim() > 2 ? h.view({h.size(0), h.size(1), -1}).std(2) : h;  // [N, C]
  z = z - z.mean(1, /*keepdim=*/true);
  z = z / (z.pow(2).sum(1, /*keepdim=*/true).sqrt() + 1e-8);
  return z.matmul(z.t());  // [N, N]
}

torch::Tensor similarity_loss(const torch::Tensor& h, const torch::Tensor& labels,
                              int64_t classes) {
  const torch::Tensor onehot = F::one_hot(labels, classes).to(h.scalar_type());
  return F::mse_loss(similarity_matrix(h), similarity_matrix(onehot));
}

LocalHeadsImpl::LocalHeadsImpl(int64_t c, int64_t h, int64_t w, int64_t k)
    : channels(c), height(h), width(w), classes(k) {
  reset();
}

void LocalHeadsImpl::reset() {
  pred = register_module("pred", torch::nn::Linear(channels * height * width, classes));
  sim = register_module(
      "sim",
      torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).padding(1).bias(false)));
}

torch::Tensor LocalHeadsImpl::loss(const torch::Tensor& h, const torch::Tensor& labels,
                                   double alpha) {
  const torch::Tensor pred_loss = F::cross_entropy(pred->forward(h.flatten(1)), labels);
  const torch::Tensor sim_loss = similarity_loss(sim->forward(h), labels, classes);
  return pred_loss * (1.0 - alpha) + sim_loss * alpha;
}

}  // namespace legohar
