// Implementation of local.h.
#include "legohar/train/strategies/local.h"

#include <torch/torch.h>

#include "legohar/spec/profile.h"
#include "legohar/train/classification_loss.h"
#include "legohar/train/strategies/optimizer.h"

namespace legohar {

namespace {

class LocalStrategy : public TrainingStrategy {
 public:
  LocalStrategy(HarModel& model, const TrainOptions& o, const torch::Device& device)
      : model_(model), o_(o), device_(device), opts_(model.num_blocks()) {
    if (o.greedy) greedy_phase(o, static_cast<int>(model.num_blocks()), 1);  // enough epochs?
    const ModelProfile shapes = profile_model(model.spec());
    const double head_lr = o.head_lr > 0 ? o.head_lr : o.lr;
    for (size_t i = 0; i < model.num_blocks(); ++i) {
      const auto& s = shapes.block_shapes[i];  // [C, H, W]
      heads_.emplace_back(s[0], s[1], s[2], model.spec().classes,
                          LocalHeadsOptions{o.local_loss, o.pred_features, o.head_zero_init,
                                            o.sim_pool, o.label_smoothing});
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
      // The graph is cut here: no gradient reaches block i from above.
      h = passed_on(out.detach(), o_.dropout);
    }
    classifier_opt_.get().zero_grad();
    const torch::Tensor logits = model_.classify(h);
    const torch::Tensor loss = classification_loss(logits, y, o_.label_smoothing);
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

std::unique_ptr<TrainingStrategy> make_local_strategy(HarModel& model, const TrainOptions& options,
                                                      const torch::Device& device) {
  return std::make_unique<LocalStrategy>(model, options, device);
}

}  // namespace legohar
