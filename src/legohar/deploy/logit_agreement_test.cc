// The export's agreement rule on hand-worked logits: the bound grows with the window's largest
// |logit|, and a changed prediction fails even within the bound.
#include "legohar/deploy/logit_agreement.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "legohar/common/error.h"

namespace legohar {
namespace {

torch::Tensor logits(std::vector<double> values) {  // two windows of three classes
  return torch::tensor(values, torch::kDouble).view({2, 3});
}

TEST(LogitAgreement, BoundScalesWithTheWindowsLargestLogit) {
  const torch::Tensor want = logits({100, -20, 1, 1, 2, 0.5});
  // Window 0's bound: 1e-4 + 1e-6 x 100 = 2e-4; window 1's: 1e-4 + 1e-6 x 2 = 1.02e-4.
  // The window's largest |logit| sets the bound of all its logits, 1 among them.
  const LogitAgreement large = compare_logits(want + logits({0, 0, 1.5e-4, 0, 0, 0}), want);
  EXPECT_NEAR(large.max_difference, 1.5e-4, 1e-12);
  EXPECT_NEAR(large.worst_share, 0.75, 1e-9);
  EXPECT_EQ(large.identical, 2);
  EXPECT_TRUE(large.ok());

  const LogitAgreement small = compare_logits(want + logits({0, 0, 0, 0, 1.5e-4, 0}), want);
  EXPECT_NEAR(small.worst_share, 1.5e-4 / 1.02e-4, 1e-9);
  EXPECT_FALSE(small.ok());

  // Float32 logits are compared as they are: 100 + 1.5e-4 rounds to the nearest float.
  const LogitAgreement f = compare_logits(
      (want + logits({1.5e-4, 0, 0, 0, 0, 0})).to(torch::kFloat), want.to(torch::kFloat));
  EXPECT_NEAR(f.max_difference, 1.5e-4, 8e-6);  // float32's ulp at 100 is 7.6e-6
  EXPECT_TRUE(f.ok());
}

TEST(LogitAgreement, ChangedPredictionFailsWithinTheBound) {
  const torch::Tensor want = logits({3, 1, 0, 1, 2, 2 - 5e-5});
  const torch::Tensor got = logits({3, 1, 0, 1, 2 - 5e-5, 2});
  const LogitAgreement a = compare_logits(got, want);
  EXPECT_LT(a.worst_share, 1);
  EXPECT_EQ(a.identical, 1);
  EXPECT_EQ(a.windows, 2);
  EXPECT_FALSE(a.ok());
}

TEST(LogitAgreement, RefusesDifferentShapes) {
  EXPECT_THROW(compare_logits(torch::zeros({2, 3}), torch::zeros({3, 2})), Error);
  EXPECT_THROW(compare_logits(torch::zeros({6}), torch::zeros({6})), Error);
}

}  // namespace
}  // namespace legohar
