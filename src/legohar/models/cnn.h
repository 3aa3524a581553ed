// The HAR CNN built from a ModelSpec: per layer Conv (or LegoConv for every layer but the first
// when spec.model == "lego") - BatchNorm - ReLU, then flatten and one Linear classifier.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "legohar/models/lego_conv.h"
#include "legohar/models/model_spec.h"

namespace legohar {

class CnnImpl : public torch::nn::Module {
 public:
  explicit CnnImpl(const ModelSpec& spec);

  // [N, 1, T, C] -> logits [N, classes]
  torch::Tensor forward(torch::Tensor x);

  // The conv blocks one at a time (local and greedy training): block i maps the output of block
  // i - 1 (or the input) to [N, C_i, H_i, W_i]; classify maps the last block's output to logits.
  size_t num_blocks() const { return blocks_.size(); }
  torch::Tensor forward_block(size_t i, const torch::Tensor& x) { return blocks_[i]->forward(x); }
  torch::Tensor classify(const torch::Tensor& features) {
    return fc_->forward(features.flatten(1));
  }
  torch::nn::Sequential& block(size_t i) { return blocks_[i]; }
  torch::nn::Linear& classifier() { return fc_; }

  const ModelSpec& spec() const { return spec_; }
  const std::vector<LegoConv2d>& lego_layers() const { return legos_; }
  // Every parameter but the Lego mask logits, of the whole model or of `module` (a part of it).
  std::vector<torch::Tensor> weight_parameters() const;
  std::vector<torch::Tensor> weight_parameters(const torch::nn::Module& module) const;
  // The Lego mask logits of every Lego layer, or of those inside `module`.
  std::vector<torch::Tensor> mask_parameters() const;
  std::vector<torch::Tensor> mask_parameters(const torch::nn::Module& module) const;
  // Freezes the Lego selections: the logits keep their values and get no more gradients, so
  // optimizers skip them and the merge skips the straight-through gradient over all k maps.
  void freeze_masks();

 private:
  bool is_mask(const torch::Tensor& p) const;

  ModelSpec spec_;
  std::vector<torch::nn::Sequential> blocks_;  // conv - bn - relu
  std::vector<LegoConv2d> legos_;
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(Cnn);

}  // namespace legohar
