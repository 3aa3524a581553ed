// Tests of resnet.h and resnet_plan.h: the forward pass and every gradient against a PyTorch
// reference written from the paper (tests/resnet_reference.py, run with /usr/bin/python3) on the
// same weights, over a table of layouts (basic and bottleneck blocks, the three activation
// orders, blocks beyond the dataset's layers); the shortcut's alignment worked by hand.
#include "legohar/nn/resnet.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "legohar/spec/profile.h"
#include "test_support.h"
#include "torch_reference.h"

namespace legohar {
namespace {

struct Layout {
  std::string block, order;
  int64_t blocks;
  std::vector<ConvLayerSpec> layers;
};

ModelSpec spec_of(const Layout& l) {
  ModelSpec s;
  s.model = "resnet";
  s.input_length = 40;
  s.input_channels = 3;
  s.classes = 4;
  s.layers = l.layers;
  s.blocks = l.blocks;
  s.block = l.block;
  s.order = l.order;
  return s;
}

class ResNetAgainstPyTorch : public ::testing::TestWithParam<Layout> {};

TEST_P(ResNetAgainstPyTorch, ForwardAndGradientsAgree) {
  if (!test::python_torch_available()) GTEST_SKIP() << "/usr/bin/python3 with torch not found";
  const Layout layout = GetParam();
  torch::manual_seed(11);
  ResNet net(spec_of(layout));
  net->to(torch::kDouble);
  test::perturb_batchnorm(*net);
  const torch::Tensor x = torch::randn({5, 1, 40, 3}, torch::kDouble).requires_grad_();
  const torch::Tensor r = torch::randn({5, 4}, torch::kDouble);
  const torch::Tensor logits = net->forward(x);
  (logits * r).sum().backward();

  c10::Dict<std::string, torch::Tensor> d;
  d.insert("x", x.detach());
  d.insert("r", r);
  std::vector<int64_t> flat;
  for (const ConvLayerSpec& l : layout.layers)
    flat.insert(flat.end(), {l.channels, l.kernel, l.stride, l.padding});
  d.insert("layers", torch::tensor(flat).view({-1, 4}));
  d.insert("blocks", torch::tensor(layout.blocks));
  d.insert("bottleneck", torch::tensor(int64_t{layout.block == "bottleneck"}));
  d.insert("order", torch::tensor(int64_t{layout.order == "relu-before-add" ? 0
                                          : layout.order == "full-preact"   ? 1
                                                                            : 2}));
  for (const auto& p : net->named_parameters()) d.insert("p." + p.key(), p.value().detach());
  test::expect_matches_reference(*net, x, logits, test::python_reference("resnet_reference.py", d));
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, ResNetAgainstPyTorch,
    ::testing::Values(
        // The paper's block, three strided blocks; the last keeps the length but widens the
        // sensor axis (projection).
        Layout{"basic", "relu-before-add", 3, {{6, 5, 2, 1}, {8, 4, 2, 2}, {8, 3, 1, 1}}},
        // Bottleneck blocks, two beyond the dataset's layers (identity shortcuts).
        Layout{"bottleneck", "full-preact", 4, {{8, 6, 3, 1}, {12, 4, 2, 0}}},
        Layout{"basic", "relu-preact", 2, {{4, 6, 3, 1}, {8, 6, 3, 1}}},
        // A first block that shortens the window without a stride: the shortcut starts at row 1.
        Layout{"bottleneck", "relu-before-add", 2, {{8, 3, 1, 0}, {8, 3, 1, 1}}}),
    [](const auto& info) {
      const Layout& l = info.param;
      return test::test_name(std::to_string(l.blocks) + " " + l.block + " " + l.order);
    });

TEST(ResNetPlan, ShortcutAlignmentByHand) {
  ModelSpec s = spec_of({"basic", "relu-before-add", 3, {{4, 6, 3, 1}, {8, 3, 1, 0}}});
  const auto plan = resnet_plan(s);
  ASSERT_EQ(plan.size(), 3u);
  // Block 1: T = 40, kernel 6, stride 3, padding 1: (40 + 2 - 6) / 3 + 1 = 13 rows; row t reads
  // padded rows 3t .. 3t + 5, i.e. input rows 3t - 1 .. 3t + 4, centre 3t + 1.
  EXPECT_EQ(plan[0].out_shape, (std::vector<int64_t>{4, 13, 5}));
  EXPECT_TRUE(plan[0].projection);
  EXPECT_EQ(plan[0].shortcut_offset, 1);
  EXPECT_EQ(plan[0].shortcut_stride, 3);
  EXPECT_EQ(plan[0].shortcut_pad_width, 1);
  // Block 2: kernel 3 without padding: 11 rows, row t centred on input row t + 1.
  EXPECT_EQ(plan[1].out_shape, (std::vector<int64_t>{8, 11, 5}));
  EXPECT_EQ(plan[1].shortcut_offset, 1);
  // Block 3, beyond the dataset's layers: same shape, identity.
  EXPECT_EQ(plan[2].out_shape, plan[1].out_shape);
  EXPECT_FALSE(plan[2].projection);
  // A window too short for the blocks is refused by name.
  s.input_length = 4;
  EXPECT_THROW(resnet_plan(s), Error);
}

}  // namespace
}  // namespace legohar
