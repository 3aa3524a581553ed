// The model interface every family implements (CNN, Lego CNN, ResNet, ...): a sequence of blocks
// and a classifier, so that global back-propagation, block-wise local losses, greedy training,
// evaluation, checkpoints and benchmarks work on any family. Parameters come in groups (the
// weights; the Lego mask logits, trained at their own rate and frozen on demand), and the Lego
// selections are a per-epoch diagnostic. Families are built from a ModelSpec by nn/registry.h.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <vector>

#include "legohar/nn/lego_conv.h"
#include "legohar/spec/model_spec.h"

namespace legohar {

class HarModel : public torch::nn::Module {
 public:
  explicit HarModel(ModelSpec spec) : spec_(std::move(spec)) {}

  const ModelSpec& spec() const { return spec_; }

  // [N, 1, T, C] -> logits [N, classes]: every block, then the classifier.
  torch::Tensor forward(torch::Tensor x);
  // Block i maps the output of block i - 1 (or the input) to its own output (its shape is
  // profile_model(spec()).block_shapes[i]); classify maps the last block's output to logits.
  virtual size_t num_blocks() const = 0;
  virtual torch::Tensor forward_block(size_t i, const torch::Tensor& x) = 0;
  virtual torch::Tensor classify(const torch::Tensor& features) = 0;
  // The modules holding block i's parameters and the classifier's (optimizers, train/eval mode).
  virtual std::shared_ptr<torch::nn::Module> block(size_t i) = 0;
  virtual std::shared_ptr<torch::nn::Module> classifier() = 0;

  // Every parameter but the Lego mask logits, of the whole model or of `module` (a part of it).
  std::vector<torch::Tensor> weight_parameters() const { return weight_parameters(*this); }
  std::vector<torch::Tensor> weight_parameters(const torch::nn::Module& module) const;
  // The Lego mask logits of every Lego layer, or of those inside `module`.
  std::vector<torch::Tensor> mask_parameters() const { return mask_parameters(*this); }
  std::vector<torch::Tensor> mask_parameters(const torch::nn::Module& module) const;
  // The Lego layers, in forward order.
  const std::vector<LegoConv2d>& lego_layers() const { return legos_; }
  // Freezes the Lego selections: the logits keep their values and get no more gradients, so
  // optimizers skip them and the merge skips the straight-through gradient over all k maps.
  void freeze_masks();
  // The selected Lego filter of every (fragment, output) of every Lego layer, flattened.
  std::vector<int64_t> selections() const;

 protected:
  // Families register each Lego layer they build here, in forward order.
  void track_lego(const LegoConv2d& layer) { legos_.push_back(layer); }

 private:
  bool is_mask(const torch::Tensor& p) const;

  ModelSpec spec_;
  std::vector<LegoConv2d> legos_;
};

}  // namespace legohar
