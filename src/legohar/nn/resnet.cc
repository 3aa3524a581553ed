// Implementation of resnet.h.
#include "legohar/nn/resnet.h"

#include <torch/nn/functional/padding.h>

namespace legohar {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

namespace {
// Zero-pads [N, C, H, W] by `before` / `after` rows of time and `width` columns on both sides.
torch::Tensor pad(const torch::Tensor& x, int64_t before, int64_t after, int64_t width) {
  if (before == 0 && after == 0 && width == 0) return x;
  return F::pad(x, F::PadFuncOptions({width, width, before, after}));
}
}  // namespace

ResidualBlockImpl::ResidualBlockImpl(const ResidualBlockPlan& p, const ModelSpec& spec,
                                     bool first_block)
    : plan(p), order(spec.order), first(first_block) {
  for (size_t j = 0; j < plan.units.size(); ++j) {
    const ConvUnit& u = plan.units[j];
    const std::string index = std::to_string(j + 1);
    if (u.lego) {
      LegoConv2d lego(
          lego_conv_options(spec, u.in, u.out, u.kernel, u.lego_filters).stride(u.stride));
      legos.push_back(register_module("conv" + index, lego));
      convs.emplace_back(lego);
    } else {
      nn::Conv2d conv(nn::Conv2dOptions(u.in, u.out, {u.kernel, 1}).stride({u.stride, 1}));
      convs.emplace_back(register_module("conv" + index, conv));
    }
    // Full pre-activation normalises the unit's input, except the raw input of the network.
    const bool preact = order == "full-preact";
    nn::BatchNorm2d norm{nullptr};
    if (!(preact && first && j == 0))
      norm = register_module("bn" + index, nn::BatchNorm2d(preact ? u.in : u.out));
    norms.push_back(norm);
  }
  if (plan.projection) {
    shortcut_conv = register_module(
        "shortcut", nn::Conv2d(nn::Conv2dOptions(plan.in_shape[0], plan.out_shape[0], 1)));
    shortcut_norm = register_module("shortcut_bn", nn::BatchNorm2d(plan.out_shape[0]));
  }
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor h = x;  // [N, C, H, W]
  for (size_t j = 0; j < convs.size(); ++j) {
    const ConvUnit& u = plan.units[j];
    const bool raw_input = first && j == 0;
    if (order == "relu-before-add") {
      h = torch::relu(
          norms[j]->forward(convs[j].forward(pad(h, u.pad_before, u.pad_after, u.pad_width))));
    } else if (order == "full-preact") {
      if (!raw_input) h = torch::relu(norms[j]->forward(h));
      h = convs[j].forward(pad(h, u.pad_before, u.pad_after, u.pad_width));
    } else {  // relu-preact
      if (!raw_input) h = torch::relu(h);
      h = norms[j]->forward(convs[j].forward(pad(h, u.pad_before, u.pad_after, u.pad_width)));
    }
  }
  if (!plan.projection) return x + h;
  const int64_t rows = plan.out_shape[1], s = plan.shortcut_stride;
  const torch::Tensor aligned =
      pad(x, plan.shortcut_pad_before, plan.shortcut_pad_after, plan.shortcut_pad_width)
          .slice(2, plan.shortcut_offset, plan.shortcut_offset + (rows - 1) * s + 1, s);
  return shortcut_norm->forward(shortcut_conv->forward(aligned)) + h;  // [N, C_out, H, W]
}

ResNetImpl::ResNetImpl(const ModelSpec& model_spec) : FlatClassifierModel(model_spec) {
  const ModelSpec& s = spec();
  s.validate();
  const std::vector<ResidualBlockPlan> plan = resnet_plan(s);
  for (size_t b = 0; b < plan.size(); ++b) {
    add_block(ResidualBlock(plan[b], s, b == 0));
    for (const LegoConv2d& l : blocks_.back()->legos) track_lego(l);
  }
  add_classifier(plan.back().out_shape);
}

}  // namespace legohar
