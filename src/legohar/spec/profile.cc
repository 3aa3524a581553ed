// Implementation of profile.h. Lego layer of C inputs, n outputs, o fragments, k filters, kernel d:
// parameters k*(C/o)*d filters + o*n*k logits + o*n coefficients (o*n*k per candidate) + n bias;
// inference parameters replace the logits by o*n indices and keep the selected o*n coefficients;
// MACs = positions * (k*C*d transform + o*n merge).
#include "legohar/spec/profile.h"

#include <fmt/format.h>

#include <stdexcept>

#include "legohar/common/error.h"
#include "legohar/spec/resnet_plan.h"

namespace legohar {

int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t padding) {
  const int64_t out = (in + 2 * padding - kernel) / stride + 1;
  if (out < 1) throw Error::usage("convolution leaves no output positions");
  return out;
}

namespace {

// A kernel x 1 convolution (ordinary or Lego with k filters and o fragments) of c inputs and n
// outputs producing `shape` [n, H, W], with `batchnorm` BatchNorm channels.
LayerProfile conv_layer(const std::string& index, int block, int64_t c, int64_t n, int64_t d,
                        bool lego, const ModelSpec& spec, int64_t k,
                        const std::vector<int64_t>& shape, int64_t batchnorm) {
  const int64_t o = spec.o;
  LayerProfile lp;
  lp.name = (lego ? "lego" : "conv") + index;
  lp.kind = lego ? "lego" : "conv";
  lp.block = block;
  lp.out_shape = shape;
  const int64_t positions = shape[1] * shape[2];
  lp.activations = 3 * n * positions;  // convolution, BatchNorm and ReLU outputs
  if (lego) {
    const int64_t filters = k * (c / o) * d;
    const int64_t coefficients = o * n * (spec.coefficients == "per-candidate" ? k : 1);
    lp.params = filters + o * n * k + coefficients + n + 2 * batchnorm;
    lp.inference_params = filters + 2 * o * n + n + 2 * batchnorm;
    lp.macs = positions * (k * c * d + o * n);
    lp.activations += o * k * positions;  // the transform maps
  } else {
    lp.params = lp.inference_params = n * c * d + n + 2 * batchnorm;
    lp.macs = positions * n * c * d;
  }
  return lp;
}

void add_cnn_layers(const ModelSpec& spec, ModelProfile& p) {
  int64_t h = spec.input_length, w = spec.input_channels;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const ConvLayerSpec& l = spec.layers[i];
    const int64_t c = spec.in_channels(i);
    if (spec.is_lego(i) && (spec.o < 1 || c % spec.o != 0))
      throw Error::usage(fmt::format("lego layer {}: o = {} does not divide its {} input channels",
                                     i + 1, spec.o, c));
    h = conv_out_size(h, l.kernel, l.stride, l.padding);
    w = conv_out_size(w, 1, 1, l.padding);
    const bool lego = spec.is_lego(i);
    p.layers.push_back(conv_layer(std::to_string(i + 1), static_cast<int>(i), c, l.channels,
                                  l.kernel, lego, spec, lego ? spec.lego_filters(i) : 0,
                                  {l.channels, h, w}, l.channels));
    p.block_shapes.push_back({l.channels, h, w});
  }
}

