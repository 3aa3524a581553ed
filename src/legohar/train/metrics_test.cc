// Tests of metrics.h against a confusion matrix worked by hand.
#include "legohar/train/metrics.h"

#include <gtest/gtest.h>

namespace legohar {
namespace {

TEST(Metrics, WeightedAndMacroF1ByHand) {
  // truth \ predicted:  A  B  C
  //   A (5 windows)     4  1  0
  //   B (3 windows)     1  2  0
  //   C (2 windows)     0  1  1
  const std::vector<int32_t> truth{0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
  const std::vector<int32_t> pred{0, 0, 0, 0, 1, 0, 1, 1, 1, 2};
  const Metrics m = compute_metrics(confusion_matrix(truth, pred, 3));
  EXPECT_EQ(m.confusion, (ConfusionMatrix{{4, 1, 0}, {1, 2, 0}, {0, 1, 1}}));
  // A: P = 4/5, R = 4/5, F1 = 0.8.  B: P = 2/4, R = 2/3, F1 = 4/7.  C: P = 1, R = 1/2, F1 = 2/3.
  EXPECT_NEAR(m.per_class[0].f1, 0.8, 1e-12);
  EXPECT_NEAR(m.per_class[1].precision, 0.5, 1e-12);
  EXPECT_NEAR(m.per_class[1].recall, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.per_class[1].f1, 4.0 / 7.0, 1e-12);
  EXPECT_NEAR(m.per_class[2].f1, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.accuracy, 0.7, 1e-12);
  EXPECT_NEAR(m.weighted_f1, 0.5 * 0.8 + 0.3 * 4.0 / 7.0 + 0.2 * 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.macro_f1, (0.8 + 4.0 / 7.0 + 2.0 / 3.0) / 3.0, 1e-12);
  EXPECT_EQ(m.per_class[0].support, 5);
}

TEST(Metrics, NeverPredictedClassHasZeroF1) {
  const Metrics m = compute_metrics(confusion_matrix({0, 1, 1}, {0, 0, 0}, 2));
  EXPECT_EQ(m.per_class[1].precision, 0.0);
  EXPECT_EQ(m.per_class[1].f1, 0.0);
  // A: P = 1/3, R = 1, F1 = 0.5; weighted = 1/3 * 0.5.
  EXPECT_NEAR(m.weighted_f1, 0.5 / 3.0, 1e-12);
}

TEST(Metrics, RejectsBadInput) {
  EXPECT_THROW(confusion_matrix({0, 1}, {0}, 2), std::invalid_argument);
  EXPECT_THROW(confusion_matrix({0, 3}, {0, 1}, 2), std::out_of_range);
}

}  // namespace
}  // namespace legohar
