// Tests of cnn.h: the analytic profile agrees with LibTorch's own parameter tensors and with the
// shapes a forward pass produces.
#include "legohar/models/cnn.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "legohar/eval/profile.h"

namespace legohar {
namespace {

class CnnProfile : public ::testing::TestWithParam<std::tuple<std::string, int64_t, double>> {};

TEST_P(CnnProfile, ParameterCountsAndShapesMatchProfile) {
  const auto [model, o, m] = GetParam();
  ModelSpec s;
  s.model = model;
  s.o = o;
  s.m = m;
  s.layers = {{128, 6, 3, 1}, {256, 6, 3, 1}, {384, 6, 3, 1}};
  Cnn net(s);
  const ModelProfile p = profile_model(s);
  int64_t params = 0, logits = 0, selections = 0;
  for (const auto& t : net->parameters()) params += t.numel();
  for (const auto& l : net->lego_layers()) {
    logits += l->logits.numel();
    selections += l->selection().numel();
  }
  EXPECT_EQ(p.params, params);
  EXPECT_EQ(p.inference_params, params - logits + selections);
  net->eval();
  torch::NoGradGuard g;
  EXPECT_EQ(net->forward(torch::randn({2, 1, 128, 9})).sizes(), (std::vector<int64_t>{2, 6}));
}

INSTANTIATE_TEST_SUITE_P(UciHar, CnnProfile,
                         ::testing::Values(std::make_tuple("baseline", 2, 0.5),
                                           std::make_tuple("lego", 2, 0.5),
                                           std::make_tuple("lego", 4, 0.5),
                                           std::make_tuple("lego", 2, 0.25),
                                           std::make_tuple("lego", 4, 0.25)));

TEST(Cnn, MaskAndWeightParametersPartitionTheParameters) {
  ModelSpec s;
  s.model = "lego";
  s.layers = {{8, 6, 3, 1}, {8, 6, 3, 1}, {8, 6, 3, 1}};
  Cnn net(s);
  EXPECT_EQ(net->mask_parameters().size(), 2u);
  EXPECT_EQ(net->weight_parameters().size() + 2, net->parameters().size());
}

}  // namespace
}  // namespace legohar
