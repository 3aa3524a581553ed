// Implementation of model_spec.h.
#include "legohar/spec/model_spec.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "legohar/common/error.h"
#include "legohar/spec/profile.h"

namespace legohar {
using nlohmann::json;

const std::vector<ModelFamily>& model_families() {
  static const std::vector<ModelFamily> families = {
      {"baseline", "the dataset's CNN: conv - BatchNorm - ReLU layers, a linear classifier"},
      {"lego", "the CNN with Lego convolutions in every layer but the first (--o, --m)"},
      {"resnet",
       "residual blocks (block-wise paper) over the dataset's conv stack, a linear classifier"},
      {"bilstm",
       "residual bidirectional LSTM layers (residual-bilstm readme), a linear classifier"},
  };
  return families;
}

nlohmann::json family_train_defaults(std::string_view family) {
  if (family == "bilstm")
    return {{"lr", 1e-3}, {"weight_decay", 5e-3}, {"clip_norm", 15.0}, {"batch_size", 100}};
  return json::object();
}

const std::vector<ModelOptionInfo>& model_option_table() {
  static const std::vector<ModelOptionInfo> table = [] {
    using S = ModelSpec;
    std::vector<std::string_view> names;
    for (const ModelFamily& f : model_families()) names.push_back(f.name);
    const std::vector<std::string_view> convolutional = {"baseline", "lego", "resnet"};
    using I = ModelOptionInfo;
    return std::vector<ModelOptionInfo>{
        I("model", "Model family", &S::model).one_of(names),
        I("o", "Lego: fragments the input channels are split into", &S::o)
            .in(Bounds::at_least(1))
            .only_for(convolutional)
            .of_lego_convolution(),
        I("m", "Lego: Lego filters per output channel, k = m * n", &S::m)
            .in({0, 1, true})
            .only_for(convolutional)
            .of_lego_convolution(),
        I("mask_init_std", "Lego: std of the initial mask logits", &S::mask_init_std)
            .in(Bounds::at_least(0))
            .only_for(convolutional)
            .trains_differently()
            .of_lego_convolution(),
        I("coefficients",
          "Lego: one coefficient per selection (the paper's) or per candidate filter (LegoNet's "
          "code)",
          &S::coefficients)
            .one_of({"per-selection", "per-candidate"})
            .only_for(convolutional)
            .trains_differently()
            .of_lego_convolution(),
        I("lego_init",
          "Lego: initial filters and coefficients: he (the Lego authors' code: He-normal filters, "
          "He-normal signed coefficients) or uniform (+-1/sqrt(C d) filters, coefficients 1; "
          "legohar's default before 2026-12-03)",
          &S::lego_init)
            .one_of({"he", "uniform"})
            .only_for(convolutional)
            .trains_differently()
            .of_lego_convolution()
            .in_older_records("uniform"),
        I("blocks", "ResNet: residual blocks", &S::blocks).in({2, 5}).only_for({"resnet"}),
        I("block", "ResNet: basic (two k x 1 convs) or bottleneck (1x1, k x 1, 1x1) blocks",
          &S::block)
            .one_of({"basic", "bottleneck"})
            .only_for({"resnet"}),
        I("order", "ResNet: activation order in a block", &S::order)
            .one_of({"relu-before-add", "full-preact", "relu-preact"})
            .only_for({"resnet"}),
        I("lego", "ResNet: Lego convolutions in the blocks (implied by --o or --m)", &S::lego)
            .only_for({"resnet"}),
        I("lstm_layers", "BiLSTM: stacked LSTM layers", &S::lstm_layers)
            .in({1, 8})
            .only_for({"bilstm"}),
        I("hidden", "BiLSTM: units per direction, and the width of the residual path", &S::hidden)
            .in({1, 4096})
            .only_for({"bilstm"}),
        I("residual", "BiLSTM: add each layer's input to its output", &S::residual)
            .only_for({"bilstm"}),
        I("bidirectional", "BiLSTM: both directions, concatenated then reduced by a ReLU layer",
          &S::bidirectional)
            .only_for({"bilstm"}),
        I("readout", "BiLSTM: what the classifier reads: the last time step or the mean over time",
          &S::readout)
            .one_of({"last", "mean"})
            .only_for({"bilstm"}),
        I("lstm_dropout", "BiLSTM: dropout on each layer's output", &S::lstm_dropout)
            .in({0, 1, false, true})
            .only_for({"bilstm"}),
    };
  }();
  return table;
}

const ModelOptionInfo* find_model_option(std::string_view key) {
  return find_option(model_option_table(), key);
}

int64_t ModelSpec::lego_filters_for(int64_t channels) const {
  return std::max<int64_t>(1, std::llround(m * static_cast<double>(channels)));
}

void ModelSpec::imply_lego(const std::vector<std::string>& keys_given) {
  if (model != "resnet") return;
  for (const std::string& k : keys_given)
    if (find_model_option(k)->lego_convolution) lego = true;
}

bool ModelSpec::has(const ModelOptionInfo& info) const {
  return info.applies_to(model) && (uses_lego() || !info.lego_convolution);
}

void ModelSpec::validate() const {
  for (const ModelOptionInfo& info : model_option_table()) info.check(*this);
  if (layers.empty()) throw Error::usage("a model needs at least one convolution layer");
  if (classes < 2) throw Error::usage("a model needs at least two classes");
  for (size_t i = 0; i < layers.size(); ++i) {
    const ConvLayerSpec& l = layers[i];
    if (l.channels < 1 || l.kernel < 1 || l.stride < 1 || l.padding < 0)
      throw Error::usage(
          fmt::format("conv layer {}: channels, kernel and stride must be >= 1", i + 1));
  }
  profile_model(*this);  // every family's shapes: no layer may be left without output positions
}

namespace {
// A value as a label shows it: numbers as fmt prints them, strings without quotes.
std::string label_value(const ModelOptionInfo& info, const ModelSpec& s) {
  return std::visit(
      [&](auto member) {
        if constexpr (std::is_same_v<std::decay_t<decltype(s.*member)>, std::string>)
          return s.*member;
        else
          return fmt::format("{}", s.*member);
      },
      info.field);
}
}  // namespace

std::vector<std::string> ModelSpec::settings(Settings which) const {
  const ModelSpec defaults;
  std::vector<std::string> parts;
  for (const ModelOptionInfo& info : model_option_table()) {
    const std::string_view k = info.key;
    if (k == "model" || k == "lego" || !has(info)) continue;
    if ((which == Settings::kArchitecture && info.varies_training) ||
        (which == Settings::kTraining && !info.varies_training))
      continue;
    // o and m always name a Lego model; everything else where it is not the default.
    if ((k == "o" || k == "m") || info.get(*this) != info.get(defaults))
      parts.push_back(fmt::format("{}={}", k, label_value(info, *this)));
  }
  return parts;
}

namespace {
// "lego(o=2,m=0.5)", or the bare family without settings.
std::string family_with(const std::string& family, const std::vector<std::string>& settings) {
  return settings.empty() ? family : fmt::format("{}({})", family, fmt::join(settings, ","));
}
}  // namespace

std::string ModelSpec::label() const {
  return family_with(model, settings(Settings::kAll));
}

std::string ModelSpec::architecture_label() const {
  return family_with(model, settings(Settings::kArchitecture));
}

json ModelSpec::to_json() const {
  json layers_json = json::array();
  for (const auto& l : layers)
    layers_json.push_back({{"channels", l.channels},
                           {"kernel", l.kernel},
                           {"stride", l.stride},
                           {"padding", l.padding}});
  json j = {{"input_length", input_length},
            {"input_channels", input_channels},
            {"classes", classes},
            {"layers", layers_json}};
  for (const ModelOptionInfo& info : model_option_table())
    if (has(info)) j[std::string(info.key)] = info.get(*this);
  return j;
}

ModelSpec ModelSpec::from_json(const json& j) {
  ModelSpec s;
  j.at("input_length").get_to(s.input_length);
  j.at("input_channels").get_to(s.input_channels);
  j.at("classes").get_to(s.classes);
  for (const auto& l : j.at("layers"))
    s.layers.push_back({l.at("channels"), l.at("kernel"), l.at("stride"), l.at("padding")});
  for (const ModelOptionInfo& info : model_option_table()) info.read_record(s, j);
  s.validate();
  return s;
}

}  // namespace legohar
