// TrainOptions: every hyper-parameter of a training run, with the dataset config's defaults
// overridden by the command line. Stored in checkpoints and metrics.json. Each option is declared
// once, in train_option_table() (see option_table.h): its JSON and TOML key, its command-line flag,
// its help and its valid values come from that one declaration.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/spec/model_spec.h"
#include "legohar/spec/option_table.h"

namespace legohar {

struct TrainOptions {
  int epochs = 20;
  int batch_size = 200;
  double lr = 4e-4;
  std::string schedule = "cosine";  // "cosine", "step" or "constant" (see lr_factor)
  int warmup_epochs = 0;   // linear warm-up epochs before the schedule (at most epochs - 1)
  double lr_floor = 0.01;  // cosine: the last epoch's lr as a fraction of lr
  int lr_step = 100;       // step: multiply the learning rate by lr_gamma every lr_step epochs
  double lr_gamma = 0.1;
  double weight_decay = 0.0;
  double clip_norm = 0.0;        // clip each optimizer step's gradient norm to this (0: never)
  double label_smoothing = 0.0;  // of every training cross-entropy (classification_loss.h)
  int val_subjects = 0;          // training subjects held out for validation and model selection
  double mask_lr = 0.01;         // Adam learning rate of the Lego mask logits
  double balance = 0.0;          // weight of the Lego-usage balance term
  bool freeze_mask = false;      // keep the random initial Lego assignment
  int mask_freeze_epoch = -1;    // freeze the Lego selection after this epoch (0: never; -1: after
                                 // 3/4 of the run, see mask_freeze_after)
  std::string loss = "global";   // "global" back-propagation or layer-wise "local" losses
  std::string local_loss = "predsim";  // local: each block's loss: "pred", "sim" or "predsim"
  double alpha = 0.99;   // local: weight of the similarity loss against the local classifier's
  double dropout = 0.0;  // dropout on each block's output passed on (local: after its loss)
  bool greedy = false;   // local: train block 1 to the end, then block 2, ... (greedy_phase)
  double head_lr =
      0.0;  // local: Adam learning rate of the local heads and final classifier (0: lr)
  int pred_features = 0;        // local: average-pool the local classifier's input to at most
                                // this many features (0: the whole block output)
  bool head_zero_init = false;  // local: the local classifiers start at zero weights
  int sim_pool = 1;             // local: average-pool the block output k x k before the sim head
  uint64_t seed = 1;
  std::string protocol = "subjects";
  bool causal_filters = false;  // raw recordings: the UCI-HAR chain with forward-only filters

  // Throws a usage Error naming the option, the value and its valid range or choices.
  void validate() const;
  nlohmann::json to_json() const;
  // Keys missing from `j` keep their defaults, except in records made before the option existed:
  // without "schedule" a run used the step schedule, without "mask_freeze_epoch" it never froze.
  static TrainOptions from_json(const nlohmann::json& j);
};

using TrainOptionInfo = OptionInfo<TrainOptions>;

const std::vector<TrainOptionInfo>& train_option_table();
// The option with this key, or nullptr.
const TrainOptionInfo* find_train_option(std::string_view key);

// `base` with the training options the model family brings (family_train_defaults() in
// model_spec.h) in place of the dataset file's.
TrainOptions with_family_defaults(TrainOptions base, std::string_view family);

// Warm-up epochs of a run: warmup_epochs, but at most epochs - 1 (a run always reaches its
// schedule).
int warmup_epochs(const TrainOptions& o);

// The epoch after which the Lego selection is frozen (0: never): mask_freeze_epoch, or with -1
// three quarters of the run, rounded (15 of 20 epochs, 4 of 5). Depends on the run's length then.
int mask_freeze_after(const TrainOptions& o);

// The factor every learning rate of epoch `epoch` (1-based) is multiplied by: a linear warm-up
// (epoch / (W + 1)) for the first W = warmup_epochs(o) epochs, then
//   constant: 1;   step: lr_gamma ^ floor((e - 1) / lr_step);
//   cosine: floor + (1 - floor) (1 + cos(pi t)) / 2, t = (e - 1) / (E - 1) going from 0 at the
//   first epoch after the warm-up (e counted from there) to 1 at the run's last epoch E.
// Cosine, and any warm-up (capped by the length), depend on the run's length.
double lr_factor(const TrainOptions& o, int epoch);

// Greedy training (options.greedy) splits the run's epochs evenly among the model's blocks, in
// order: block b of B trains in the epochs e with floor((e - 1) B / E) == b, and the final
// classifier with the last block. Needs E >= B (an error otherwise).
struct GreedyPhase {
  int block = 0;        // 0-based
  int first_epoch = 1;  // of the run, 1-based
  int epochs = 1;       // the phase's length
};
GreedyPhase greedy_phase(const TrainOptions& o, int blocks, int epoch);
// The factor of epoch `epoch` for a model of `blocks` blocks: lr_factor(o, epoch), except that
// greedy training runs the schedule anew in every phase, over the phase's own epochs (its own
// warm-up; a cosine decay reaches the floor at the phase's last epoch), so that each block trains
// from the full rate down, not only the first block.
double lr_factor(const TrainOptions& o, int epoch, int blocks);
// What ties a run to its number of epochs, so that a longer run is not its continuation: the
// options that make lr_factor or mask_freeze_after depend on it, in words ("" if none).
std::string run_length_dependence(const TrainOptions& o);

// The settings in which a recorded run (its model spec and training options as JSON, each read
// back through its parser so that an option added since takes its default) differs from `spec`
// and `o`, worded as differing_keys() words them; `epochs` is not compared with `ignore_epochs`.
std::vector<std::string> recorded_settings_differ(const nlohmann::json& model,
                                                  const nlohmann::json& options,
                                                  const ModelSpec& spec, const TrainOptions& o,
                                                  bool ignore_epochs = false);

}  // namespace legohar
