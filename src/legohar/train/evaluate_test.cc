// Tests of evaluate.h: the local-head probes score each block's pred head on the block's own
// output, checked with heads made to answer a fixed class, whose weighted F1 is worked by hand.
#include "legohar/train/evaluate.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

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

}  // namespace
}  // namespace legohar
