// The runtime's operators on one window's feature maps, laid out [C, H, W] row-major (channels,
// time, sensor axis), in float32. Each has two implementations with one contract: the optimised
// one here, and a plain loop-by-loop one in reference_ops.h that the tests compare it with across
// a table of shapes (the ncnn way). Standard library only: this code ships to phones and boards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace legohar::runtime {

// A convolution with d x 1 filters: stride along time only; the input zero-padded by
// `pad_before` / `pad_after` rows of time (a negative count skips that many of the input's first /
// last rows, as a shortcut aligned to a strided branch does) and `pad_width` columns on both sides
// of the sensor axis (which grows by 2 * pad_width). A CNN's layer pads all three alike.
struct ConvShape {
  size_t in_channels = 0;   // C
  size_t height = 0;        // H: time
  size_t width = 0;         // W: sensor axis
  size_t out_channels = 0;  // n
  size_t kernel = 1;        // d
  size_t stride = 1;
  long pad_before = 0, pad_after = 0;
  size_t pad_width = 0;
  // 0 when the filter does not fit the padded input.
  size_t out_height() const {
    const long padded = static_cast<long>(height) + pad_before + pad_after;
    return padded < static_cast<long>(kernel) || stride == 0
               ? 0
               : static_cast<size_t>(padded - static_cast<long>(kernel)) / stride + 1;
  }
  size_t out_width() const { return width + 2 * pad_width; }
};

// Filters [rows, taps] (a convolution's [n, C, d], a Lego layer's [k, C/o, d]) repacked once, at
// load, for the convolutions' inner kernel: [ceil(rows / kFilterBlock), taps, kFilterBlock], the
// missing rows zero.
inline constexpr size_t kFilterBlock = 8;
std::vector<float> pack_filters(const float* weight, size_t rows, size_t taps);
// Where pack_filters puts weight [row, tap], and how many floats the packed filters hold.
inline size_t packed_index(size_t row, size_t tap, size_t taps) {
  return (row / kFilterBlock * taps + tap) * kFilterBlock + row % kFilterBlock;
}
inline size_t packed_size(size_t rows, size_t taps) {
  return (rows + kFilterBlock - 1) / kFilterBlock * kFilterBlock * taps;
}

// out [n, H', W'] = relu?(conv(in [C, H, W], weight [n, C, d]) + bias [n]); bias may be null;
// `packed` = pack_filters(weight, n, C * d). `scratch` is resized as needed and may be reused.
void conv_d1(const ConvShape& s, const float* in, const float* packed, const float* bias, bool relu,
             float* out, std::vector<float>& scratch);

// A Lego convolution at inference: the C input channels in `fragments` groups of C/o, `filters`
// shared Lego filters lego [k, C/o, d]; output j sums, over fragments i, coef [o, n] times the
// fragment convolved with Lego filter selection [o, n] (< k), plus bias [n] (may be null):
//   out[j] = relu?(bias[j] + sum_i coef[i][j] * (in_i * lego[selection[i][j]]))
// `shape.out_channels` is n; `packed` = pack_filters(lego, k, C/o * d). Transform (every fragment
// with every Lego filter, once), then merge (gather and scale the selected maps).
struct LegoShape {
  ConvShape conv;
  size_t fragments = 1;  // o, divides C
  size_t filters = 1;    // k
};
void lego_conv_d1(const LegoShape& s, const float* in, const float* packed,
                  const uint32_t* selection, const float* coef, const float* bias, bool relu,
                  float* out, std::vector<float>& scratch);

// The scratch floats conv_d1 and lego_conv_d1 use for shape `s` (what `scratch` grows to).
size_t conv_scratch_floats(const ConvShape& s);
size_t lego_scratch_floats(const LegoShape& s);

// out [m] = weight [m, x] . in [x] + bias [m] (bias may be null).
void dense(size_t inputs, size_t outputs, const float* in, const float* weight, const float* bias,
           float* out);

// out [rows, m] = relu?(in [rows, x] . weight [m, x]^T + bias [m]): dense on each row (each time
// step of a sequence [T, x]).
void dense_rows(size_t rows, size_t inputs, size_t outputs, const float* in, const float* weight,
                const float* bias, bool relu, float* out);

// out [outer, dim, inner] = relu?(scale [dim] * in + shift [dim]): a per-channel affine map along
// one axis (BatchNorm at inference where no convolution precedes it to fold into).
void affine(size_t outer, size_t dim, size_t inner, const float* in, const float* scale,
            const float* shift, bool relu, float* out);

// sum [n] += shortcut [n] (a residual connection).
void add(float* sum, const float* shortcut, size_t n);

// One direction of an LSTM layer over a sequence in [T, x], from zero state, with PyTorch's gate
// order: gates [4h] = w_ih [4h, x] . x_t + w_hh [4h, h] . h_{t-1} + bias [4h] (b_ih + b_hh) split
// into i, f, g, o; c_t = sigmoid(f) c_{t-1} + sigmoid(i) tanh(g); h_t = sigmoid(o) tanh(c_t).
// Forward in time, or from the last step back when `reverse`; h_t is written to
// out + t * out_stride (h floats), so both directions can share one [T, 2h] output.
struct LstmShape {
  size_t steps = 0;   // T
  size_t inputs = 0;  // x
  size_t hidden = 0;  // h
};
void lstm(const LstmShape& s, const float* in, const float* w_ih, const float* w_hh,
          const float* bias, bool reverse, float* out, size_t out_stride,
          std::vector<float>& scratch);
size_t lstm_scratch_floats(const LstmShape& s);

// out [C, 1, W] = the last row (mean false) or the mean of the rows of in [C, H, W]: the read-out
// of a sequence [1, T, x] to one feature vector.
void readout(size_t C, size_t H, size_t W, bool mean, const float* in, float* out);

// In place, numerically stable (the maximum subtracted first).
void softmax(float* x, size_t n);

}  // namespace legohar::runtime
