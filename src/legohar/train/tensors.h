// Turning windows into model inputs: the rows of a split, standardised, as [N, 1, T, C] tensors.
#pragma once

#include <torch/types.h>

#include <vector>

#include "legohar/data/normaliser.h"
#include "legohar/data/window_set.h"

namespace legohar {

struct Examples {
  torch::Tensor x;  // [N, 1, T, C] float
  torch::Tensor y;  // [N] int64 class index
};

Examples make_examples(const WindowSet& w, const std::vector<size_t>& rows, const Normaliser& norm);

}  // namespace legohar
