// Implementation of registry.h: one builder per family of model_families().
#include "legohar/nn/registry.h"

#include <functional>
#include <map>
#include <stdexcept>

#include "legohar/common/error.h"
#include "legohar/nn/bilstm.h"
#include "legohar/nn/cnn.h"
#include "legohar/nn/resnet.h"

namespace legohar {

std::shared_ptr<HarModel> build_model(const ModelSpec& spec) {
  using Builder = std::function<std::shared_ptr<HarModel>(const ModelSpec&)>;
  static const std::map<std::string, Builder, std::less<>> builders = {
      {"baseline", [](const ModelSpec& s) { return std::make_shared<CnnImpl>(s); }},
      {"lego", [](const ModelSpec& s) { return std::make_shared<CnnImpl>(s); }},
      {"resnet", [](const ModelSpec& s) { return std::make_shared<ResNetImpl>(s); }},
      {"bilstm", [](const ModelSpec& s) { return std::make_shared<BiLstmImpl>(s); }},
  };
  const auto it = builders.find(spec.model);
  if (it == builders.end()) {
    spec.validate();  // names the valid families
    throw Error::usage("no builder for model family '" + spec.model + "'");
  }
  return it->second(spec);
}

}  // namespace legohar
