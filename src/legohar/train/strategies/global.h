// Global back-propagation: one optimizer over every weight (and the Lego mask logits unless the
// mask is frozen), one cross-entropy loss on the final classifier.
#pragma once

#include <memory>

#include "legohar/train/strategy.h"

namespace legohar {

std::unique_ptr<TrainingStrategy> make_global_strategy(HarModel& model, const TrainOptions& options,
                                                       const torch::Device& device);

}  // namespace legohar
