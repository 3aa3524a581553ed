// Implementation of tensors.h.
#include "legohar/train/tensors.h"

#include <cstring>

namespace legohar {

Examples make_examples(const WindowSet& w, const std::vector<size_t>& rows,
                       const Normaliser& norm) {
  const auto n = static_cast<int64_t>(rows.size());
  Examples e;
  e.x = torch::empty({n, 1, w.length, w.channels});
  e.y = torch::empty({n}, torch::kInt64);
  const size_t per = static_cast<size_t>(w.length * w.channels);
  float* x = e.x.data_ptr<float>();
  int64_t* y = e.y.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(x + i * per, w.window(rows[i]), per * sizeof(float));
    norm.apply(x + i * per, static_cast<size_t>(w.length));
    y[i] = w.labels[rows[i]];
  }
  return e;
}

}  // namespace legohar
