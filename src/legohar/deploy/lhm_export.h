// Export of a trained model of any family (baseline, lego, resnet, bilstm) to the runtime's model
// file (.lhm, runtime/model_file.h): BatchNorm folded into each convolution (an affine map where
// none precedes it), each Lego layer as its k filters, its selection and its coefficient per
// (fragment, output), a residual block as save, branch, add (of a projection when the shape
// changes), a BiLSTM layer as its dense rows, LSTM and BatchNorm, the normaliser and the names the
// runtime reports.
#pragma once

#include <filesystem>
#include <string>

#include "legohar/deploy/export_metadata.h"
#include "legohar/nn/model.h"

namespace legohar {

// The .lhm bytes of `model` (its BatchNorm running statistics, as in eval mode).
std::string lhm_bytes(HarModel& model, const ExportMetadata& meta);
// lhm_bytes written atomically to `file`.
void export_lhm(HarModel& model, const ExportMetadata& meta, const std::filesystem::path& file);

}  // namespace legohar
