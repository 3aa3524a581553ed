// Tests of local_loss.h and the strategies: S(.) and the sim loss on tiny batches worked by hand;
// the local loss against PyTorch (/usr/bin/python3) on the same tensors and weights; no gradient
// crossing a block boundary; dropout and label smoothing in both strategies.
#include "legohar/train/local_loss.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "legohar/nn/cnn.h"
#include "legohar/train/strategy.h"
#include "test_support.h"

namespace legohar {
namespace {
namespace F = torch::nn::functional;

TEST(Similarity, TwoDimensionalByHand) {
  // Rows centred: [-1, 1], [0, 0], [2, -2]; normalised: [-a, a], [0, 0], [a, -a] with a = 1/sqrt 2.
  const torch::Tensor h = torch::tensor({{1.0, 3.0}, {2.0, 2.0}, {5.0, 1.0}}, torch::kDouble);
  const torch::Tensor expect =
      torch::tensor({{1.0, 0.0, -1.0}, {0.0, 0.0, 0.0}, {-1.0, 0.0, 1.0}}, torch::kDouble);
  EXPECT_TRUE(torch::allclose(similarity_matrix(h), expect, 1e-6, 1e-6));
  // S(one-hot of [0, 1, 0]) = [[1, -1, 1], [-1, 1, -1], [1, -1, 1]]; squared differences sum to 13.
  const torch::Tensor y = torch::tensor({0, 1, 0}, torch::kInt64);
  EXPECT_NEAR(similarity_loss(h, y, 2).item<double>(), 13.0 / 9.0, 1e-6);
}

TEST(Similarity, FourDimensionalUsesStdOverPositions) {
  // Sample 0: channel stds 1 and 2 -> [-a, a]; sample 1: stds sqrt 3 and 0 -> [a, -a].
  const torch::Tensor h =
      torch::tensor({1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 0.0, 0.0, 3.0, 1.0, 1.0, 1.0}, torch::kDouble)
          .view({2, 2, 1, 3});
  const torch::Tensor expect = torch::tensor({{1.0, -1.0}, {-1.0, 1.0}}, torch::kDouble);
  EXPECT_TRUE(torch::allclose(similarity_matrix(h), expect, 1e-6, 1e-6));
}

// The local loss of heads built with `options` on a random block output, and PyTorch's on the same
// tensors and weights (tests/local_loss_reference.py pools by its own reading of the options).
void expect_local_loss_agrees_with_pytorch(const LocalHeadsOptions& options) {
  if (std::system("/usr/bin/python3 -c 'import torch' 2>/dev/null") != 0)
    GTEST_SKIP() << "/usr/bin/python3 with torch not found";
  torch::manual_seed(5);
  LocalHeads heads(4, 5, 3, 3, options);
  if (options.zero_init) {  // a zero classifier predicts uniformly; move it off zero to compare
    torch::NoGradGuard no_grad;
    heads->pred->weight.normal_();
  }
  const torch::Tensor h = torch::relu(torch::randn({6, 4, 5, 3}));
  const torch::Tensor y = torch::tensor({0, 1, 2, 0, 1, 1}, torch::kInt64);
  const double loss = heads->loss(h, y, 0.99).item<double>();
  test::ScratchDir dir;
  c10::Dict<std::string, torch::Tensor> d;
  d.insert("h", h);
  d.insert("y", y);
  d.insert("pred_weight", heads->pred->weight);
  d.insert("pred_bias", heads->pred->bias);
  d.insert("sim_weight", heads->sim->weight);
  if (options.pred_features > 0) d.insert("pred_features", torch::tensor(options.pred_features));
  if (options.sim_pool > 1) d.insert("sim_pool", torch::tensor(options.sim_pool));
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(d));
  std::ofstream(dir.path() / "t.pt", std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  const std::string cmd = "/usr/bin/python3 " LEGOHAR_SOURCE_DIR "/tests/local_loss_reference.py " +
                          (dir.path() / "t.pt").string();
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  double reference = -1;
  ASSERT_EQ(fscanf(p, "%lf", &reference), 1);
  ASSERT_EQ(pclose(p), 0);
  EXPECT_NEAR(loss, reference, 1e-5 * std::max(1.0, std::abs(reference)));
}

TEST(LocalLoss, AgreesWithPyTorchOnTheSameTensorsAndWeights) {
  expect_local_loss_agrees_with_pytorch({});
}

TEST(LocalLoss, PooledHeadsAgreeWithPyTorch) {
  expect_local_loss_agrees_with_pytorch(
      {"predsim", 20, false, 2});  // pred input [4, 2, 2], sim on [3, 2]
  expect_local_loss_agrees_with_pytorch(
      {"predsim", 8, true, 3});  // pred input [4, 1, 2], sim on [2, 1]
}

TEST(LocalLoss, PooledSizesByHand) {
  // 4 x 5 x 3 = 60 features; halving the larger side: 3 x 3 (36), 2 x 3 (24), 2 x 2 (16 <= 20).
  LocalHeads a(4, 5, 3, 3, LocalHeadsOptions{"predsim", 20, false, 2});
  EXPECT_EQ(a->pred_pool, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(a->pred->weight.size(1), 16);
  EXPECT_EQ(a->sim_size, (std::vector<int64_t>{3, 2}));
  // The paper's first block (128 x 42 x 11) pooled to at most 2048 features, by hand: 42 x 11 ->
  // 21 x 11 -> 11 x 11 -> 6 x 11 -> 6 x 6 -> 3 x 6 (2304 > 2048) -> 3 x 3 (1152).
  LocalHeads b(128, 42, 11, 6, LocalHeadsOptions{"predsim", 2048, true, 1});
  EXPECT_EQ(b->pred_pool, (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(b->pred->weight.size(1), 1152);
  EXPECT_EQ(b->pred->weight.abs().sum().item<double>(), 0.0);  // zero init
  EXPECT_EQ(b->pred->bias.abs().sum().item<double>(), 0.0);
  // Pooled input equals the mean of each block of positions, by hand: 2 x 2 -> 1 x 1.
  LocalHeads c(1, 2, 2, 2, LocalHeadsOptions{"predsim", 1, false, 1});
  {
    torch::NoGradGuard no_grad;
    c->pred->weight.fill_(1.0);
    c->pred->bias.zero_();
  }
  const torch::Tensor h = torch::tensor({1.0, 2.0, 3.0, 6.0}).view({1, 1, 2, 2});
  EXPECT_TRUE(torch::allclose(c->predict(h), torch::tensor({{3.0, 3.0}})));
}

TEST(LocalLoss, PredHeadSmoothsItsLabels) {
  // A pred head whose logits are (ln 3, 0) for every input: p = (3/4, 1/4); class 0 smoothed by
  // 0.2 over 2 classes is the target (0.9, 0.1).
  LocalHeads pred(1, 1, 1, 2, LocalHeadsOptions{"pred", 0, false, 1, 0.2});
  {
    torch::NoGradGuard no_grad;
    pred->pred->weight.zero_();
    pred->pred->bias.copy_(torch::tensor({std::log(3.0), 0.0}));
  }
  const torch::Tensor h = torch::randn({4, 1, 1, 1});
  const torch::Tensor y = torch::zeros({4}, torch::kInt64);
  EXPECT_NEAR(pred->loss(h, y, 0.99).item<double>(), -(0.9 * std::log(0.75) + 0.1 * std::log(0.25)),
              1e-6);
}

TEST(LocalStrategy, NoGradientCrossesABlock) {
  torch::manual_seed(2);
  const ModelSpec spec = test::tiny_spec("lego", {{8, 6, 3, 1}, {8, 3, 1, 1}, {8, 3, 1, 1}});
  Cnn model(spec);
  TrainOptions o;
  o.loss = "local";
  o.lr = o.mask_lr = 0.0;  // Adam with a zero step: the gradients stay readable, the weights fixed
  const auto strategy = make_strategy(*model, o, torch::kCPU);
  strategy->begin_epoch(1, 1.0);
  const torch::Tensor x = torch::randn({5, 1, 32, 9});
  const torch::Tensor y = torch::tensor({0, 1, 2, 1, 0}, torch::kInt64);
  strategy->step(x, y);
  std::vector<torch::Tensor> step_grads;
  for (const auto& p : model->block(0)->parameters()) step_grads.push_back(p.grad().clone());
  // Block 0's gradients are exactly those of its own local loss: no later loss reached it.
  model->zero_grad();
  auto heads = strategy->local_heads();
  ASSERT_EQ(heads.size(), 3u);
  heads[0]->loss(model->forward_block(0, x), y, o.alpha).backward();
  const auto params = model->block(0)->parameters();
  for (size_t i = 0; i < params.size(); ++i)
    EXPECT_TRUE(torch::allclose(params[i].grad(), step_grads[i], 1e-6, 1e-7)) << i;
  // Block 1 trained on a detached input: its output has no history reaching block 0.
  const torch::Tensor in1 = model->forward_block(0, x).detach();
  const torch::Tensor out1 = model->forward_block(1, in1);
  EXPECT_FALSE(in1.requires_grad());
  model->zero_grad();
  heads[1]->loss(out1, y, o.alpha).backward();
  for (const auto& p : model->block(0)->parameters())
    EXPECT_FALSE(p.grad().defined() && p.grad().abs().sum().item<double>() > 0);
}

// Nøkland & Eidnes' order: each block's loss reads its output before dropout; dropout applies to
// what is passed on to the next block.
TEST(LocalStrategy, LossBeforeDropoutDropoutPassedOn) {
  torch::manual_seed(2);
  const ModelSpec spec = test::tiny_spec("baseline", {{8, 6, 3, 1}, {8, 3, 1, 1}});
  Cnn model(spec);
  TrainOptions o;
  o.loss = "local";
  o.dropout = 0.5;
  o.lr = 0.0;  // gradients readable, weights fixed
  const auto strategy = make_strategy(*model, o, torch::kCPU);
  strategy->begin_epoch(1, 1.0);
  const torch::Tensor x = torch::randn({5, 1, 32, 9});
  const torch::Tensor y = torch::tensor({0, 1, 2, 1, 0}, torch::kInt64);
  torch::manual_seed(7);  // the dropout mask is the step's first random draw
  strategy->step(x, y);
  auto grads_of = [&](size_t b) {
    std::vector<torch::Tensor> g;
    for (const auto& p : model->block(b)->parameters()) g.push_back(p.grad().clone());
    return g;
  };
  auto same = [](const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    for (size_t i = 0; i < a.size(); ++i)
      if (!torch::allclose(a[i], b[i], 1e-6, 1e-7)) return false;
    return true;
  };
  const auto step0 = grads_of(0), step1 = grads_of(1);
  auto heads = strategy->local_heads();
  model->zero_grad();
  const torch::Tensor out0 = model->forward_block(0, x);
  heads[0]->loss(out0, y, o.alpha).backward();  // block 0's loss on its undropped output
  EXPECT_TRUE(same(grads_of(0), step0));
  torch::manual_seed(7);
  const torch::Tensor dropped = F::dropout(out0.detach(), F::DropoutFuncOptions().p(0.5));
  model->zero_grad();
  heads[1]->loss(model->forward_block(1, dropped), y, o.alpha).backward();
  EXPECT_TRUE(same(grads_of(1), step1));  // block 1 trained on the dropped-out output
  model->zero_grad();
  heads[1]->loss(model->forward_block(1, out0.detach()), y, o.alpha).backward();
  EXPECT_FALSE(same(grads_of(1), step1));
}

// Global back-propagation with --dropout and --label-smoothing: each block's output passes
// through dropout on its way on, the classifier included, and the loss is the smoothed
// cross-entropy of the resulting logits; without dropout the step's logits are the model's own.
TEST(GlobalStrategy, DropoutOnEachBlockOutputAndSmoothedLoss) {
  const ModelSpec spec = test::tiny_spec("baseline", {{8, 6, 3, 1}, {8, 3, 1, 1}});
  const torch::Tensor x = torch::randn({5, 1, 32, 9});
  const torch::Tensor y = torch::tensor({0, 1, 2, 1, 0}, torch::kInt64);
  for (const double p : {0.0, 0.5}) {
    torch::manual_seed(2);
    Cnn model(spec);
    TrainOptions o;
    o.dropout = p;
    o.label_smoothing = 0.2;
    o.lr = 0.0;  // weights fixed
    const auto strategy = make_strategy(*model, o, torch::kCPU);
    strategy->begin_epoch(1, 1.0);
    torch::manual_seed(7);  // the dropout masks are the step's random draws
    const StepResult r = strategy->step(x, y);
    torch::NoGradGuard no_grad;
    torch::manual_seed(7);
    torch::Tensor h = x;
    for (size_t b = 0; b < 2; ++b) {
      h = model->forward_block(b, h);
      if (p > 0) h = F::dropout(h, F::DropoutFuncOptions().p(p));
    }
    const torch::Tensor logits = model->classify(h);
    EXPECT_TRUE(torch::allclose(r.logits, logits, 1e-5, 1e-6)) << p;
    if (p == 0)
      EXPECT_TRUE(torch::allclose(r.logits, model->forward(x), 1e-5, 1e-6));
    else
      EXPECT_FALSE(torch::allclose(r.logits, model->forward(x), 1e-3, 1e-3));
    // (1 - 0.2) CE + 0.2 mean over the 3 classes of -log p
    const torch::Tensor logp = torch::log_softmax(logits, 1);
    const double want = (0.8 * F::nll_loss(logp, y) - 0.2 * logp.mean(1).mean()).item<double>();
    EXPECT_NEAR(r.loss, want, 1e-5) << p;
  }
}

// The mask logits' learning rate follows the schedule like every other: a factor of 0 leaves them
// (and every weight) where they are, a factor of 1 moves them.
TEST(Strategy, MaskLearningRateFollowsTheSchedule) {
  for (const char* loss : {"global", "local"}) {
    torch::manual_seed(3);
    Cnn model(test::tiny_spec("lego", {{8, 6, 3, 1}, {8, 3, 1, 1}}));
    TrainOptions o;
    o.loss = loss;
    const auto strategy = make_strategy(*model, o, torch::kCPU);
    const torch::Tensor x = torch::randn({6, 1, 32, 9});
    const torch::Tensor y = torch::tensor({0, 1, 2, 1, 0, 2}, torch::kInt64);
    const torch::Tensor before = model->lego_layers()[0]->logits.detach().clone();
    strategy->begin_epoch(1, 0.0);
    strategy->step(x, y);
    EXPECT_TRUE(torch::equal(model->lego_layers()[0]->logits, before)) << loss;
    strategy->begin_epoch(2, 1.0);
    strategy->step(x, y);
    EXPECT_FALSE(torch::equal(model->lego_layers()[0]->logits, before)) << loss;
  }
}

// --clip-norm scales every gradient of a step by clip / (their joint norm) when that norm is
// larger: the clipped gradients are the unclipped ones times that factor.
TEST(Strategy, ClipNormScalesTheStepsGradients) {
  auto gradients = [](double clip) {
    torch::manual_seed(6);
    Cnn model(test::tiny_spec("lego", {{8, 6, 3, 1}, {8, 3, 1, 1}}));
    TrainOptions o;
    o.lr = o.mask_lr = 0.0;  // gradients readable, weights fixed
    o.clip_norm = clip;
    const auto strategy = make_strategy(*model, o, torch::kCPU);
    strategy->begin_epoch(1, 1.0);
    strategy->step(torch::randn({6, 1, 32, 9}), torch::tensor({0, 1, 2, 1, 0, 2}, torch::kInt64));
    std::vector<torch::Tensor> g;
    for (const auto& p : model->parameters()) g.push_back(p.grad().clone());
    return g;
  };
  const auto free = gradients(0.0), clipped = gradients(1e-3);
  double squares = 0;
  for (const auto& g : free) squares += g.pow(2).sum().item<double>();
  const double norm = std::sqrt(squares);
  ASSERT_GT(norm, 1e-3);
  for (size_t i = 0; i < free.size(); ++i)
    EXPECT_TRUE(torch::allclose(clipped[i], free[i] * (1e-3 / norm), 1e-4, 1e-9)) << i;
}

TEST(LocalStrategy, GreedyTrainsOnlyTheCurrentBlock) {
  torch::manual_seed(4);
  const ModelSpec spec = test::tiny_spec("baseline", {{8, 6, 3, 1}, {8, 3, 1, 1}});
  Cnn model(spec);
  TrainOptions o;
  o.loss = "local";
  o.greedy = true;
  o.epochs = 4;  // block 1 in epochs 1-2, block 2 in epochs 3-4
  const auto strategy = make_strategy(*model, o, torch::kCPU);
  auto snapshot = [&](size_t b) {
    std::vector<torch::Tensor> v;
    for (const auto& t : model->block(b)->parameters()) v.push_back(t.clone());
    for (const auto& t : model->block(b)->buffers()) v.push_back(t.clone());
    return v;
  };
  auto same = [](const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    for (size_t i = 0; i < a.size(); ++i)
      if (!torch::equal(a[i], b[i])) return false;
    return true;
  };
  const torch::Tensor x = torch::randn({6, 1, 32, 9});
  const torch::Tensor y = torch::tensor({0, 1, 2, 1, 0, 2}, torch::kInt64);
  const auto first0 = snapshot(0), first1 = snapshot(1);
  strategy->begin_epoch(1, 1.0);
  strategy->step(x, y);
  EXPECT_FALSE(same(first0, snapshot(0)));  // block 1 learns
  EXPECT_TRUE(same(first1, snapshot(1)));   // block 2: weights and BatchNorm statistics untouched
  const auto second0 = snapshot(0);
  strategy->begin_epoch(3, 1.0);
  strategy->step(x, y);
  EXPECT_TRUE(same(second0, snapshot(0)));  // block 1 frozen
  EXPECT_FALSE(same(first1, snapshot(1)));
}

TEST(Strategy, ActivationEstimateFavoursLocal) {
  ModelSpec spec;
  spec.layers = {{128, 6, 3, 1}, {256, 6, 3, 1}, {384, 6, 3, 1}};
  TrainOptions global, local;
  local.loss = "local";
  EXPECT_LT(activation_bytes_per_step(spec, local), activation_bytes_per_step(spec, global));
  TrainOptions bad;
  bad.greedy = true;
  Cnn model(spec);
  EXPECT_THROW(make_strategy(*model, bad, torch::kCPU), Error);
}

}  // namespace
}  // namespace legohar
