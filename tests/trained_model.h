// Models as the exporters meet them, for their tests: weights, Lego selections and BatchNorm
// statistics and affine parameters away from their initial values (so that folding matters), and
// metadata naming the classes and channels with a non-trivial normaliser; the table of layouts
// both exporters are tested on.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "legohar/deploy/export_metadata.h"
#include "legohar/nn/registry.h"
#include "test_support.h"

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

struct ExportLayout {
  std::string name;
  ModelSpec spec;
};

inline ModelSpec cnn_layout(const std::string& family, int64_t o, double m,
                            const std::string& coefficients) {
  ModelSpec s = tiny_spec(family, {{8, 5, 1, 2}, {8, 3, 2, 1}, {12, 3, 1, 0}});
  s.o = o;
  s.m = m;
  s.coefficients = coefficients;
  s.mask_init_std = 1.0;  // selections away from filter 0
  return s;
}

inline ModelSpec resnet_layout(const std::string& block, const std::string& order, bool lego,
                               int64_t blocks, std::vector<ConvLayerSpec> layers) {
  ModelSpec s = tiny_spec("resnet", std::move(layers));
  s.input_length = 40;
  s.input_channels = 4;
  s.block = block;
  s.order = order;
  s.blocks = blocks;
  s.lego = lego;
  s.o = 2;
  s.m = 0.5;
  s.mask_init_std = 1.0;
  return s;
}

inline ModelSpec bilstm_layout(bool residual, bool bidirectional, const std::string& readout) {
  ModelSpec s = tiny_spec("bilstm", {{4, 3, 1, 0}});
  s.input_length = 12;
  s.input_channels = 3;
  s.lstm_layers = 2;
  s.hidden = 5;
  s.residual = residual;
  s.bidirectional = bidirectional;
  s.readout = readout;
  return s;
}

// Every family over a table of layouts, as the exporters' tests run them: baseline; Lego CNNs
// with 1, 2 and 4 fragments and both kinds of coefficient; ResNets in each activation order, basic
// and bottleneck, with and without Lego layers, projection shortcuts (one whose rows are offset);
// BiLSTMs one- and two-directional, residual or not, either readout.
inline std::vector<ExportLayout> export_layouts() {
  return {
      {"baseline", cnn_layout("baseline", 2, 0.5, "per-selection")},
      {"lego_o1", cnn_layout("lego", 1, 0.5, "per-selection")},
      {"lego_o2", cnn_layout("lego", 2, 0.5, "per-selection")},
      {"lego_o4_candidate", cnn_layout("lego", 4, 0.25, "per-candidate")},
      {"resnet_basic", resnet_layout("basic", "relu-before-add", false, 3,
                                     {{6, 5, 2, 1}, {8, 4, 2, 2}, {8, 3, 1, 1}})},
      {"resnet_lego_preact",
       resnet_layout("bottleneck", "full-preact", true, 4, {{8, 6, 3, 1}, {16, 4, 2, 0}})},
      {"resnet_relu_preact",
       resnet_layout("basic", "relu-preact", true, 2, {{4, 6, 3, 1}, {8, 6, 3, 1}})},
      {"resnet_offset",
       resnet_layout("bottleneck", "relu-before-add", false, 2, {{8, 3, 1, 0}, {8, 3, 1, 1}})},
      {"bilstm", bilstm_layout(true, true, "last")},
      {"lstm_mean", bilstm_layout(false, false, "mean")},
      {"bilstm_plain_mean", bilstm_layout(false, true, "mean")},
  };
}

}  // namespace legohar::test
