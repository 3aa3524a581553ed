// Implementation of model_spec.h.
#include "legohar/models/model_spec.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace legohar {

int64_t ModelSpec::lego_filters(size_t layer) const {
  return std::max<int64_t>(1, std::llround(m * static_cast<double>(layers.at(layer).channels)));
}

void ModelSpec::validate() const {
  if (model != "baseline" && model != "lego")
    throw std::invalid_argument("unknown model '" + model + "' (use baseline or lego)");
  if (layers.empty()) throw std::invalid_argument("a model needs at least one convolution layer");
  if (classes < 2) throw std::invalid_argument("a model needs at least two classes");
  for (size_t i = 0; i < layers.size(); ++i) {
    const ConvLayerSpec& l = layers[i];
    if (l.channels < 1 || l.kernel < 1 || l.stride < 1 || l.padding < 0)
      throw std::invalid_argument(
          fmt::format("conv layer {}: channels, kernel and stride must be >= 1", i + 1));
    if (!is_lego(i)) continue;
    if (o < 1 || in_channels(i) % o != 0)
      throw std::invalid_argument(fmt::format(
          "lego layer {}: o = {} does not divide its {} input channels", i + 1, o, in_channels(i)));
    if (!(m > 0 && m <= 1)) throw std::invalid_argument("lego: m must lie in (0, 1]");
  }
}

std::string ModelSpec::label() const {
  if (model != "lego") return model;
  // The initial logits' scale only where it differs from the default: runs that differ in it get
  // rows of their own in tables.
  return mask_init_std == ModelSpec{}.mask_init_std
             ? fmt::format("lego(o={},m={})", o, m)
             : fmt::format("lego(o={},m={},mask_init_std={})", o, m, mask_init_std);
}

nlohmann::json ModelSpec::to_json() const {
  nlohmann::json layers_json = nlohmann::json::array();
  for (const auto& l : layers)
    layers_json.push_back({{"channels", l.channels},
                           {"kernel", l.kernel},
                           {"stride", l.stride},
                           {"padding", l.padding}});
  return {{"model", model},
          {"input_length", input_length},
          {"input_channels", input_channels},
          {"classes", classes},
          {"layers", layers_json},
          {"o", o},
          {"m", m},
          {"mask_init_std", mask_init_std}};
}

ModelSpec ModelSpec::from_json(const nlohmann::json& j) {
  ModelSpec s;
  j.at("model").get_to(s.model);
  j.at("input_length").get_to(s.input_length);
  j.at("input_channels").get_to(s.input_channels);
  j.at("classes").get_to(s.classes);
  for (const auto& l : j.at("layers"))
    s.layers.push_back({l.at("channels"), l.at("kernel"), l.at("stride"), l.at("padding")});
  j.at("o").get_to(s.o);
  j.at("m").get_to(s.m);
  j.at("mask_init_std").get_to(s.mask_init_std);
  s.validate();
  return s;
}

}  // namespace legohar
