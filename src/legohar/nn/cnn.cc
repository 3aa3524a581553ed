// Implementation of cnn.h.
#include "legohar/nn/cnn.h"

#include "legohar/spec/profile.h"

namespace legohar {
namespace nn = torch::nn;

CnnImpl::CnnImpl(const ModelSpec& model_spec) : HarModel(model_spec) {
  const ModelSpec& s = spec();
  s.validate();
  for (size_t i = 0; i < s.layers.size(); ++i) {
    const ConvLayerSpec& l = s.layers[i];
    nn::Sequential block;
    if (s.is_lego(i)) {
      LegoConv2d lego(LegoConv2dOptions(s.in_channels(i), l.channels, l.kernel)
                          .stride(l.stride)
                          .padding(l.padding)
                          .fragments(s.o)
                          .lego_filters(s.lego_filters(i))
                          .mask_init_std(s.mask_init_std));
      track_lego(lego);
      block->push_back(lego);
    } else {
      block->push_back(nn::Conv2d(nn::Conv2dOptions(s.in_channels(i), l.channels, {l.kernel, 1})
                                      .stride({l.stride, 1})
                                      .padding({l.padding, l.padding})));
    }
    block->push_back(nn::BatchNorm2d(l.channels));
    block->push_back(nn::ReLU());
    blocks_.push_back(register_module("block" + std::to_string(i + 1), block));
  }
  const std::vector<int64_t> last = profile_model(s).block_shapes.back();  // [C, H, W]
  fc_ = register_module("fc", nn::Linear(last[0] * last[1] * last[2], s.classes));
}

}  // namespace legohar
