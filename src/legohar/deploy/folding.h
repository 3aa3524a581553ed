// Trained layers in their inference form, shared by the exporters: BatchNorm in eval mode as a
// per-channel affine map, folded into the convolution or Lego layer before it, and a Lego layer
// reduced to what inference reads (its k filters, the selected filter and coefficient per
// (fragment, output)) or assembled into the exactly equivalent ordinary filters.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include <optional>
#include <variant>
#include <vector>

#include "legohar/nn/lego_conv.h"
#include "legohar/spec/resnet_plan.h"

namespace legohar {

// y = scale * x + shift per channel. [C] each
struct ChannelAffine {
  torch::Tensor scale, shift;
};
// BatchNorm with its running statistics (eval mode).
ChannelAffine batchnorm_affine(const torch::nn::BatchNorm2dImpl& bn);

// A convolution followed by `bn` (when given) as one convolution.
struct FoldedConv {
  torch::Tensor weight;  // [n, C, d, w]
  torch::Tensor bias;    // [n]
};
FoldedConv fold_conv(const torch::nn::Conv2dImpl& conv, const std::optional<ChannelAffine>& bn);

// A Lego layer followed by `bn` (when given): Y_j = sum_i coefficients[i][j] *
// (X_i * filters[selection[i][j]]) + bias_j, X_i the i-th of o input fragments.
struct FoldedLego {
  torch::Tensor filters;       // [k, C/o, d, 1]
  torch::Tensor selection;     // [o, n] int64, in [0, k)
  torch::Tensor coefficients;  // [o, n]
  torch::Tensor bias;          // [n]
  // The ordinary convolution computing the same: output j's filter over fragment i is
  // coefficients[i][j] * filters[selection[i][j]]. [n, C, d, 1]
  torch::Tensor assembled() const;
};
FoldedLego fold_lego(const LegoConv2dImpl& lego, const std::optional<ChannelAffine>& bn);

// A convolution module of either kind (Conv2d or LegoConv2d) followed by `bn` (when given).
using FoldedUnit = std::variant<FoldedConv, FoldedLego>;
FoldedUnit fold_unit(const torch::nn::Module& conv, const std::optional<ChannelAffine>& bn);
// A CNN block (nn/cnn.h: conv or Lego, BatchNorm, ReLU) as its convolution with the BatchNorm
// folded in (the ReLU stays the caller's).
FoldedUnit fold_cnn_block(const torch::nn::Module& block);

// A residual block (nn/resnet.h) at inference, in any activation order: per unit, what its input
// goes through first, its convolution and whether a ReLU follows; then the block's input, or its
// projection, is added. A BatchNorm after a convolution is folded into it, and so is a BatchNorm
// that pre-activates the next unit (full pre-activation); only a BatchNorm on the block's input
// (full pre-activation's first unit) stays an affine map.
struct FoldedResidualUnit {
  std::optional<ChannelAffine> pre_affine;  // on the unit's input, before pre_relu
  bool pre_relu = false;                    // a ReLU on the unit's input
  FoldedUnit conv;
  bool relu = false;  // a ReLU on its output
};
struct FoldedResidualBlock {
  ResidualBlockPlan plan;  // the units' and the shortcut's geometry
  std::vector<FoldedResidualUnit> units;
  std::optional<FoldedConv> shortcut;  // the projection (1x1 convolution, BatchNorm folded in)
};
class ResidualBlockImpl;
FoldedResidualBlock fold_residual_block(const ResidualBlockImpl& block);

}  // namespace legohar
