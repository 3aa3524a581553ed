// Checkpoints: one file holding the model's weights, the optimizer's state and a JSON description
// (model spec, training options, normaliser, dataset and split, epoch, history, and as
// "initial_selection" the model's diagnostic state at the run's start: its first Lego selections).
// Written atomically, so an interrupted write leaves the previous checkpoint intact. The meta
// holds a checksum of the weights ("weights_fnv1a64"), checked on every load: a damaged file is
// refused with its name rather than evaluated or trained on.
#pragma once

#include <torch/serialize/archive.h>

#include <filesystem>
#include <functional>

#include <nlohmann/json.hpp>

#include <memory>

#include "legohar/nn/model.h"

namespace legohar {

// Training state (optimizers, local heads) is written by `save_state` into its own archive; an
// empty function saves a model without training state.
using SaveState = std::function<void(torch::serialize::OutputArchive&)>;
using LoadState = std::function<void(torch::serialize::InputArchive&)>;
void save_checkpoint(const std::filesystem::path& file, HarModel& model,
                     const SaveState& save_state, const nlohmann::json& meta);

// The JSON description alone; throws std::runtime_error naming the file when it is not a
// checkpoint.
nlohmann::json read_checkpoint_meta(const std::filesystem::path& file);

// Loads weights into `model` (built from the meta's spec) and, when given, the training state.
// Throws std::runtime_error naming the file when the weights do not fit or fail their checksum.
void load_checkpoint(const std::filesystem::path& file, HarModel& model,
                     const LoadState& load_state);

// A model built from the checkpoint's spec with its weights, on CPU.
std::shared_ptr<HarModel> load_model(const std::filesystem::path& file,
                                     nlohmann::json* meta = nullptr);

}  // namespace legohar
