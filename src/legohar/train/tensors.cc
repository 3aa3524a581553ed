// Implementation of tensors.h.
#include "legohar/train/tensors.h"

#include <cstring>

namespace legohar {

Examples make_examples(const WindowSet& w, const std::vector<size_t>& rows,
                       const Normaliser& norm) {
  Examples e;
  const torch::Tensor x = window_tensor(w, rows);  // [N, T, C]
  norm.apply(x.data_ptr<float>(), rows.size() * static_cast<size_t>(w.length));
  e.x = x.unsqueeze(1);
  e.y = torch::empty({static_cast<int64_t>(rows.size())}, torch::kInt64);
  int64_t* y = e.y.data_ptr<int64_t>();
  for (size_t i = 0; i < rows.size(); ++i) y[i] = w.labels[rows[i]];
  return e;
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
