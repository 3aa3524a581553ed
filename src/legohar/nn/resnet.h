// ResNet for HAR (block-wise local-loss paper, section III-A; family "resnet"): residual blocks
// laid out by resnet_plan() (spec/resnet_plan.h), then flatten and one Linear classifier. Each
// block adds its shortcut (identity, or an aligned 1x1 projection with BatchNorm) to its branch,
// whose units follow the spec's activation order:
//   relu-before-add (the paper's): conv - BN - ReLU per unit;
//   full-preact:  BN - ReLU - conv per unit (He et al. 2016);
//   relu-preact:  ReLU - conv - BN per unit;
// the network's first unit reads the raw input without a pre-activation.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "legohar/nn/model.h"
#include "legohar/spec/resnet_plan.h"

namespace legohar {

class ResidualBlockImpl : public torch::nn::Module {
 public:
  // `first`: the network's first block. Lego layers are built with the spec's Lego options.
  ResidualBlockImpl(const ResidualBlockPlan& plan, const ModelSpec& spec, bool first);
  // [N, C_in, H_in, W_in] -> [N, C_out, H_out, W_out]
  torch::Tensor forward(const torch::Tensor& x);

  ResidualBlockPlan plan;
  std::string order;
  bool first;
  std::vector<torch::nn::AnyModule> convs;    // Conv2d or LegoConv2d, one per unit
  std::vector<LegoConv2d> legos;              // those of convs that are Lego layers
  std::vector<torch::nn::BatchNorm2d> norms;  // one per unit (null: none)
  torch::nn::Conv2d shortcut_conv{nullptr};   // projection shortcut, when the shape changes
  torch::nn::BatchNorm2d shortcut_norm{nullptr};
};
TORCH_MODULE(ResidualBlock);

class ResNetImpl : public FlatClassifierModel<ResidualBlock> {
 public:
  explicit ResNetImpl(const ModelSpec& spec);
};
TORCH_MODULE(ResNet);

}  // namespace legohar
