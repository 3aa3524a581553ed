// Builds a model of any family (model_families() in spec/model_spec.h) from its spec.
#pragma once

#include <memory>

#include "legohar/nn/model.h"

namespace legohar {

// A new model with freshly initialised parameters (drawn from LibTorch's generator, so a seed set
// before fixes them). Throws a usage Error for an invalid spec or an unknown family.
std::shared_ptr<HarModel> build_model(const ModelSpec& spec);

}  // namespace legohar
