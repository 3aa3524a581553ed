// Tests of bilstm.h: the forward pass and every gradient against a PyTorch reference
// (tests/bilstm_reference.py: torch.nn.LSTM with the same weights, the residual layout written
// from the readme, run with /usr/bin/python3) over a table of layouts; dropout only in training.
#include "legohar/nn/bilstm.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "test_support.h"
#include "torch_reference.h"

namespace legohar {
namespace {

struct LstmLayout {
  int64_t layers;
  bool residual, bidirectional;
  std::string readout;
};

ModelSpec spec_of(const LstmLayout& l) {
  ModelSpec s;
  s.model = "bilstm";
  s.input_length = 12;
  s.input_channels = 3;
  s.classes = 4;
  s.layers = {{4, 3, 1, 0}};  // the dataset's conv stack, unused by this family
  s.lstm_layers = l.layers;
  s.hidden = 5;
  s.residual = l.residual;
  s.bidirectional = l.bidirectional;
  s.readout = l.readout;
  s.lstm_dropout = 0.0;
  return s;
}

class BiLstmAgainstPyTorch : public ::testing::TestWithParam<LstmLayout> {};

TEST_P(BiLstmAgainstPyTorch, ForwardAndGradientsAgree) {
  if (!test::python_torch_available()) GTEST_SKIP() << "/usr/bin/python3 with torch not found";
  const LstmLayout layout = GetParam();
  torch::manual_seed(13);
  BiLstmImpl net(spec_of(layout));
  net.to(torch::kDouble);
  test::perturb_batchnorm(net);
  const torch::Tensor x = torch::randn({6, 1, 12, 3}, torch::kDouble).requires_grad_();
  const torch::Tensor r = torch::randn({6, 4}, torch::kDouble);
  const torch::Tensor logits = net.forward(x);
  (logits * r).sum().backward();

  c10::Dict<std::string, torch::Tensor> d;
  d.insert("x", x.detach());
  d.insert("r", r);
  d.insert("layers", torch::tensor(layout.layers));
  d.insert("hidden", torch::tensor(int64_t{5}));
  d.insert("residual", torch::tensor(int64_t{layout.residual}));
  d.insert("bidirectional", torch::tensor(int64_t{layout.bidirectional}));
  d.insert("mean", torch::tensor(int64_t{layout.readout == "mean"}));
  for (const auto& p : net.named_parameters()) d.insert("p." + p.key(), p.value().detach());
  test::expect_matches_reference(net, x, logits, test::python_reference("bilstm_reference.py", d));
}

INSTANTIATE_TEST_SUITE_P(Layouts, BiLstmAgainstPyTorch,
                         ::testing::Values(LstmLayout{2, true, true, "last"},
                                           LstmLayout{3, false, true, "mean"},
                                           LstmLayout{2, true, false, "mean"},
                                           LstmLayout{1, false, false, "last"}),
                         [](const auto& info) {
                           const LstmLayout& l = info.param;
                           return std::to_string(l.layers) + "layers_" +
                                  (l.residual ? "residual_" : "plain_") +
                                  (l.bidirectional ? "bidirectional_" : "forward_") + l.readout;
                         });

TEST(BiLstm, DropoutOnlyWhileTraining) {
  ModelSpec s = spec_of({2, true, true, "last"});
  s.lstm_dropout = 0.5;
  torch::manual_seed(1);
  BiLstmImpl net(s);
  const torch::Tensor x = torch::randn({4, 1, 12, 3});
  net.eval();
  EXPECT_TRUE(torch::equal(net.forward(x), net.forward(x)));  // deterministic in evaluation
  net.train();
  torch::manual_seed(2);
  const torch::Tensor a = net.forward(x);
  torch::manual_seed(3);
  EXPECT_FALSE(torch::equal(a, net.forward(x)));  // a fresh dropout mask per pass
}

}  // namespace
}  // namespace legohar
