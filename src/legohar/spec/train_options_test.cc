// Tests of train_options.h: each schedule's learning-rate factor per epoch against values worked by
// hand; the option table's JSON round trip, legacy records, type errors and validation.
#include "legohar/spec/train_options.h"

#include <gtest/gtest.h>

#include <cmath>

namespace legohar {
namespace {

std::vector<double> factors(const TrainOptions& o) {
  std::vector<double> f;
  for (int e = 1; e <= o.epochs; ++e) f.push_back(lr_factor(o, e));
  return f;
}

void expect_near(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "epoch " << i + 1;
}

TEST(Schedule, CosineByHand) {
  TrainOptions o;
  o.epochs = 5;
  o.lr_floor = 0.0;
  // t = 0, 1/4, 1/2, 3/4, 1: (1 + cos(pi t)) / 2 = 1, (2 + sqrt 2) / 4, 1/2, (2 - sqrt 2) / 4, 0.
  expect_near(factors(o), {1.0, (2 + std::sqrt(2.0)) / 4, 0.5, (2 - std::sqrt(2.0)) / 4, 0.0});
  o.lr_floor = 0.1;  // 0.1 + 0.9 x the above
  expect_near(factors(o), {1.0, 0.1 + 0.9 * (2 + std::sqrt(2.0)) / 4, 0.55,
                           0.1 + 0.9 * (2 - std::sqrt(2.0)) / 4, 0.1});
  o.epochs = 1;  // a one-epoch run trains at the full rate
  expect_near(factors(o), {1.0});
}

TEST(Schedule, WarmupThenCosine) {
  TrainOptions o;
  o.epochs = 5;
  o.lr_floor = 0.0;
  o.warmup_epochs = 2;  // 1/3, 2/3, then cosine over epochs 3..5: t = 0, 1/2, 1
  expect_near(factors(o), {1.0 / 3, 2.0 / 3, 1.0, 0.5, 0.0});
  o.epochs = 2;  // the warm-up is capped at epochs - 1: 1/2, then the schedule's first epoch
  expect_near(factors(o), {0.5, 1.0});
  o.epochs = 1;
  expect_near(factors(o), {1.0});
  o.schedule = "constant";
  o.mask_freeze_epoch = 0;
  EXPECT_EQ(run_length_dependence(o), "the warm-up");  // its length depends on the run's
  o.warmup_epochs = 0;
  EXPECT_EQ(run_length_dependence(o), "");
}

TEST(Schedule, GreedyPhasesRestartTheScheduleByHand) {
  TrainOptions o;
  o.epochs = 5;
  o.lr_floor = 0.0;
  o.greedy = true;
  // 3 blocks over 5 epochs: floor((e - 1) 3 / 5) = 0, 0, 1, 1, 2.
  std::vector<int> block, first, length;
  for (int e = 1; e <= 5; ++e) {
    const GreedyPhase p = greedy_phase(o, 3, e);
    block.push_back(p.block);
    first.push_back(p.first_epoch);
    length.push_back(p.epochs);
  }
  EXPECT_EQ(block, (std::vector<int>{0, 0, 1, 1, 2}));
  EXPECT_EQ(first, (std::vector<int>{1, 1, 3, 3, 5}));
  EXPECT_EQ(length, (std::vector<int>{2, 2, 2, 2, 1}));
  // Cosine over each phase: 2 epochs go 1 -> 0 (the floor), 1 epoch trains at the full rate.
  std::vector<double> f;
  for (int e = 1; e <= 5; ++e) f.push_back(lr_factor(o, e, 3));
  expect_near(f, {1, 0, 1, 0, 1});
  o.warmup_epochs = 1;  // capped per phase: 1/2 then 1 in 2-epoch phases, none in the last
  f.clear();
  for (int e = 1; e <= 5; ++e) f.push_back(lr_factor(o, e, 3));
  expect_near(f, {0.5, 1, 0.5, 1, 1});
  o.greedy = false;  // every other strategy: the run's schedule
  for (int e = 1; e <= 5; ++e) EXPECT_EQ(lr_factor(o, e, 3), lr_factor(o, e));
  o.greedy = true;
  o.epochs = 2;
  EXPECT_THROW(greedy_phase(o, 3, 1), Error);  // a block would never train
  o.schedule = "constant";
  o.warmup_epochs = 0;
  o.mask_freeze_epoch = 0;
  EXPECT_EQ(run_length_dependence(o), "greedy training's phases");
}

TEST(Schedule, StepAndConstantByHand) {
  TrainOptions o;
  o.schedule = "step";
  o.epochs = 7;
  o.lr_step = 3;
  o.lr_gamma = 0.5;
  expect_near(factors(o), {1, 1, 1, 0.5, 0.5, 0.5, 0.25});
  o.schedule = "constant";
  expect_near(factors(o), {1, 1, 1, 1, 1, 1, 1});
  o.mask_freeze_epoch = 3;
  EXPECT_EQ(run_length_dependence(o), "");
  o.schedule = "cosine";
  EXPECT_EQ(run_length_dependence(o), "the cosine schedule");
}

// By default the Lego selection freezes after 3/4 of the run, rounded; an explicit epoch or 0
// (never) does not depend on the run's length.
TEST(Schedule, MaskFreezeEpochByHand) {
  TrainOptions o;
  o.schedule = "constant";
  const std::vector<std::pair<int, int>> epochs_after = {{1, 1},   {2, 2},   {4, 3},    {5, 4},
                                                         {20, 15}, {30, 23}, {500, 375}};
  for (const auto& [epochs, after] : epochs_after) {
    o.epochs = epochs;
    EXPECT_EQ(mask_freeze_after(o), after) << epochs;
  }
  EXPECT_EQ(run_length_dependence(o), "the Lego selection frozen after 3/4 of the run");
  o.mask_freeze_epoch = 7;
  EXPECT_EQ(mask_freeze_after(o), 7);
  o.mask_freeze_epoch = 0;
  EXPECT_EQ(mask_freeze_after(o), 0);
  o.mask_freeze_epoch = -2;
  EXPECT_THROW(o.validate(), Error);
}

TEST(TrainOptionTable, JsonRoundTripAndLegacyRecords) {
  TrainOptions o;
  o.schedule = "constant";
  o.val_subjects = 3;
  o.head_zero_init = true;
  o.seed = 7;
  o.alpha = 0.9;
  EXPECT_EQ(TrainOptions::from_json(o.to_json()).to_json(), o.to_json());
  for (const TrainOptionInfo& info : train_option_table())
    EXPECT_TRUE(o.to_json().contains(std::string(info.key))) << info.key;
  // A record from before schedules existed used the step schedule; missing keys take defaults.
  const TrainOptions legacy = TrainOptions::from_json({{"epochs", 8}, {"lr_step", 100}});
  EXPECT_EQ(legacy.schedule, "step");
  EXPECT_EQ(legacy.epochs, 8);
  EXPECT_EQ(legacy.val_subjects, 0);
}

TEST(TrainOptionTable, FlagsAndTypeErrors) {
  ASSERT_NE(find_train_option("mask_freeze_epoch"), nullptr);
  EXPECT_EQ(find_train_option("mask_freeze_epoch")->flag(), "--mask-freeze-epoch");
  EXPECT_EQ(find_train_option("no_such_option"), nullptr);
  TrainOptions o;
  find_train_option("lr")->set(o, 1);  // an integer is a number
  EXPECT_EQ(o.lr, 1.0);
  find_train_option("seed")->set(o, 9);
  EXPECT_EQ(o.seed, 9u);
  auto message = [&](const char* key, const nlohmann::json& v) {
    try {
      find_train_option(key)->set(o, v);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(message("epochs", 2.5), "'epochs' must be a whole number");
  EXPECT_EQ(message("schedule", 3), "'schedule' must be a string");
  EXPECT_EQ(message("greedy", "yes"), "'greedy' must be true or false");
  EXPECT_EQ(message("seed", -1), "'seed' must be a whole number >= 0");
}

TEST(TrainOptionTable, ValidateNamesTheProblem) {
  auto problem = [](const std::function<void(TrainOptions&)>& change) {
    TrainOptions o;
    change(o);
    try {
      o.validate();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(valid)");
  };
  EXPECT_EQ(problem([](TrainOptions&) {}), "(valid)");
  EXPECT_EQ(problem([](TrainOptions& o) { o.schedule = "linear"; }),
            "schedule = 'linear': must be one of cosine, step, constant");
  EXPECT_EQ(problem([](TrainOptions& o) { o.warmup_epochs = -1; }),
            "warmup_epochs = -1: must be >= 0");
  EXPECT_EQ(problem([](TrainOptions& o) { o.greedy = true; }), "greedy needs loss local");
  EXPECT_EQ(problem([](TrainOptions& o) { o.sim_pool = 0; }), "sim_pool = 0: must be >= 1");
  EXPECT_EQ(problem([](TrainOptions& o) { o.lr = 0; }), "lr = 0: must be > 0");
  EXPECT_EQ(problem([](TrainOptions& o) { o.dropout = 1; }), "dropout = 1: must be in [0, 1)");
  EXPECT_EQ(problem([](TrainOptions& o) { o.local_loss = "both"; }),
            "local_loss = 'both': must be one of pred, sim, predsim");
}

// Every option carries its valid values, and a value just outside them is refused by name.
TEST(TrainOptionTable, EveryNumberHasARangeAndEveryStringItsChoices) {
  for (const TrainOptionInfo& info : train_option_table()) {
    if (info.key == "seed" || info.key == "protocol" ||
        std::holds_alternative<bool TrainOptions::*>(info.field))
      continue;  // any seed; protocols are parsed by the split; booleans are either
    ASSERT_FALSE(info.valid().empty()) << info.key;
    TrainOptions o;
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(o.*member)>;
          if constexpr (std::is_same_v<T, std::string>)
            o.*member = "no-such-choice";
          else if constexpr (!std::is_same_v<T, bool>)
            o.*member = static_cast<T>(std::isfinite(info.bounds.lo) ? info.bounds.lo - 1
                                                                     : info.bounds.hi + 1);
        },
        info.field);
    try {
      info.check(o);
      ADD_FAILURE() << info.key << " accepted a value outside " << info.valid();
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind(std::string(info.key) + " = ", 0), 0u) << e.what();
    }
  }
}

}  // namespace
}  // namespace legohar
