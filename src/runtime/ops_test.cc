// The runtime's optimised operators against their reference definitions across a table of shapes
// (strides, paddings, odd sizes, block remainders), and the references on hand-worked examples.
#include "runtime/ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "runtime/peak.h"

#include "runtime/reference_ops.h"
#include "runtime/testing/test_model.h"

namespace legohar::runtime {
namespace {

std::vector<float> random_values(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

TEST(RuntimeOps, ReferenceConvolutionByHand) {
  // in [1, 3, 1] = 1 2 3; filter (1, 2): 1*1 + 2*2 = 5, 1*2 + 2*3 = 8; bias 1.
  ConvShape s{1, 3, 1, 1, 2, 1, 0, 0, 0};
  const std::vector<float> in{1, 2, 3}, w{1, 2}, b{1};
  std::vector<float> out(2);
  reference::conv_d1(s, in.data(), w.data(), b.data(), false, out.data());
  EXPECT_EQ(out, (std::vector<float>{6, 9}));
  // Padding 1 on both axes: rows of 0 1 2 3 0 give 2 5 8 3 (+1); the padded sensor columns see
  // only zeros (the bias).
  s.pad_before = s.pad_after = 1;
  s.pad_width = 1;
  out.assign(4 * 3, -1);
  reference::conv_d1(s, in.data(), w.data(), b.data(), false, out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 3, 1, 1, 6, 1, 1, 9, 1, 1, 4, 1}));
  // Stride 2, negative weights, ReLU: rows 0 and 2 of the padded input (0 1 2 3 0).
  s.stride = 2;
  const std::vector<float> neg{-1, 1};
  out.assign(2 * 3, -1);
  reference::conv_d1(s, in.data(), neg.data(), nullptr, true, out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 1, 0, 0, 1, 0}));
  // A 1 x 1 filter (3) skipping the first input row, stride 2, one row short at the end: rows
  // 1 of 1 2 3 only (the padded input is 2 3 0 cropped to 2).
  ConvShape crop{1, 3, 1, 1, 1, 2, -1, -1, 0};
  const std::vector<float> three{3};
  out.assign(1, -1);
  reference::conv_d1(crop, in.data(), three.data(), nullptr, false, out.data());
  EXPECT_EQ(crop.out_height(), 1u);
  EXPECT_EQ(out, (std::vector<float>{6}));
}

TEST(RuntimeOps, ReferenceLegoByHand) {
  // C = 2 in o = 2 fragments of one channel; k = 2 Lego filters d = 1: 2 and 3. Output 0 selects
  // filter 0 for fragment 0 and filter 1 for fragment 1, coefficients 1 and -1: 2 x0 - 3 x1 + 0.5.
  LegoShape s{{2, 2, 1, 1, 1, 1, 0, 0, 0}, 2, 2};
  const std::vector<float> in{1, 4, 2, 1};  // x0 = (1, 4), x1 = (2, 1)
  const std::vector<float> lego{2, 3}, coef{1, -1}, bias{0.5f};
  const std::vector<uint32_t> selection{0, 1};
  std::vector<float> out(2);
  reference::lego_conv_d1(s, in.data(), lego.data(), selection.data(), coef.data(), bias.data(),
                          false, out.data());
  EXPECT_EQ(out, (std::vector<float>{2 - 6 + 0.5f, 8 - 3 + 0.5f}));
}

