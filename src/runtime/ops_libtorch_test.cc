// The runtime's operators against LibTorch on the same weights: the d x 1 convolution against
// torch::conv2d, the Lego convolution against legohar's trained LegoConv2d module, the LSTM
// against torch::nn::LSTM (both directions). An independent
// check of the references that ops_test.cc holds the optimised operators to.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

#include "legohar/nn/lego_conv.h"
#include "runtime/ops.h"

namespace legohar::runtime {
namespace {

std::vector<float> values(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().contiguous().to(torch::kFloat);
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

TEST(RuntimeOpsVsLibTorch, ConvolutionMatchesConv2d) {
  torch::manual_seed(3);
  // C, H, W, n, d, stride, padding
  for (const ConvShape& s : std::vector<ConvShape>{{1, 128, 9, 64, 5, 1, 2, 2, 2},
                                                   {64, 62, 13, 32, 5, 2, 2, 2, 2},
                                                   {3, 17, 4, 6, 3, 3, 0, 0, 0}}) {
    const auto [C, H, W, n, d, stride, pad] =
        std::tuple(static_cast<int64_t>(s.in_channels), static_cast<int64_t>(s.height),
                   static_cast<int64_t>(s.width), static_cast<int64_t>(s.out_channels),
                   static_cast<int64_t>(s.kernel), static_cast<int64_t>(s.stride),
                   static_cast<int64_t>(s.pad_width));
    const torch::Tensor x = torch::randn({1, C, H, W});
    const torch::Tensor w = torch::randn({n, C, d, 1}) * 0.1;
    const torch::Tensor b = torch::randn({n});
    const torch::Tensor want =
        torch::relu(torch::conv2d(x, w, b, {stride, 1}, {pad, pad}));  // [1, n, H', W']
    ASSERT_EQ(want.size(2), static_cast<int64_t>(s.out_height()));
    ASSERT_EQ(want.size(3), static_cast<int64_t>(s.out_width()));
    const auto in = values(x), weight = values(w), bias = values(b);
    std::vector<float> got(static_cast<size_t>(want.numel())), scratch;
    const auto packed = pack_filters(weight.data(), s.out_channels, s.in_channels * s.kernel);
    conv_d1(s, in.data(), packed.data(), bias.data(), true, got.data(), scratch);
    const torch::Tensor diff = (torch::from_blob(got.data(), want.sizes()) - want).abs().max();
    EXPECT_LT(diff.item<float>(), 1e-4) << "C " << C << " n " << n << " stride " << stride;
  }
}

TEST(RuntimeOpsVsLibTorch, LegoMatchesTheTrainedModule) {
  torch::manual_seed(4);
  // C, n, d, stride, padding, o, k (as in Lego(2, .5) and Lego(4, .25) layers)
  struct Case {
    int64_t C, n, d, stride, padding, o, k;
  };
  for (const Case& c : std::vector<Case>{
           {64, 64, 5, 1, 2, 2, 16}, {64, 128, 5, 2, 2, 4, 8}, {12, 10, 3, 1, 0, 3, 3}}) {
    LegoConv2d lego(LegoConv2dOptions(c.C, c.n, c.d)
                        .stride(c.stride)
                        .padding(c.padding)
                        .fragments(c.o)
                        .lego_filters(c.k)
                        .mask_init_std(1.0));
    lego->eval();
    torch::NoGradGuard no_grad;
    lego->coefficients.normal_();  // away from their initial values
    lego->bias.normal_();
    const torch::Tensor x = torch::randn({1, c.C, 40, 9});
    const torch::Tensor want = lego->forward(x);  // [1, n, H', W']
    const LegoShape s{
        {static_cast<size_t>(c.C), 40, 9, static_cast<size_t>(c.n), static_cast<size_t>(c.d),
         static_cast<size_t>(c.stride), c.padding, c.padding, static_cast<size_t>(c.padding)},
        static_cast<size_t>(c.o),
        static_cast<size_t>(c.k)};
    const auto in = values(x), filters = values(lego->lego), coef = values(lego->coefficients),
               bias = values(lego->bias);
    const torch::Tensor picked = lego->selection().to(torch::kInt32).contiguous();  // [o, n]
    const std::vector<uint32_t> selection(picked.data_ptr<int32_t>(),
                                          picked.data_ptr<int32_t>() + picked.numel());
    std::vector<float> got(static_cast<size_t>(want.numel())), scratch;
    const auto packed =
        pack_filters(filters.data(), s.filters, s.conv.in_channels / s.fragments * s.conv.kernel);
    lego_conv_d1(s, in.data(), packed.data(), selection.data(), coef.data(), bias.data(), false,
                 got.data(), scratch);
    const torch::Tensor diff = (torch::from_blob(got.data(), want.sizes()) - want).abs().max();
    EXPECT_LT(diff.item<float>(), 1e-4) << "o " << c.o << " k " << c.k;
  }
}

TEST(RuntimeOpsVsLibTorch, LstmMatchesTorchLstm) {
  torch::manual_seed(5);
  // T, inputs, hidden
  for (const LstmShape& s : std::vector<LstmShape>{{128, 32, 32}, {9, 5, 3}, {1, 4, 6}}) {
    const auto [T, x_size, h] =
        std::tuple(static_cast<int64_t>(s.steps), static_cast<int64_t>(s.inputs),
                   static_cast<int64_t>(s.hidden));
    torch::nn::LSTM net(torch::nn::LSTMOptions(x_size, h).batch_first(true).bidirectional(true));
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({1, T, x_size});
    const torch::Tensor want = std::get<0>(net->forward(x))[0];  // [T, 2h]
    const auto in = values(x);
    std::vector<float> got(static_cast<size_t>(T * 2 * h)), scratch;
    for (const std::string suffix : {"", "_reverse"}) {
      auto p = net->named_parameters();
      const auto w_ih = values(p["weight_ih_l0" + suffix]),
                 w_hh = values(p["weight_hh_l0" + suffix]);
      const auto bias = values(p["bias_ih_l0" + suffix] + p["bias_hh_l0" + suffix]);
      const bool reverse = !suffix.empty();
      lstm(s, in.data(), w_ih.data(), w_hh.data(), bias.data(), reverse,
           got.data() + (reverse ? s.hidden : 0), 2 * s.hidden, scratch);
    }
    const torch::Tensor diff = (torch::from_blob(got.data(), want.sizes()) - want).abs().max();
    EXPECT_LT(diff.item<float>(), 1e-5) << "T " << T << " x " << x_size << " h " << h;
  }
}

}  // namespace
}  // namespace legohar::runtime
