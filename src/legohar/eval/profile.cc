// Implementation of profile.h. Lego layer of C inputs, n outputs, o fragments, k filters, kernel d:
// parameters k*(C/o)*d filters + o*n*k logits + o*n coefficients + n bias; inference parameters
// replace the logits by o*n indices; MACs = positions * (k*C*d transform + o*n merge).
#include "legohar/eval/profile.h"

#include <stdexcept>

namespace legohar {

int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t padding) {
  const int64_t out = (in + 2 * padding - kernel) / stride + 1;
  if (out < 1) throw std::invalid_argument("convolution leaves no output positions");
  return out;
}

ModelProfile profile_model(const ModelSpec& spec) {
  spec.validate();
  ModelProfile p;
  int64_t h = spec.input_length, w = spec.input_channels;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const ConvLayerSpec& l = spec.layers[i];
    const int64_t c = spec.in_channels(i), n = l.channels, d = l.kernel;
    h = conv_out_size(h, d, l.stride, l.padding);
    w = conv_out_size(w, 1, 1, l.padding);
    const int64_t positions = h * w;
    const int64_t batchnorm = 2 * n;  // weight and bias (running statistics are not parameters)
    LayerProfile lp;
    lp.out_shape = {n, h, w};
    if (spec.is_lego(i)) {
      const int64_t o = spec.o, k = spec.lego_filters(i);
      lp.name = "lego" + std::to_string(i + 1);
      lp.kind = "lego";
      const int64_t filters = k * (c / o) * d;
      lp.params = filters + o * n * k + o * n + n + batchnorm;
      lp.inference_params = filters + 2 * o * n + n + batchnorm;
      lp.macs = positions * (k * c * d + o * n);
    } else {
      lp.name = "conv" + std::to_string(i + 1);
      lp.kind = "conv";
      lp.params = n * c * d + n + batchnorm;
      lp.inference_params = lp.params;
      lp.macs = positions * n * c * d;
    }
    p.layers.push_back(lp);
  }
  const int64_t features = spec.layers.back().channels * h * w;
  LayerProfile fc;
  fc.name = "fc";
  fc.kind = "linear";
  fc.out_shape = {spec.classes};
  fc.params = fc.inference_params = features * spec.classes + spec.classes;
  fc.macs = features * spec.classes;
  p.layers.push_back(fc);
  for (const LayerProfile& l : p.layers) {
    p.params += l.params;
    p.inference_params += l.inference_params;
    p.macs += l.macs;
  }
  p.memory_mb = static_cast<double>(p.inference_params) * 4.0 / (1024.0 * 1024.0);
  return p;
}

nlohmann::json ModelProfile::to_json() const {
  nlohmann::json layers_json = nlohmann::json::array();
  for (const LayerProfile& l : layers)
    layers_json.push_back({{"name", l.name},
                           {"kind", l.kind},
                           {"out_shape", l.out_shape},
                           {"params", l.params},
                           {"inference_params", l.inference_params},
                           {"memory_mb", static_cast<double>(l.inference_params) * 4.0 / 1048576.0},
                           {"macs", l.macs}});
  return {{"layers", layers_json},
          {"params", params},
          {"inference_params", inference_params},
          {"memory_mb", memory_mb},
          {"macs", macs}};
}

}  // namespace legohar