TEST(RuntimeOps, ConvolutionMatchesTheReference) {
  // C, H, W, n, d, stride, padding: first layers (C = 1), blocks of 4 outputs and remainders,
  // strides that skip the end, paddings wider than the sensor axis, a filter as tall as the input.
  const std::vector<ConvShape> shapes{{1, 16, 3, 5, 3, 1, 0, 0, 0},
                                      {1, 20, 9, 8, 5, 1, 2, 2, 2},
                                      {3, 17, 4, 6, 3, 2, 1, 1, 1},
                                      {8, 32, 9, 7, 5, 3, 2, 2, 2},
                                      {5, 6, 1, 4, 6, 1, 0, 0, 0},
                                      {2, 5, 2, 3, 4, 2, 2, 2, 2},
                                      {16, 64, 9, 13, 5, 1, 0, 0, 0},
                                      {4, 9, 1, 1, 1, 4, 3, 3, 3},
                                      // uneven padding (a ResNet's units), cropping (a shortcut
                                      // aligned to a strided branch), padding past the input
                                      {6, 20, 3, 5, 3, 2, 1, 0, 1},
                                      {3, 12, 2, 4, 4, 1, 1, 2, 0},
                                      {4, 19, 9, 8, 1, 2, -2, -1, 1},
                                      {2, 10, 3, 3, 1, 3, 1, 3, 2},
                                      // K = C x d past 1536: blocks of 48 and of 16 positions
                                      {300, 12, 9, 5, 6, 1, 0, 0, 0},
                                      {1100, 8, 5, 3, 3, 1, 1, 1, 0}};
  uint32_t seed = 1;
  for (const ConvShape& s : shapes) {
    const auto in = random_values(s.in_channels * s.height * s.width, seed++);
    const auto w = random_values(s.out_channels * s.in_channels * s.kernel, seed++);
    const auto b = random_values(s.out_channels, seed++);
    for (const bool relu : {false, true})
      for (const bool with_bias : {false, true}) {
        const size_t size = s.out_channels * s.out_height() * s.out_width();
        std::vector<float> want(size, NAN), got(size, NAN), scratch;
        const float* bias = with_bias ? b.data() : nullptr;
        reference::conv_d1(s, in.data(), w.data(), bias, relu, want.data());
        const auto packed = pack_filters(w.data(), s.out_channels, s.in_channels * s.kernel);
        conv_d1(s, in.data(), packed.data(), bias, relu, got.data(), scratch);
        EXPECT_LT(testing::relative_gap(got, want), 1e-5)
            << "C " << s.in_channels << " H " << s.height << " W " << s.width << " n "
            << s.out_channels << " d " << s.kernel << " stride " << s.stride << " pads "
            << s.pad_before << " " << s.pad_after << " " << s.pad_width << " relu " << relu
            << " bias " << with_bias;
      }
  }
}

TEST(RuntimeOps, LegoMatchesTheReference) {
  struct Case {
    ConvShape conv;
    size_t fragments, filters;
  };
  const std::vector<Case> cases{{{8, 20, 9, 6, 5, 1, 2, 2, 2}, 2, 3},
                                {{12, 17, 3, 5, 3, 2, 1, 1, 1}, 4, 2},
                                {{6, 9, 1, 7, 3, 1, 0, 0, 0}, 3, 1},
                                {{4, 33, 9, 9, 5, 3, 2, 2, 2}, 1, 4},
                                {{64, 40, 9, 64, 5, 1, 2, 2, 2}, 4, 16},
                                {{1800, 10, 9, 6, 2, 1, 0, 0, 0}, 2, 3}};  // 16-position blocks
  uint32_t seed = 100;
  for (const Case& c : cases) {
    const LegoShape s{c.conv, c.fragments, c.filters};
    const size_t part = c.conv.in_channels / c.fragments, n = c.conv.out_channels;
    const auto in = random_values(c.conv.in_channels * c.conv.height * c.conv.width, seed++);
    const auto lego = random_values(c.filters * part * c.conv.kernel, seed++);
    const auto coef = random_values(c.fragments * n, seed++);
    const auto bias = random_values(n, seed++);
    std::mt19937 rng(seed++);
    std::vector<uint32_t> selection(c.fragments * n);
    for (uint32_t& k : selection) k = static_cast<uint32_t>(rng() % c.filters);
    const size_t size = n * c.conv.out_height() * c.conv.out_width();
    for (const bool relu : {false, true}) {
      std::vector<float> want(size, NAN), got(size, NAN), scratch;
      reference::lego_conv_d1(s, in.data(), lego.data(), selection.data(), coef.data(), bias.data(),
                              relu, want.data());
      const auto packed = pack_filters(lego.data(), c.filters, part * c.conv.kernel);
      lego_conv_d1(s, in.data(), packed.data(), selection.data(), coef.data(), bias.data(), relu,
                   got.data(), scratch);
      EXPECT_LT(testing::relative_gap(got, want), 1e-5)
          << "C " << c.conv.in_channels << " o " << c.fragments << " k " << c.filters;
    }
  }
}

