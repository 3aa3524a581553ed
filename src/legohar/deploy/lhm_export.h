// Export of a trained CNN (families baseline and lego) to the runtime's model file (.lhm,
// runtime/model_file.h): BatchNorm folded into each convolution, each Lego layer as its k filters,
// its selection and its coefficient per (fragment, output), the normaliser and the names the
// runtime reports. Other families are refused until the runtime has their operators.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "legohar/data/normaliser.h"
#include "legohar/nn/model.h"

namespace legohar {

struct LhmMetadata {
  std::vector<std::string> class_names;
  std::vector<std::string> channel_names;  // the window's channels, in order
  Normaliser normaliser;
  // What a stream needs (runtime::ModelMeta): window step, sample rate, and the preprocessing
  // from raw samples to the channels ("" when the raw samples are the channels).
  size_t step = 0;
  double sample_rate_hz = 0;
  std::string preprocess;
};

// The .lhm bytes of `model` (its BatchNorm running statistics, as in eval mode).
std::string lhm_bytes(HarModel& model, const LhmMetadata& meta);
// lhm_bytes written atomically to `file`.
void export_lhm(HarModel& model, const LhmMetadata& meta, const std::filesystem::path& file);

}  // namespace legohar
