// Implementation of ops.h. A convolution is one matrix product, out [n, P] = W [n, K] x X [K, P],
// with K = C x d taps and P = H' x W' output positions: the padded input is unrolled once into
// X (im2col: each tap's rows, the stride applied, one row of P floats, padded to whole vectors),
// and an 8 x 16 register tile of the product accumulates over all K before it is stored, with
// the bias and the ReLU. On x86-64 the product is compiled three times (AVX-512, AVX2 + FMA, SSE2)
// and the processor picks one at load time; elsewhere the compiler's own vector width is used.
#include "runtime/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace legohar::runtime {
namespace {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LEGOHAR_MULTIVERSION \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define LEGOHAR_MULTIVERSION
#endif

constexpr size_t kLanes = 16;  // the columns of a register tile
typedef float Vec __attribute__((vector_size(kLanes * sizeof(float))));

size_t round_up(size_t x, size_t to) {
  return (x + to - 1) / to * to;
}

size_t padded_size(const ConvShape& s) {
  return s.padding == 0 ? 0 : s.in_channels * (s.height + 2 * s.padding) * s.out_width();
}

// X [C * d, ldx] of the zero-padded input: row c * d + t holds, for each output row h', the
// input row h' * stride + t of channel c (W' floats); the columns past P are zero. The input is
// padded into `buffer` first, unless there is no padding.
void unroll(const ConvShape& s, const float* in, float* buffer, float* x, size_t ldx) {
  const size_t hp = s.height + 2 * s.padding, ow = s.out_width(), oh = s.out_height();
  const float* padded = in;
  if (s.padding > 0) {
    std::fill(buffer, buffer + padded_size(s), 0.0f);
    for (size_t c = 0; c < s.in_channels; ++c)
      for (size_t h = 0; h < s.height; ++h)
        std::memcpy(buffer + (c * hp + h + s.padding) * ow + s.padding,
                    in + (c * s.height + h) * s.width, s.width * sizeof(float));
    padded = buffer;
  }
  for (size_t c = 0; c < s.in_channels; ++c)
    for (size_t t = 0; t < s.kernel; ++t) {
      float* row = x + (c * s.kernel + t) * ldx;
      for (size_t h = 0; h < oh; ++h)
        std::memcpy(row + h * ow, padded + (c * hp + h * s.stride + t) * ow, ow * sizeof(float));
      std::fill(row + oh * ow, row + ldx, 0.0f);
    }
}

// out [rows, P] = relu?(bias + packed W [rows, K] x X [K, ldx]) for the first P columns.
LEGOHAR_MULTIVERSION
void product(size_t rows, size_t K, size_t P, size_t ldx, const float* packed, const float* x,
             const float* bias, bool relu, float* out) {
  constexpr size_t R = kFilterBlock;
  for (size_t r0 = 0; r0 < rows; r0 += R) {
    const float* w = packed + r0 * K;  // [K, R]
    const size_t live = std::min(R, rows - r0);
    for (size_t p0 = 0; p0 < P; p0 += kLanes) {
      Vec acc[R] = {};
      for (size_t k = 0; k < K; ++k) {
        Vec v;
        std::memcpy(&v, x + k * ldx + p0, sizeof v);
        for (size_t r = 0; r < R; ++r) acc[r] += w[k * R + r] * v;
      }
      const size_t cols = std::min(kLanes, P - p0);
      for (size_t r = 0; r < live; ++r) {
        const float b = bias ? bias[r0 + r] : 0.0f;
        float* o = out + (r0 + r) * P + p0;
        for (size_t j = 0; j < cols; ++j) {
          const float y = acc[r][j] + b;
          o[j] = relu && y < 0.0f ? 0.0f : y;
        }
      }
    }
  }
}

void relu_in_place(float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

size_t panel_size(const ConvShape& s) {
  return s.in_channels * s.kernel * round_up(s.out_height() * s.out_width(), kLanes);
}

}  // namespace

std::vector<float> pack_filters(const float* weight, size_t rows, size_t taps) {
  constexpr size_t R = kFilterBlock;
  std::vector<float> packed(round_up(rows, R) * taps, 0.0f);
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < taps; ++k) packed[(r / R * taps + k) * R + r % R] = weight[r * taps + k];
  return packed;
}

size_t conv_scratch_floats(const ConvShape& s) {
  return padded_size(s) + panel_size(s);
}

size_t lego_scratch_floats(const LegoShape& s) {
  return conv_scratch_floats(s.conv) +
         s.fragments * s.filters * s.conv.out_height() * s.conv.out_width();
}

void conv_d1(const ConvShape& s, const float* in, const float* packed, const float* bias, bool relu,
             float* out, std::vector<float>& scratch) {
  scratch.resize(std::max(scratch.size(), conv_scratch_floats(s)));
  const size_t P = s.out_height() * s.out_width(), ldx = round_up(P, kLanes);
  float* x = scratch.data() + padded_size(s);
  unroll(s, in, scratch.data(), x, ldx);
  product(s.out_channels, s.in_channels * s.kernel, P, ldx, packed, x, bias, relu, out);
}

void lego_conv_d1(const LegoShape& s, const float* in, const float* packed,
                  const uint32_t* selection, const float* coef, const float* bias, bool relu,
                  float* out, std::vector<float>& scratch) {
  const ConvShape& c = s.conv;
  const size_t n = c.out_channels, part = c.in_channels / s.fragments;
  const size_t plane = c.out_height() * c.out_width(), ldx = round_up(plane, kLanes);
  scratch.resize(std::max(scratch.size(), lego_scratch_floats(s)));
  float* x = scratch.data() + padded_size(c);
  float* maps = scratch.data() + conv_scratch_floats(c);  // [o, k, H', W']
  unroll(c, in, scratch.data(), x, ldx);
  // Transform: each fragment (part * d consecutive rows of X) with every Lego filter.
  const size_t taps = part * c.kernel;
  for (size_t i = 0; i < s.fragments; ++i)
    product(s.filters, taps, plane, ldx, packed, x + i * taps * ldx, nullptr, false,
            maps + i * s.filters * plane);
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
  constexpr size_t kSums = 8;
  for (size_t m = 0; m < outputs; ++m) {
    const float* w = weight + m * inputs;
    float lane[kSums] = {};
    size_t x = 0;
    for (; x + kSums <= inputs; x += kSums)
      for (size_t l = 0; l < kSums; ++l) lane[l] += w[x + l] * in[x + l];
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
