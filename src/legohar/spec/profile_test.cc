// Tests of profile.h on a small model worked by hand (the real model's counts are checked against
// LibTorch's own parameter tensors of every family in nn/model_test.cc).
#include "legohar/spec/profile.h"

#include <gtest/gtest.h>

namespace legohar {
namespace {

TEST(Profile, SmallLegoModelByHand) {
  ModelSpec s;
  s.model = "lego";
  s.input_length = 10;
  s.input_channels = 3;
  s.classes = 3;
  s.o = 2;
  s.m = 0.5;
  s.layers = {{4, 3, 2, 1}, {6, 2, 1, 0}};
  const ModelProfile p = profile_model(s);
  ASSERT_EQ(p.layers.size(), 3u);
  // conv1: H = (10 + 2 - 3) / 2 + 1 = 5, W = 3 + 2 = 5; 4*1*3 weights + 4 bias + 8 BatchNorm.
  EXPECT_EQ(p.layers[0].out_shape, (std::vector<int64_t>{4, 5, 5}));
  EXPECT_EQ(p.layers[0].params, 24);
  EXPECT_EQ(p.layers[0].macs, 25 * 4 * 3);
  // lego2: C = 4, o = 2, k = 3, d = 2: H = 4, W = 5. Filters 3*2*2 = 12, logits 2*6*3 = 36,
  // coefficients 12, bias 6, BatchNorm 12; inference keeps 12 indices instead of the logits.
  EXPECT_EQ(p.layers[1].out_shape, (std::vector<int64_t>{6, 4, 5}));
  EXPECT_EQ(p.layers[1].params, 12 + 36 + 12 + 6 + 12);
  EXPECT_EQ(p.layers[1].inference_params, 12 + 12 + 12 + 6 + 12);
  EXPECT_EQ(p.layers[1].macs, 20 * (3 * 4 * 2 + 2 * 6));
  // fc: 6*4*5 = 120 features to 3 classes.
  EXPECT_EQ(p.layers[2].params, 363);
  EXPECT_EQ(p.macs, 300 + 720 + 360);
  EXPECT_EQ(p.inference_params, 24 + 54 + 363);
  EXPECT_DOUBLE_EQ(p.memory_mb, (24 + 54 + 363) * 4.0 / 1048576.0);
}

TEST(Profile, SmallResNetByHand) {
  ModelSpec s;
  s.model = "resnet";
  s.input_length = 10;
  s.input_channels = 3;
  s.classes = 3;
  s.layers = {{4, 3, 2, 1}};
  s.blocks = 2;
  const ModelProfile p = profile_model(s);
  ASSERT_EQ(p.layers.size(), 6u);  // block1.conv1, conv2, shortcut; block2.conv1, conv2; fc
  // Block 1: conv1 1 -> 4, kernel 3, stride 2, padding 1: H = (10 + 2 - 3) / 2 + 1 = 5, W = 5;
  // 12 weights + 4 bias + 8 BatchNorm. conv2 4 -> 4 keeps 5 x 5: 48 + 4 + 8. The shortcut (the
  // shape changes) 1x1 1 -> 4: 4 + 4 + 8.
  EXPECT_EQ(p.layers[0].name, "block1.conv1");
  EXPECT_EQ(p.layers[0].params, 24);
  EXPECT_EQ(p.layers[1].params, 60);
  EXPECT_EQ(p.layers[2].name, "block1.shortcut");
  EXPECT_EQ(p.layers[2].params, 16);
  // Block 2, beyond the dataset's layer: 4 -> 4 twice at stride 1, identity shortcut.
  EXPECT_EQ(p.layers[3].params, 60);
  EXPECT_EQ(p.layers[4].params, 60);
  EXPECT_EQ(p.block_shapes, (std::vector<std::vector<int64_t>>{{4, 5, 5}, {4, 5, 5}}));
  EXPECT_EQ(p.params, 24 + 60 + 16 + 60 + 60 + 303);
  // MACs per window: 25 positions x (12, 48, 4, 48, 48), and 100 x 3 for the classifier.
  EXPECT_EQ(p.macs, 300 + 1200 + 100 + 1200 + 1200 + 300);
  // Activations: 3 x 100 per unit, 2 x 100 for the projection, 100 per residual sum.
  EXPECT_EQ(p.layers[0].activations + p.layers[1].activations + p.layers[2].activations, 900);
  EXPECT_EQ(p.layers[3].activations + p.layers[4].activations, 700);
  // Full pre-activation normalises each unit's input, and not the raw signal.
  s.order = "full-preact";
  const ModelProfile pre = profile_model(s);
  EXPECT_EQ(pre.layers[0].params, 16);
  EXPECT_EQ(pre.layers[1].params, 60);
}

TEST(Profile, BaselineHasNoLegoLayers) {
  ModelSpec s;
  s.layers = {{8, 6, 3, 1}, {8, 6, 3, 1}};
  const ModelProfile p = profile_model(s);
  EXPECT_EQ(p.layers[1].kind, "conv");
  EXPECT_EQ(p.params, p.inference_params);
}

TEST(Profile, RejectsFragmentsThatDoNotDivideChannels) {
  ModelSpec s;
  s.model = "lego";
  s.o = 3;
  s.layers = {{8, 6, 3, 1}, {8, 6, 3, 1}};
  EXPECT_THROW(profile_model(s), Error);
}

}  // namespace
}  // namespace legohar
