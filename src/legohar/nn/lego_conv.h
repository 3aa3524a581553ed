// Lego convolution (Tang et al., "Layer-wise training CNNs with smaller filters for HAR",
// III-A..C): the C input channels are split into o fragments of C/o channels; k shared Lego filters
// of C/o channels and kernel d x 1 replace the n ordinary filters; per (fragment, output) a logit
// vector over the k filters picks one filter by argmax (straight-through estimator for its
// gradient) and a learned coefficient scales the selected map:
//   Y_j = sum_i coef[i][j] * (X_i * B[argmax logits[i][j]]) + bias_j
// The coefficient is one per selection (coef [o, n], the paper's) or one per candidate filter
// (coef [o, n, k], LegoNet's code: Y_j = sum_i coef[i][j][s] * (X_i * B[s]), s the selection; a
// candidate keeps its own coefficient while another is selected).
// Initialisation: filters uniform in +-1/sqrt(C d) (an ordinary C x d filter's fan-in, since with
// coefficients 1 each output sums o fragment maps) and coefficients 1; or, with he_init, as the
// Lego authors' code does (yinntag/...-for-HAR module.py: kaiming_normal_ on filters [k, C/o, d, 1]
// and coefficients [o, n, k, 1, 1]): filters N(0, 2 / (C/o d)), coefficients N(0, 2 / (n k)).
// Split-transform-merge: ONE convolution of all fragments, batched as [N*o, C/o, H, W], with the k
// filters (transform), then per output a gather + scale + sum of the selected maps (merge).
#pragma once

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace legohar {

struct LegoConv2dOptions {
  LegoConv2dOptions(int64_t in_channels, int64_t out_channels, int64_t kernel)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_(kernel) {}
  TORCH_ARG(int64_t, in_channels);       // C
  TORCH_ARG(int64_t, out_channels);      // n
  TORCH_ARG(int64_t, kernel);            // d: filters are d x 1 (time x sensor axis)
  TORCH_ARG(int64_t, stride) = 1;        // along time
  TORCH_ARG(int64_t, padding) = 0;       // on both axes
  TORCH_ARG(int64_t, fragments) = 2;     // o
  TORCH_ARG(int64_t, lego_filters) = 1;  // k
  TORCH_ARG(double, mask_init_std) = 1e-3;
  TORCH_ARG(bool, candidate_coefficients) = false;  // coef [o, n, k] instead of [o, n]
  TORCH_ARG(bool, he_init) = false;                 // the Lego authors' initialisation
  TORCH_ARG(bool, bias) = true;
};

class LegoConv2dImpl : public torch::nn::Cloneable<LegoConv2dImpl> {
 public:
  explicit LegoConv2dImpl(const LegoConv2dOptions& options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;

  // [N, C, H, W] -> [N, n, H', W']: transform, then merge by gather + scale + sum; the logits get
  // the straight-through gradient of the one-hot mask.
  torch::Tensor forward(const torch::Tensor& x);
  // The transform stage: every fragment convolved with every Lego filter. [N, C, H, W] -> [N, o, k,
  // H', W']
  torch::Tensor transform(const torch::Tensor& x) const;
  // Selected Lego filter per (fragment, output): argmax of the logits. [o, n] int64
  torch::Tensor selection() const;
  // k * sum_l u_l^2 - 1 with u the mean softmax usage of each Lego filter: 0 when use is uniform.
  torch::Tensor usage_balance() const;

  LegoConv2dOptions options;
  torch::Tensor lego;          // [k, C/o, d, 1]
  torch::Tensor logits;        // [o, n, k]
  torch::Tensor coefficients;  // [o, n], or [o, n, k] with candidate_coefficients
  torch::Tensor bias;          // [n], undefined without bias
};
TORCH_MODULE(LegoConv2d);

}  // namespace legohar
