// Implementation of strategy.h: the choice of strategy and the activation estimate.
#include "legohar/train/strategy.h"

#include "legohar/common/error.h"
#include "legohar/spec/profile.h"
#include "legohar/train/strategies/global.h"
#include "legohar/train/strategies/local.h"

namespace legohar {

std::unique_ptr<TrainingStrategy> make_strategy(HarModel& model, const TrainOptions& o,
                                                const torch::Device& device) {
  if (o.loss == "global") {
    if (o.greedy) throw Error::usage("--greedy needs --loss local");
    return make_global_strategy(model, o, device);
  }
  if (o.loss == "local") return make_local_strategy(model, o, device);
  throw Error::usage("unknown loss '" + o.loss + "' (use global or local)");
}

int64_t activation_bytes_per_step(const ModelSpec& spec, const TrainOptions& o) {
  const ModelProfile p = profile_model(spec);
  std::vector<int64_t> per_block(p.block_shapes.size(), 0);
  for (const LayerProfile& l : p.layers)
    if (l.block >= 0) per_block[static_cast<size_t>(l.block)] += l.activations;
  int64_t sum = 0, largest = 0;
  const int64_t k = std::max(1, o.sim_pool);
  for (size_t b = 0; b < per_block.size(); ++b) {
    const auto& s = p.block_shapes[b];
    sum += per_block[b];
    const int64_t sim = s[0] * ((s[1] + k - 1) / k) * ((s[2] + k - 1) / k);
    largest = std::max(largest, per_block[b] + sim);  // + the sim head's convolution
  }
  return 4 * static_cast<int64_t>(o.batch_size) * (o.loss == "local" ? largest : sum);
}

}  // namespace legohar
