// Block-wise local losses (Nøkland and Eidnes's pred / sim / predsim heads per block, the graph cut
// after every block, each block with its own optimizer; the final classifier on the last block's
// detached output) and, with options.greedy, greedy training: one block at a time on its frozen
// predecessors (greedy_phase), the block-wise paper's Algorithm 1.
#pragma once

#include <memory>

#include "legohar/train/strategy.h"

namespace legohar {

std::unique_ptr<TrainingStrategy> make_local_strategy(HarModel& model, const TrainOptions& options,
                                                      const torch::Device& device);

}  // namespace legohar
