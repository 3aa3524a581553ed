// Tests of lego_conv.h against independent computations, over a table of layer shapes: the ordinary
// convolution assembled from the same Lego filters, selections and coefficients (forward and
// gradients), a per-fragment loop for the batched transform, the straight-through gradient of the
// logits worked out from per-filter maps, and finite differences; each with one coefficient per
// selection and one per candidate filter.
#include "legohar/nn/lego_conv.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace legohar {
namespace {

namespace F = torch::nn::functional;

struct Shape {
  int64_t c, n, o, k, d, stride, padding, h, w;
};

// A layer shape, and whether the coefficients are per candidate.
class LegoConvTable : public ::testing::TestWithParam<std::tuple<Shape, bool>> {
 protected:
  Shape shape() const { return std::get<0>(GetParam()); }
  bool per_candidate() const { return std::get<1>(GetParam()); }
  void SetUp() override {
    torch::manual_seed(3);
    const Shape s = shape();
    lego = LegoConv2d(LegoConv2dOptions(s.c, s.n, s.d)
                          .stride(s.stride)
                          .padding(s.padding)
                          .fragments(s.o)
                          .lego_filters(s.k)
                          .mask_init_std(1.0)
                          .candidate_coefficients(per_candidate()));
    lego->to(torch::kDouble);
    torch::NoGradGuard g;
    lego->coefficients.normal_();  // signs and scales, not the initial ones
    x = torch::randn({3, s.c, s.h, s.w}, torch::kDouble);
  }
  // The coefficient of candidate l for (fragment i, output j).
  torch::Tensor coefficient(const torch::Tensor& coef, int64_t i, int64_t j, int64_t l) const {
    return per_candidate() ? coef[i][j][l] : coef[i][j];
  }
  // The ordinary [n, C, d, 1] filter bank: fragment i of output j is coef[i][j](s) * B[s], s the
  // selection sel[i][j].
  torch::Tensor assembled(const torch::Tensor& filters, const torch::Tensor& coef) const {
    const Shape s = shape();
    const auto sel = lego->selection();
    std::vector<torch::Tensor> outputs;
    for (int64_t j = 0; j < s.n; ++j) {
      std::vector<torch::Tensor> parts;
      for (int64_t i = 0; i < s.o; ++i) {
        const int64_t l = sel[i][j].item<int64_t>();
        parts.push_back(filters[l] * coefficient(coef, i, j, l));
      }
      outputs.push_back(torch::cat(parts, 0));
    }
    return torch::stack(outputs);
  }
  torch::Tensor ordinary(const torch::Tensor& input, const torch::Tensor& weight,
                         const torch::Tensor& bias) const {
    const Shape s = shape();
    return F::conv2d(
        input, weight,
        F::Conv2dFuncOptions().bias(bias).stride({s.stride, 1}).padding({s.padding, s.padding}));
  }
  LegoConv2d lego{nullptr};
  torch::Tensor x;
};

TEST_P(LegoConvTable, ForwardEqualsAssembledConvolution) {
  torch::NoGradGuard g;
  const torch::Tensor expect = ordinary(x, assembled(lego->lego, lego->coefficients), lego->bias);
  lego->train();
  EXPECT_TRUE(torch::allclose(lego->forward(x), expect, 1e-10, 1e-10));
  lego->eval();
  EXPECT_TRUE(torch::allclose(lego->forward(x), expect, 1e-10, 1e-10));
}

// With learnable logits, and with the selection frozen (logits without gradient: the merge then
// computes the coefficient gradient from the selected maps alone).
TEST_P(LegoConvTable, GradientsEqualAssembledConvolution) {
  for (const bool frozen : {false, true}) {
    for (torch::Tensor& p : lego->parameters()) p.mutable_grad() = torch::Tensor();
    lego->logits.set_requires_grad(!frozen);
    const torch::Tensor xa = x.clone().requires_grad_(true), xb = x.clone().requires_grad_(true);
    const torch::Tensor filters = lego->lego.detach().clone().requires_grad_(true);
    const torch::Tensor coef = lego->coefficients.detach().clone().requires_grad_(true);
    const torch::Tensor bias = lego->bias.detach().clone().requires_grad_(true);
    const torch::Tensor y = lego->forward(xa);
    const torch::Tensor r = torch::randn_like(y);
    (y * r).sum().backward();
    (ordinary(xb, assembled(filters, coef), bias) * r).sum().backward();
    EXPECT_TRUE(torch::allclose(lego->lego.grad(), filters.grad(), 1e-9, 1e-10)) << frozen;
    EXPECT_TRUE(torch::allclose(lego->coefficients.grad(), coef.grad(), 1e-9, 1e-10)) << frozen;
    EXPECT_TRUE(torch::allclose(lego->bias.grad(), bias.grad(), 1e-9, 1e-10)) << frozen;
    EXPECT_TRUE(torch::allclose(xa.grad(), xb.grad(), 1e-9, 1e-10)) << frozen;
    EXPECT_EQ(lego->logits.grad().defined(), !frozen);
  }
}

TEST_P(LegoConvTable, BatchedTransformEqualsPerFragmentLoop) {
  torch::NoGradGuard g;
  const Shape s = shape();
  const torch::Tensor maps = lego->transform(x);  // [N, o, k, H', W']
  const int64_t per = s.c / s.o;
  for (int64_t i = 0; i < s.o; ++i)
    for (int64_t l = 0; l < s.k; ++l) {
      const torch::Tensor one =
          ordinary(x.slice(1, i * per, (i + 1) * per), lego->lego.slice(0, l, l + 1), {});
      EXPECT_TRUE(torch::allclose(maps.select(1, i).select(1, l), one.squeeze(1), 1e-10, 1e-10))
          << i << " " << l;
    }
}

TEST_P(LegoConvTable, StraightThroughGradientOfLogits) {
  // dL/dlogits[i][j][l] = coef[i][j](l) * <dL/dY_j, X_i * B_l>, every Lego filter l, selected or
  // not.
  const Shape s = shape();
  const torch::Tensor y = lego->forward(x);
  const torch::Tensor r = torch::randn_like(y);
  (y * r).sum().backward();
  ASSERT_TRUE(lego->logits.grad().defined());
  torch::NoGradGuard g;
  const int64_t per = s.c / s.o;
  for (int64_t i = 0; i < s.o; ++i)
    for (int64_t l = 0; l < s.k; ++l) {
      const torch::Tensor map =
          ordinary(x.slice(1, i * per, (i + 1) * per), lego->lego.slice(0, l, l + 1), {});
      for (int64_t j = 0; j < s.n; ++j) {
        const double expect = coefficient(lego->coefficients, i, j, l).item<double>() *
                              (r.select(1, j) * map.squeeze(1)).sum().item<double>();
        EXPECT_NEAR(lego->logits.grad()[i][j][l].item<double>(), expect, 1e-9);
      }
    }
  EXPECT_GT(lego->logits.grad().abs().sum().item<double>(), 0.0);
}

TEST_P(LegoConvTable, FilterAndCoefficientGradientsMatchFiniteDifferences) {
  const torch::Tensor r = torch::randn_like(lego->forward(x)).detach();
  auto loss = [&] { return (lego->forward(x) * r).sum(); };
  loss().backward();
  torch::NoGradGuard g;
  const double eps = 1e-6;
  for (torch::Tensor* p : {&lego->lego, &lego->coefficients}) {
    const torch::Tensor flat = p->view({-1});
    for (int64_t idx : {int64_t{0}, flat.numel() / 2, flat.numel() - 1}) {
      const double v = flat[idx].item<double>();
      flat[idx] = v + eps;
      const double up = loss().item<double>();
      flat[idx] = v - eps;
      const double down = loss().item<double>();
      flat[idx] = v;
      EXPECT_NEAR(p->grad().view({-1})[idx].item<double>(), (up - down) / (2 * eps), 1e-5);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, LegoConvTable,
                         ::testing::Combine(::testing::Values(Shape{4, 6, 2, 3, 3, 1, 1, 9, 2},
                                                              Shape{8, 5, 4, 2, 6, 3, 1, 20, 3},
                                                              Shape{6, 4, 1, 4, 2, 2, 0, 7, 1},
                                                              Shape{12, 16, 3, 8, 6, 3, 1, 26, 4}),
                                            ::testing::Bool()),
                         [](const auto& info) {
                           const Shape s = std::get<0>(info.param);
                           return "c" + std::to_string(s.c) + "n" + std::to_string(s.n) + "o" +
                                  std::to_string(s.o) + "k" + std::to_string(s.k) + "d" +
                                  std::to_string(s.d) + "s" + std::to_string(s.stride) + "p" +
                                  std::to_string(s.padding) + "h" + std::to_string(s.h) + "w" +
                                  std::to_string(s.w) +
                                  (std::get<1>(info.param) ? "_per_candidate" : "_shared");
                         });

// Per candidate, a coefficient gets a gradient only while its filter is selected, and a new
// selection brings its own coefficient (not the one of the filter it replaces).
TEST(LegoConv, CandidateCoefficientsBelongToTheirFilter) {
  torch::manual_seed(5);
  LegoConv2d lego(
      LegoConv2dOptions(4, 3, 2).fragments(2).lego_filters(2).candidate_coefficients(true));
  lego->to(torch::kDouble);
  ASSERT_EQ(lego->coefficients.sizes(), (std::vector<int64_t>{2, 3, 2}));
  const torch::Tensor x = torch::randn({2, 4, 6, 1}, torch::kDouble);
  {
    torch::NoGradGuard g;
    lego->logits.zero_();
    lego->logits.select(2, 0).fill_(1.0);  // every (fragment, output) selects filter 0
    lego->coefficients.select(2, 1).fill_(3.0);
  }
  lego->forward(x).sum().backward();
  EXPECT_GT(lego->coefficients.grad().select(2, 0).abs().min().item<double>(), 0.0);
  EXPECT_EQ(lego->coefficients.grad().select(2, 1).abs().max().item<double>(), 0.0);
  torch::NoGradGuard g;
  const torch::Tensor before = lego->forward(x);
  lego->logits.select(2, 1).fill_(2.0);           // now filter 1, whose coefficients are 3
  const torch::Tensor maps = lego->transform(x);  // [N, o, k, H', W']
  const torch::Tensor expect =
      3.0 * maps.select(2, 1).sum(1, /*keepdim=*/true) + lego->bias.view({1, -1, 1, 1});
  EXPECT_TRUE(torch::allclose(lego->forward(x), expect, 1e-10, 1e-10));
  EXPECT_FALSE(torch::allclose(lego->forward(x), before, 1e-6, 1e-6));
}

// The default initialisation: filters inside the ordinary convolution's bound 1/sqrt(C d) and
// spread across it, coefficients 1. The Lego authors' (he_init): filters and coefficients with the
// standard deviations PyTorch's kaiming_normal_ gives tensors of their code's shapes, [k, C/o, d,
// 1] and [o, n, k, 1, 1], and signed coefficients; per selection or per candidate alike.
TEST(LegoConv, InitialisationsMatchTheirReferences) {
  const int64_t c = 128, n = 256, o = 2, k = 128, d = 6;
  torch::manual_seed(11);
  for (const bool candidate : {false, true}) {
    const auto options =
        LegoConv2dOptions(c, n, d).fragments(o).lego_filters(k).candidate_coefficients(candidate);
    LegoConv2d uniform(options);
    const double bound = 1.0 / std::sqrt(static_cast<double>(c * d));
    EXPECT_LE(uniform->lego.abs().max().item<double>(), bound);
    EXPECT_GT(uniform->lego.abs().max().item<double>(), 0.99 * bound);
    EXPECT_TRUE(torch::equal(uniform->coefficients, torch::ones_like(uniform->coefficients)));

    LegoConv2d he(LegoConv2dOptions(options).he_init(true));
    torch::NoGradGuard g;
    const torch::Tensor filters = torch::empty({k, c / o, d, 1});
    const torch::Tensor coefficients = torch::empty({o, n, k, 1, 1});
    torch::nn::init::kaiming_normal_(filters);
    torch::nn::init::kaiming_normal_(coefficients);
    for (const auto& [ours, reference] :
         {std::pair{he->lego, filters}, std::pair{he->coefficients, coefficients}}) {
      // Four standard errors of a sample std and mean of this many draws.
      const double std = reference.std().item<double>(), draws = static_cast<double>(ours.numel());
      EXPECT_NEAR(ours.std().item<double>(), std, 4 * std / std::sqrt(2 * draws)) << candidate;
      EXPECT_NEAR(ours.mean().item<double>(), 0.0, 4 * std / std::sqrt(draws)) << candidate;
    }
  }
}

TEST(LegoConv, UsageBalanceIsZeroWhenUniformPositiveWhenNot) {
  LegoConv2d lego(LegoConv2dOptions(4, 6, 3).fragments(2).lego_filters(3));
  torch::NoGradGuard g;
  lego->logits.zero_();
  EXPECT_NEAR(lego->usage_balance().item<double>(), 0.0, 1e-6);
  lego->logits.select(2, 0).fill_(10.0);  // everyone prefers filter 0
  EXPECT_GT(lego->usage_balance().item<double>(), 1.0);
}

TEST(LegoConv, RejectsFragmentsThatDoNotDivideChannels) {
  EXPECT_THROW(LegoConv2d(LegoConv2dOptions(6, 4, 3).fragments(4).lego_filters(2)), c10::Error);
}

}  // namespace
}  // namespace legohar
