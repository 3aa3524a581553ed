// What every exported model carries besides its weights: the names, window geometry and raw-sample
// preprocessing the runtime's model file describes (runtime::ModelMeta), and the normaliser the
// model was trained with, applied inside the exported model.
#pragma once

#include "legohar/data/normaliser.h"
#include "legohar/spec/model_spec.h"
#include "runtime/model_file.h"

namespace legohar {

struct ExportMetadata {
  // Class and channel names, window step, sample rate and preprocessing; the window length is
  // the model's own (its spec), whatever `file.window` says.
  runtime::ModelMeta file;
  Normaliser normaliser;
};

// A usage Error unless `meta` names as many classes and channels as `spec` has, and normalises
// that many channels.
void check_export_metadata(const ModelSpec& spec, const ExportMetadata& meta);

}  // namespace legohar
