// Models as the exporters meet them, for their tests: weights, Lego selections and BatchNorm
// statistics and affine parameters away from their initial values (so that folding matters), and
// metadata naming the classes and channels with a non-trivial normaliser.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>

#include "legohar/deploy/export_metadata.h"
#include "legohar/nn/registry.h"

namespace legohar::test {

// `spec`'s model with random BatchNorm statistics and affine parameters and random Lego
// coefficients, in eval mode. Build the spec with mask_init_std well above its default so that the
// selections are not all filter 0.
inline std::shared_ptr<HarModel> trained_like(const ModelSpec& spec, uint64_t seed = 7) {
  torch::manual_seed(seed);
  auto model = build_model(spec);
  torch::NoGradGuard no_grad;
  for (const auto& m : model->modules())
    if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get())) {
      bn->running_mean.normal_(0, 0.3);
      bn->running_var.uniform_(0.5, 2);
      bn->weight.normal_(0.5, 0.5);
      bn->bias.normal_(0, 0.5);
    } else if (auto* lego = dynamic_cast<LegoConv2dImpl*>(m.get())) {
      lego->coefficients.normal_(0.5, 0.5);
    }
  model->eval();
  return model;
}

// Class names "c0", "c1", ...; channel names "ch0", ...; mean 0.1 c, std 0.5 + 0.1 c.
inline ExportMetadata export_metadata(const ModelSpec& spec) {
  ExportMetadata meta;
  for (int64_t k = 0; k < spec.classes; ++k) meta.file.classes.push_back("c" + std::to_string(k));
  for (int64_t c = 0; c < spec.input_channels; ++c) {
    meta.file.channels.push_back("ch" + std::to_string(c));
    meta.normaliser.mean.push_back(0.1f * static_cast<float>(c));
    meta.normaliser.std.push_back(0.5f + 0.1f * static_cast<float>(c));
  }
  return meta;
}

// LibTorch's logits for windows `raw` [N, T, C] as the exported models take them (standardised by
// `meta`'s normaliser here). [N, classes]
inline torch::Tensor libtorch_logits(HarModel& model, const ExportMetadata& meta,
                                     const torch::Tensor& raw) {
  torch::NoGradGuard no_grad;
  const torch::Tensor mean = torch::tensor(meta.normaliser.mean),
                      std = torch::tensor(meta.normaliser.std);
  return model.forward(((raw - mean) / std).unsqueeze(1));
}

}  // namespace legohar::test
