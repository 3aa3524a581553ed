// Implementation of strategy.h.
#include "legohar/train/strategy.h"

#include <torch/torch.h>

#include "legohar/spec/profile.h"

namespace legohar {
namespace F = torch::nn::functional;
using torch::optim::Adam;
using torch::optim::AdamOptions;

namespace {

// An Adam optimizer over groups of (parameters, learning rate, weight decay) that remembers the
// base learning rates so the schedule can scale them.
class ScheduledAdam {
 public:
  void add(std::vector<torch::Tensor> params, double lr, double weight_decay = 0.0) {
    if (params.empty()) return;
    groups_.emplace_back(std::move(params),
                         std::make_unique<AdamOptions>(AdamOptions(lr).weight_decay(weight_decay)));
    base_.push_back(lr);
  }
  // Clips the gradient norm of every parameter of the optimizer to `clip` (0: no clipping), then
  // takes the step.
  void step(double clip) {
    if (clip > 0) {
      std::vector<torch::Tensor> params;
      for (auto& group : get().param_groups())
        for (const torch::Tensor& p : group.params())
          if (p.grad().defined()) params.push_back(p);
      torch::nn::utils::clip_grad_norm_(params, clip);
    }
    get().step();
  }
  Adam& get() {
    if (!adam_) adam_ = std::make_unique<Adam>(std::move(groups_));
    return *adam_;
  }
  void scale(double factor) {
    for (size_t g = 0; g < base_.size(); ++g)
      static_cast<AdamOptions&>(get().param_groups()[g].options()).lr(base_[g] * factor);
  }
  void save(torch::serialize::OutputArchive& archive, const std::string& key) {
    torch::serialize::OutputArchive sub;
    get().save(sub);
    archive.write(key, sub);
  }
  void load(torch::serialize::InputArchive& archive, const std::string& key) {
    torch::serialize::InputArchive sub;
    archive.read(key, sub);
    get().load(sub);
  }

 private:
  std::vector<torch::optim::OptimizerParamGroup> groups_;
  std::vector<double> base_;
  std::unique_ptr<Adam> adam_;
};

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

class GlobalStrategy : public TrainingStrategy {
 public:
  GlobalStrategy(HarModel& model, const TrainOptions& o, const torch::Device& device)
      : model_(model), o_(o), device_(device) {
    opt_.add(model.weight_parameters(), o.lr, o.weight_decay);
    if (!o.freeze_mask) opt_.add(model.mask_parameters(), o.mask_lr);
  }
  void begin_epoch(int, double factor) override { opt_.scale(factor); }
  StepResult step(const torch::Tensor& x, const torch::Tensor& y) override {
    opt_.get().zero_grad();
    const torch::Tensor logits = model_.forward(x);
    const torch::Tensor loss =
        F::cross_entropy(logits, y) + balance_term(model_, model_, o_.balance, device_);
    loss.backward();
    opt_.step(o_.clip_norm);
    return {loss.item<double>(), logits.detach()};
  }
  void save(torch::serialize::OutputArchive& a) override { opt_.save(a, "optimizer"); }
  void load(torch::serialize::InputArchive& a) override { opt_.load(a, "optimizer"); }

 private:
  HarModel& model_;
  TrainOptions o_;
  torch::Device device_;
  ScheduledAdam opt_;
};

class LocalStrategy : public TrainingStrategy {
 public:
  LocalStrategy(HarModel& model, const TrainOptions& o, const torch::Device& device)
      : model_(model), o_(o), device_(device), opts_(model.num_blocks()) {
    if (o.greedy) greedy_phase(o, static_cast<int>(model.num_blocks()), 1);  // enough epochs?
    const ModelProfile shapes = profile_model(model.spec());
    const double head_lr = o.head_lr > 0 ? o.head_lr : o.lr;
    for (size_t i = 0; i < model.num_blocks(); ++i) {
      const auto& s = shapes.block_shapes[i];  // [C, H, W]
      heads_.emplace_back(
          s[0], s[1], s[2], model.spec().classes,
          LocalHeadsOptions{o.local_loss, o.pred_features, o.head_zero_init, o.sim_pool});
      heads_.back()->to(device);
      opts_[i].add(model.weight_parameters(*model.block(i)), o.lr, o.weight_decay);
      if (!o.freeze_mask) opts_[i].add(model.mask_parameters(*model.block(i)), o.mask_lr);
      opts_[i].add(heads_.back()->parameters(), head_lr);
    }
    classifier_opt_.add(model.classifier()->parameters(), head_lr, o.weight_decay);
  }

