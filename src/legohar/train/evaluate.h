// Inference over a whole example set in batches, and the metrics of its predictions.
#pragma once

#include <torch/types.h>

#include <nlohmann/json.hpp>

#include "legohar/data/split.h"
#include "legohar/eval/metrics.h"
#include "legohar/models/cnn.h"
#include "legohar/train/tensors.h"
#include "legohar/train/train_options.h"

namespace legohar {

// Predicted class per example, computed in evaluation mode without gradients. [N] int64 on CPU
torch::Tensor predict_classes(Cnn& model, const torch::Tensor& x, int64_t batch_size,
                              const torch::Device& device);

Metrics evaluate_model(Cnn& model, const Examples& examples, int64_t batch_size,
                       const torch::Device& device);

// The record of a run's evaluation, as in metrics.json: the metrics plus dataset, protocol, model,
// o, m, epochs, seed, params, memory_mb, macs, train_windows and test_windows.
nlohmann::json metrics_record(const Metrics& metrics, const ModelSpec& spec,
                              const TrainOptions& options, const Split& split,
                              const nlohmann::json& dataset,
                              const std::vector<std::string>& class_names);

}  // namespace legohar
