// Implementation of tensors.h.
#include "legohar/train/tensors.h"

#include <cstring>
#include <stdexcept>

namespace legohar {

Examples::Examples(const WindowSet& w, std::vector<size_t> rows, Normaliser norm)
    : windows_(&w), rows_(std::move(rows)), norm_(std::move(norm)) {
  y_ = torch::empty({static_cast<int64_t>(rows_.size())}, torch::kInt64);
  int64_t* y = y_.data_ptr<int64_t>();
  for (size_t i = 0; i < rows_.size(); ++i) y[i] = w.labels[rows_[i]];
}

Examples::Examples(torch::Tensor x, torch::Tensor y) : x_(std::move(x)), y_(std::move(y)) {
  if (x_.size(0) != y_.size(0)) throw std::invalid_argument("Examples: x and y differ in size");
}

torch::Tensor Examples::rows_tensor(const std::vector<size_t>& rows) const {
  const torch::Tensor x = window_tensor(*windows_, rows);  // [B, T, C]
  norm_.apply(x.data_ptr<float>(), rows.size() * static_cast<size_t>(windows_->length));
  return x.unsqueeze(1);
}

torch::Tensor Examples::x(int64_t begin, int64_t end) const {
  if (x_.defined()) return x_.slice(0, begin, end);
  return rows_tensor(std::vector<size_t>(rows_.begin() + begin, rows_.begin() + end));
}

torch::Tensor Examples::x(const torch::Tensor& index) const {
  if (x_.defined()) return x_.index_select(0, index);
  const auto* i = index.data_ptr<int64_t>();
  std::vector<size_t> rows(static_cast<size_t>(index.size(0)));
  for (size_t k = 0; k < rows.size(); ++k) rows[k] = rows_[static_cast<size_t>(i[k])];
  return rows_tensor(rows);
}

torch::Tensor window_tensor(const WindowSet& w, const std::vector<size_t>& rows) {
  torch::Tensor x = torch::empty({static_cast<int64_t>(rows.size()), w.length, w.channels});
  const size_t per = static_cast<size_t>(w.length * w.channels);
  float* out = x.data_ptr<float>();
  for (size_t i = 0; i < rows.size(); ++i)
    std::memcpy(out + i * per, w.window(rows[i]), per * sizeof(float));
  return x;
}

}  // namespace legohar
