// Implementation of reference_ops.h: each output element summed from its definition, in double.
#include "runtime/reference_ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace legohar::runtime::reference {

// in[c, h, w] with zero outside [0, H) x [0, W).
static double at(const ConvShape& s, const float* in, size_t c, long h, long w) {
  if (h < 0 || w < 0 || h >= static_cast<long>(s.height) || w >= static_cast<long>(s.width))
    return 0.0;
  return in[(c * s.height + static_cast<size_t>(h)) * s.width + static_cast<size_t>(w)];
}

// One output element of filter f [channels, d] over input channels [first, first + channels).
static double correlate(const ConvShape& s, const float* in, const float* f, size_t first,
                        size_t channels, size_t oh, size_t ow) {
  double sum = 0.0;
  for (size_t c = 0; c < channels; ++c)
    for (size_t t = 0; t < s.kernel; ++t)
      sum += f[c * s.kernel + t] * at(s, in, first + c,
                                      static_cast<long>(oh * s.stride + t) - s.pad_before,
                                      static_cast<long>(ow) - static_cast<long>(s.pad_width));
  return sum;
}

static float finish(double v, bool relu) {
  return static_cast<float>(relu ? std::max(v, 0.0) : v);
}

void conv_d1(const ConvShape& s, const float* in, const float* weight, const float* bias, bool relu,
             float* out) {
  const size_t oh = s.out_height(), ow = s.out_width();
  for (size_t j = 0; j < s.out_channels; ++j)
    for (size_t h = 0; h < oh; ++h)
      for (size_t w = 0; w < ow; ++w) {
        const float* f = weight + j * s.in_channels * s.kernel;
        const double v = (bias ? bias[j] : 0.0) + correlate(s, in, f, 0, s.in_channels, h, w);
        out[(j * oh + h) * ow + w] = finish(v, relu);
      }
}

void lego_conv_d1(const LegoShape& s, const float* in, const float* lego, const uint32_t* selection,
                  const float* coef, const float* bias, bool relu, float* out) {
  const ConvShape& c = s.conv;
  const size_t n = c.out_channels, part = c.in_channels / s.fragments;
  const size_t oh = c.out_height(), ow = c.out_width();
  for (size_t j = 0; j < n; ++j)
    for (size_t h = 0; h < oh; ++h)
      for (size_t w = 0; w < ow; ++w) {
        double v = bias ? bias[j] : 0.0;
        for (size_t i = 0; i < s.fragments; ++i) {
          const float* f = lego + selection[i * n + j] * part * c.kernel;
          v += coef[i * n + j] * correlate(c, in, f, i * part, part, h, w);
        }
        out[(j * oh + h) * ow + w] = finish(v, relu);
      }
}

void dense(size_t inputs, size_t outputs, const float* in, const float* weight, const float* bias,
           float* out) {
  for (size_t m = 0; m < outputs; ++m) {
    double v = bias ? bias[m] : 0.0;
    for (size_t x = 0; x < inputs; ++x) v += static_cast<double>(weight[m * inputs + x]) * in[x];
    out[m] = static_cast<float>(v);
  }
}

void dense_rows(size_t rows, size_t inputs, size_t outputs, const float* in, const float* weight,
                const float* bias, bool relu, float* out) {
  for (size_t r = 0; r < rows; ++r)
    for (size_t m = 0; m < outputs; ++m) {
      double v = bias ? bias[m] : 0.0;
      for (size_t x = 0; x < inputs; ++x)
        v += static_cast<double>(weight[m * inputs + x]) * in[r * inputs + x];
      out[r * outputs + m] = finish(v, relu);
    }
}

void affine(size_t outer, size_t dim, size_t inner, const float* in, const float* scale,
            const float* shift, bool relu, float* out) {
  for (size_t i = 0; i < outer * dim * inner; ++i) {
    const size_t c = i / inner % dim;
    out[i] = finish(static_cast<double>(scale[c]) * in[i] + shift[c], relu);
  }
}

void add(float* sum, const float* shortcut, size_t n) {
  for (size_t i = 0; i < n; ++i)
    sum[i] = static_cast<float>(static_cast<double>(sum[i]) + shortcut[i]);
}

static double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

void lstm(const LstmShape& s, const float* in, const float* w_ih, const float* w_hh,
          const float* bias, bool reverse, float* out, size_t out_stride) {
  const size_t h = s.hidden;
  std::vector<double> state(h, 0.0), cell(h, 0.0), gate(4 * h);
  for (size_t step = 0; step < s.steps; ++step) {
    const size_t t = reverse ? s.steps - 1 - step : step;
    for (size_t g = 0; g < 4 * h; ++g) {
      double v = bias[g];
      for (size_t x = 0; x < s.inputs; ++x)
        v += static_cast<double>(w_ih[g * s.inputs + x]) * in[t * s.inputs + x];
      for (size_t j = 0; j < h; ++j) v += w_hh[g * h + j] * state[j];
      gate[g] = v;
    }
    for (size_t j = 0; j < h; ++j) {
      cell[j] = sigmoid(gate[h + j]) * cell[j] + sigmoid(gate[j]) * std::tanh(gate[2 * h + j]);
      state[j] = sigmoid(gate[3 * h + j]) * std::tanh(cell[j]);
      out[t * out_stride + j] = static_cast<float>(state[j]);
    }
  }
}

void readout(size_t C, size_t H, size_t W, bool mean, const float* in, float* out) {
  for (size_t c = 0; c < C; ++c)
    for (size_t w = 0; w < W; ++w) {
      double v = 0.0;
      for (size_t r = mean ? 0 : H - 1; r < H; ++r) v += in[(c * H + r) * W + w];
      out[c * W + w] = static_cast<float>(mean ? v / static_cast<double>(H) : v);
    }
}

}  // namespace legohar::runtime::reference
