// Turning windows into model inputs: the rows of a split, standardised, as [B, 1, T, C] tensors a
// batch at a time (or as they are, [N, T, C], for exported models that standardise them
// themselves). Windows are views into their recordings (data/window_set.h): a split made one
// tensor whole would copy every overlapping window, so Examples copies only the batch asked for.
#pragma once

#include <torch/types.h>

#include <vector>

#include "legohar/data/normaliser.h"
#include "legohar/data/window_set.h"

namespace legohar {

class Examples {
 public:
  Examples() = default;
  // The windows `rows` of `w` (which must outlive this), standardised by `norm`.
  Examples(const WindowSet& w, std::vector<size_t> rows, Normaliser norm);
  // Inputs given whole: x [N, 1, T, C] float, y [N] int64 (tests).
  Examples(torch::Tensor x, torch::Tensor y);

  int64_t size() const { return y_.defined() ? y_.size(0) : 0; }
  const torch::Tensor& y() const { return y_; }  // [N] int64 class index
  // Examples [begin, end) as [end - begin, 1, T, C].
  torch::Tensor x(int64_t begin, int64_t end) const;
  // The examples at `index` ([B] int64) as [B, 1, T, C].
  torch::Tensor x(const torch::Tensor& index) const;

 private:
  torch::Tensor rows_tensor(const std::vector<size_t>& rows) const;

  const WindowSet* windows_ = nullptr;
  std::vector<size_t> rows_;
  Normaliser norm_;
  torch::Tensor x_, y_;
};

// The windows of `rows` as the dataset holds them (not standardised): what exported models take.
// [N, T, C] float
torch::Tensor window_tensor(const WindowSet& w, const std::vector<size_t>& rows);

}  // namespace legohar