void add_resnet_layers(const ModelSpec& spec, ModelProfile& p) {
  const std::vector<ResidualBlockPlan> plan = resnet_plan(spec);
  const bool preact = spec.order == "full-preact";
  for (size_t b = 0; b < plan.size(); ++b) {
    const ResidualBlockPlan& block = plan[b];
    const std::string prefix = fmt::format("block{}.", b + 1);
    for (size_t j = 0; j < block.units.size(); ++j) {
      const ConvUnit& u = block.units[j];
      // Full pre-activation normalises a unit's input (none before the network's first unit);
      // the other orders its output.
      const bool first = b == 0 && j == 0;
      const int64_t bn = preact ? (first ? 0 : u.in) : u.out;
      LayerProfile lp = conv_layer(std::to_string(j + 1), static_cast<int>(b), u.in, u.out,
                                   u.kernel, u.lego, spec, u.lego_filters, u.out_shape, bn);
      lp.name = prefix + lp.name;
      p.layers.push_back(lp);
    }
    const auto& s = block.out_shape;
    const int64_t positions = s[1] * s[2];
    if (block.projection) {
      LayerProfile sc =
          conv_layer("", static_cast<int>(b), block.in_shape[0], s[0], 1, false, spec, 0, s, s[0]);
      sc.name = prefix + "shortcut";
      sc.activations = 2 * s[0] * positions;  // convolution and BatchNorm outputs
      p.layers.push_back(sc);
    }
    p.layers.back().activations += s[0] * positions;  // the residual sum
    p.block_shapes.push_back(s);
  }
}

// Per layer i (block i): on the first, a ReLU dense layer C -> d; an LSTM of h = hidden units per
// direction over T steps (per direction 4h (in + h) weights and 8h biases, LibTorch's two bias
// vectors); when bidirectional a ReLU layer 2h -> d; BatchNorm over d. d = h.
void add_bilstm_layers(const ModelSpec& spec, ModelProfile& p) {
  const int64_t t = spec.input_length, c = spec.input_channels, h = spec.hidden, d = spec.hidden;
  const int64_t dirs = spec.bidirectional ? 2 : 1;
  for (int64_t b = 0; b < spec.lstm_layers; ++b) {
    const std::string prefix = fmt::format("block{}.", b + 1);
    const int block = static_cast<int>(b);
    if (b == 0) {
      LayerProfile in;
      in.name = prefix + "dense_in";
      in.kind = "linear";
      in.block = block;
      in.out_shape = {d, t, 1};
      in.params = in.inference_params = c * d + d;
      in.macs = t * c * d;
      in.activations = 2 * t * d;  // linear and ReLU outputs
      p.layers.push_back(in);
    }
    LayerProfile l;
    l.name = prefix + "lstm";
    l.kind = "lstm";
    l.block = block;
    l.out_shape = {d, t, 1};
    l.params = dirs * (4 * h * (d + h) + 8 * h) + 2 * d;  // + BatchNorm
    l.macs = t * dirs * 4 * h * (d + h);
    l.activations = t * (dirs * 6 * h + 3 * d);  // gates, cell and hidden states; sum, BN, dropout
    if (spec.bidirectional) {
      l.params += 2 * h * d + d;  // the ReLU layer reducing both directions to d
      l.macs += t * 2 * h * d;
      l.activations += 2 * t * d;
    }
    l.inference_params = l.params;
    p.layers.push_back(l);
    p.block_shapes.push_back({d, t, 1});
  }
}

}  // namespace

ModelProfile profile_model(const ModelSpec& spec) {
  ModelProfile p;
  if (spec.model == "resnet")
    add_resnet_layers(spec, p);
  else if (spec.model == "bilstm")
    add_bilstm_layers(spec, p);
  else
    add_cnn_layers(spec, p);
  const std::vector<int64_t>& last = p.block_shapes.back();
  // The BiLSTM's classifier reads one time step (or the mean over time) of its d features.
  const int64_t features = spec.model == "bilstm" ? last[0] : last[0] * last[1] * last[2];
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
                           {"block", l.block},
                           {"out_shape", l.out_shape},
                           {"params", l.params},
                           {"inference_params", l.inference_params},
                           {"memory_mb", static_cast<double>(l.inference_params) * 4.0 / 1048576.0},
                           {"macs", l.macs},
                           {"activations", l.activations}});
  return {{"layers", layers_json},
          {"params", params},
          {"inference_params", inference_params},
          {"memory_mb", memory_mb},
          {"macs", macs}};
}

}  // namespace legohar
