// Turning windows into model inputs: the rows of a split, standardised, as [N, 1, T, C] tensors
// (or as they are, [N, T, C], for exported models that standardise them themselves).
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
// The windows of `rows` as the dataset holds them (not standardised): what exported models take.
// [N, T, C] float
torch::Tensor window_tensor(const WindowSet& w, const std::vector<size_t>& rows);

}  // namespace legohar
