// Implementation of folding.h.
#include "legohar/deploy/folding.h"

#include <torch/torch.h>

#include "legohar/nn/resnet.h"

namespace legohar {
namespace {

// A layer's bias (zeros when it has none) through `bn`. [n]
torch::Tensor folded_bias(const torch::Tensor& bias, int64_t n,
                          const std::optional<ChannelAffine>& bn) {
  const torch::Tensor b = bias.defined() ? bias.detach() : torch::zeros({n});
  return bn ? b * bn->scale + bn->shift : b.clone();
}

}  // namespace

ChannelAffine batchnorm_affine(const torch::nn::BatchNorm2dImpl& bn) {
  torch::NoGradGuard no_grad;
  const torch::Tensor scale = bn.weight / torch::sqrt(bn.running_var + bn.options.eps());
  return {scale, bn.bias - bn.running_mean * scale};
}

FoldedConv fold_conv(const torch::nn::Conv2dImpl& conv, const std::optional<ChannelAffine>& bn) {
  torch::NoGradGuard no_grad;
  const torch::Tensor w = conv.weight.detach();
  return {bn ? w * bn->scale.view({-1, 1, 1, 1}) : w.clone(),
          folded_bias(conv.bias, w.size(0), bn)};
}

FoldedLego fold_lego(const LegoConv2dImpl& lego, const std::optional<ChannelAffine>& bn) {
  torch::NoGradGuard no_grad;
  const torch::Tensor selection = lego.selection();  // [o, n]
  const torch::Tensor coef = lego.options.candidate_coefficients()
                                 ? lego.coefficients.gather(2, selection.unsqueeze(2)).squeeze(2)
                                 : lego.coefficients.detach();  // [o, n]
  return {lego.lego.detach().clone(), selection, bn ? coef * bn->scale.unsqueeze(0) : coef.clone(),
          folded_bias(lego.bias, coef.size(1), bn)};
}

FoldedUnit fold_unit(const torch::nn::Module& conv, const std::optional<ChannelAffine>& bn) {
  if (const auto* lego = dynamic_cast<const LegoConv2dImpl*>(&conv)) return fold_lego(*lego, bn);
  return fold_conv(dynamic_cast<const torch::nn::Conv2dImpl&>(conv), bn);
}

FoldedUnit fold_cnn_block(const torch::nn::Module& block) {
  const auto children = block.children();  // conv or Lego, BatchNorm, ReLU
  const auto* bn = dynamic_cast<const torch::nn::BatchNorm2dImpl*>(children.at(1).get());
  if (!bn) throw std::logic_error("a CNN block without BatchNorm after its convolution");
  return fold_unit(*children.at(0), batchnorm_affine(*bn));
}

FoldedResidualBlock fold_residual_block(const ResidualBlockImpl& b) {
  FoldedResidualBlock f;
  f.plan = b.plan;
  const size_t units = b.convs.size();
  const bool full = b.order == "full-preact", before_add = b.order == "relu-before-add";
  for (size_t j = 0; j < units; ++j) {
    FoldedResidualUnit u;
    const bool raw_input = b.first && j == 0, last = j + 1 == units;
    if (j == 0 && !raw_input && !before_add) {  // the block's input pre-activated
      if (full) u.pre_affine = batchnorm_affine(*b.norms[0]);
      u.pre_relu = true;
    }
    // The BatchNorm after this convolution: its own, or the next unit's pre-activation.
    std::optional<ChannelAffine> after;
    if (!full)
      after = batchnorm_affine(*b.norms[j]);
    else if (!last)
      after = batchnorm_affine(*b.norms[j + 1]);
    u.conv = fold_unit(*b.convs[j].ptr(), after);
    u.relu = before_add || !last;  // pre-activation orders: the next unit's ReLU
    f.units.push_back(std::move(u));
  }
  if (b.plan.projection)
    f.shortcut = fold_conv(*b.shortcut_conv, batchnorm_affine(*b.shortcut_norm));
  return f;
}

torch::Tensor FoldedLego::assembled() const {
  const int64_t o = selection.size(0), n = selection.size(1);
  const int64_t frag = filters.size(1), d = filters.size(2);
  const torch::Tensor picked =
      filters.index_select(0, selection.flatten()).view({o, n, frag, d, 1});  // [o, n, C/o, d, 1]
  return (picked * coefficients.view({o, n, 1, 1, 1}))
      .permute({1, 0, 2, 3, 4})
      .reshape({n, o * frag, d, 1});
}

}  // namespace legohar
