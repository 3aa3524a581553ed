// Tests of trainer.h and checkpoint.h on the real UCI-HAR windows (rebuilt from HAPT): a short
// training reaches weighted F1 >= 0.85; a run interrupted and resumed ends with exactly the metrics
// of an uninterrupted one; the same seed gives the same metrics; checkpoints reload exactly.
#include "legohar/train/trainer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>

#include "legohar/common/allocator.h"
#include "legohar/config/dataset_config.h"
#include "legohar/data/normaliser.h"
#include "legohar/nn/cnn.h"
#include "legohar/train/checkpoint.h"
#include "legohar/train/evaluate.h"
#include "test_support.h"

namespace legohar {
namespace {

class RealTraining : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto data = test::real_data_dir();
    if (data.empty()) return;
    torch::set_num_threads(2);
    keep_freed_memory_mapped();  // as the command line does: 3x faster steps
    config_ = new DatasetConfig(load_dataset_config("uci-har", LEGOHAR_SOURCE_DIR "/configs"));
    windows_ = new WindowSet(load_windows(config_->data, data, LEGOHAR_BINARY_DIR "/test-cache"));
    split_ = new Split(split_by_subjects(*windows_, config_->data.splits.train_subjects));
  }
  void SetUp() override {
    if (!config_) GTEST_SKIP() << "../shared/data not found";
  }
  static nlohmann::json run(const ModelSpec& spec, const TrainOptions& o,
                            const std::filesystem::path& dir, bool resume = false) {
    RunSettings s;
    s.out_dir = dir;
    s.resume = resume;
    s.dataset = {{"name", "uci-har"}, {"config", "uci-har"}};
    return train_model(spec, o, *windows_, *split_, s);
  }
  static ModelSpec small_lego() {
    ModelSpec s = config_->model;
    s.model = "lego";
    s.layers = {{16, 6, 3, 1}, {32, 6, 3, 1}, {32, 6, 3, 1}};
    return s;
  }
  static inline DatasetConfig* config_ = nullptr;
  static inline WindowSet* windows_ = nullptr;
  static inline Split* split_ = nullptr;
};

// A run directory holds at most one run: training into it again is refused unless resumed or
// overwritten; a run interrupted before its end has no metrics.json; resuming to fewer epochs than
// trained is refused; a split without test windows and a non-finite loss stop with a clear error.
TEST_F(RealTraining, RunDirectoryContractAndRefusals) {
  test::ScratchDir dir;
  ModelSpec spec = small_lego();
  spec.model = "baseline";
  TrainOptions o = config_->train;
  o.schedule = "step";  // a run that can be extended
  o.warmup_epochs = 0;
  o.mask_freeze_epoch = 0;
  o.epochs = 1;
  run(spec, o, dir.path());
  EXPECT_TRUE(has_metrics(dir.path()));
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              run(spec, o, dir.path());
            }).find("holds a run: continue it with --resume, or replace it with --overwrite"),
            std::string::npos);

  // Interrupted after epoch 2 of a continuation: the finished 1-epoch record is gone.
  RunSettings s;
  s.out_dir = dir.path();
  s.resume = true;
  s.dataset = {{"name", "uci-har"}, {"config", "uci-har"}};
  s.on_epoch = [](const EpochRecord& r, int) {
    if (r.epoch == 2) throw std::runtime_error("interrupted");
  };
  o.epochs = 3;
  EXPECT_THROW(train_model(spec, o, *windows_, *split_, s), std::runtime_error);
  EXPECT_FALSE(has_metrics(dir.path()));
  EXPECT_EQ(read_checkpoint_meta(dir.path() / "model.pt")["epoch"], 2);
  o.epochs = 1;
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              run(spec, o, dir.path(), true);
            }).find("the run has trained 2 epochs; resuming it to 1 would report 1 epochs"),
            std::string::npos);

  // --overwrite: a fresh 1-epoch run in its place.
  s.resume = false;
  s.overwrite = true;
  s.on_epoch = nullptr;
  train_model(spec, o, *windows_, *split_, s);
  EXPECT_EQ(read_history(dir.path()).size(), 1u);
  EXPECT_EQ(read_checkpoint_meta(dir.path() / "model.pt")["epoch"], 1);

  test::ScratchDir other;
  Split no_test = *split_;
  no_test.test.clear();
  s.out_dir = other.path();
  EXPECT_NE(test::message_of<Error>([&] {
              train_model(spec, o, *windows_, no_test, s);
            }).find("leaves 7415 training and 0 test windows"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(other.path() / "model.pt"));

  WindowSet poisoned = *windows_;
  poisoned.samples[poisoned.offsets[split_->train[5]] * 9 + 4] =
      std::numeric_limits<float>::quiet_NaN();
  const std::string nan =
      test::message_of<std::runtime_error>([&] { train_model(spec, o, poisoned, *split_, s); });
  EXPECT_NE(nan.find("epoch 1, batch 1/38: the training loss is nan; training stopped (no "
                     "checkpoint was written)"),
            std::string::npos)
      << nan;
  EXPECT_FALSE(has_metrics(other.path()));
}