  void begin_epoch(int epoch, double factor) override {
    for (auto& opt : opts_) opt.scale(factor);
    classifier_opt_.scale(factor);
    active_ = o_.greedy ? greedy_phase(o_, static_cast<int>(model_.num_blocks()), epoch).block : -1;
  }

  StepResult step(const torch::Tensor& x, const torch::Tensor& y) override {
    const int blocks = static_cast<int>(model_.num_blocks());
    torch::Tensor h = x;
    double total = 0;
    for (int i = 0; i < blocks; ++i) {
      if (active_ >= 0 && i < active_) {  // greedy: a finished block, frozen
        torch::NoGradGuard no_grad;
        model_.block(i)->eval();
        h = model_.forward_block(i, h);
        continue;
      }
      if (active_ >= 0 && i > active_) {  // greedy: blocks whose turn has not come stay untouched
        torch::NoGradGuard
            no_grad;  // (evaluation mode keeps their BatchNorm statistics as they are)
        for (int j = i; j < blocks; ++j) {
          model_.block(j)->eval();
          h = model_.forward_block(j, h);
          model_.block(j)->train();
        }
        return {total, model_.classify(h)};
      }
      opts_[i].get().zero_grad();
      const torch::Tensor out = model_.forward_block(i, h);  // [N, C_i, H_i, W_i]
      const torch::Tensor loss = heads_[i]->loss(out, y, o_.alpha) +
                                 balance_term(model_, *model_.block(i), o_.balance, device_);
      loss.backward();
      opts_[i].step(o_.clip_norm);
      total += loss.item<double>();
      h = out.detach();  // the graph is cut here: no gradient reaches block i from above
      if (o_.dropout > 0) h = F::dropout(h, F::DropoutFuncOptions().p(o_.dropout).training(true));
    }
    classifier_opt_.get().zero_grad();
    const torch::Tensor logits = model_.classify(h);
    const torch::Tensor loss = F::cross_entropy(logits, y);
    loss.backward();
    classifier_opt_.step(o_.clip_norm);
    return {total + loss.item<double>(), logits.detach()};
  }

  std::vector<LocalHeads> local_heads() const override { return heads_; }

  void save(torch::serialize::OutputArchive& a) override {
    for (size_t i = 0; i < heads_.size(); ++i) {
      torch::serialize::OutputArchive sub;
      heads_[i]->save(sub);
      a.write("heads" + std::to_string(i), sub);
      opts_[i].save(a, "block_optimizer" + std::to_string(i));
    }
    classifier_opt_.save(a, "classifier_optimizer");
  }
  void load(torch::serialize::InputArchive& a) override {
    for (size_t i = 0; i < heads_.size(); ++i) {
      torch::serialize::InputArchive sub;
      a.read("heads" + std::to_string(i), sub);
      heads_[i]->load(sub);
      heads_[i]->to(device_);
      opts_[i].load(a, "block_optimizer" + std::to_string(i));
    }
    classifier_opt_.load(a, "classifier_optimizer");
  }

 private:
  HarModel& model_;
  TrainOptions o_;
  torch::Device device_;
  std::vector<LocalHeads> heads_;
  std::vector<ScheduledAdam> opts_;
  ScheduledAdam classifier_opt_;
  int active_ = -1;  // greedy: the block in training; -1: every block
};

}  // namespace

std::unique_ptr<TrainingStrategy> make_strategy(HarModel& model, const TrainOptions& o,
                                                const torch::Device& device) {
  if (o.loss == "global") {
    if (o.greedy) throw std::invalid_argument("--greedy needs --loss local");
    return std::make_unique<GlobalStrategy>(model, o, device);
  }
  if (o.loss == "local") return std::make_unique<LocalStrategy>(model, o, device);
  throw std::invalid_argument("unknown loss '" + o.loss + "' (use global or local)");
}

int64_t activation_bytes_per_step(const ModelSpec& spec, const TrainOptions& o) {
  const ModelProfile p = profile_model(spec);
  std::vector<int64_t> per_block(p.block_shapes.size(), 0);
  for (const LayerProfile& l : p.layers)
    if (l.block >= 0) per_block[static_cast<size_t>(l.block)] += l.activations;
  int64_t sum = 0, largest = 0;
  const int64_t k = std::max(1, o.sim_pool);
  for (size_t b = 0; b < per_block.size(); ++b) {
    const auto& s = p.block_shapes[b];
    sum += per_block[b];
    const int64_t sim = s[0] * ((s[1] + k - 1) / k) * ((s[2] + k - 1) / k);
    largest = std::max(largest, per_block[b] + sim);  // + the sim head's convolution
  }
  return 4 * static_cast<int64_t>(o.batch_size) * (o.loss == "local" ? largest : sum);
}

}  // namespace legohar
