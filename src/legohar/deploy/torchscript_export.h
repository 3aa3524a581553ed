// Export of a trained model of any family (CNN, Lego CNN, ResNet, BiLSTM) to PyTorch: a
// TorchScript module built in C++ (its parameters and buffers registered, its methods compiled
// from TorchScript source by define(); nothing traced, no Python), saved for torch.jit.load (.pt)
// or for PyTorch Mobile's lite interpreter (.ptl, bytecode version 8).
//   forward(x) -> logits: x [N, T, C] float32, the windows as the dataset's preprocessing yields
//     them (before standardisation: the normaliser is inside); logits [N, classes].
//   probabilities(x): their softmax.
// BatchNorm is folded into the convolution before it, or kept as a per-channel affine map where
// none precedes it (full pre-activation ResNets, the BiLSTM); a Lego layer runs as its transform
// and gather merge, or as its assembled ordinary filters. The module's attributes (class_names,
// channel_names, window, step, sample_rate, preprocess) and an extra file, legohar.json, describe
// the input.
#pragma once

#include <torch/csrc/jit/api/module.h>

#include <filesystem>
#include <functional>
#include <string>

#include "legohar/deploy/export_metadata.h"
#include "legohar/nn/model.h"

namespace legohar {

// How an exported Lego layer merges: gather + scale + sum of the selected maps of its k shared
// filters' convolution (k/n of the multiply-accumulates), or one convolution with the assembled
// filters (as many as an ordinary layer).
enum class LegoMerge { kGather, kAssembled };
LegoMerge parse_lego_merge(const std::string& name);  // "gather" or "assembled"

// The module of `model` (in eval mode: BatchNorm's running statistics, no dropout).
torch::jit::Module torchscript_module(HarModel& model, const ExportMetadata& meta, LegoMerge merge);
// The extra file's text (legohar.json): the model's spec and label, the metadata, the normaliser.
std::string torchscript_description(const HarModel& model, const ExportMetadata& meta,
                                    LegoMerge merge);
// The file's bytes: torch::jit::Module::save's archive, or _save_for_mobile's with `lite`.
std::string torchscript_bytes(HarModel& model, const ExportMetadata& meta, LegoMerge merge,
                              bool lite);
// torchscript_bytes written atomically to `file`.
void export_torchscript(HarModel& model, const ExportMetadata& meta, LegoMerge merge, bool lite,
                        const std::filesystem::path& file);

// What scripts/check_pytorch_export.py compares an exported file with: windows `x` [N, T, C]
// (before standardisation), LibTorch's logits [N, classes] and the bounds of logit_agreement.h
// ("absolute_bound", "relative_bound"), as a dict saved by torch's pickler.
std::string torchscript_reference_bytes(const torch::Tensor& x, const torch::Tensor& logits);

// An exported model read back as PyTorch reads it (torch::jit::load, or the lite interpreter's
// loader with `lite`): a function from windows [N, T, C] to logits [N, classes].
using LoadedTorchScript = std::function<torch::Tensor(const torch::Tensor&)>;
LoadedTorchScript load_torchscript(const std::string& bytes, bool lite);

}  // namespace legohar
