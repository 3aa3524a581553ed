// Implementation of resnet_plan.h.
#include "legohar/spec/resnet_plan.h"

#include <fmt/format.h>

#include <stdexcept>

#include "legohar/common/error.h"
#include "legohar/spec/profile.h"

namespace legohar {

namespace {

// A unit reading [in, h, w]; its output shape follows from kernel, stride and padding.
ConvUnit make_unit(const ModelSpec& spec, int64_t in, int64_t out, int64_t kernel, int64_t stride,
                   int64_t pad_before, int64_t pad_after, int64_t pad_width, int64_t h, int64_t w,
                   const std::string& where) {
  ConvUnit u;
  u.in = in;
  u.out = out;
  u.kernel = kernel;
  u.stride = stride;
  u.pad_before = pad_before;
  u.pad_after = pad_after;
  u.pad_width = pad_width;
  u.lego = spec.uses_lego() && kernel > 1 && in > 1;
  if (u.lego) {
    if (in % spec.o != 0)
      throw Error::usage(
          fmt::format("{}: o = {} does not divide its {} input channels", where, spec.o, in));
    u.lego_filters = spec.lego_filters_for(out);
  }
  const int64_t rows = h + pad_before + pad_after - kernel;
  if (rows < 0) throw Error::usage(where + ": convolution leaves no output positions");
  u.out_shape = {out, rows / stride + 1, w + 2 * pad_width};
  return u;
}

}  // namespace

std::vector<ResidualBlockPlan> resnet_plan(const ModelSpec& spec) {
  std::vector<ResidualBlockPlan> plan;
  std::vector<int64_t> shape = {1, spec.input_length, spec.input_channels};
  for (int64_t b = 0; b < spec.blocks; ++b) {
    const bool from_dataset = b < static_cast<int64_t>(spec.layers.size());
    const ConvLayerSpec& l = spec.layers[from_dataset ? b : spec.layers.size() - 1];
    const int64_t k = l.kernel, s = from_dataset ? l.stride : 1;
    // The strided unit pads like the CNN's layer, or "same" beyond the dataset's layers.
    const int64_t before = from_dataset ? l.padding : (k - 1) / 2;
    const int64_t after = from_dataset ? l.padding : k / 2;
    const int64_t pad_w = from_dataset ? l.padding : 0;
    ResidualBlockPlan block;
    block.in_shape = shape;
    const std::string name = fmt::format("resnet block {}", b + 1);
    auto add = [&](int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pb, int64_t pa,
                   int64_t pw) {
      const std::vector<int64_t>& at = block.units.empty() ? shape : block.units.back().out_shape;
      block.units.push_back(make_unit(spec, in, out, kernel, stride, pb, pa, pw, at[1], at[2],
                                      fmt::format("{} conv {}", name, block.units.size() + 1)));
    };
    const int64_t c = l.channels;
    if (spec.block == "bottleneck") {
      const int64_t narrow = std::max<int64_t>(1, c / 4);
      add(shape[0], narrow, 1, 1, 0, 0, 0);
      add(narrow, narrow, k, s, before, after, pad_w);
      add(narrow, c, 1, 1, 0, 0, 0);
    } else {
      add(shape[0], c, k, s, before, after, pad_w);
      add(c, c, k, 1, (k - 1) / 2, k / 2, 0);
    }
    block.out_shape = block.units.back().out_shape;
    block.projection = block.out_shape != block.in_shape;
    if (block.projection) {
      // Output row t of the strided unit reads padded rows t*s .. t*s + k - 1: its centre is
      // input row t*s + (k - 1) / 2 - before.
      const int64_t offset = (k - 1) / 2 - before, rows = block.out_shape[1];
      block.shortcut_pad_before = std::max<int64_t>(0, -offset);
      block.shortcut_pad_after =
          std::max<int64_t>(0, offset + (rows - 1) * s - (block.in_shape[1] - 1));
      block.shortcut_offset = offset + block.shortcut_pad_before;
      block.shortcut_stride = s;
      block.shortcut_pad_width = (block.out_shape[2] - block.in_shape[2]) / 2;
    }
    shape = block.out_shape;
    plan.push_back(block);
  }
  return plan;
}

}  // namespace legohar
