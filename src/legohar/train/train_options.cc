// Implementation of train_options.h.
#include "legohar/train/train_options.h"

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
  static const std::vector<TrainOptionInfo> table = {
      {"epochs", "Training epochs", &O::epochs, false},
      {"batch_size", "Mini-batch size", &O::batch_size},
      {"lr", "Adam learning rate", &O::lr},
      {"schedule",
       "Learning-rate schedule: cosine (to lr_floor at the last epoch), step or constant",
       &O::schedule},
      {"warmup_epochs", "Linear learning-rate warm-up over the first N epochs", &O::warmup_epochs},
      {"lr_floor", "Cosine: the last epoch's learning rate as a fraction of --lr", &O::lr_floor},
      {"lr_step", "Step: decay the learning rate every N epochs", &O::lr_step},
      {"lr_gamma", "Step: learning-rate decay factor", &O::lr_gamma},
      {"weight_decay", "Adam weight decay", &O::weight_decay},
      {"val_subjects",
       "Hold out N training subjects (seeded choice) as a validation split for model selection",
       &O::val_subjects},
      {"mask_lr", "Lego: Adam learning rate of the mask logits (follows the schedule)",
       &O::mask_lr},
      {"balance", "Lego: weight of the Lego-usage balance term", &O::balance},
      {"freeze_mask", "Lego: keep the random initial assignment", &O::freeze_mask},
      {"mask_freeze_epoch",
       "Lego: freeze the selection after epoch E, then train filters and coefficients (0: never, "
       "-1: after 3/4 of the run)",
       &O::mask_freeze_epoch},
      {"loss", "global (back-propagation) or local (layer-wise losses)", &O::loss, false},
      {"alpha", "Local: weight of the similarity loss", &O::alpha},
      {"dropout", "Local: dropout on each block's output passed on (after its loss)", &O::dropout},
      {"greedy", "Local: train the blocks one after another", &O::greedy, false},
      {"head_lr", "Local: learning rate of the heads and classifier (0: --lr)", &O::head_lr},
      {"pred_features",
       "Local: average-pool the local classifier's input to at most N features (0: all)",
       &O::pred_features},
      {"head_zero_init", "Local: local classifiers start at zero weights", &O::head_zero_init},
      {"sim_pool", "Local: average-pool the block output k x k before the similarity head",
       &O::sim_pool},
      {"seed", "Random seed", &O::seed, false},
      {"protocol", "subjects | loso:<subject> | random:<test fraction>", &O::protocol},
  };
  return table;
}

const TrainOptionInfo* find_train_option(std::string_view key) {
  for (const TrainOptionInfo& info : train_option_table())
    if (info.key == key) return &info;
  return nullptr;
}

std::string TrainOptionInfo::flag() const {
  std::string f = "--" + std::string(key);
  for (char& c : f)
    if (c == '_') c = '-';
  return f;
}

json TrainOptionInfo::get(const TrainOptions& o) const {
  return std::visit([&](auto member) { return json(o.*member); }, field);
}

void TrainOptionInfo::set(TrainOptions& o, const json& v) const {
  std::visit(
      [&](auto member) {
        using T = std::decay_t<decltype(o.*member)>;
        const auto fail = [&](const char* kind) {
          throw std::invalid_argument(fmt::format("'{}' must be {}", key, kind));
        };
        if constexpr (std::is_same_v<T, bool>) {
          if (!v.is_boolean()) fail("true or false");
          o.*member = v.get<bool>();
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (!v.is_string()) fail("a string");
          o.*member = v.get<std::string>();
        } else if constexpr (std::is_same_v<T, double>) {
          if (!v.is_number()) fail("a number");
          o.*member = v.get<double>();
        } else {
          if (!v.is_number_integer() || (std::is_unsigned_v<T> && v.get<int64_t>() < 0))
            fail(std::is_unsigned_v<T> ? "a whole number >= 0" : "a whole number");
          o.*member = v.get<T>();
        }
      },
      field);
}

void TrainOptions::validate() const {
  const auto fail = [](const std::string& problem) { throw std::invalid_argument(problem); };
  if (epochs < 1) fail("epochs must be at least 1");
  if (batch_size < 1) fail("batch_size must be at least 1");
  if (!(lr > 0)) fail("lr must be positive");
  if (schedule != "cosine" && schedule != "step" && schedule != "constant")
    fail("unknown schedule '" + schedule + "' (use cosine, step or constant)");
  if (warmup_epochs < 0) fail("warmup_epochs must be >= 0");
  if (!(lr_floor >= 0 && lr_floor <= 1)) fail("lr_floor must lie in [0, 1]");
  if (lr_step < 1) fail("lr_step must be at least 1");
  if (val_subjects < 0) fail("val_subjects must be >= 0");
  if (mask_freeze_epoch < -1) fail("mask_freeze_epoch must be >= 0, or -1 for 3/4 of the run");
  if (loss != "global" && loss != "local")
    fail("unknown loss '" + loss + "' (use global or local)");
  if (greedy && loss != "local") fail("greedy needs loss local");
  if (!(dropout >= 0 && dropout < 1)) fail("dropout must lie in [0, 1)");
  if (pred_features < 0) fail("pred_features must be >= 0");
  if (sim_pool < 1) fail("sim_pool must be at least 1");
}

json TrainOptions::to_json() const {
  json j = json::object();
  for (const TrainOptionInfo& info : train_option_table())
    j[std::string(info.key)] = info.get(*this);
  return j;
}

TrainOptions TrainOptions::from_json(const json& j) {
  TrainOptions o;
  if (!j.contains("schedule")) o.schedule = "step";
  if (!j.contains("mask_freeze_epoch")) o.mask_freeze_epoch = 0;
  for (const TrainOptionInfo& info : train_option_table())
    if (j.contains(info.key)) info.set(o, j.at(std::string(info.key)));
  return o;
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

std::string run_length_dependence(const TrainOptions& o) {
  std::vector<std::string> ties;
  if (o.schedule == "cosine") ties.push_back("the cosine schedule");
  if (o.warmup_epochs > 0) ties.push_back("the warm-up");  // capped by the length
  if (o.mask_freeze_epoch < 0) ties.push_back("the Lego selection frozen after 3/4 of the run");
  return fmt::format("{}", fmt::join(ties, ", "));
}

}  // namespace legohar
