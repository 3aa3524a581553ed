// The HAR CNN (families "baseline" and "lego"): per conv layer of the spec, Conv (or LegoConv for
// every layer but the first when the spec uses Lego) - BatchNorm - ReLU as one block, then
// flatten and one Linear classifier.
#pragma once

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "legohar/nn/model.h"

namespace legohar {

class CnnImpl : public HarModel {
 public:
  explicit CnnImpl(const ModelSpec& spec);

  size_t num_blocks() const override { return blocks_.size(); }
  // [N, C_{i-1}, H_{i-1}, W_{i-1}] -> [N, C_i, H_i, W_i]
  torch::Tensor forward_block(size_t i, const torch::Tensor& x) override {
    return blocks_[i]->forward(x);
  }
  // [N, C, H, W] -> [N, classes]
  torch::Tensor classify(const torch::Tensor& features) override {
    return fc_->forward(features.flatten(1));
  }
  std::shared_ptr<torch::nn::Module> block(size_t i) override { return blocks_[i].ptr(); }
  std::shared_ptr<torch::nn::Module> classifier() override { return fc_.ptr(); }

 private:
  std::vector<torch::nn::Sequential> blocks_;  // conv - bn - relu
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(Cnn);

}  // namespace legohar
