// The HAR CNN (families "baseline" and "lego"): per conv layer of the spec, Conv (or LegoConv for
// every layer but the first when the spec uses Lego) - BatchNorm - ReLU as one block, then
// flatten and one Linear classifier.
#pragma once

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include "legohar/nn/model.h"

namespace legohar {

class CnnImpl : public FlatClassifierModel<torch::nn::Sequential> {  // conv - bn - relu blocks
 public:
  explicit CnnImpl(const ModelSpec& spec);
};
TORCH_MODULE(Cnn);

}  // namespace legohar
