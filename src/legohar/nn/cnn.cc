// Implementation of cnn.h.
#include "legohar/nn/cnn.h"

#include "legohar/spec/profile.h"

namespace legohar {
namespace nn = torch::nn;

CnnImpl::CnnImpl(const ModelSpec& model_spec) : FlatClassifierModel(model_spec) {
  const ModelSpec& s = spec();
  s.validate();
  for (size_t i = 0; i < s.layers.size(); ++i) {
    const ConvLayerSpec& l = s.layers[i];
    nn::Sequential block;
    if (s.is_lego(i)) {
      LegoConv2d lego(
          lego_conv_options(s, s.in_channels(i), l.channels, l.kernel, s.lego_filters(i))
              .stride(l.stride)
              .padding(l.padding));
      track_lego(lego);
      block->push_back(lego);
    } else {
      block->push_back(nn::Conv2d(nn::Conv2dOptions(s.in_channels(i), l.channels, {l.kernel, 1})
                                      .stride({l.stride, 1})
                                      .padding({l.padding, l.padding})));
    }
    block->push_back(nn::BatchNorm2d(l.channels));
    block->push_back(nn::ReLU());
    add_block(block);
  }
  add_classifier(profile_model(s).block_shapes.back());
}

}  // namespace legohar
