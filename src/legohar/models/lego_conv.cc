// Implementation of lego_conv.h.
#include "legohar/models/lego_conv.h"

#include <cmath>

namespace legohar {
namespace F = torch::nn::functional;

LegoConv2dImpl::LegoConv2dImpl(const LegoConv2dOptions& o) : options(o) {
  reset();
}

void LegoConv2dImpl::reset() {
  const auto& o = options;
  TORCH_CHECK(o.fragments() >= 1 && o.in_channels() % o.fragments() == 0,
              "LegoConv2d: fragments (o = ", o.fragments(), ") must divide the ", o.in_channels(),
              " input channels");
  TORCH_CHECK(o.lego_filters() >= 1, "LegoConv2d: needs at least one Lego filter");
  const int64_t frag = o.in_channels() / o.fragments();
  // With coefficient 1 each output sums o fragment maps, so the assembled filter has the fan-in
  // of an ordinary C x d filter: use the ordinary convolution's uniform bound 1/sqrt(C d).
  const double bound = 1.0 / std::sqrt(static_cast<double>(o.in_channels() * o.kernel()));
  lego = register_parameter(
      "lego", torch::empty({o.lego_filters(), frag, o.kernel(), 1}).uniform_(-bound, bound));
  logits = register_parameter(
      "logits",
      torch::randn({o.fragments(), o.out_channels(), o.lego_filters()}) * o.mask_init_std());
  coefficients = register_parameter("coefficients", torch::ones({o.fragments(), o.out_channels()}));
  if (o.bias())
    bias = register_parameter("bias", torch::empty({o.out_channels()}).uniform_(-bound, bound));
}

void LegoConv2dImpl::pretty_print(std::ostream& s) const {
  s << "legohar::LegoConv2d(" << options.in_channels() << ", " << options.out_channels()
    << ", kernel=" << options.kernel() << "x1, stride=" << options.stride()
    << ", padding=" << options.padding() << ", o=" << options.fragments()
    << ", k=" << options.lego_filters() << ")";
}

torch::Tensor LegoConv2dImpl::transform(const torch::Tensor& x) const {
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t o = options.fragments();
  TORCH_CHECK(c == options.in_channels(), "LegoConv2d: expected ", options.in_channels(),
              " input channels, got ", c);
  // [N, C, H, W] -> [N*o, C/o, H, W]: fragment i of sample b is row b*o + i.
  const torch::Tensor fragments = x.reshape({n * o, c / o, h, w});
  const torch::Tensor maps = F::conv2d(fragments, lego,
                                       F::Conv2dFuncOptions()
                                           .stride({options.stride(), 1})
                                           .padding({options.padding(), options.padding()}));
  return maps.view(
      {n, o, options.lego_filters(), maps.size(2), maps.size(3)});  // [N, o, k, H', W']
}

torch::Tensor LegoConv2dImpl::selection() const {
  return logits.argmax(-1);
}

torch::Tensor LegoConv2dImpl::usage_balance() const {
  const torch::Tensor usage = torch::softmax(logits, -1).mean(std::vector<int64_t>{0, 1});  // [k]
  return usage.pow(2).sum() * static_cast<double>(options.lego_filters()) - 1.0;
}

namespace {

// The merge stage as one autograd node. Forward: per output j, sum over fragments i of
// coef[i][j] * maps[:, i*k + sel[i][j]] (a gather, never a dense [n, o*k] product). Backward:
// maps and coefficients get their exact gradients (a scatter-add and a reduction); the logits get
// the straight-through gradient dL/dM[i][j][l] = coef[i][j] * <dL/dY_j, maps_il>, which needs every
// map.
struct LegoMerge : public torch::autograd::Function<LegoMerge> {
  // maps: [N, o*k, P]; logits: [o, n, k]; coef: [o, n] -> [N, n, P]
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& maps,
                               const torch::Tensor& logits, const torch::Tensor& coef) {
    const int64_t o = logits.size(0), k = logits.size(2);
    const torch::Tensor index =
        logits.argmax(-1) + torch::arange(o, maps.options().dtype(torch::kInt64)).unsqueeze(1) * k;
    ctx->save_for_backward({maps, coef, index});
    torch::Tensor y = maps.index_select(1, index[0]) * coef[0].view({1, -1, 1});
    for (int64_t i = 1; i < o; ++i)
      y.addcmul_(maps.index_select(1, index[i]), coef[i].view({1, -1, 1}));
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& maps = saved[0];
    const torch::Tensor& coef = saved[1];
    const torch::Tensor& index = saved[2];
    const torch::Tensor dy = grads[0].contiguous();  // [N, n, P]
    const int64_t o = coef.size(0), n = coef.size(1), k = maps.size(1) / o;
    torch::Tensor dmaps, dlogits, dcoef;
    if (ctx->needs_input_grad(0)) {
      dmaps = torch::zeros_like(maps);
      for (int64_t i = 0; i < o; ++i) dmaps.index_add_(1, index[i], dy * coef[i].view({1, -1, 1}));
    }
    if (ctx->needs_input_grad(2)) {
      dcoef = torch::empty_like(coef);
      for (int64_t i = 0; i < o; ++i)
        dcoef[i] = (dy * maps.index_select(1, index[i])).sum(std::vector<int64_t>{0, 2});
    }
    if (ctx->needs_input_grad(1)) {
      // G[j][l'] = sum over batch and positions of dY_j * maps_l': the weight gradient of a 1x1
      // convolution from the o*k maps to the n outputs, which oneDNN/cuDNN compute far faster than
      // a batched matrix product of these shapes.
      const int64_t batch = maps.size(0), positions = maps.size(2);
      const torch::Tensor g = std::get<1>(at::convolution_backward(
          dy.view({batch, n, positions, 1}), maps.view({batch, o * k, positions, 1}),
          at::empty({n, o * k, 1, 1}, maps.options()), c10::nullopt, {1, 1}, {0, 0}, {1, 1}, false,
          {0, 0}, 1, {false, true, false}));                                // [n, o*k, 1, 1]
      dlogits = g.view({n, o, k}).permute({1, 0, 2}) * coef.unsqueeze(-1);  // [o, n, k]
    }
    return {dmaps, dlogits, dcoef};
  }
};

}  // namespace

torch::Tensor LegoConv2dImpl::forward(const torch::Tensor& x) {
  const int64_t o = options.fragments(), k = options.lego_filters(), n_out = options.out_channels();
  const torch::Tensor maps = transform(x);  // [N, o, k, H', W']
  const int64_t n = maps.size(0), h = maps.size(3), w = maps.size(4);
  torch::Tensor y =
      LegoMerge::apply(maps.view({n, o * k, h * w}), logits, coefficients);  // [N, n, P]
  y = y.view({n, n_out, h, w});
  if (bias.defined()) y = y + bias.view({1, n_out, 1, 1});
  return y;
}

}  // namespace legohar