TEST(RuntimeOps, DenseMatchesTheReference) {
  // By hand: [1 2; 3 4] . (1, -1) + (0.5, 0) = (-0.5, -1).
  const std::vector<float> w{1, 2, 3, 4}, x{1, -1}, b{0.5f, 0};
  std::vector<float> out(2);
  reference::dense(2, 2, x.data(), w.data(), b.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{-0.5f, -1}));
  uint32_t seed = 200;
  for (const auto& [inputs, outputs] :
       std::vector<std::pair<size_t, size_t>>{{1, 1}, {7, 3}, {1000, 6}, {8192, 12}}) {
    const auto in = random_values(inputs, seed++), weight = random_values(inputs * outputs, seed++);
    const auto bias = random_values(outputs, seed++);
    std::vector<float> want(outputs), got(outputs);
    reference::dense(inputs, outputs, in.data(), weight.data(), bias.data(), want.data());
    dense(inputs, outputs, in.data(), weight.data(), bias.data(), got.data());
    EXPECT_LT(testing::relative_gap(got, want), 1e-5) << inputs << " x " << outputs;
  }
  // A large first product, then 2^16 small ones: a float sum over all of them loses 0.38 of an
  // ulp of 1000 with every small product (1.8e-4 of the total); in chunks of 512, only the
  // first chunk's 63 per lane are lost (1.5e-6).
  std::vector<float> in(65536, 1e-3f), ones(65536, 1.0f);
  std::fill(in.begin(), in.begin() + 8, 1000.0f);
  float want = 0, got = 0;
  reference::dense(in.size(), 1, in.data(), ones.data(), nullptr, &want);
  dense(in.size(), 1, in.data(), ones.data(), nullptr, &got);
  EXPECT_NEAR(got, want, 1e-5 * want);
}

TEST(RuntimeOps, RowwiseOperatorsMatchTheReference) {
  // By hand: affine along the channels of [1, 2, 2] (scale 2, -1; shift 1, 0; ReLU), along the
  // rows' features of the same values, and the residual add.
  const std::vector<float> x{1, -2, 3, 4}, scale{2, -1}, shift{1, 0};
  std::vector<float> out(4);
  reference::affine(1, 2, 2, x.data(), scale.data(), shift.data(), true, out.data());
  EXPECT_EQ(out, (std::vector<float>{3, 0, 0, 0}));
  reference::affine(2, 2, 1, x.data(), scale.data(), shift.data(), false, out.data());
  EXPECT_EQ(out, (std::vector<float>{3, 2, 7, -4}));
  std::vector<float> sum{1, 2, 3, 4};
  reference::add(sum.data(), x.data(), 4);
  EXPECT_EQ(sum, (std::vector<float>{2, 0, 6, 8}));
  // Read-out of [1, 2, 2] = rows (1, -2), (3, 4): the last row, the mean.
  std::vector<float> row(2);
  reference::readout(1, 2, 2, false, x.data(), row.data());
  EXPECT_EQ(row, (std::vector<float>{3, 4}));
  reference::readout(1, 2, 2, true, x.data(), row.data());
  EXPECT_EQ(row, (std::vector<float>{2, 1}));

  uint32_t seed = 300;
  // outer, dim, inner (affine, add); rows, inputs, outputs (dense_rows); C, H, W (readout)
  for (const auto& [a, b, c] : std::vector<std::tuple<size_t, size_t, size_t>>{
           {1, 1, 1}, {1, 16, 300}, {40, 9, 1}, {3, 5, 7}, {128, 64, 1}}) {
    const auto in = random_values(a * b * c, seed++), sc = random_values(b, seed++),
               sh = random_values(b, seed++);
    for (const bool relu : {false, true}) {
      std::vector<float> want(a * b * c), got(a * b * c);
      reference::affine(a, b, c, in.data(), sc.data(), sh.data(), relu, want.data());
      affine(a, b, c, in.data(), sc.data(), sh.data(), relu, got.data());
      EXPECT_LT(testing::relative_gap(got, want), 1e-6) << "affine " << a << " " << b << " " << c;
    }
    std::vector<float> want = in, got = in;
    const auto other = random_values(a * b * c, seed++);
    reference::add(want.data(), other.data(), want.size());
    add(got.data(), other.data(), got.size());
    EXPECT_LT(testing::relative_gap(got, want), 1e-6) << "add " << a * b * c;
    const auto weight = random_values(b * c, seed++), bias = random_values(c, seed++);
    for (const bool relu : {false, true}) {
      std::vector<float> want_rows(a * c), got_rows(a * c);
      reference::dense_rows(a, b, c, in.data(), weight.data(), bias.data(), relu, want_rows.data());
      dense_rows(a, b, c, in.data(), weight.data(), bias.data(), relu, got_rows.data());
      EXPECT_LT(testing::relative_gap(got_rows, want_rows), 1e-5) << "rows " << a << " " << b;
    }
    for (const bool mean : {false, true}) {
      std::vector<float> want_out(a * c), got_out(a * c);
      reference::readout(a, b, c, mean, in.data(), want_out.data());
      readout(a, b, c, mean, in.data(), got_out.data());
      EXPECT_LT(testing::relative_gap(got_out, want_out), 1e-5) << "readout " << a << " " << b;
    }
  }
}

