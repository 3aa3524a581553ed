// Checkpoints: one file holding the model's weights, the optimizer's state and a JSON description
// (model spec, training options, normaliser, dataset and split, epoch, history, initial Lego
// selections). Written atomically, so an interrupted write leaves the previous checkpoint intact.
#pragma once

#include <torch/optim/optimizer.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "legohar/models/cnn.h"

namespace legohar {

// `optimizer` may be null (a final model without training state).
void save_checkpoint(const std::filesystem::path& file, Cnn& model,
                     torch::optim::Optimizer* optimizer, const nlohmann::json& meta);

// The JSON description alone; throws std::runtime_error naming the file when it is not a
// checkpoint.
nlohmann::json read_checkpoint_meta(const std::filesystem::path& file);

// Loads weights into `model` (built from the meta's spec) and, when given, the optimizer state.
void load_checkpoint(const std::filesystem::path& file, Cnn& model,
                     torch::optim::Optimizer* optimizer);

// A model built from the checkpoint's spec with its weights, on CPU.
Cnn load_model(const std::filesystem::path& file, nlohmann::json* meta = nullptr);

}  // namespace legohar
