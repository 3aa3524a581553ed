// Tests of classification_loss.h: a two-class example worked by hand, and the smoothed
// cross-entropy against its definition (the expected -log-probability under the smoothed target)
// over a table of shapes and epsilons.
#include "legohar/train/classification_loss.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace legohar {
namespace {

TEST(ClassificationLoss, TwoClassesByHand) {
  // logits (ln 3, 0): p = (3/4, 1/4). Class 0 smoothed by 0.2 over 2 classes: q = (0.9, 0.1).
  const torch::Tensor logits = torch::tensor({{std::log(3.0), 0.0}}, torch::kDouble);
  const torch::Tensor y = torch::tensor({0}, torch::kInt64);
  EXPECT_NEAR(classification_loss(logits, y, 0.0).item<double>(), -std::log(0.75), 1e-12);
  EXPECT_NEAR(classification_loss(logits, y, 0.2).item<double>(),
              -(0.9 * std::log(0.75) + 0.1 * std::log(0.25)), 1e-12);
  // Equal logits: ln 2 whatever the smoothing.
  const torch::Tensor even = torch::zeros({1, 2}, torch::kDouble);
  EXPECT_NEAR(classification_loss(even, y, 0.7).item<double>(), std::log(2.0), 1e-12);
}

TEST(ClassificationLoss, MatchesTheSmoothedTargetDefinition) {
  torch::manual_seed(4);
  for (const int64_t n : {1, 5, 32})
    for (const int64_t k : {2, 6, 12})
      for (const double eps : {0.0, 0.05, 0.1, 0.5}) {
        const torch::Tensor logits = torch::randn({n, k}, torch::kDouble) * 3;
        const torch::Tensor y = torch::randint(k, {n}, torch::kInt64);
        torch::Tensor q = torch::full({n, k}, eps / static_cast<double>(k), torch::kDouble);
        for (int64_t i = 0; i < n; ++i) q[i][y[i].item<int64_t>()] += 1.0 - eps;
        const double want =
            -(q * torch::log_softmax(logits, 1)).sum(1).mean().item<double>();  // E_q[-log p]
        EXPECT_NEAR(classification_loss(logits, y, eps).item<double>(), want, 1e-10)
            << n << "x" << k << " eps " << eps;
      }
}

}  // namespace
}  // namespace legohar