TEST(RuntimeOps, ReferenceLstmByHand) {
  // One hidden unit on x = (0.5, -1), g = tanh(x_t) (w_ih = 1 on g only), the input and output
  // gates open (bias +20: sigmoid = 1 - 2e-9). Forget gate shut (-20): h_t = tanh(tanh(x_t)), in
  // either direction. Forget gate open (+20): the cell sums g, so h_t = tanh(tanh(x_0) +
  // tanh(x_1)) at the last step read (t = 1 forward, t = 0 reverse), tanh(tanh(x_t)) at the first.
  const std::vector<float> x{0.5f, -1.0f}, w_ih{0, 0, 1, 0}, w_hh{0, 0, 0, 0};
  const double g0 = std::tanh(0.5), g1 = std::tanh(-1.0);
  for (const float forget : {-20.0f, 20.0f})
    for (const bool reverse : {false, true}) {
      const std::vector<float> bias{20, forget, 0, 20};
      std::vector<float> h(2);
      reference::lstm({2, 1, 1}, x.data(), w_ih.data(), w_hh.data(), bias.data(), reverse, h.data(),
                      1);
      const bool memory = forget > 0;
      const double first = reverse ? std::tanh(g1) : std::tanh(g0);
      const double last = memory ? std::tanh(g0 + g1) : std::tanh(reverse ? g0 : g1);
      EXPECT_NEAR(h[reverse ? 1 : 0], first, 1e-6) << forget << " " << reverse;
      EXPECT_NEAR(h[reverse ? 0 : 1], last, 1e-6) << forget << " " << reverse;
    }
}

TEST(RuntimeOps, LstmMatchesTheReference) {
  uint32_t seed = 400;
  // T, inputs, hidden: one step, one unit, the BiLSTM's sizes, more inputs than hidden units.
  for (const LstmShape& s :
       std::vector<LstmShape>{{1, 1, 1}, {7, 3, 5}, {128, 32, 32}, {40, 9, 4}, {16, 64, 8}}) {
    const size_t g = 4 * s.hidden;
    const auto in = random_values(s.steps * s.inputs, seed++);
    auto w_ih = random_values(g * s.inputs, seed++), w_hh = random_values(g * s.hidden, seed++);
    for (float& v : w_ih) v /= std::sqrt(static_cast<float>(s.inputs));
    for (float& v : w_hh) v /= std::sqrt(static_cast<float>(s.hidden));
    const auto bias = random_values(g, seed++);
    for (const bool reverse : {false, true}) {
      // Both directions' layout: h floats of every 2h, the other half left alone.
      const size_t stride = 2 * s.hidden;
      std::vector<float> want(s.steps * stride, 7.0f), got(s.steps * stride, 7.0f), scratch;
      reference::lstm(s, in.data(), w_ih.data(), w_hh.data(), bias.data(), reverse, want.data(),
                      stride);
      lstm(s, in.data(), w_ih.data(), w_hh.data(), bias.data(), reverse, got.data(), stride,
           scratch);
      EXPECT_LT(testing::relative_gap(got, want), 1e-5)
          << "T " << s.steps << " x " << s.inputs << " h " << s.hidden << " reverse " << reverse;
      EXPECT_EQ(got[s.hidden], 7.0f) << "wrote outside its half";
    }
  }
}

TEST(RuntimeOps, SoftmaxIsStableAndNormalised) {
  std::vector<float> x{1000, 1001, 999};  // exp(1000) overflows a float: shifted first
  softmax(x.data(), x.size());
  const double e = std::exp(1.0), sum = 1 + e + 1 / e;
  EXPECT_NEAR(x[0], 1 / sum, 1e-6);
  EXPECT_NEAR(x[1], e / sum, 1e-6);
  EXPECT_NEAR(x[2], 1 / e / sum, 1e-6);
}

// The peak probe does the arithmetic it counts: its chains against the same recurrence in plain
// double-precision loops (the probe's fused float multiply-adds round differently, by < 1e-5).
TEST(RuntimePeak, ChainsComputeTheirRecurrence) {
  for (const size_t rounds : {size_t{0}, size_t{1}, size_t{7}, size_t{1000}}) {
    double want = 0;
    for (size_t i = 0; i < kPeakChains; ++i)
      for (size_t j = 0; j < 16; ++j) {
        double x = 2.5 + static_cast<double>(i) + static_cast<double>(j) / 16.0;
        for (size_t r = 0; r < rounds; ++r)
          x = x * static_cast<double>(0.999f) + static_cast<double>(0.001f);
        want += x;
      }
    EXPECT_NEAR(multiply_add_chains(rounds, 2.5f), want, 1e-5 * want) << rounds;
  }
  EXPECT_GT(peak_gflops(0.001), 0.0);
}

}  // namespace
}  // namespace legohar::runtime
