// Implementation of export_metadata.h.
#include "legohar/deploy/export_metadata.h"

#include <string>

#include "legohar/common/error.h"

namespace legohar {

void check_export_metadata(const ModelSpec& spec, const ExportMetadata& meta) {
  const auto C = static_cast<size_t>(spec.input_channels);
  if (meta.file.channels.size() != C || meta.normaliser.mean.size() != C ||
      meta.normaliser.std.size() != C)
    throw Error::usage("the model takes " + std::to_string(C) + " channels; the metadata names " +
                       std::to_string(meta.file.channels.size()) + " and normalises " +
                       std::to_string(meta.normaliser.mean.size()));
  if (meta.file.classes.size() != static_cast<size_t>(spec.classes))
    throw Error::usage("the model has " + std::to_string(spec.classes) +
                       " classes; the metadata names " + std::to_string(meta.file.classes.size()));
}

}  // namespace legohar
