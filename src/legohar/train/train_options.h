// TrainOptions: every hyper-parameter of a training run, with the dataset config's defaults
// overridden by the command line. Stored in checkpoints and metrics.json.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace legohar {

struct TrainOptions {
  int epochs = 20;
  int batch_size = 200;
  double lr = 4e-4;
  int lr_step = 100;  // multiply the learning rate by lr_gamma every lr_step epochs
  double lr_gamma = 0.1;
  double weight_decay = 0.0;
  double mask_lr = 0.01;        // Adam learning rate of the Lego mask logits
  double balance = 0.0;         // weight of the Lego-usage balance term
  bool freeze_mask = false;     // keep the random initial Lego assignment
  std::string loss = "global";  // "global" back-propagation or layer-wise "local" losses
  double alpha = 0.99;   // local: weight of the similarity loss against the local classifier's
  double dropout = 0.0;  // local: dropout on each block's output passed to the next block
  bool greedy = false;   // local: train block 1 to the end, then block 2, ... (epochs split evenly)
  double head_lr =
      0.0;  // local: Adam learning rate of the local heads and final classifier (0: lr)
  uint64_t seed = 1;
  std::string protocol = "subjects";

  nlohmann::json to_json() const;
  static TrainOptions from_json(const nlohmann::json& j);
};

}  // namespace legohar
