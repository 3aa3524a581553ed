#include "legohar/deploy/logit_agreement.h"

#include <torch/torch.h>

#include "legohar/common/error.h"

namespace legohar {

LogitAgreement compare_logits(const torch::Tensor& got, const torch::Tensor& want) {
  if (got.dim() != 2 || got.sizes() != want.sizes())
    throw Error::state("logits of different shapes cannot be compared");
  const torch::Tensor g = got.to(torch::kDouble), w = want.to(torch::kDouble);  // [N, classes]
  const torch::Tensor difference = (g - w).abs();
  const torch::Tensor bound =
      kLogitAbsoluteBound + kLogitRelativeBound * std::get<0>(w.abs().max(1, true));  // [N, 1]
  LogitAgreement a;
  a.windows = got.size(0);
  if (a.windows == 0) return a;
  a.max_difference = difference.max().item<double>();
  a.worst_share = (difference / bound).max().item<double>();
  a.identical = (g.argmax(1) == w.argmax(1)).sum().item<int64_t>();
  return a;
}

}  // namespace legohar
