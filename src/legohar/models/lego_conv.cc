// Implementation of lego_conv.h.
#include "legohar/models/lego_conv.h"

#include <cmath>

namespace legohar {
namespace F = torch::nn::functional;

LegoConv2dImpl::LegoConv2dImpl(const LegoConv2dOptions& o) : options(o) { reset(); }

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
      "logits", torch::randn({o.fragments(), o.out_channels(), o.lego_filters()}) * o.mask_init_std());
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
  const torch::Tensor maps = F::conv2d(
      fragments, lego,
      F::Conv2dFuncOptions().stride({options.stride(), 1}).padding({options.padding(), options.padding()}));
  return maps.view({n, o, options.lego_filters(), maps.size(2), maps.size(3)});  // [N, o, k, H', W']
}

torch::Tensor LegoConv2dImpl::selection() const { return logits.argmax(-1); }

torch::Tensor LegoConv2dImpl::ste_mask() const {
  const torch::Tensor hard =
      F::one_hot(selection(), options.lego_filters()).to(logits.scalar_type());  // [o, n, k]
  if (!logits.requires_grad()) return hard;
  return hard + logits - logits.detach();
}

torch::Tensor LegoConv2dImpl::usage_balance() const {
  const torch::Tensor usage = torch::softmax(logits, -1).mean(std::vector<int64_t>{0, 1});  // [k]
  return usage.pow(2).sum() * static_cast<double>(options.lego_filters()) - 1.0;
}

torch::Tensor LegoConv2dImpl::forward(const torch::Tensor& x) {
  const int64_t o = options.fragments(), k = options.lego_filters(), n_out = options.out_channels();
  const torch::Tensor maps = transform(x);  // [N, o, k, H', W']
  const int64_t n = maps.size(0), h = maps.size(3), w = maps.size(4);
  const torch::Tensor flat = maps.view({n, o * k, h * w});  // [N, o*k, P]
  torch::Tensor y;
  if (is_training()) {
    // Merge as a product with the [n, o*k] matrix of scaled one-hot masks: the logits' gradient
    // dL/dM[i][j][l] = coef[i][j] * <dL/dY_j, I_il> needs every map, selected or not.
    const torch::Tensor merge =
        (ste_mask() * coefficients.unsqueeze(-1)).permute({1, 0, 2}).reshape({n_out, o * k});
    y = torch::matmul(merge, flat);  // [N, n, P]
  } else {
    // Gather the selected map of each (fragment, output), scale, and sum over fragments.
    const torch::Tensor offsets = torch::arange(o, selection().options()).unsqueeze(1) * k;
    const torch::Tensor index = (selection() + offsets).reshape({-1});            // [o*n]
    const torch::Tensor picked = flat.index_select(1, index).view({n, o, n_out, h * w});
    y = (picked * coefficients.view({1, o, n_out, 1})).sum(1);                     // [N, n, P]
  }
  y = y.view({n, n_out, h, w});
  if (bias.defined()) y = y + bias.view({1, n_out, 1, 1});
  return y;
}

}  // namespace legohar
