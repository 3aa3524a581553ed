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

  const ModelSpec& spec() const { return spec_; }
  const std::vector<LegoConv2d>& lego_layers() const { return legos_; }
  // Every parameter but the Lego mask logits.
  std::vector<torch::Tensor> weight_parameters() const;
  // The Lego mask logits of every Lego layer.
  std::vector<torch::Tensor> mask_parameters() const;

 private:
  ModelSpec spec_;
  std::vector<torch::nn::Sequential> blocks_;  // conv - bn - relu
  std::vector<LegoConv2d> legos_;
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(Cnn);

}  // namespace legohar
