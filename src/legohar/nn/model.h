// The model interface every family implements (CNN, Lego CNN, ResNet, ...): a sequence of blocks
// and a classifier, so that global back-propagation, block-wise local losses, greedy training,
// evaluation, checkpoints and benchmarks work on any family. Parameters come in groups (the
// weights; the Lego mask logits, trained at their own rate and frozen on demand), and a model
// reports its own per-epoch diagnostics (the Lego selections' changes) as named values. Families
// are built from a ModelSpec by nn/registry.h.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <memory>
#include <string>
#include <utility>
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

  // Per-epoch diagnostics as named values (history.csv columns, metrics.json keys, the progress
  // line). diagnostic_state() is a snapshot of what they compare (the Lego selections; JSON, so
  // that checkpoints keep the run's first one); diagnostics() reports the model now against the
  // snapshots taken at the run's start and at the epoch's start. With Lego layers:
  // mask_changed_fraction (selections unlike the run's first) and mask_changed_in_epoch; a family
  // without Lego layers reports none (no columns, no keys).
  virtual nlohmann::json diagnostic_state() const;
  virtual std::vector<std::pair<std::string, double>> diagnostics(
      const nlohmann::json& run_start, const nlohmann::json& epoch_start) const;

 protected:
  // Families register each Lego layer they build here, in forward order.
  void track_lego(const LegoConv2d& layer) { legos_.push_back(layer); }

 private:
  bool is_mask(const torch::Tensor& p) const;

  ModelSpec spec_;
  std::vector<LegoConv2d> legos_;
};

// A Lego convolution of `in` inputs, `out` outputs, a kernel x 1 kernel and k Lego filters with
// the spec's Lego options (o, the logits' std, the coefficients, the initialisation); stride and
// padding are 1 and 0.
LegoConv2dOptions lego_conv_options(const ModelSpec& spec, int64_t in, int64_t out, int64_t kernel,
                                    int64_t lego_filters);

// A family whose blocks are modules of one kind applied in turn (`Block`: a ModuleHolder whose
// forward maps [N, C, H, W] to [N, C', H', W']) and whose classifier is one Linear layer on the
// flattened last block output: the CNN and the ResNet.
template <class Block>
class FlatClassifierModel : public HarModel {
 public:
  using HarModel::HarModel;

  size_t num_blocks() const override { return blocks_.size(); }
  torch::Tensor forward_block(size_t i, const torch::Tensor& x) override {
    return blocks_[i]->forward(x);
  }
  // [N, C, H, W] -> [N, classes]
  torch::Tensor classify(const torch::Tensor& features) override {
    return fc_->forward(features.flatten(1));
  }
  std::shared_ptr<torch::nn::Module> block(size_t i) override { return blocks_[i].ptr(); }
  std::shared_ptr<torch::nn::Module> classifier() override { return fc_.ptr(); }

 protected:
  // Registers the next block as "block<i>" (1-based).
  void add_block(Block block) {
    blocks_.push_back(register_module("block" + std::to_string(blocks_.size() + 1), block));
  }
  // Registers the classifier ("fc") for a last block output of shape [C, H, W].
  void add_classifier(const std::vector<int64_t>& last) {
    fc_ = register_module("fc", torch::nn::Linear(last[0] * last[1] * last[2], spec().classes));
  }

  std::vector<Block> blocks_;

 private:
  torch::nn::Linear fc_{nullptr};
};

}  // namespace legohar
