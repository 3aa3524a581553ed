// Implementation of bilstm.h.
#include "legohar/nn/bilstm.h"

#include <torch/nn/functional/dropout.h>

namespace legohar {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

LstmBlockImpl::LstmBlockImpl(const ModelSpec& spec, bool first_block)
    : first(first_block),
      residual(spec.residual),
      bidirectional(spec.bidirectional),
      dropout(spec.lstm_dropout) {
  const int64_t d = spec.hidden;
  if (first) dense_in = register_module("dense_in", nn::Linear(spec.input_channels, d));
  lstm = register_module(
      "lstm", nn::LSTM(nn::LSTMOptions(d, d).batch_first(true).bidirectional(bidirectional)));
  if (bidirectional) merge = register_module("merge", nn::Linear(2 * d, d));
  bn = register_module("bn", nn::BatchNorm2d(d));
}

torch::Tensor LstmBlockImpl::forward(const torch::Tensor& x) {
  // The layer's input as a sequence [N, T, d].
  const torch::Tensor in =
      first ? torch::relu(dense_in->forward(x.squeeze(1))) : x.squeeze(3).transpose(1, 2);
  torch::Tensor y = std::get<0>(lstm->forward(in));  // [N, T, d or 2d]
  if (bidirectional) y = torch::relu(merge->forward(y));
  if (residual) y = y + in;
  // [N, d, T, 1], contiguous: LibTorch 1.13's CPU BatchNorm back-propagates wrongly through the
  // channels-last-like strides a transposed [N, T, d] has (caught by bilstm_test.cc).
  y = bn->forward(y.transpose(1, 2).unsqueeze(3).contiguous());
  return F::dropout(y, F::DropoutFuncOptions().p(dropout).training(is_training()));
}

BiLstmImpl::BiLstmImpl(const ModelSpec& model_spec) : HarModel(model_spec) {
  const ModelSpec& s = spec();
  s.validate();
  for (int64_t b = 0; b < s.lstm_layers; ++b)
    blocks_.push_back(
        register_module("block" + std::to_string(b + 1), LstmBlock(s, /*first=*/b == 0)));
  fc_ = register_module("fc", nn::Linear(s.hidden, s.classes));
}

torch::Tensor BiLstmImpl::classify(const torch::Tensor& features) {
  const torch::Tensor h = features.squeeze(3);  // [N, d, T]
  return fc_->forward(spec().readout == "mean" ? h.mean(2) : h.select(2, h.size(2) - 1));
}

}  // namespace legohar
