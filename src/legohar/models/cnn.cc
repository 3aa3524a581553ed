// Implementation of cnn.h.
#include "legohar/models/cnn.h"

#include "legohar/eval/profile.h"

namespace legohar {
namespace nn = torch::nn;

CnnImpl::CnnImpl(const ModelSpec& spec) : spec_(spec) {
  spec_.validate();
  for (size_t i = 0; i < spec_.layers.size(); ++i) {
    const ConvLayerSpec& l = spec_.layers[i];
    nn::Sequential block;
    if (spec_.is_lego(i)) {
      LegoConv2d lego(LegoConv2dOptions(spec_.in_channels(i), l.channels, l.kernel)
                          .stride(l.stride)
                          .padding(l.padding)
                          .fragments(spec_.o)
                          .lego_filters(spec_.lego_filters(i))
                          .mask_init_std(spec_.mask_init_std));
      legos_.push_back(lego);
      block->push_back(lego);
    } else {
      block->push_back(nn::Conv2d(nn::Conv2dOptions(spec_.in_channels(i), l.channels, {l.kernel, 1})
                                      .stride({l.stride, 1})
                                      .padding({l.padding, l.padding})));
    }
    block->push_back(nn::BatchNorm2d(l.channels));
    block->push_back(nn::ReLU());
    blocks_.push_back(register_module("block" + std::to_string(i + 1), block));
  }
  const ModelProfile shape = profile_model(spec_);
  const auto& last = shape.layers[shape.layers.size() - 2].out_shape;  // [C, H, W]
  fc_ = register_module("fc", nn::Linear(last[0] * last[1] * last[2], spec_.classes));
}

torch::Tensor CnnImpl::forward(torch::Tensor x) {
  for (size_t i = 0; i < blocks_.size(); ++i) x = forward_block(i, x);  // [N, C_l, H_l, W_l]
  return classify(x);                                                   // [N, classes]
}

bool CnnImpl::is_mask(const torch::Tensor& p) const {
  for (const auto& l : legos_)
    if (p.is_same(l->logits)) return true;
  return false;
}

std::vector<torch::Tensor> CnnImpl::weight_parameters(const torch::nn::Module& module) const {
  std::vector<torch::Tensor> out;
  for (const torch::Tensor& p : module.parameters())
    if (!is_mask(p)) out.push_back(p);
  return out;
}

std::vector<torch::Tensor> CnnImpl::mask_parameters(const torch::nn::Module& module) const {
  std::vector<torch::Tensor> out;
  for (const torch::Tensor& p : module.parameters())
    if (is_mask(p)) out.push_back(p);
  return out;
}

void CnnImpl::freeze_masks() {
  for (torch::Tensor& p : mask_parameters()) {
    p.set_requires_grad(false);
    p.mutable_grad() = torch::Tensor();
  }
}

std::vector<torch::Tensor> CnnImpl::weight_parameters() const {
  return weight_parameters(*this);
}

std::vector<torch::Tensor> CnnImpl::mask_parameters() const {
  return mask_parameters(*this);
}

}  // namespace legohar
