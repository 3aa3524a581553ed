// Implementation of lego_conv.h.
#include "legohar/nn/lego_conv.h"

#include <cmath>
#include <vector>

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
  const double bound = 1.0 / std::sqrt(static_cast<double>(o.in_channels() * o.kernel()));
  torch::Tensor filters = torch::empty({o.lego_filters(), frag, o.kernel(), 1});
  if (o.he_init())
    filters.normal_(0.0, std::sqrt(2.0 / static_cast<double>(frag * o.kernel())));
  else
    filters.uniform_(-bound, bound);
  lego = register_parameter("lego", filters);
  logits = register_parameter(
      "logits",
      torch::randn({o.fragments(), o.out_channels(), o.lego_filters()}) * o.mask_init_std());
  std::vector<int64_t> coefficient_shape = {o.fragments(), o.out_channels()};
  if (o.candidate_coefficients()) coefficient_shape.push_back(o.lego_filters());
  const double coefficient_std =
      std::sqrt(2.0 / static_cast<double>(o.out_channels() * o.lego_filters()));
  coefficients = register_parameter("coefficients",
                                    o.he_init() ? torch::randn(coefficient_shape) * coefficient_std
                                                : torch::ones(coefficient_shape));
  if (o.bias())
    bias = register_parameter("bias", torch::empty({o.out_channels()}).uniform_(-bound, bound));
}

void LegoConv2dImpl::pretty_print(std::ostream& s) const {
  s << "legohar::LegoConv2d(" << options.in_channels() << ", " << options.out_channels()
    << ", kernel=" << options.kernel() << "x1, stride=" << options.stride()
    << ", padding=" << options.padding() << ", o=" << options.fragments()
    << ", k=" << options.lego_filters()
    << (options.candidate_coefficients() ? ", coefficients per candidate" : "")
    << (options.he_init() ? ", He-normal initialisation" : "") << ")";
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

// y[b][j] = sum_i coef[i][j] * maps[b][index[i][j]]: maps [N, o*k, P], index [o, n] (flat map
// indices), coef [o, n] -> [N, n, P]. On CPU one pass per sample, reading each selected map once.
torch::Tensor gather_merge(const torch::Tensor& maps, const torch::Tensor& index,
                           const torch::Tensor& coef) {
  const int64_t o = coef.size(0), n = coef.size(1);
  if (!maps.is_cpu()) {
    torch::Tensor y = maps.index_select(1, index[0]) * coef[0].view({1, -1, 1});
    for (int64_t i = 1; i < o; ++i)
      y.addcmul_(maps.index_select(1, index[i]), coef[i].view({1, -1, 1}));
    return y;
  }
  const torch::Tensor m = maps.contiguous(), c = coef.contiguous(), idx = index.contiguous();
  const int64_t batch = m.size(0), rows = m.size(1), positions = m.size(2);
  torch::Tensor y = torch::empty({batch, n, positions}, m.options());
  AT_DISPATCH_FLOATING_TYPES(m.scalar_type(), "lego_gather_merge", [&] {
    const scalar_t* mp = m.data_ptr<scalar_t>();
    const scalar_t* cp = c.data_ptr<scalar_t>();
    const int64_t* ip = idx.data_ptr<int64_t>();
    scalar_t* yp = y.data_ptr<scalar_t>();
    at::parallel_for(0, batch, 1, [&](int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; ++b)
        for (int64_t j = 0; j < n; ++j) {
          scalar_t* out = yp + (b * n + j) * positions;
          const scalar_t* src = mp + (b * rows + ip[j]) * positions;
          for (int64_t p = 0; p < positions; ++p) out[p] = cp[j] * src[p];
          for (int64_t i = 1; i < o; ++i) {
            const scalar_t w = cp[i * n + j];
            src = mp + (b * rows + ip[i * n + j]) * positions;
            for (int64_t p = 0; p < positions; ++p) out[p] += w * src[p];
          }
        }
    });
  });
  return y;
}