TEST_F(RealTraining, ShortLegoTrainingReachesWeightedF1) {
  test::ScratchDir dir;
  ModelSpec spec = config_->model;
  spec.model = "lego";
  spec.o = 4;
  spec.m = 0.25;
  TrainOptions o = config_->train;
  o.epochs = 2;
  const nlohmann::json m = run(spec, o, dir.path());
  EXPECT_GE(m["weighted_f1"].get<double>(), 0.85);
  EXPECT_EQ(m["train_windows"], 7415);
  EXPECT_EQ(m["test_windows"], 2996);
  EXPECT_GT(m["mask_changed_fraction"].get<double>(), 0.0);
  for (const char* f : {"metrics.json", "history.csv", "model.pt"})
    EXPECT_TRUE(std::filesystem::exists(dir.path() / f)) << f;
}

// A step-schedule run extended across its decay boundary (1 epoch, then resumed to 3 with the decay
// after epoch 2), and a cosine run interrupted after epoch 2 and resumed, each equal to the run
// made in one go; the same seed repeats.
TEST_F(RealTraining, ResumedRunEqualsUninterruptedRunAndSeedRepeats) {
  for (const char* schedule : {"step", "cosine"}) {
    test::ScratchDir a, b, c;
    TrainOptions o = config_->train;
    o.schedule = schedule;
    o.warmup_epochs = 0;  // a warm-up is capped by the run's length: only then can it grow
    o.epochs = 3;
    // The step run grows from 1 epoch, so its selection may not freeze after 3/4 of the run; the
    // cosine run freezes it after epoch 2, where it is interrupted.
    if (o.schedule == "step") o.mask_freeze_epoch = 0;
    o.lr_step = 2;
    const nlohmann::json whole = run(small_lego(), o, a.path());
    if (o.schedule == "step") {
      TrainOptions first = o;
      first.epochs = 1;
      run(small_lego(), first, b.path());
    } else {
      RunSettings s;
      s.out_dir = b.path();
      s.dataset = {{"name", "uci-har"}, {"config", "uci-har"}};
      s.on_epoch = [](const EpochRecord& r, int) {
        if (r.epoch == 2) throw std::runtime_error("interrupted");
      };
      EXPECT_THROW(train_model(small_lego(), o, *windows_, *split_, s), std::runtime_error);
      EXPECT_EQ(read_checkpoint_meta(b.path() / "model.pt")["epoch"], 2);
    }
    const nlohmann::json resumed = run(small_lego(), o, b.path(), true);
    for (const char* key :
         {"accuracy", "weighted_f1", "macro_f1", "confusion", "mask_changed_fraction"})
      EXPECT_EQ(whole[key], resumed[key]) << schedule << " " << key;
    const nlohmann::json history = read_checkpoint_meta(b.path() / "model.pt")["history"];
    EXPECT_EQ(history.size(), 3u);
    if (o.schedule == "step") continue;
    EXPECT_EQ(history[2]["mask_changed_in_epoch"].get<double>(), 0.0);  // frozen after epoch 2
    const nlohmann::json again = run(small_lego(), o, c.path());
    EXPECT_EQ(whole["confusion"], again["confusion"]);
    EXPECT_EQ(whole["weighted_f1"], again["weighted_f1"]);
    // The cosine decay was planned for 3 epochs: a longer continuation is refused.
    o.epochs = 5;
    EXPECT_THROW(run(small_lego(), o, a.path(), true), std::runtime_error);
  }
}

// Validation subjects never train; the selected epoch is the best validation epoch, and its test
// metrics are that epoch's (from best.pt), whatever the test scores of other epochs. The selection
// frozen after epoch 1 no longer changes.
TEST_F(RealTraining, ValidationSelectsTheEpochAndFrozenMaskStays) {
  test::ScratchDir dir;
  TrainOptions o = config_->train;
  o.epochs = 3;
  o.val_subjects = 3;
  o.mask_freeze_epoch = 1;
  Split split = *split_;
  hold_out_validation_subjects(split, *windows_, o.val_subjects, o.seed);
  for (size_t i : split.train)
    for (int v : split.val_subjects) ASSERT_NE(windows_->subjects[i], v);
  ASSERT_EQ(split.val_subjects.size(), 3u);
  EXPECT_EQ(split.train.size() + split.val.size(), split_->train.size());
  RunSettings s;
  s.out_dir = dir.path();
  s.dataset = {{"name", "uci-har"}, {"config", "uci-har"}};
  const nlohmann::json m = train_model(small_lego(), o, *windows_, split, s);
  const nlohmann::json history = read_checkpoint_meta(dir.path() / "model.pt")["history"];
  int best = 0;
  double best_f1 = -1;
  for (const auto& h : history)
    if (h["val_weighted_f1"].get<double>() >= best_f1) {
      best_f1 = h["val_weighted_f1"].get<double>();
      best = h["epoch"].get<int>();
    }
  EXPECT_EQ(m["reported_epoch"], 3);
  EXPECT_EQ(m["selected"]["epoch"], best);
  EXPECT_EQ(m["selected"]["criterion"], "val_weighted_f1");
  EXPECT_NEAR(m["selected"]["weighted_f1"].get<double>(),
              history[static_cast<size_t>(best - 1)]["test_weighted_f1"].get<double>(), 1e-12);
  EXPECT_EQ(m["split"]["val_subjects"], split.val_subjects);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "best.pt"));
  EXPECT_GT(history[0]["mask_changed_in_epoch"].get<double>(), 0.0);
  EXPECT_EQ(history[1]["mask_changed_in_epoch"].get<double>(), 0.0);
  EXPECT_EQ(history[2]["mask_changed_in_epoch"].get<double>(), 0.0);
}

