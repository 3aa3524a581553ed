// Implementation of optimizer.h.
#include "legohar/train/strategies/optimizer.h"

namespace legohar {
using torch::optim::Adam;
using torch::optim::AdamOptions;

void ScheduledAdam::add(std::vector<torch::Tensor> params, double lr, double weight_decay) {
  if (params.empty()) return;
  groups_.emplace_back(std::move(params),
                       std::make_unique<AdamOptions>(AdamOptions(lr).weight_decay(weight_decay)));
  base_.push_back(lr);
}

void ScheduledAdam::step(double clip) {
  if (clip > 0) {
    std::vector<torch::Tensor> params;
    for (auto& group : get().param_groups())
      for (const torch::Tensor& p : group.params())
        if (p.grad().defined()) params.push_back(p);
    torch::nn::utils::clip_grad_norm_(params, clip);
  }
  get().step();
}

Adam& ScheduledAdam::get() {
  if (!adam_) adam_ = std::make_unique<Adam>(std::move(groups_));
  return *adam_;
}

void ScheduledAdam::scale(double factor) {
  for (size_t g = 0; g < base_.size(); ++g)
    static_cast<AdamOptions&>(get().param_groups()[g].options()).lr(base_[g] * factor);
}

void ScheduledAdam::save(torch::serialize::OutputArchive& archive, const std::string& key) {
  torch::serialize::OutputArchive sub;
  get().save(sub);
  archive.write(key, sub);
}

void ScheduledAdam::load(torch::serialize::InputArchive& archive, const std::string& key) {
  torch::serialize::InputArchive sub;
  archive.read(key, sub);
  get().load(sub);
}

// balance * (usage balance of every Lego layer inside `module`), or 0.
torch::Tensor balance_term(HarModel& model, const torch::nn::Module& module, double balance,
                           const torch::Device& device) {
  torch::Tensor term = torch::zeros({}, torch::TensorOptions().device(device));
  if (balance <= 0) return term;
  const std::vector<torch::Tensor> masks = model.mask_parameters(module);
  for (const auto& l : model.lego_layers())
    for (const auto& p : masks)
      if (p.is_same(l->logits)) term = term + balance * l->usage_balance();
  return term;
}

torch::Tensor passed_on(const torch::Tensor& h, double p) {
  namespace F = torch::nn::functional;
  return p > 0 ? F::dropout(h, F::DropoutFuncOptions().p(p).training(true)) : h;
}

}  // namespace legohar