// The adjoint of gather_merge: dmaps[b][index[i][j]] += coef[i][j] * dy[b][j]. [N, o*k, P]
torch::Tensor scatter_merge_grad(const torch::Tensor& dy, const torch::Tensor& index,
                                 const torch::Tensor& coef, int64_t rows) {
  const int64_t o = coef.size(0), n = coef.size(1), batch = dy.size(0), positions = dy.size(2);
  torch::Tensor dmaps = torch::zeros({batch, rows, positions}, dy.options());
  if (!dy.is_cpu()) {
    for (int64_t i = 0; i < o; ++i) dmaps.index_add_(1, index[i], dy * coef[i].view({1, -1, 1}));
    return dmaps;
  }
  const torch::Tensor g = dy.contiguous(), c = coef.contiguous(), idx = index.contiguous();
  AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "lego_scatter_merge_grad", [&] {
    const scalar_t* gp = g.data_ptr<scalar_t>();
    const scalar_t* cp = c.data_ptr<scalar_t>();
    const int64_t* ip = idx.data_ptr<int64_t>();
    scalar_t* dp = dmaps.data_ptr<scalar_t>();
    at::parallel_for(0, batch, 1, [&](int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; ++b)
        for (int64_t i = 0; i < o; ++i)
          for (int64_t j = 0; j < n; ++j) {
            const scalar_t w = cp[i * n + j];
            const scalar_t* src = gp + (b * n + j) * positions;
            scalar_t* dst = dp + (b * rows + ip[i * n + j]) * positions;
            for (int64_t p = 0; p < positions; ++p) dst[p] += w * src[p];
          }
    });
  });
  return dmaps;
}

// The coefficient gradient alone: dcoef[i][j] = sum over batch and positions of
// dy[b][j] * maps[b][index[i][j]], reading only the selected maps (o*n dot products instead of
// the n x o*k weight gradient the logits need). maps [N, o*k, P], dy [N, n, P] -> [o, n]
torch::Tensor selected_coefficient_grad(const torch::Tensor& dy, const torch::Tensor& maps,
                                        const torch::Tensor& index) {
  const int64_t pairs = index.numel(), n = dy.size(1);
  torch::Tensor dcoef = torch::empty(index.sizes(), dy.options());
  const torch::Tensor g = dy.contiguous(), m = maps.contiguous(), idx = index.contiguous();
  const int64_t batch = m.size(0), rows = m.size(1), positions = m.size(2);
  AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "lego_selected_coefficient_grad", [&] {
    const scalar_t* gp = g.data_ptr<scalar_t>();
    const scalar_t* mp = m.data_ptr<scalar_t>();
    const int64_t* ip = idx.data_ptr<int64_t>();
    scalar_t* dp = dcoef.data_ptr<scalar_t>();
    at::parallel_for(0, pairs, 1, [&](int64_t begin, int64_t end) {
      for (int64_t q = begin; q < end; ++q) {
        const int64_t j = q % n;
        double sum = 0;
        for (int64_t b = 0; b < batch; ++b) {
          const scalar_t* a = gp + (b * n + j) * positions;
          const scalar_t* c = mp + (b * rows + ip[q]) * positions;
          scalar_t part = 0;
          for (int64_t p = 0; p < positions; ++p) part += a[p] * c[p];
          sum += part;
        }
        dp[q] = static_cast<scalar_t>(sum);
      }
    });
  });
  return dcoef;
}