// Any family through the same paths: a ResNet with Lego convolutions trained by local losses and
// by global back-propagation, and a small residual BiLSTM, each interrupted after epoch 1 and
// resumed, end exactly like the run made in one go; the checkpoint, evaluated again, scores what
// metrics.json says.
TEST_F(RealTraining, OtherFamiliesResumeExactlyAndEvaluateAsRecorded) {
  ModelSpec resnet = small_lego();
  resnet.model = "resnet";
  resnet.lego = true;
  ModelSpec lstm = small_lego();
  lstm.model = "bilstm";
  lstm.lstm_layers = 1;
  lstm.hidden = 8;
  for (const auto& [spec, loss] :
       {std::pair{resnet, "local"}, std::pair{resnet, "global"}, std::pair{lstm, "global"}}) {
    test::ScratchDir a, b;
    TrainOptions o = train_options_for(*config_, spec.model);
    o.epochs = 2;
    o.loss = loss;
    const nlohmann::json whole = run(spec, o, a.path());
    RunSettings s;
    s.out_dir = b.path();
    s.dataset = {{"name", "uci-har"}, {"config", "uci-har"}};
    s.on_epoch = [](const EpochRecord& r, int) {
      if (r.epoch == 1) throw std::runtime_error("interrupted");
    };
    EXPECT_THROW(train_model(spec, o, *windows_, *split_, s), std::runtime_error);
    const nlohmann::json resumed = run(spec, o, b.path(), true);
    const std::string label = spec.label() + " " + loss;
    for (const char* key : {"weighted_f1", "confusion"})
      EXPECT_EQ(whole[key], resumed[key]) << label << " " << key;
    // Only a model with Lego selections records their changes, in metrics.json and history.csv.
    EXPECT_EQ(whole.contains("mask_changed_fraction"), spec.uses_lego()) << label;
    if (spec.uses_lego()) {
      EXPECT_EQ(whole["mask_changed_fraction"], resumed["mask_changed_fraction"]) << label;
    }
    const History history = read_history(b.path());
    ASSERT_EQ(history.size(), 2u) << label;
    EXPECT_EQ(history[1].diagnostic("mask_changed_in_epoch").has_value(), spec.uses_lego())
        << label;
    EXPECT_EQ(whole["model_label"], spec.label());
    EXPECT_GT(whole["weighted_f1"].get<double>(), 0.3) << label;  // it learns: 6 classes
    nlohmann::json meta;
    const std::shared_ptr<HarModel> model = load_model(a.path() / "model.pt", &meta);
    const Examples test(*windows_, split_->test, Normaliser::from_json(meta.at("normaliser")));
    EXPECT_EQ(evaluate_model(*model, test, 256, torch::kCPU).weighted_f1,
              whole["weighted_f1"].get<double>())
        << label;
  }
}

TEST_F(RealTraining, ResumeRefusesOtherOptions) {
  test::ScratchDir a;
  TrainOptions o = config_->train;
  o.epochs = 1;
  run(small_lego(), o, a.path());
  o.lr = 1e-3;
  EXPECT_THROW(run(small_lego(), o, a.path(), true), std::runtime_error);
}

TEST(Checkpoint, ReloadedModelGivesIdenticalOutputs) {
  test::ScratchDir dir;
  ModelSpec s;
  s.model = "lego";
  s.layers = {{8, 6, 3, 1}, {8, 6, 3, 1}};
  Cnn net(s);
  save_checkpoint(dir.path() / "model.pt", *net, {}, {{"model", s.to_json()}, {"epoch", 0}});
  const auto back = load_model(dir.path() / "model.pt");
  net->eval();
  back->eval();
  torch::NoGradGuard g;
  const torch::Tensor x = torch::randn({4, 1, 128, 9});
  EXPECT_TRUE(torch::equal(net->forward(x), back->forward(x)));
  EXPECT_THROW(read_checkpoint_meta(dir.path() / "missing.pt"), std::runtime_error);
}

}  // namespace
}  // namespace legohar
