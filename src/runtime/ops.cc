// Implementation of ops.h. The convolution pads its input once, then accumulates each output
// plane as a sum of scaled, shifted input planes (no im2col): with stride 1 a filter tap is one
// contiguous multiply-add over H' x W' floats, which compilers vectorise; four output channels
// share each load of the input.
#include "runtime/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace legohar::runtime {
namespace {

// The input zero-padded on both axes: [C, H + 2p, W + 2p]; the input itself when p is 0.
const float* padded(const ConvShape& s, const float* in, float* buffer) {
  if (s.padding == 0) return in;
  const size_t hp = s.height + 2 * s.padding, wp = s.width + 2 * s.padding;
  std::fill(buffer, buffer + s.in_channels * hp * wp, 0.0f);
  for (size_t c = 0; c < s.in_channels; ++c)
    for (size_t h = 0; h < s.height; ++h)
      std::memcpy(buffer + (c * hp + h + s.padding) * wp + s.padding,
                  in + (c * s.height + h) * s.width, s.width * sizeof(float));
  return buffer;
}

size_t padded_size(const ConvShape& s) {
  return s.padding == 0 ? 0
                        : s.in_channels * (s.height + 2 * s.padding) * (s.width + 2 * s.padding);
}

// out[j] += sum over taps of weight[j][c][t] * the input rows the tap sees, for B output channels
// at once. `in` is padded: [C, Hp, W'] with W' the output width.
template <size_t B>
void accumulate(const ConvShape& s, const float* in, const float* const* w, float* const* out) {
  const size_t oh = s.out_height(), ow = s.out_width(), hp = s.height + 2 * s.padding;
  for (size_t c = 0; c < s.in_channels; ++c)
    for (size_t t = 0; t < s.kernel; ++t) {
      float k[B];
      for (size_t b = 0; b < B; ++b) k[b] = w[b][c * s.kernel + t];
      const float* src = in + (c * hp + t) * ow;
      if (s.stride == 1) {  // rows t .. t + H' - 1: one contiguous run
        for (size_t x = 0; x < oh * ow; ++x) {
          const float v = src[x];
          for (size_t b = 0; b < B; ++b) out[b][x] += k[b] * v;
        }
      } else {
        for (size_t h = 0; h < oh; ++h) {
          const float* row = src + h * s.stride * ow;
          for (size_t x = 0; x < ow; ++x) {
            const float v = row[x];
            for (size_t b = 0; b < B; ++b) out[b][h * ow + x] += k[b] * v;
          }
        }
      }
    }
}

void relu_in_place(float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

// conv_d1 on an already padded input.
void convolve(const ConvShape& s, const float* in, const float* weight, const float* bias,
              bool relu, float* out) {
  const size_t plane = s.out_height() * s.out_width(), taps = s.in_channels * s.kernel;
  for (size_t j = 0; j < s.out_channels; ++j)
    std::fill(out + j * plane, out + (j + 1) * plane, bias ? bias[j] : 0.0f);
  constexpr size_t kBlock = 4;
  size_t j = 0;
  for (; j + kBlock <= s.out_channels; j += kBlock) {
    const float* w[kBlock];
    float* o[kBlock];
    for (size_t b = 0; b < kBlock; ++b) {
      w[b] = weight + (j + b) * taps;
      o[b] = out + (j + b) * plane;
    }
    accumulate<kBlock>(s, in, w, o);
  }
  for (; j < s.out_channels; ++j) {
    const float* w[1] = {weight + j * taps};
    float* o[1] = {out + j * plane};
    accumulate<1>(s, in, w, o);
  }
  if (relu) relu_in_place(out, s.out_channels * plane);
}

}  // namespace

size_t conv_scratch_floats(const ConvShape& s) {
  return padded_size(s);
}

size_t lego_scratch_floats(const LegoShape& s) {
  return padded_size(s.conv) + s.fragments * s.filters * s.conv.out_height() * s.conv.out_width();
}

void conv_d1(const ConvShape& s, const float* in, const float* weight, const float* bias, bool relu,
             float* out, std::vector<float>& scratch) {
  scratch.resize(std::max(scratch.size(), conv_scratch_floats(s)));
  convolve(s, padded(s, in, scratch.data()), weight, bias, relu, out);
}

void lego_conv_d1(const LegoShape& s, const float* in, const float* lego, const uint32_t* selection,
                  const float* coef, const float* bias, bool relu, float* out,
                  std::vector<float>& scratch) {
  const ConvShape& c = s.conv;
  const size_t n = c.out_channels, part = c.in_channels / s.fragments;
  const size_t plane = c.out_height() * c.out_width();
  const size_t pad_size = padded_size(c);
  scratch.resize(std::max(scratch.size(), lego_scratch_floats(s)));
  const float* x = padded(c, in, scratch.data());
  float* maps = scratch.data() + pad_size;  // [o, k, H', W']
  // Transform: each fragment with every Lego filter.
  ConvShape fragment = c;
  fragment.in_channels = part;
  fragment.out_channels = s.filters;
  const size_t in_plane = (c.height + 2 * c.padding) * c.out_width();
  for (size_t i = 0; i < s.fragments; ++i)
    convolve(fragment, x + i * part * in_plane, lego, nullptr, false, maps + i * s.filters * plane);
  // Merge: gather the selected map of every fragment, scale, sum.
  for (size_t j = 0; j < n; ++j) {
    float* o = out + j * plane;
    std::fill(o, o + plane, bias ? bias[j] : 0.0f);
    for (size_t i = 0; i < s.fragments; ++i) {
      const float a = coef[i * n + j];
      const float* m = maps + (i * s.filters + selection[i * n + j]) * plane;
      for (size_t p = 0; p < plane; ++p) o[p] += a * m[p];
    }
  }
  if (relu) relu_in_place(out, n * plane);
}

void dense(size_t inputs, size_t outputs, const float* in, const float* weight, const float* bias,
           float* out) {
  // Eight float partial sums (vectorisable) added in double: the classifier sums tens of
  // thousands of products, where one float accumulator drifts by 1e-4 of large logits.
  constexpr size_t kLanes = 8;
  for (size_t m = 0; m < outputs; ++m) {
    const float* w = weight + m * inputs;
    float lane[kLanes] = {};
    size_t x = 0;
    for (; x + kLanes <= inputs; x += kLanes)
      for (size_t l = 0; l < kLanes; ++l) lane[l] += w[x + l] * in[x + l];
    double sum = bias ? bias[m] : 0.0;
    for (; x < inputs; ++x) sum += static_cast<double>(w[x]) * in[x];
    for (const float l : lane) sum += l;
    out[m] = static_cast<float>(sum);
  }
}

void softmax(float* x, size_t n) {
  if (n == 0) return;
  const float top = *std::max_element(x, x + n);
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) sum += (x[i] = std::exp(x[i] - top));
  for (size_t i = 0; i < n; ++i) x[i] /= sum;
}

}  // namespace legohar::runtime
