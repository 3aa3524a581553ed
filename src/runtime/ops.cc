// Implementation of ops.h. A convolution is one matrix product, out [n, P] = W [n, K] x X [K, P],
// with K = C x d taps and P = H' x W' output positions, taken a block of (at most 64) positions at
// a time: the padded input is unrolled into X for those positions (im2col: each tap's row, the
// stride applied, padded to whole vectors), and an 8 x 16 register tile of the product accumulates
// over all K before it is stored, with the bias and the ReLU. Blocks keep the unrolled panel small
// (K x 64 floats, and at most 384 kB: in the second level cache) whatever the plane's size. The
// product is compiled per instruction set (simd.h).
#include "runtime/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "runtime/simd.h"

namespace legohar::runtime {
namespace {

size_t round_up(size_t x, size_t to) {
  return (x + to - 1) / to * to;
}

constexpr size_t kColumnBlock = 64;        // output positions unrolled at a time, at most
constexpr size_t kPanelFloats = 96 << 10;  // 384 kB: the most an unrolled panel X [K, block] holds

// The output positions unrolled at a time for K = C x d taps: kColumnBlock, or as many whole
// vectors (at least one) as keep the panel within kPanelFloats (only past K = 1536: the widest
// layers of a ResNet).
size_t column_block(const ConvShape& s) {
  const size_t K = s.in_channels * s.kernel;
  return std::clamp(kPanelFloats / K / kLanes * kLanes, kLanes, kColumnBlock);
}

// X [C * d, block] of the zero-padded input for output positions [p0, p0 + cols): row c * d + t
// holds, for output position (h', w'), the padded input at row h' * stride + t of
// channel c and column w' (the input's W columns with pad_width zero columns on each side); a row
// outside the input, and the columns past cols, are zero.
void unroll(const ConvShape& s, const float* in, size_t p0, size_t cols, size_t block, float* x) {
  const size_t ow = s.out_width(), pw = s.pad_width, W = s.width;
  const long H = static_cast<long>(s.height);
  // The block's share of each output row h': its columns [j, j + n), from output column w0.
  struct Segment {
    size_t j, n, h, w0;
  };
  Segment segments[kColumnBlock];
  size_t count = 0;
  for (size_t j = 0; j < cols;) {
    const size_t h = (p0 + j) / ow, w0 = (p0 + j) % ow, n = std::min(cols - j, ow - w0);
    segments[count++] = {j, n, h, w0};
    j += n;
  }
  // Segments are a few floats long: element loops, not library calls. Padded column w is input
  // column w - pw where that exists.
  for (size_t c = 0; c < s.in_channels; ++c)
    for (size_t t = 0; t < s.kernel; ++t) {
      float* row = x + (c * s.kernel + t) * block;
      for (size_t g = 0; g < count; ++g) {
        const Segment& seg = segments[g];
        float* to = row + seg.j;
        const long r = static_cast<long>(seg.h * s.stride + t) - s.pad_before;
        if (r < 0 || r >= H) {
          std::fill(to, to + seg.n, 0.0f);
          continue;
        }
        const float* from = in + (c * s.height + static_cast<size_t>(r)) * W;
        for (size_t q = 0; q < seg.n; ++q) {
          const size_t w = seg.w0 + q;
          to[q] = w >= pw && w - pw < W ? from[w - pw] : 0.0f;
        }
      }
      std::fill(row + cols, row + round_up(cols, kLanes), 0.0f);
    }
}

// out [rows, P] (row stride ldo) = relu?(bias + packed W [rows, K] x X [K, ldx]) for the first P
// columns of X.
LEGOHAR_MULTIVERSION
void product(size_t rows, size_t K, size_t P, size_t ldx, const float* packed, const float* x,
             const float* bias, bool relu, float* out, size_t ldo) {
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
        float* o = out + (r0 + r) * ldo + p0;
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
  return s.in_channels * s.kernel * column_block(s);
}

}  // namespace

std::vector<float> pack_filters(const float* weight, size_t rows, size_t taps) {
  std::vector<float> packed(packed_size(rows, taps), 0.0f);
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < taps; ++k) packed[packed_index(r, k, taps)] = weight[r * taps + k];
  return packed;
}

size_t conv_scratch_floats(const ConvShape& s) {
  return panel_size(s);
}

size_t lego_scratch_floats(const LegoShape& s) {
  return conv_scratch_floats(s.conv) + s.fragments * s.filters * column_block(s.conv);
}

void conv_d1(const ConvShape& s, const float* in, const float* packed, const float* bias, bool relu,
             float* out, std::vector<float>& scratch) {
  scratch.resize(std::max(scratch.size(), conv_scratch_floats(s)));
  const size_t P = s.out_height() * s.out_width(), block = column_block(s);
  float* x = scratch.data();
  for (size_t p0 = 0; p0 < P; p0 += block) {
    const size_t cols = std::min(block, P - p0);
    unroll(s, in, p0, cols, block, x);
    product(s.out_channels, s.in_channels * s.kernel, cols, block, packed, x, bias, relu, out + p0,
            P);
  }
}

