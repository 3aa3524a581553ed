// Implementation of train_options.h.
#include "legohar/spec/train_options.h"

#include "legohar/common/error.h"
#include "legohar/spec/model_spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <stdexcept>

namespace legohar {
using nlohmann::json;

namespace {
using O = TrainOptions;
}  // namespace

const std::vector<TrainOptionInfo>& train_option_table() {
  const Bounds positive = Bounds::positive(), non_negative = Bounds::at_least(0),
               one_up = Bounds::at_least(1), unit{0, 1};
  using I = TrainOptionInfo;
  static const std::vector<TrainOptionInfo> table = {
      I("epochs", "Training epochs", &O::epochs).in(one_up).own_column(),
      I("batch_size", "Mini-batch size", &O::batch_size).in(one_up),
      I("lr", "Adam learning rate", &O::lr).in(positive),
      I("schedule",
        "Learning-rate schedule: cosine (to lr_floor at the last epoch), step or constant",
        &O::schedule)
          .one_of({"cosine", "step", "constant"})
          .in_older_records("step"),
      I("warmup_epochs", "Linear learning-rate warm-up over the first N epochs", &O::warmup_epochs)
          .in(non_negative),
      I("lr_floor", "Cosine: the last epoch's learning rate as a fraction of --lr", &O::lr_floor)
          .in(unit),
      I("lr_step", "Step: decay the learning rate every N epochs", &O::lr_step).in(one_up),
      I("lr_gamma", "Step: learning-rate decay factor", &O::lr_gamma).in({0, 1, true}),
      I("weight_decay", "Adam weight decay", &O::weight_decay).in(non_negative),
      I("clip_norm", "Clip the gradient norm of each optimizer step to this (0: never)",
        &O::clip_norm)
          .in(non_negative),
      I("label_smoothing",
        "Smooth the labels of every training cross-entropy by epsilon (0: plain cross-entropy)",
        &O::label_smoothing)
          .in({0, 1, false, true}),
      I("val_subjects",
        "Hold out N training subjects (seeded choice) as a validation split for model selection",
        &O::val_subjects)
          .in(non_negative),
      I("mask_lr", "Lego: Adam learning rate of the mask logits (follows the schedule)",
        &O::mask_lr)
          .in(non_negative),
      I("balance", "Lego: weight of the Lego-usage balance term", &O::balance).in(non_negative),
      I("freeze_mask", "Lego: keep the random initial assignment", &O::freeze_mask),
      I("mask_freeze_epoch",
        "Lego: freeze the selection after epoch E, then train filters and coefficients (0: "
        "never, -1: after 3/4 of the run)",
        &O::mask_freeze_epoch)
          .in(Bounds::at_least(-1))
          .in_older_records(0),
      I("loss", "global (back-propagation) or local (block-wise losses)", &O::loss)
          .one_of({"global", "local"})
          .own_column(),
      I("local_loss",
        "Local: each block's loss: pred (local classifier), sim (similarity matching) or "
        "predsim (both, weighted by alpha)",
        &O::local_loss)
          .one_of({"pred", "sim", "predsim"}),
      I("alpha", "Local: weight of the similarity loss in predsim", &O::alpha).in(unit),
      I("dropout", "Dropout on each block's output passed on (local: after the block's loss)",
        &O::dropout)
          .in({0, 1, false, true}),
      I("greedy", "Local: train the blocks one after another", &O::greedy).own_column(),
      I("head_lr", "Local: learning rate of the heads and classifier (0: --lr)", &O::head_lr)
          .in(non_negative),
      I("pred_features",
        "Local: average-pool the local classifier's input to at most N features (0: all)",
        &O::pred_features)
          .in(non_negative),
      I("head_zero_init", "Local: local classifiers start at zero weights", &O::head_zero_init),
      I("sim_pool", "Local: average-pool the block output k x k before the similarity head",
        &O::sim_pool)
          .in(one_up),
      I("seed", "Random seed", &O::seed).own_column(),
      I("protocol", "subjects | recordings | loso:<subject> | random:<test fraction>",
        &O::protocol),
      I("causal_filters",
        "Filter raw recordings with forward-only filters with state, as a live stream can, "
        "instead of zero-phase ones",
        &O::causal_filters)
          .own_column(),
  };
  return table;
}

const TrainOptionInfo* find_train_option(std::string_view key) {
  return find_option(train_option_table(), key);
}

void TrainOptions::validate() const {
  for (const TrainOptionInfo& info : train_option_table()) info.check(*this);
  if (greedy && loss != "local") throw Error::usage("greedy needs loss local");
}

json TrainOptions::to_json() const {
  json j = json::object();
  for (const TrainOptionInfo& info : train_option_table())
    j[std::string(info.key)] = info.get(*this);
  return j;
}

TrainOptions TrainOptions::from_json(const json& j) {
  TrainOptions o;
  for (const TrainOptionInfo& info : train_option_table()) info.read_record(o, j);
  return o;
}

TrainOptions with_family_defaults(TrainOptions base, std::string_view family) {
  const json defaults = family_train_defaults(family);
  for (const auto& [key, value] : defaults.items()) find_train_option(key)->set(base, value);
  return base;
}

int warmup_epochs(const TrainOptions& o) {
  return std::max(0, std::min(o.warmup_epochs, o.epochs - 1));
}

int mask_freeze_after(const TrainOptions& o) {
  if (o.mask_freeze_epoch >= 0) return o.mask_freeze_epoch;
  return static_cast<int>(std::lround(0.75 * o.epochs));
}

double lr_factor(const TrainOptions& o, int epoch) {
  const int warmup = warmup_epochs(o);
  if (epoch <= warmup) return static_cast<double>(epoch) / (warmup + 1);
  const int e = epoch - warmup;  // 1 at the first epoch after the warm-up
  if (o.schedule == "constant") return 1.0;
  if (o.schedule == "step") return std::pow(o.lr_gamma, (e - 1) / o.lr_step);
  const int span = o.epochs - warmup - 1;
  if (span <= 0) return 1.0;
  const double t = std::min(1.0, static_cast<double>(e - 1) / span);
  return o.lr_floor + (1.0 - o.lr_floor) * 0.5 * (1.0 + std::cos(M_PI * t));
}

GreedyPhase greedy_phase(const TrainOptions& o, int blocks, int epoch) {
  if (blocks < 1 || o.epochs < blocks)
    throw Error::usage(fmt::format(
        "greedy training trains {} blocks one after another: it needs epochs >= {} (epochs = {})",
        blocks, blocks, o.epochs));
  GreedyPhase p;
  p.block = std::min(blocks - 1, (epoch - 1) * blocks / o.epochs);
  // The first epoch e with (e - 1) B >= b E, for this block and the next.
  auto first = [&](int b) { return (b * o.epochs + blocks - 1) / blocks + 1; };
  p.first_epoch = first(p.block);
  p.epochs = (p.block + 1 < blocks ? first(p.block + 1) : o.epochs + 1) - p.first_epoch;
  return p;
}

double lr_factor(const TrainOptions& o, int epoch, int blocks) {
  if (!o.greedy) return lr_factor(o, epoch);
  const GreedyPhase p = greedy_phase(o, blocks, epoch);
  TrainOptions phase = o;
  phase.epochs = p.epochs;
  return lr_factor(phase, epoch - p.first_epoch + 1);
}

std::string run_length_dependence(const TrainOptions& o) {
  std::vector<std::string> ties;
  if (o.schedule == "cosine") ties.push_back("the cosine schedule");
  if (o.warmup_epochs > 0) ties.push_back("the warm-up");  // capped by the length
  if (o.mask_freeze_epoch < 0) ties.push_back("the Lego selection frozen after 3/4 of the run");
  if (o.greedy) ties.push_back("greedy training's phases");
  return fmt::format("{}", fmt::join(ties, ", "));
}

std::vector<std::string> recorded_settings_differ(const nlohmann::json& model,
                                                  const nlohmann::json& options,
                                                  const ModelSpec& spec, const TrainOptions& o,
                                                  bool ignore_epochs) {
  std::vector<std::string> diff =
      differing_keys(ModelSpec::from_json(model).to_json(), spec.to_json());
  nlohmann::json have = TrainOptions::from_json(options).to_json(), want = o.to_json();
  if (ignore_epochs) {
    have.erase("epochs");
    want.erase("epochs");
  }
  for (std::string& d : differing_keys(have, want)) diff.push_back(std::move(d));
  return diff;
}

}  // namespace legohar
