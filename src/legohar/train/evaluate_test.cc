// Tests of evaluate.h and tensors.h: the local-head probes score each block's pred head on the
// block's own output, checked with heads made to answer a fixed class, whose weighted F1 is worked
// by hand; examples made a batch at a time from overlapping windows (views) equal the windows
// standardised by hand, and evaluation over them equals evaluation over the whole tensor.
#include "legohar/train/evaluate.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "legohar/data/windowing.h"
#include "legohar/nn/cnn.h"
#include "legohar/spec/profile.h"
#include "test_support.h"

namespace legohar {
namespace {

TEST(EvaluateLocalHeads, HeadsAnsweringAFixedClassScoreAsWorkedByHand) {
  torch::manual_seed(5);
  const ModelSpec spec = test::tiny_spec("baseline", {{8, 6, 3, 1}, {4, 3, 1, 1}});
  Cnn model(spec);
  const ModelProfile shapes = profile_model(spec);
  std::vector<LocalHeads> heads;
  for (size_t i = 0; i < model->num_blocks(); ++i) {
    const auto& s = shapes.block_shapes[i];  // [C, H, W]
    heads.emplace_back(s[0], s[1], s[2], spec.classes);
  }
  ASSERT_EQ(heads.size(), 2u);
  {
    torch::NoGradGuard no_grad;
    for (auto& h : heads) h->pred->weight.zero_();
    heads[0]->pred->bias.copy_(torch::tensor({0.f, 0.f, 1.f}));  // always class 2
    heads[1]->pred->bias.copy_(torch::tensor({1.f, 0.f, 0.f}));  // always class 0
  }
  const Examples e{torch::randn({5, 1, 32, 9}), torch::tensor({0, 1, 2, 2, 2}, torch::kInt64)};
  const std::vector<Metrics> m = evaluate_local_heads(*model, heads, e, 2, torch::kCPU);
  ASSERT_EQ(m.size(), 2u);
  // Head 0: class 2 precision 3/5, recall 1, F1 0.75, weight 3/5; classes 0 and 1 F1 0.
  EXPECT_NEAR(m[0].weighted_f1, 0.6 * 0.75, 1e-9);
  EXPECT_NEAR(m[0].accuracy, 0.6, 1e-9);
  // Head 1: class 0 precision 1/5, recall 1, F1 1/3, weight 1/5.
  EXPECT_NEAR(m[1].weighted_f1, 0.2 / 3.0, 1e-9);
  EXPECT_TRUE(model->is_training());  // the model's mode is restored
  heads.pop_back();
  EXPECT_THROW(evaluate_local_heads(*model, heads, e, 2, torch::kCPU), std::invalid_argument);
}

TEST(Examples, BatchesOfOverlappingWindowsAsStandardisedByHand) {
  // A recording of 60 samples x 9 channels cut into windows of 32 every 4: 8 overlapping views.
  WindowSet w;
  w.length = 32;
  w.channels = 9;
  w.class_names = {"a", "b", "c"};
  std::vector<float> signal(60 * 9);
  for (size_t i = 0; i < signal.size(); ++i) signal[i] = std::sin(0.37f * static_cast<float>(i));
  append_segment_windows(w, signal.data(), 60, 0, 60, 1, 1, 1, {32, 4});
  ASSERT_EQ(w.size(), 8u);
  ASSERT_EQ(w.samples.size(), 60u * 9);  // stored once
  for (size_t i = 0; i < w.size(); ++i) w.labels[i] = static_cast<int32_t>(i % 3);
  Normaliser norm;
  for (int c = 0; c < 9; ++c) {
    norm.mean.push_back(0.1f * static_cast<float>(c));
    norm.std.push_back(1.0f + 0.5f * static_cast<float>(c));
  }
  const std::vector<size_t> rows = {6, 1, 3, 7, 0};
  const Examples e(w, rows, norm);
  ASSERT_EQ(e.size(), 5);
  // By hand: example k is window rows[k], sample t of channel c = signal[(4 rows[k] + t) 9 + c].
  torch::Tensor want = torch::empty({5, 1, 32, 9});
  auto a = want.accessor<float, 4>();
  for (size_t k = 0; k < rows.size(); ++k)
    for (int t = 0; t < 32; ++t)
      for (int c = 0; c < 9; ++c)
        a[k][0][t][c] = (signal[(4 * rows[k] + t) * 9 + c] - norm.mean[c]) / norm.std[c];
  EXPECT_TRUE(torch::allclose(e.x(0, 5), want, 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(e.x(torch::tensor({3, 0}, torch::kInt64)),
                              want.index_select(0, torch::tensor({3, 0}, torch::kInt64)), 1e-6,
                              1e-6));
  EXPECT_EQ(e.y()[3].item<int64_t>(), 7 % 3);
  // Evaluation over batches made on demand equals evaluation over the whole tensor.
  torch::manual_seed(2);
  Cnn model(test::tiny_spec("baseline", {{8, 6, 3, 1}}));
  const Examples whole{want, e.y()};
  double lazy_loss = 0, whole_loss = 0;
  const Metrics lazy = evaluate_model(*model, e, 2, torch::kCPU, &lazy_loss);
  const Metrics same = evaluate_model(*model, whole, 2, torch::kCPU, &whole_loss);
  EXPECT_DOUBLE_EQ(lazy.accuracy, same.accuracy);
  EXPECT_NEAR(lazy_loss, whole_loss, 1e-6);
}

}  // namespace
}  // namespace legohar
