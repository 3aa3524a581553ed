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
#include "runtime/model_file.h"

namespace legohar {

struct LhmMetadata {
  // Class and channel names, window step, sample rate and preprocessing; the window length is
  // the model's own (its spec), whatever `file.window` says.
  runtime::ModelMeta file;
  Normaliser normaliser;
};

// The .lhm bytes of `model` (its BatchNorm running statistics, as in eval mode).
std::string lhm_bytes(HarModel& model, const LhmMetadata& meta);
// lhm_bytes written atomically to `file`.
void export_lhm(HarModel& model, const LhmMetadata& meta, const std::filesystem::path& file);

}  // namespace legohar
