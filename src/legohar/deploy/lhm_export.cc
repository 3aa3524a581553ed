// Implementation of lhm_export.h.
#include "legohar/deploy/lhm_export.h"

#include <torch/torch.h>

#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "legohar/deploy/folding.h"
#include "legohar/nn/bilstm.h"
#include "legohar/nn/resnet.h"
#include "runtime/model_file.h"
#include "runtime/model_writer.h"

namespace legohar {
namespace {

using runtime::LayerKind;
using runtime::LayerRecord;

// A tensor's values as float32, in its row-major order.
std::vector<float> values(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

// A folded convolution of either kind with d x 1 filters: its record (the loader fills in the
// input's height and width).
LayerRecord conv_record(const FoldedUnit& unit, int64_t stride, int64_t pad_before,
                        int64_t pad_after, int64_t pad_width, bool relu) {
  LayerRecord l;
  runtime::ConvShape& s = l.shape.conv;
  s.stride = static_cast<size_t>(stride);
  s.pad_before = static_cast<long>(pad_before);
  s.pad_after = static_cast<long>(pad_after);
  s.pad_width = static_cast<size_t>(pad_width);
  l.relu = relu;
  if (const auto* lego = std::get_if<FoldedLego>(&unit)) {
    l.kind = LayerKind::kLego;
    s.in_channels = static_cast<size_t>(lego->filters.size(1) * lego->selection.size(0));
    s.out_channels = static_cast<size_t>(lego->selection.size(1));
    s.kernel = static_cast<size_t>(lego->filters.size(2));
    l.shape.fragments = static_cast<size_t>(lego->selection.size(0));  // o
    l.shape.filters = static_cast<size_t>(lego->filters.size(0));      // k
    l.weight = values(lego->filters);                                  // [k, C/o, d]
    const torch::Tensor picked = lego->selection.to(torch::kInt64).contiguous();
    for (int64_t j = 0; j < picked.numel(); ++j)
      l.selection.push_back(static_cast<uint32_t>(picked.data_ptr<int64_t>()[j]));
    l.coef = values(lego->coefficients);  // [o, n]
    l.bias = values(lego->bias);
  } else {
    const auto& conv = std::get<FoldedConv>(unit);
    l.kind = LayerKind::kConv;
    s.in_channels = static_cast<size_t>(conv.weight.size(1));
    s.out_channels = static_cast<size_t>(conv.weight.size(0));
    s.kernel = static_cast<size_t>(conv.weight.size(2));
    l.weight = values(conv.weight);  // [n, C, d]
    l.bias = values(conv.bias);
  }
  return l;
}

LayerRecord plain(LayerKind kind) {
  LayerRecord l;
  l.kind = kind;
  return l;
}

// A per-channel affine map along `axis` of the maps (0: channels, 2: the rows' features).
LayerRecord affine_record(const ChannelAffine& a, uint32_t axis, bool relu) {
  LayerRecord l = plain(LayerKind::kAffine);
  l.axis = axis;
  l.relu = relu;
  l.weight = values(a.scale);
  l.bias = values(a.shift);
  return l;
}

// A linear layer on the flattened maps (kDense) or on each row (kDenseRows).
LayerRecord linear_record(LayerKind kind, const torch::nn::LinearImpl& fc, bool relu) {
  LayerRecord l = plain(kind);
  l.relu = relu;
  l.shape.conv.in_channels = static_cast<size_t>(fc.weight.size(1));
  l.shape.conv.out_channels = static_cast<size_t>(fc.weight.size(0));
  l.weight = values(fc.weight);
  l.bias = values(fc.bias);
  return l;
}

// A residual block: save its input, the branch, add the input or its projection.
void append_residual_block(const ResidualBlockImpl& block, std::vector<LayerRecord>& out) {
  const FoldedResidualBlock b = fold_residual_block(block);
  out.push_back(plain(LayerKind::kSave));
  for (size_t j = 0; j < b.units.size(); ++j) {
    const FoldedResidualUnit& f = b.units[j];
    const ConvUnit& u = b.plan.units[j];
    if (f.pre_affine || f.pre_relu) {  // a ReLU alone: the identity map, then the ReLU
      const torch::Tensor ones = torch::ones({u.in});
      out.push_back(
          affine_record(f.pre_affine.value_or(ChannelAffine{ones, ones * 0}), 0, f.pre_relu));
    }
    out.push_back(conv_record(f.conv, u.stride, u.pad_before, u.pad_after, u.pad_width, f.relu));
  }
  LayerRecord add = plain(LayerKind::kAdd);
  if (b.shortcut) {
    // The shortcut reads input row offset + t * stride for output row t (resnet_plan.h): a 1x1
    // convolution whose padding before is minus the offset, and after whatever ends it there.
    const ResidualBlockPlan& p = b.plan;
    const int64_t s = p.shortcut_stride, rows = p.out_shape[1];
    const int64_t before = p.shortcut_pad_before - p.shortcut_offset;
    const int64_t after = (rows - 1) * s + 1 - p.in_shape[1] - before;
    add = conv_record(*b.shortcut, s, before, after, p.shortcut_pad_width, false);
    add.kind = LayerKind::kAdd;
    add.projection = true;
  }
  out.push_back(std::move(add));
}

// A BiLSTM layer on the sequence [1, T, x] (bilstm.h); dropout is the identity at inference.
void append_lstm_block(const LstmBlockImpl& b, std::vector<LayerRecord>& out) {
  if (b.first) out.push_back(linear_record(LayerKind::kDenseRows, *b.dense_in, true));
  if (b.residual) out.push_back(plain(LayerKind::kSave));
  LayerRecord lstm = plain(LayerKind::kLstm);
  lstm.shape.conv.in_channels = static_cast<size_t>(b.lstm->options.input_size());
  lstm.shape.conv.out_channels = static_cast<size_t>(b.lstm->options.hidden_size());
  lstm.directions = b.bidirectional ? 2 : 1;
  auto params = b.lstm->named_parameters(false);
  for (const std::string suffix : {"", "_reverse"}) {
    if (!suffix.empty() && !b.bidirectional) break;
    for (const std::string kind : {"weight_ih_l0", "weight_hh_l0"}) {
      const std::vector<float> w = values(params[kind + suffix]);
      lstm.weight.insert(lstm.weight.end(), w.begin(), w.end());
    }
    const std::vector<float> bias =
        values(params["bias_ih_l0" + suffix] + params["bias_hh_l0" + suffix]);
    lstm.bias.insert(lstm.bias.end(), bias.begin(), bias.end());
  }
  out.push_back(std::move(lstm));
  if (b.bidirectional) out.push_back(linear_record(LayerKind::kDenseRows, *b.merge, true));
  if (b.residual) out.push_back(plain(LayerKind::kAdd));
  out.push_back(affine_record(batchnorm_affine(*b.bn), 2, false));
}

}  // namespace

std::string lhm_bytes(HarModel& model, const ExportMetadata& meta) {
  const ModelSpec& spec = model.spec();
  check_export_metadata(spec, meta);
  torch::NoGradGuard no_grad;
  std::vector<LayerRecord> layers;
  for (size_t i = 0; i < model.num_blocks(); ++i) {
    const torch::nn::Module& block = *model.block(i);
    if (spec.model == "baseline" || spec.model == "lego") {
      const ConvLayerSpec& l = spec.layers[i];  // a ReLU after each convolution
      layers.push_back(
          conv_record(fold_cnn_block(block), l.stride, l.padding, l.padding, l.padding, true));
    } else if (spec.model == "resnet") {
      append_residual_block(dynamic_cast<const ResidualBlockImpl&>(block), layers);
    } else if (spec.model == "bilstm") {
      append_lstm_block(dynamic_cast<const LstmBlockImpl&>(block), layers);
    } else {
      throw Error::usage("the runtime has no operators for model family '" + spec.model + "'");
    }
  }
  if (spec.model == "bilstm") {
    LayerRecord readout = plain(LayerKind::kReadout);
    readout.mean = spec.readout == "mean";
    layers.push_back(std::move(readout));
  }
  const auto& fc = dynamic_cast<const torch::nn::LinearImpl&>(*model.classifier());
  layers.push_back(linear_record(LayerKind::kDense, fc, false));

  runtime::ModelMeta file = meta.file;
  file.window = static_cast<size_t>(spec.input_length);
  return runtime::model_file_bytes(file, meta.normaliser.mean, meta.normaliser.std, layers);
}

void export_lhm(HarModel& model, const ExportMetadata& meta, const std::filesystem::path& file) {
  write_file_atomically(file, lhm_bytes(model, meta));
}

}  // namespace legohar
