// Residual bidirectional LSTM for HAR (residual-bilstm readme; family "bilstm"). Block i is one
// stacked layer: an LSTM over the window's time steps (both directions when bidirectional, their
// outputs concatenated and reduced back to d = hidden features by a ReLU layer), the layer's input
// added when residual, BatchNorm over the features, dropout; block 1 first maps the raw channels
// to d by a ReLU dense layer. Blocks exchange [N, d, T, 1] (features as channels, time as height),
// so local losses and profiles treat them like convolutional blocks. The classifier reads the last
// time step, or the mean over time, of the last block.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "legohar/nn/model.h"

namespace legohar {

class LstmBlockImpl : public torch::nn::Module {
 public:
  // `first`: block 1, which reads the raw window [N, 1, T, C].
  LstmBlockImpl(const ModelSpec& spec, bool first);
  // [N, 1, T, C] (first block) or [N, d, T, 1] -> [N, d, T, 1]
  torch::Tensor forward(const torch::Tensor& x);

  bool first, residual, bidirectional;
  double dropout;
  torch::nn::Linear dense_in{nullptr};  // first block: C -> d, ReLU
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear merge{nullptr};  // bidirectional: 2h -> d, ReLU
  torch::nn::BatchNorm2d bn{nullptr};
};
TORCH_MODULE(LstmBlock);

class BiLstmImpl : public HarModel {
 public:
  explicit BiLstmImpl(const ModelSpec& spec);

  size_t num_blocks() const override { return blocks_.size(); }
  torch::Tensor forward_block(size_t i, const torch::Tensor& x) override {
    return blocks_[i]->forward(x);
  }
  // [N, d, T, 1] -> [N, classes]: the last time step or the mean over time.
  torch::Tensor classify(const torch::Tensor& features) override;
  std::shared_ptr<torch::nn::Module> block(size_t i) override { return blocks_[i].ptr(); }
  std::shared_ptr<torch::nn::Module> classifier() override { return fc_.ptr(); }

 private:
  std::vector<LstmBlock> blocks_;
  torch::nn::Linear fc_{nullptr};
};

}  // namespace legohar
