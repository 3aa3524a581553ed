// ModelSpec: the one description of a CNN (name + options) shared by configs, checkpoints, export
// and `profile`. Pure data; building the LibTorch module from it is models/cnn.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace legohar {

// Conv(kernel x 1, stride x 1, padding on both axes) - BatchNorm - ReLU.
struct ConvLayerSpec {
  int64_t channels = 0;
  int64_t kernel = 0;
  int64_t stride = 1;
  int64_t padding = 0;
};

struct ModelSpec {
  std::string model = "baseline";  // "baseline" or "lego"
  int64_t input_length = 128;      // T: the input is [N, 1, T, C]
  int64_t input_channels = 9;      // C
  int64_t classes = 6;
  std::vector<ConvLayerSpec> layers;
  // Lego options (used when model == "lego"): o fragments, m = k / n Lego filters per output.
  int64_t o = 2;
  double m = 0.5;
  double mask_init_std = 1e-3;  // std of the initial mask logits (see lego_conv.h)

  // Lego convolution replaces every convolution but the first; the classifier stays dense.
  bool is_lego(size_t layer) const { return model == "lego" && layer > 0; }
  // k of layer `layer`: round(m * channels), at least 1.
  int64_t lego_filters(size_t layer) const;
  // Input channels of conv layer `layer`.
  int64_t in_channels(size_t layer) const { return layer == 0 ? 1 : layers[layer - 1].channels; }
  // Throws std::invalid_argument naming the problem (unknown model, o not dividing C, ...).
  void validate() const;
  // A short label: "baseline", "lego(o=2,m=0.5)", or "lego(o=2,m=0.5,mask_init_std=0.1)" when the
  // initial logits' scale is not the default.
  std::string label() const;

  nlohmann::json to_json() const;
  static ModelSpec from_json(const nlohmann::json& j);
};

}  // namespace legohar
