// Analytic model size and cost per layer, without building the model: trainable parameters,
// inference parameters, memory (inference parameters x 4 bytes, in MiB, as the Lego paper's
// "Memory") and multiply-accumulates per window.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/models/model_spec.h"

namespace legohar {

struct LayerProfile {
  std::string name;                // "conv1", "lego2", "fc"
  std::string kind;                // "conv", "lego", "linear"
  std::vector<int64_t> out_shape;  // [C, H, W] or [classes]
  int64_t params = 0;              // trainable, mask logits included; BatchNorm weight and bias
  int64_t inference_params = 0;    // mask logits replaced by a selected index + coefficient
  int64_t macs = 0;                // per window; Lego: transform + merge
};

struct ModelProfile {
  std::vector<LayerProfile> layers;
  int64_t params = 0;
  int64_t inference_params = 0;
  int64_t macs = 0;
  double memory_mb = 0;  // inference_params * 4 / 2^20

  nlohmann::json to_json() const;
};

ModelProfile profile_model(const ModelSpec& spec);

// Output length of a convolution along one axis.
int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t padding);

}  // namespace legohar