// The merge stage as one autograd node. Forward: per output j, sum over fragments i of
// coef[i][j][s] * maps[:, i*k + s], s = sel[i][j] (a gather, never a dense [n, o*k] product).
// Backward: maps get their exact gradient (a scatter-add); coefficients and logits come from
// G[j][l'] = sum over batch and positions of dY_j * maps_l' (the weight gradient of a 1x1
// convolution from the o*k maps to the n outputs, which oneDNN/cuDNN compute fast):
// dcoef[i][j][l] = G[j][i*k + l] for the selected l (0 for the others), and the straight-through
// gradient of the logits is dL/dM[i][j][l] = coef[i][j][l] * G[j][i*k + l], which needs every map.
// With the selection frozen (logits without gradient) only the selected maps' dot products are
// computed.
struct LegoMerge : public torch::autograd::Function<LegoMerge> {
  // maps: [N, o*k, P]; logits: [o, n, k]; coef: [o, n, k] (a per-selection coefficient expanded
  // along k) -> [N, n, P]
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& maps,
                               const torch::Tensor& logits, const torch::Tensor& coef) {
    const int64_t o = logits.size(0), k = logits.size(2);
    const torch::Tensor selected = logits.argmax(-1, /*keepdim=*/true);  // [o, n, 1]
    const torch::Tensor index =
        selected.squeeze(-1) +
        torch::arange(o, maps.options().dtype(torch::kInt64)).unsqueeze(1) * k;  // [o, n]
    const torch::Tensor coef_selected = coef.gather(-1, selected).squeeze(-1);   // [o, n]
    ctx->save_for_backward({maps, coef, selected, index, coef_selected});
    return gather_merge(maps, index, coef_selected);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& maps = saved[0];
    const torch::Tensor& coef = saved[1];
    const torch::Tensor& selected = saved[2];
    const torch::Tensor& index = saved[3];
    const torch::Tensor& coef_selected = saved[4];
    const torch::Tensor dy = grads[0].contiguous();  // [N, n, P]
    const int64_t o = coef.size(0), n = coef.size(1), k = maps.size(1) / o;
    torch::Tensor dmaps, dlogits, dcoef;
    // The selected candidates' coefficient gradients [o, n] into [o, n, k], zero elsewhere.
    const auto scatter_selected = [&](const torch::Tensor& g) {
      return torch::zeros(coef.sizes(), coef.options()).scatter_(-1, selected, g.unsqueeze(-1));
    };
    if (ctx->needs_input_grad(0))
      dmaps = scatter_merge_grad(dy, index, coef_selected, maps.size(1));
    if (!ctx->needs_input_grad(1) && ctx->needs_input_grad(2) && maps.is_cpu()) {
      // frozen selection: no logits gradient
      dcoef = scatter_selected(selected_coefficient_grad(dy, maps, index));
    } else if (ctx->needs_input_grad(1) || ctx->needs_input_grad(2)) {
      const int64_t batch = maps.size(0), positions = maps.size(2);
      const torch::Tensor g =
          std::get<1>(at::convolution_backward(dy.view({batch, n, positions, 1}),
                                               maps.view({batch, o * k, positions, 1}),
                                               at::empty({n, o * k, 1, 1}, maps.options()),
                                               c10::nullopt, {1, 1}, {0, 0}, {1, 1}, false, {0, 0},
                                               1, {false, true, false}))
              .view({n, o, k})
              .permute({1, 0, 2});  // [o, n, k]
      if (ctx->needs_input_grad(2)) dcoef = scatter_selected(g.gather(-1, selected).squeeze(-1));
      if (ctx->needs_input_grad(1)) dlogits = g * coef;
    }
    return {dmaps, dlogits, dcoef};
  }
};

}  // namespace

torch::Tensor LegoConv2dImpl::forward(const torch::Tensor& x) {
  const int64_t o = options.fragments(), k = options.lego_filters(), n_out = options.out_channels();
  const torch::Tensor maps = transform(x);  // [N, o, k, H', W']
  const int64_t n = maps.size(0), h = maps.size(3), w = maps.size(4);
  const torch::Tensor coef = options.candidate_coefficients()
                                 ? coefficients
                                 : coefficients.unsqueeze(-1).expand({o, n_out, k});  // [o, n, k]
  torch::Tensor y = LegoMerge::apply(maps.view({n, o * k, h * w}), logits, coef);     // [N, n, P]
  y = y.view({n, n_out, h, w});
  if (bias.defined()) y = y + bias.view({1, n_out, 1, 1});
  return y;
}

}  // namespace legohar
