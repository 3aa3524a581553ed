// Training progress on standard error: a live line updated per batch and a line per epoch (loss,
// train accuracy, test weighted F1, s/epoch, ETA) on a terminal; only the epoch lines in a log.
#pragma once

#include "legohar/train/trainer.h"

namespace legohar::cli {

class Progress {
 public:
  explicit Progress(bool terminal) : terminal_(terminal) {}
  void batch(int epoch, int epochs, int64_t batch, int64_t batches, double loss);
  void epoch(const EpochRecord& r, int epochs);
  // Hooks for RunSettings.
  void attach(RunSettings& settings);

 private:
  bool terminal_;
};

}  // namespace legohar::cli
