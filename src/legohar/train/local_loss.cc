// Implementation of local_loss.h.
#include "legohar/train/local_loss.h"

#include <torch/torch.h>

#include "legohar/train/classification_loss.h"

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

LocalHeadsImpl::LocalHeadsImpl(int64_t c, int64_t h, int64_t w, int64_t k,
                               const LocalHeadsOptions& o)
    : channels(c), height(h), width(w), classes(k), options(o) {
  reset();
}

void LocalHeadsImpl::reset() {
  // Halve the larger side (rounding up) until channels * h * w fits pred_features.
  int64_t ph = height, pw = width;
  while (options.pred_features > 0 && channels * ph * pw > options.pred_features &&
         (ph > 1 || pw > 1)) {
    if (ph >= pw)
      ph = (ph + 1) / 2;
    else
      pw = (pw + 1) / 2;
  }
  pred_pool = {ph, pw};
  const int64_t k = std::max<int64_t>(1, options.sim_pool);
  sim_size = {(height + k - 1) / k, (width + k - 1) / k};
  pred = register_module("pred", torch::nn::Linear(channels * ph * pw, classes));
  if (options.zero_init) {
    torch::NoGradGuard no_grad;
    pred->weight.zero_();
    pred->bias.zero_();
  }
  if (options.kind != "pred")
    sim = register_module(
        "sim",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).padding(1).bias(false)));
}

torch::Tensor LocalHeadsImpl::predict(const torch::Tensor& h) {
  const bool pooled = pred_pool[0] != h.size(2) || pred_pool[1] != h.size(3);
  return pred->forward((pooled ? torch::adaptive_avg_pool2d(h, pred_pool) : h).flatten(1));
}

torch::Tensor LocalHeadsImpl::loss(const torch::Tensor& h, const torch::Tensor& labels,
                                   double alpha) {
  if (options.kind == "pred")
    return classification_loss(predict(h), labels, options.label_smoothing);
  const bool pooled = sim_size[0] != h.size(2) || sim_size[1] != h.size(3);
  const torch::Tensor sim_in =
      pooled ? torch::adaptive_avg_pool2d(h, sim_size) : h;  // [N, C, h, w]
  const torch::Tensor sim_loss = similarity_loss(sim->forward(sim_in), labels, classes);
  if (options.kind == "sim")
    return sim_loss + classification_loss(predict(h.detach()), labels, options.label_smoothing);
  return classification_loss(predict(h), labels, options.label_smoothing) * (1.0 - alpha) +
         sim_loss * alpha;
}

}  // namespace legohar
