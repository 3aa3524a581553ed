// What every training strategy builds its optimizers from: Adam over parameter groups whose base
// learning rates the schedule scales (lr_factor), with optional gradient-norm clipping and
// checkpointing under a key; the Lego usage-balance penalty of the layers inside a module; and the
// dropout on what a block passes on.
#pragma once

#include <torch/optim/adam.h>
#include <torch/serialize/archive.h>

#include <memory>
#include <string>
#include <vector>

#include "legohar/nn/model.h"

namespace legohar {

// An Adam optimizer over groups of (parameters, learning rate, weight decay) that remembers the
// base learning rates so the schedule can scale them.
class ScheduledAdam {
 public:
  // A group of parameters at base rate `lr` (none: no group).
  void add(std::vector<torch::Tensor> params, double lr, double weight_decay = 0.0);
  // Clips the gradient norm of every parameter of the optimizer to `clip` (0: no clipping), then
  // takes the step.
  void step(double clip);
  // The optimizer, built from the groups on first use.
  torch::optim::Adam& get();
  // Every group's learning rate := its base rate * factor.
  void scale(double factor);
  void save(torch::serialize::OutputArchive& archive, const std::string& key);
  void load(torch::serialize::InputArchive& archive, const std::string& key);

 private:
  std::vector<torch::optim::OptimizerParamGroup> groups_;
  std::vector<double> base_;
  std::unique_ptr<torch::optim::Adam> adam_;
};

// balance * (usage balance of every Lego layer inside `module`), or 0.
torch::Tensor balance_term(HarModel& model, const torch::nn::Module& module, double balance,
                           const torch::Device& device);

// A block's output `h` as the next block (or the classifier) receives it in training: with dropout
// of probability p (inverted: the kept values scaled by 1 / (1 - p)), or as it is when p is 0.
torch::Tensor passed_on(const torch::Tensor& h, double p);

}  // namespace legohar
