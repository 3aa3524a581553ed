// ModelSpec: the one description of a model (its family, the dataset's convolution stack, and the
// family's options) shared by configs, checkpoints, profile, experiments and export. Pure data:
// the LibTorch module is built from it by nn/registry.h. Each model option is declared once in
// model_option_table() (flags, TOML and JSON keys, valid values, the families it applies to).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/spec/option_table.h"

namespace legohar {

// Conv(kernel x 1, stride x 1, padding on both axes) - BatchNorm - ReLU.
struct ConvLayerSpec {
  int64_t channels = 0;
  int64_t kernel = 0;
  int64_t stride = 1;
  int64_t padding = 0;
};

// A model family: its name (--model) and what it is.
struct ModelFamily {
  std::string_view name;
  std::string_view help;
};
// baseline, lego, resnet, bilstm.
const std::vector<ModelFamily>& model_families();

// Training options a family brings in place of the dataset file's (the BiLSTM readme's Adam 1e-3,
// L2 0.005, gradient clipping at 15, batch 100), as JSON keys of TrainOptions; flags and
// experiment keys still override them. Empty for the CNN and ResNet families.
nlohmann::json family_train_defaults(std::string_view family);

struct ModelSpec {
  std::string model = "baseline";  // the family (model_families())
  int64_t input_length = 128;      // T: the input is [N, 1, T, C]
  int64_t input_channels = 9;      // C
  int64_t classes = 6;
  // The dataset's convolution stack: the CNN's layers; a ResNet's blocks take their width, kernel,
  // stride and padding from it (blocks beyond it repeat the last layer's width at stride 1).
  std::vector<ConvLayerSpec> layers;
  // Lego convolution (every family with convolutions: "lego" is the CNN with it, "resnet" with
  // lego = true): o fragments, m = k / n Lego filters per output, the initial logits' std,
  // one coefficient per selection (the paper's) or per candidate filter (LegoNet's code), and the
  // initialisation of filters and coefficients (lego_conv.h).
  int64_t o = 2;
  double m = 0.5;
  double mask_init_std = 1e-3;
  std::string coefficients = "per-selection";  // or "per-candidate"
  std::string lego_init = "he";                // or "uniform"
  // ResNet (block-wise paper): residual blocks, their kind and their activation order.
  int64_t blocks = 3;
  std::string block = "basic";            // basic: 2 k x 1 convs; bottleneck: 1x1, k x 1, 1x1
  std::string order = "relu-before-add";  // or "full-preact", "relu-preact"
  bool lego = false;                      // ResNet: Lego convolutions in the blocks
  // Residual bidirectional LSTM (residual-bilstm readme): stacked layers of `hidden` units per
  // direction, each layer's input added to its output, the last time step (or the mean over
  // time) into the classifier, dropout on each layer's output.
  int64_t lstm_layers = 2;
  int64_t hidden = 28;
  bool residual = true;
  bool bidirectional = true;
  std::string readout = "last";  // or "mean"
  double lstm_dropout = 0.15;    // the readme's keep probability 0.85

  // Called with the option keys a user set for this model (flags, a [[run]]'s keys): a Lego
  // option (o, m, ...) on a ResNet turns its Lego convolutions on.
  void imply_lego(const std::vector<std::string>& keys_given);
  // Whether the family's k x 1 convolutions (all but the network's first) are Lego convolutions.
  bool uses_lego() const { return model == "lego" || (model == "resnet" && lego); }
  // Whether an option means something for this model: its family has it, and a Lego option only
  // where the model has Lego convolutions. Labels and records hold only these.
  bool has(const OptionInfo<ModelSpec>& info) const;
  // Lego filters of a convolution with `channels` outputs: round(m * channels), at least 1.
  int64_t lego_filters_for(int64_t channels) const;
  // CNN: whether conv layer `layer` is a Lego convolution, its k, and its input channels.
  bool is_lego(size_t layer) const { return uses_lego() && layer > 0; }
  int64_t lego_filters(size_t layer) const { return lego_filters_for(layers.at(layer).channels); }
  int64_t in_channels(size_t layer) const { return layer == 0 ? 1 : layers[layer - 1].channels; }
  // Throws a usage Error naming the problem (unknown model, o not dividing C, a value out
  // of its range, ...).
  void validate() const;
  // A short label: "baseline", "lego(o=2,m=0.5)", "resnet", "resnet(o=2,m=0.5,blocks=4)": the
  // family and the options that differ from their defaults.
  std::string label() const;
  // Which options settings() lists: all of them, those naming the architecture, or those that
  // train one architecture differently (ModelOptionInfo::varies_training: mask_init_std,
  // coefficients, lego_init).
  enum class Settings { kAll, kArchitecture, kTraining };
  // The options of label() as "key=value" ("o=2", "coefficients=per-candidate"), in table order.
  std::vector<std::string> settings(Settings which) const;
  // label() without the training-only options: "lego(o=2,m=0.5)" for a per-candidate Lego CNN;
  // tables name those options beside the loss, so that the run pairs with the default's.
  std::string architecture_label() const;

  // The family's options only (a CNN's record is what it was before other families existed).
  nlohmann::json to_json() const;
  // Keys missing from `j` keep their defaults; validates.
  static ModelSpec from_json(const nlohmann::json& j);
};

using ModelOptionInfo = OptionInfo<ModelSpec>;
// model; o, m, mask_init_std, coefficients, lego_init; blocks, block, order, lego; lstm_layers,
// hidden, residual, bidirectional, readout, lstm_dropout.
const std::vector<ModelOptionInfo>& model_option_table();
const ModelOptionInfo* find_model_option(std::string_view key);

}  // namespace legohar
