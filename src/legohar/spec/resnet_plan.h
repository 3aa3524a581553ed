// The layout of a ResNet for HAR (block-wise local-loss paper, section III-A) computed from its
// spec without LibTorch, so that the module (nn/resnet.h) and its profile (profile.h) are built
// from the one description. Block i takes the width, kernel, stride and padding of the dataset's
// conv layer i; blocks beyond the dataset's layers keep the last width at stride 1 ("same"
// padding). A basic block is two kernel x 1 convolutions, the first strided; a bottleneck block
// is 1x1 (to width / 4), kernel x 1 (strided), 1x1 (back to width). Lego convolutions, when on,
// replace every kernel x 1 convolution with more than one input channel.
#pragma once

#include <cstdint>
#include <vector>

#include "legohar/spec/model_spec.h"

namespace legohar {

// One convolution of a residual branch, kernel x 1 along time; its input is zero-padded first.
struct ConvUnit {
  int64_t in = 0, out = 0, kernel = 1, stride = 1;
  int64_t pad_before = 0, pad_after = 0;  // time
  int64_t pad_width = 0;                  // both sides of the sensor axis
  bool lego = false;
  int64_t lego_filters = 0;        // k, when lego
  std::vector<int64_t> out_shape;  // [C, H, W]
};

struct ResidualBlockPlan {
  std::vector<int64_t> in_shape, out_shape;  // [C, H, W]
  std::vector<ConvUnit> units;               // the residual branch, in order
  // The shortcut: identity when the shapes agree; else a projection (1x1 convolution and
  // BatchNorm) of the input aligned to the branch: zero-padded (time before / after, width both
  // sides), then every `stride`-th row from `offset`, out_shape[1] rows; row t is the centre of
  // output t's receptive field.
  bool projection = false;
  int64_t shortcut_pad_before = 0, shortcut_pad_after = 0, shortcut_pad_width = 0;
  int64_t shortcut_offset = 0, shortcut_stride = 1;
};

// Throws a usage Error when a convolution leaves no output positions or o does not
// divide a Lego convolution's input channels.
std::vector<ResidualBlockPlan> resnet_plan(const ModelSpec& spec);

}  // namespace legohar
