// Implementation of lhm_export.h.
#include "legohar/deploy/lhm_export.h"

#include <torch/torch.h>

#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "runtime/model_file.h"
#include "runtime/model_writer.h"

namespace legohar {
namespace {

using runtime::LayerKind;

// A tensor's values as float32, in its row-major order.
void append(runtime::ByteWriter& w, const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  w.floats(c.data_ptr<float>(), static_cast<size_t>(c.numel()));
}

}  // namespace

std::string lhm_bytes(HarModel& model, const LhmMetadata& meta) {
  const ModelSpec& spec = model.spec();
  if (spec.model != "baseline" && spec.model != "lego")
    throw Error::usage("the runtime has no operators for model family '" + spec.model +
                       "' yet: export a baseline or lego model");
  const auto C = static_cast<size_t>(spec.input_channels);
  if (meta.file.channels.size() != C || meta.normaliser.mean.size() != C ||
      meta.normaliser.std.size() != C)
    throw Error::usage("the model takes " + std::to_string(C) + " channels; the metadata names " +
                       std::to_string(meta.file.channels.size()) + " and normalises " +
                       std::to_string(meta.normaliser.mean.size()));
  if (meta.file.classes.size() != static_cast<size_t>(spec.classes))
    throw Error::usage("the model has " + std::to_string(spec.classes) +
                       " classes; the metadata names " + std::to_string(meta.file.classes.size()));
  torch::NoGradGuard no_grad;
  runtime::ByteWriter layers;
  layers.u32(model.num_blocks() + 1);
  for (size_t i = 0; i < model.num_blocks(); ++i) {
    const ConvLayerSpec& l = spec.layers[i];
    const auto children = model.block(i)->children();  // conv or Lego, BatchNorm, ReLU
    const auto bn = std::dynamic_pointer_cast<torch::nn::BatchNorm2dImpl>(children.at(1));
    if (!bn) throw std::logic_error("a CNN block without BatchNorm after its convolution");
    // BatchNorm in eval mode: y = g * x + shift per output channel.
    const torch::Tensor g = bn->weight / torch::sqrt(bn->running_var + bn->options.eps());
    const auto folded_bias = [&](const torch::Tensor& bias) {
      const torch::Tensor b = bias.defined() ? bias : torch::zeros_like(bn->running_mean);
      return (b - bn->running_mean) * g + bn->bias;
    };
    const bool lego = spec.is_lego(i);
    layers.u32(static_cast<uint32_t>(lego ? LayerKind::kLego : LayerKind::kConv));
    for (const int64_t field : {spec.in_channels(i), l.channels, l.kernel, l.stride, l.padding})
      layers.u32(static_cast<uint64_t>(field));
    layers.u32(1);  // ReLU
    if (lego) {
      const auto m = std::dynamic_pointer_cast<LegoConv2dImpl>(children.at(0));
      const torch::Tensor selection = m->selection();  // [o, n]
      layers.u32(static_cast<uint64_t>(m->options.fragments()));
      layers.u32(static_cast<uint64_t>(m->options.lego_filters()));
      append(layers, m->lego.squeeze(-1));  // [k, C/o, d]
      const int64_t* picked = selection.data_ptr<int64_t>();
      for (int64_t i = 0; i < selection.numel(); ++i) layers.u32(static_cast<uint64_t>(picked[i]));
      const torch::Tensor coef = m->options.candidate_coefficients()
                                     ? m->coefficients.gather(2, selection.unsqueeze(2)).squeeze(2)
                                     : m->coefficients;  // [o, n]
      append(layers, coef * g.unsqueeze(0));
      append(layers, folded_bias(m->bias));
    } else {
      const auto conv = std::dynamic_pointer_cast<torch::nn::Conv2dImpl>(children.at(0));
      append(layers, conv->weight.squeeze(-1) * g.view({-1, 1, 1}));  // [n, C, d]
      append(layers, folded_bias(conv->bias));
    }
  }
  const auto fc = std::dynamic_pointer_cast<torch::nn::LinearImpl>(model.classifier());
  layers.u32(static_cast<uint32_t>(LayerKind::kDense));
  layers.u32(static_cast<uint64_t>(fc->weight.size(1)));
  layers.u32(static_cast<uint64_t>(fc->weight.size(0)));
  append(layers, fc->weight);
  append(layers, fc->bias);

  runtime::ByteWriter norm;
  norm.floats(meta.normaliser.mean.data(), C);
  norm.floats(meta.normaliser.std.data(), C);
  runtime::ModelMeta file = meta.file;
  file.window = static_cast<size_t>(spec.input_length);
  const std::string text = runtime::meta_text(file);

  return runtime::model_file_bytes(
      {{"META", text}, {"NORM", std::move(norm.bytes)}, {"LAYR", std::move(layers.bytes)}});
}

void export_lhm(HarModel& model, const LhmMetadata& meta, const std::filesystem::path& file) {
  write_file_atomically(file, lhm_bytes(model, meta));
}

}  // namespace legohar
