// Implementation of ops.h. A convolution is one matrix product, out [n, P] = W [n, K] x X [K, P],
// with K = C x d taps and P = H' x W' output positions, where row c * d + t of X holds, for each
// output position, the zero-padded input that tap t of channel c meets there. X is never built:
// the padded input is copied once into a layout where every such row is a contiguous run of the
// copy (im2col-free; `Phases` below), and an 8 x 16 register tile of the product reads the rows in
// place, accumulating over all K before it is stored with the bias and the ReLU. The product is
// compiled per instruction set (simd.h).
#include "runtime/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "runtime/simd.h"

namespace legohar::runtime {
namespace {

// Output positions a Lego layer transforms and merges at a time.
constexpr size_t kColumnBlock = 64;

// The vectors that hold `floats` floats.
size_t vectors_for(size_t floats) {
  return (floats + kLanes - 1) / kLanes;
}

// The floats between a Lego layer's maps for a plane of P positions: whole vectors, so that the
// merge reads each map in vectors without passing the last one's end.
size_t lego_block(size_t P) {
  return std::min(kColumnBlock, vectors_for(P) * kLanes);
}

// The zero-padded input of shape `s` split by phase of the stride: padded row r = q * stride + f
// is row q of phase f, each row Wp = W' columns wide (the input's W with pad_width zeros on each
// side). Tap t = a * stride + f of output row h' reads padded row h' * stride + t, i.e. row h' + a
// of phase f, so for output position p = h' * Wp + w' it reads element p of the run that starts
// at row a of phase f: row c * d + t of X is channel c's copy from there on, and consecutive
// positions, across output rows too, are consecutive floats. Only the phases some tap reads are
// kept (min(stride, d)); each keeps the rows its taps read, H' - 1 + ceil(d / stride).
struct Phases {
  size_t phases, rows, width;  // kept phases, rows per phase, Wp
  explicit Phases(const ConvShape& s)
      : phases(std::min(s.stride, s.kernel)),
        rows(s.out_height() - 1 + (s.kernel + s.stride - 1) / s.stride),
        width(s.out_width()) {}
  size_t channel_floats() const { return phases * rows * width; }
  // The copy's floats, and a vector's worth past the end: a tile's last vector reads up to
  // kLanes - 1 floats past the last position of the last row, and discards them.
  size_t floats(size_t channels) const { return channels * channel_floats() + kLanes; }
};

// Copies in [C, H, W] into x in the Phases layout of shape s; rows and columns outside the input
// are zero. Rows are a few floats long: element loops, not library calls, after one fill.
void copy_phases(const ConvShape& s, const Phases& f, const float* in, float* x) {
  const size_t W = s.width, H = s.height;
  std::fill(x, x + f.floats(s.in_channels), 0.0f);
  // Input row r is padded row r + pad_before: row (r + pad_before) / stride of phase
  // (r + pad_before) % stride, where that phase and row are kept.
  const long first = std::max(0l, -s.pad_before);
  for (size_t c = 0; c < s.in_channels; ++c) {
    float* channel = x + c * f.channel_floats() + s.pad_width;
    for (size_t r = static_cast<size_t>(first); r < H; ++r) {
      const size_t padded = static_cast<size_t>(static_cast<long>(r) + s.pad_before);
      const size_t phase = padded % s.stride, q = padded / s.stride;
      if (phase >= f.phases || q >= f.rows) continue;
      const float* from = in + (c * H + r) * W;
      float* to = channel + (phase * f.rows + q) * f.width;
      for (size_t w = 0; w < W; ++w) to[w] = from[w];
    }
  }
}

// X read in place: `channels` channels of a Phases copy from `x` on; tap t = a * stride + f of a
// channel starts at row a of phase f.
struct Rows {
  const float* x;
  size_t channels, kernel, stride;
  size_t channel, phase, row;  // floats from one channel, phase and row to the next
  Rows(const ConvShape& s, const Phases& f, const float* x, size_t channels)
      : x(x),
        channels(channels),
        kernel(s.kernel),
        stride(s.stride),
        channel(f.channel_floats()),
        phase(f.rows * f.width),
        row(f.width) {}
};

// out [0, cols) = relu?(acc + b) for the first cols (<= kLanes) lanes of acc.
inline void store(const Vec& sum, float b, bool relu, float* out, size_t cols) {
  Vec acc = sum + b;
  if (relu) acc = acc < 0.0f ? 0.0f : acc;
  if (cols == kLanes)
    std::memcpy(out, &acc, sizeof acc);
  else
    for (size_t j = 0; j < cols; ++j) out[j] = acc[j];
}

// out [rows, P] (row stride ldo) = relu?(bias + packed W [rows, K] x X [K, p0 .. p0 + P)), K =
// channels x kernel.
LEGOHAR_MULTIVERSION
void product(size_t rows, const Rows& X, size_t p0, size_t P, const float* packed,
             const float* bias, bool relu, float* out, size_t ldo) {
  constexpr size_t R = kFilterBlock;
  const size_t K = X.channels * X.kernel;
  for (size_t r0 = 0; r0 < rows; r0 += R) {
    const float* w0 = packed + r0 * K;  // [K, R]
    const size_t live = std::min(R, rows - r0);
    for (size_t p = 0; p < P; p += kLanes) {
      Vec acc[R] = {};
      const float* w = w0;
      for (size_t c = 0; c < X.channels; ++c) {
        const float* xc = X.x + c * X.channel + p0 + p;
        // Tap t = a * stride + f starts at row a of phase f.
        for (size_t t = 0, f = 0, at = 0, row_at = 0; t < X.kernel; ++t, w += R) {
          Vec v;
          std::memcpy(&v, xc + at, sizeof v);
          for (size_t r = 0; r < R; ++r) acc[r] += w[r] * v;
          if (++f == X.stride) {
            f = 0;
            at = row_at += X.row;
          } else {
            at += X.phase;
          }
        }
      }
      const size_t cols = std::min(kLanes, P - p);
      for (size_t r = 0; r < live; ++r)
        store(acc[r], bias ? bias[r0 + r] : 0.0f, relu, out + (r0 + r) * ldo + p, cols);
    }
  }
}

// The merge of a Lego layer for output positions [p0, p0 + cols) (cols <= kColumnBlock):
// out[j] = relu?(bias[j] + sum_i coef[i][j] * maps[i][selection[i][j]]), maps [o, k, block].
LEGOHAR_MULTIVERSION
void merge(const LegoShape& s, const float* maps, size_t block, const uint32_t* selection,
           const float* coef, const float* bias, bool relu, float* out, size_t plane, size_t p0,
           size_t cols) {
  const size_t n = s.conv.out_channels, k = s.filters, vectors = vectors_for(cols);
  for (size_t j = 0; j < n; ++j) {
    Vec acc[kColumnBlock / kLanes] = {};
    for (size_t i = 0; i < s.fragments; ++i) {
      const float a = coef[i * n + j];
      const float* m = maps + (i * k + selection[i * n + j]) * block;
      for (size_t v = 0; v < vectors; ++v) {
        Vec x;
        std::memcpy(&x, m + v * kLanes, sizeof x);
        acc[v] += a * x;
      }
    }
    for (size_t v = 0; v < vectors; ++v)
      store(acc[v], bias ? bias[j] : 0.0f, relu, out + j * plane + p0 + v * kLanes,
            std::min(kLanes, cols - v * kLanes));
  }
}

void relu_in_place(float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

}  // namespace

std::vector<float> pack_filters(const float* weight, size_t rows, size_t taps) {
  std::vector<float> packed(packed_size(rows, taps), 0.0f);
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < taps; ++k) packed[packed_index(r, k, taps)] = weight[r * taps + k];
  return packed;
}

size_t conv_scratch_floats(const ConvShape& s) {
  return Phases(s).floats(s.in_channels);
}

size_t lego_scratch_floats(const LegoShape& s) {
  return conv_scratch_floats(s.conv) +
         s.fragments * s.filters * lego_block(s.conv.out_height() * s.conv.out_width());
}

void conv_d1(const ConvShape& s, const float* in, const float* packed, const float* bias, bool relu,
             float* out, std::vector<float>& scratch) {
  scratch.resize(std::max(scratch.size(), conv_scratch_floats(s)));
  const Phases f(s);
  copy_phases(s, f, in, scratch.data());
  const size_t P = s.out_height() * s.out_width();
  product(s.out_channels, Rows(s, f, scratch.data(), s.in_channels), 0, P, packed, bias, relu, out,
          P);
}

void lego_conv_d1(const LegoShape& s, const float* in, const float* packed,
                  const uint32_t* selection, const float* coef, const float* bias, bool relu,
                  float* out, std::vector<float>& scratch) {
  const ConvShape& c = s.conv;
  const size_t k = s.filters, group = c.in_channels / s.fragments;
  const size_t plane = c.out_height() * c.out_width(), block = lego_block(plane);
  scratch.resize(std::max(scratch.size(), lego_scratch_floats(s)));
  const Phases f(c);
  copy_phases(c, f, in, scratch.data());
  float* maps = scratch.data() + conv_scratch_floats(c);  // [o, k, block]
  for (size_t p0 = 0; p0 < plane; p0 += block) {
    const size_t cols = std::min(block, plane - p0);
    // Transform: each fragment (group consecutive channels) with every Lego filter.
    for (size_t i = 0; i < s.fragments; ++i)
      product(k, Rows(c, f, scratch.data() + i * group * f.channel_floats(), group), p0, cols,
              packed, nullptr, false, maps + i * k * block, block);
    merge(s, maps, block, selection, coef, bias, relu, out, plane, p0, cols);
  }
}

namespace {

// w . in over n inputs in kSums float partial sums (vectorisable), added pairwise at the end.
constexpr size_t kSums = 8;
inline float lane_dot(const float* w, const float* in, size_t n) {
  float lane[kSums] = {};
  size_t x = 0;
  for (; x + kSums <= n; x += kSums)
    for (size_t l = 0; l < kSums; ++l) lane[l] += w[x + l] * in[x + l];
  for (size_t l = 0; x + l < n; ++l) lane[l] += w[x + l] * in[x + l];
  for (size_t half = kSums / 2; half > 0; half /= 2)
    for (size_t l = 0; l < half; ++l) lane[l] += lane[l + half];
  return lane[0];
}

}  // namespace

void dense(size_t inputs, size_t outputs, const float* in, const float* weight, const float* bias,
           float* out) {
  // Float sums over chunks of kChunk inputs, the chunks' added in double: a classifier sums tens
  // of thousands of products, where float sums running over all of them drift by 1e-4 of large
  // logits. The LSTM's products (fewer inputs) are one chunk.
  constexpr size_t kChunk = 512;
  for (size_t m = 0; m < outputs; ++m) {
    const float* w = weight + m * inputs;
    double sum = bias ? bias[m] : 0.0;
    size_t x = 0;
    for (; inputs - x > kChunk; x += kChunk) sum += lane_dot(w + x, in + x, kChunk);
    sum += lane_dot(w + x, in + x, inputs - x);
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
