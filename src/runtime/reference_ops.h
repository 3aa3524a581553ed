// The runtime's operators written as their definitions, one output element at a time, with no
// attempt at speed: the oracle the optimised operators of ops.h are tested against. Same
// contracts as ops.h (softmax has no second version).
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/ops.h"

namespace legohar::runtime::reference {

void conv_d1(const ConvShape& s, const float* in, const float* weight, const float* bias, bool relu,
             float* out);
void lego_conv_d1(const LegoShape& s, const float* in, const float* lego, const uint32_t* selection,
                  const float* coef, const float* bias, bool relu, float* out);
void dense(size_t inputs, size_t outputs, const float* in, const float* weight, const float* bias,
           float* out);
void dense_rows(size_t rows, size_t inputs, size_t outputs, const float* in, const float* weight,
                const float* bias, bool relu, float* out);
void affine(size_t outer, size_t dim, size_t inner, const float* in, const float* scale,
            const float* shift, bool relu, float* out);
void add(float* sum, const float* shortcut, size_t n);
void lstm(const LstmShape& s, const float* in, const float* w_ih, const float* w_hh,
          const float* bias, bool reverse, float* out, size_t out_stride);
void readout(size_t C, size_t H, size_t W, bool mean, const float* in, float* out);

}  // namespace legohar::runtime::reference
