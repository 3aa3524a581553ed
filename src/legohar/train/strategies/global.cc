// Implementation of global.h.
#include "legohar/train/strategies/global.h"

#include <torch/torch.h>

#include "legohar/train/classification_loss.h"
#include "legohar/train/strategies/optimizer.h"

namespace legohar {

namespace {

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
    torch::Tensor h = x;  // [N, 1, T, C], then each block's output as the next one receives it
    for (size_t i = 0; i < model_.num_blocks(); ++i)
      h = passed_on(model_.forward_block(i, h), o_.dropout);
    const torch::Tensor logits = model_.classify(h);
    const torch::Tensor loss = classification_loss(logits, y, o_.label_smoothing) +
                               balance_term(model_, model_, o_.balance, device_);
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

}  // namespace

std::unique_ptr<TrainingStrategy> make_global_strategy(HarModel& model, const TrainOptions& options,
                                                       const torch::Device& device) {
  return std::make_unique<GlobalStrategy>(model, options, device);
}

}  // namespace legohar
