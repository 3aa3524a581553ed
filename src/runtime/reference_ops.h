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

}  // namespace legohar::runtime::reference
