// Whether an exported model's logits agree with LibTorch's on the same windows, the rule by which
// `legohar export` accepts or refuses a file and scripts/check_pytorch_export.py repeats the check
// in PyTorch (it reads the bounds from the reference file). Each logit may differ by
//   kLogitAbsoluteBound + kLogitRelativeBound x (the largest |logit| of its window),
// and every window must keep its predicted class. The relative part is float32 rounding: two
// float32 evaluations that sum in different orders drift with the window's scale (a 20-epoch
// ResNet's logits reach 128, where LibTorch itself is 9.2e-5 from a double-precision forward).
#pragma once

#include <torch/types.h>

#include <cstdint>

namespace legohar {

constexpr double kLogitAbsoluteBound = 1e-4;
constexpr double kLogitRelativeBound = 1e-6;  // 4-8 float32 ulps of the window's largest logit

struct LogitAgreement {
  double max_difference = 0;  // max |got - want| over every logit
  double worst_share = 0;     // max |got - want| / its bound: <= 1 passes
  int64_t identical = 0;      // windows whose argmax agrees
  int64_t windows = 0;
  bool ok() const { return worst_share <= 1 && identical == windows; }
};

// got, want: [N, classes] logits of the same N windows.
LogitAgreement compare_logits(const torch::Tensor& got, const torch::Tensor& want);

}  // namespace legohar
