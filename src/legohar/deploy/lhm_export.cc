// Implementation of lhm_export.h.
#include "legohar/deploy/lhm_export.h"

#include <torch/torch.h>

#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "legohar/deploy/folding.h"
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

std::string lhm_bytes(HarModel& model, const ExportMetadata& meta) {
  const ModelSpec& spec = model.spec();
  if (spec.model != "baseline" && spec.model != "lego")
    throw Error::usage("the runtime has no operators for model family '" + spec.model +
                       "' yet: export a baseline or lego model");
  check_export_metadata(spec, meta);
  const auto C = static_cast<size_t>(spec.input_channels);
  torch::NoGradGuard no_grad;
  runtime::ByteWriter layers;
  layers.u32(model.num_blocks() + 1);
  for (size_t i = 0; i < model.num_blocks(); ++i) {
    const ConvLayerSpec& l = spec.layers[i];
    const FoldedUnit unit = fold_cnn_block(*model.block(i));
    const auto* lego = std::get_if<FoldedLego>(&unit);
    layers.u32(static_cast<uint32_t>(lego ? LayerKind::kLego : LayerKind::kConv));
    for (const int64_t field : {spec.in_channels(i), l.channels, l.kernel, l.stride, l.padding})
      layers.u32(static_cast<uint64_t>(field));
    layers.u32(1);  // ReLU
    if (lego) {
      layers.u32(static_cast<uint64_t>(lego->selection.size(0)));  // o
      layers.u32(static_cast<uint64_t>(lego->filters.size(0)));    // k
      append(layers, lego->filters.squeeze(-1));                   // [k, C/o, d]
      const int64_t* picked = lego->selection.data_ptr<int64_t>();
      for (int64_t j = 0; j < lego->selection.numel(); ++j)
        layers.u32(static_cast<uint64_t>(picked[j]));
      append(layers, lego->coefficients);  // [o, n]
      append(layers, lego->bias);
    } else {
      const auto& conv = std::get<FoldedConv>(unit);
      append(layers, conv.weight.squeeze(-1));  // [n, C, d]
      append(layers, conv.bias);
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

void export_lhm(HarModel& model, const ExportMetadata& meta, const std::filesystem::path& file) {
  write_file_atomically(file, lhm_bytes(model, meta));
}

}  // namespace legohar
