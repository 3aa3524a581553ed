// Analytic model size and cost per layer of any model family, without building the model:
// trainable parameters, inference parameters, memory (inference parameters x 4 bytes, in MiB, as
// the Lego paper's "Memory"), multiply-accumulates per window, each block's output shape, and the
// activations a training step keeps for its backward pass.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/spec/model_spec.h"

namespace legohar {

struct LayerProfile {
  std::string name;                // "conv1", "lego2", "block1.conv2", "block1.shortcut", "fc"
  std::string kind;                // "conv", "lego", "linear"
  int block = -1;                  // the block it belongs to (local training); -1: the classifier
  std::vector<int64_t> out_shape;  // [C, H, W] or [classes]
  int64_t params = 0;              // trainable, mask logits included; BatchNorm weight and bias
  int64_t inference_params = 0;    // mask logits replaced by a selected index + coefficient
  int64_t macs = 0;                // per window; Lego: transform + merge
  // Floats per window kept for the backward pass (convolution, BatchNorm and ReLU outputs, a
  // Lego layer's transform maps, a residual sum).
  int64_t activations = 0;
};

struct ModelProfile {
  std::vector<LayerProfile> layers;
  std::vector<std::vector<int64_t>> block_shapes;  // each block's output [C, H, W]
  int64_t params = 0;
  int64_t inference_params = 0;
  int64_t macs = 0;
  double memory_mb = 0;  // inference_params * 4 / 2^20

  nlohmann::json to_json() const;
};

// Throws a usage Error when a layer leaves no output positions or o does not divide a
// Lego layer's input channels.
ModelProfile profile_model(const ModelSpec& spec);

// Output length of a convolution along one axis.
int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t padding);

}  // namespace legohar
