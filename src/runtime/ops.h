// The runtime's operators on one window's feature maps, laid out [C, H, W] row-major (channels,
// time, sensor axis), in float32. Each has two implementations with one contract: the optimised
// one here, and a plain loop-by-loop one in reference_ops.h that the tests compare it with across
// a table of shapes (the ncnn way). Standard library only: this code ships to phones and boards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace legohar::runtime {

// A convolution with d x 1 filters: stride along time only, zero padding on both axes (as the
// models are trained: the sensor axis grows by 2 * padding).
struct ConvShape {
  size_t in_channels = 0;   // C
  size_t height = 0;        // H: time
  size_t width = 0;         // W: sensor axis
  size_t out_channels = 0;  // n
  size_t kernel = 1;        // d
  size_t stride = 1;
  size_t padding = 0;
  // 0 when the filter does not fit the padded input.
  size_t out_height() const {
    const size_t padded = height + 2 * padding;
    return padded < kernel || stride == 0 ? 0 : (padded - kernel) / stride + 1;
  }
  size_t out_width() const { return width + 2 * padding; }
};

// Filters [rows, taps] (a convolution's [n, C, d], a Lego layer's [k, C/o, d]) repacked once, at
// load, for the convolutions' inner kernel: [ceil(rows / kFilterBlock), taps, kFilterBlock], the
// missing rows zero.
inline constexpr size_t kFilterBlock = 8;
std::vector<float> pack_filters(const float* weight, size_t rows, size_t taps);

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

// In place, numerically stable (the maximum subtracted first).
void softmax(float* x, size_t n);

}  // namespace legohar::runtime