void lego_conv_d1(const LegoShape& s, const float* in, const float* packed,
                  const uint32_t* selection, const float* coef, const float* bias, bool relu,
                  float* out, std::vector<float>& scratch) {
  const ConvShape& c = s.conv;
  const size_t n = c.out_channels, k = s.filters, taps = c.in_channels / s.fragments * c.kernel;
  const size_t plane = c.out_height() * c.out_width(), block = column_block(c);
  scratch.resize(std::max(scratch.size(), lego_scratch_floats(s)));
  float* x = scratch.data();
  float* maps = scratch.data() + conv_scratch_floats(c);  // [o, k, block]
  for (size_t p0 = 0; p0 < plane; p0 += block) {
    const size_t cols = std::min(block, plane - p0);
    unroll(c, in, p0, cols, block, x);
    // Transform: each fragment (taps consecutive rows of X) with every Lego filter.
    for (size_t i = 0; i < s.fragments; ++i)
      product(k, taps, cols, block, packed, x + i * taps * block, nullptr, false,
              maps + i * k * block, block);
    // Merge: gather the selected map of every fragment, scale, sum.
    for (size_t j = 0; j < n; ++j) {
      float* o = out + j * plane + p0;
      std::fill(o, o + cols, bias ? bias[j] : 0.0f);
      for (size_t i = 0; i < s.fragments; ++i) {
        const float a = coef[i * n + j];
        const float* m = maps + (i * k + selection[i * n + j]) * block;
        for (size_t p = 0; p < cols; ++p) o[p] += a * m[p];
      }
      if (relu) relu_in_place(o, cols);
    }
  }
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

void dense_rows(size_t rows, size_t inputs, size_t outputs, const float* in, const float* weight,
                const float* bias, bool relu, float* out) {
  for (size_t r = 0; r < rows; ++r)
    dense(inputs, outputs, in + r * inputs, weight, bias, out + r * outputs);
  if (relu) relu_in_place(out, rows * outputs);
}

void affine(size_t outer, size_t dim, size_t inner, const float* in, const float* scale,
            const float* shift, bool relu, float* out) {
  for (size_t o = 0; o < outer; ++o)
    for (size_t c = 0; c < dim; ++c) {
      const float a = scale[c], b = shift[c];
      const size_t at = (o * dim + c) * inner;
      for (size_t i = 0; i < inner; ++i) {
        const float y = a * in[at + i] + b;
        out[at + i] = relu && y < 0.0f ? 0.0f : y;
      }
    }
}

void add(float* sum, const float* shortcut, size_t n) {
  for (size_t i = 0; i < n; ++i) sum[i] += shortcut[i];
}

size_t lstm_scratch_floats(const LstmShape& s) {
  return s.steps * 4 * s.hidden + 4 * s.hidden + s.hidden;  // input gates, step gates, cell
}

void lstm(const LstmShape& s, const float* in, const float* w_ih, const float* w_hh,
          const float* bias, bool reverse, float* out, size_t out_stride,
          std::vector<float>& scratch) {
  const size_t T = s.steps, h = s.hidden, g = 4 * h;
  scratch.resize(std::max(scratch.size(), lstm_scratch_floats(s)));
  float* inputs = scratch.data();  // [T, 4h]: w_ih . x_t + bias, every step at once
  float* gates = inputs + T * g;   // [4h]: one step's w_hh . h_{t-1}
  float* cell = gates + g;         // [h]
  dense_rows(T, s.inputs, g, in, w_ih, bias, false, inputs);
  std::fill(cell, cell + h, 0.0f);
  const float* previous = nullptr;  // h_{t-1}; null: the zero state
  for (size_t step = 0; step < T; ++step) {
    const size_t t = reverse ? T - 1 - step : step;
    const float* pre = inputs + t * g;
    if (previous)
      dense(h, g, previous, w_hh, nullptr, gates);
    else
      std::fill(gates, gates + g, 0.0f);
    float* y = out + t * out_stride;
    for (size_t j = 0; j < h; ++j) {
      const float i = 1.0f / (1.0f + std::exp(-(pre[j] + gates[j])));
      const float f = 1.0f / (1.0f + std::exp(-(pre[h + j] + gates[h + j])));
      const float c = std::tanh(pre[2 * h + j] + gates[2 * h + j]);
      const float o = 1.0f / (1.0f + std::exp(-(pre[3 * h + j] + gates[3 * h + j])));
      cell[j] = f * cell[j] + i * c;
      y[j] = o * std::tanh(cell[j]);
    }
    previous = y;
  }
}

void readout(size_t C, size_t H, size_t W, bool mean, const float* in, float* out) {
  for (size_t c = 0; c < C; ++c) {
    const float* map = in + c * H * W;
    float* o = out + c * W;
    if (!mean) {
      std::memcpy(o, map + (H - 1) * W, W * sizeof(float));
      continue;
    }
    std::fill(o, o + W, 0.0f);
    for (size_t r = 0; r < H; ++r)
      for (size_t w = 0; w < W; ++w) o[w] += map[r * W + w];
    for (size_t w = 0; w < W; ++w) o[w] /= static_cast<float>(H);
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
