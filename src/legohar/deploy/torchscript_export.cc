// Implementation of torchscript_export.h. Each layer becomes a small module whose forward is
// TorchScript source generated here with its geometry (strides, paddings, fragment counts) as
// constants; the modules are nested as the model's blocks are.
#include "legohar/deploy/torchscript_export.h"

#include <fmt/format.h>
#include <torch/csrc/jit/mobile/import.h>
#include <torch/csrc/jit/mobile/module.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/torch.h>

#include <memory>
#include <sstream>

#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "legohar/deploy/folding.h"
#include "legohar/deploy/logit_agreement.h"
#include "legohar/nn/bilstm.h"
#include "legohar/nn/resnet.h"

namespace legohar {
namespace {

namespace jit = torch::jit;

// A module of class `type` with the `training` attribute (false) that the lite interpreter needs.
jit::Module new_module(const std::string& type) {
  jit::Module m(type);  // class __torch__.<type>, as the lite interpreter requires
  m.register_attribute("training", c10::BoolType::get(), false);
  return m;
}

// Registers a copy of `t` (float32, contiguous, no gradient) as parameter or buffer `name`.
void add_tensor(jit::Module& m, const std::string& name, const torch::Tensor& t, bool parameter) {
  torch::Tensor c = t.detach().contiguous().clone();
  if (c.is_floating_point()) c = c.to(torch::kFloat);
  m.register_parameter(name, c, /*is_buffer=*/!parameter);
}

// Where a convolution's input is zero-padded: `before` / `after` rows of time, `width` columns on
// both sides of the sensor axis.
struct Padding {
  int64_t before = 0, after = 0, width = 0;
};

// TorchScript that pads `x` as `p` says (empty when the convolution can: equal before and
// after), and the padding argument of the convolution after it.
std::pair<std::string, std::string> padding_source(const Padding& p) {
  if (p.before == p.after) return {"", fmt::format("[{}, {}]", p.before, p.width)};
  return {fmt::format("    x = torch.constant_pad_nd(x, [{0}, {0}, {1}, {2}], 0.0)\n", p.width,
                      p.before, p.after),
          "[0, 0]"};
}

// `expr`, through a ReLU when `relu`.
std::string maybe_relu(const std::string& expr, bool relu) {
  return relu ? "torch.relu(" + expr + ")" : expr;
}

// A convolution (BatchNorm folded in) with time stride `stride`: [N, C, H, W] -> [N, n, H', W'].
jit::Module conv_unit(const std::string& type, const FoldedConv& f, int64_t stride,
                      const Padding& pad, bool relu) {
  jit::Module m = new_module(type);
  add_tensor(m, "weight", f.weight, true);  // [n, C, d, w]
  add_tensor(m, "bias", f.bias, true);      // [n]
  const auto [padded, padding] = padding_source(pad);
  m.define(fmt::format(
      "def forward(self, x):\n{}    return {}\n", padded,
      maybe_relu(
          fmt::format("torch.conv2d(x, self.weight, self.bias, [{}, 1], {})", stride, padding),
          relu)));
  return m;
}

// A Lego layer (BatchNorm folded in) as `merge` says: [N, C, H, W] -> [N, n, H', W'].
jit::Module lego_unit(const std::string& type, const FoldedLego& f, LegoMerge merge, int64_t stride,
                      const Padding& pad, bool relu) {
  if (merge == LegoMerge::kAssembled)
    return conv_unit(type, {f.assembled(), f.bias}, stride, pad, relu);
  const int64_t o = f.selection.size(0), n = f.selection.size(1);
  const int64_t k = f.filters.size(0), frag = f.filters.size(1);
  jit::Module m = new_module(type);
  add_tensor(m, "filters", f.filters, true);            // [k, C/o, d, 1]
  add_tensor(m, "bias", f.bias.view({n, 1, 1}), true);  // [n, 1, 1]
  std::string merged;
  for (int64_t i = 0; i < o; ++i) {  // output j reads map i*k + selection[i][j] of [N, o*k, ...]
    add_tensor(m, fmt::format("index{}", i), f.selection[i] + i * k, false);  // [n]
    add_tensor(m, fmt::format("coef{}", i), f.coefficients[i].view({n, 1, 1}), true);
    merged += fmt::format("    y = {}maps.index_select(1, self.index{}) * self.coef{}\n",
                          i == 0 ? "" : "y + ", i, i);
  }
  const auto [padded, padding] = padding_source(pad);
  m.define(fmt::format(
      "def forward(self, x):\n{}"
      "    n = x.size(0)\n"
      "    maps = torch.conv2d(x.reshape([n * {}, {}, x.size(2), x.size(3)]), self.filters, None, "
      "[{}, 1], {})\n"
      "    maps = maps.reshape([n, {}, maps.size(2), maps.size(3)])\n"
      "{}    return {}\n",
      padded, o, frag, stride, padding, o * k, merged, maybe_relu("y + self.bias", relu)));
  return m;
}

// A folded convolution of either kind, its Lego layers merged as `merge` says.
jit::Module unit(const std::string& type, const FoldedUnit& folded, LegoMerge merge, int64_t stride,
                 const Padding& pad, bool relu) {
  if (const auto* lego = std::get_if<FoldedLego>(&folded))
    return lego_unit(type, *lego, merge, stride, pad, relu);
  return conv_unit(type, std::get<FoldedConv>(folded), stride, pad, relu);
}

// Registers `scale` and `shift` of `affine` shaped [C] + trailing ones (`trailing` of them).
void add_affine(jit::Module& m, const std::string& suffix, const ChannelAffine& affine,
                int64_t trailing) {
  std::vector<int64_t> shape = {affine.scale.size(0)};
  shape.resize(static_cast<size_t>(1 + trailing), 1);
  add_tensor(m, "scale" + suffix, affine.scale.view(shape), false);
  add_tensor(m, "shift" + suffix, affine.shift.view(shape), false);
}

// A residual block in its activation order (resnet.h): [N, C, H, W] -> [N, C', H', W'].
jit::Module residual_block(const std::string& type, const ResidualBlockImpl& block,
                           LegoMerge merge) {
  const FoldedResidualBlock b = fold_residual_block(block);
  jit::Module m = new_module(type);
  std::string body = "    h = x\n";
  for (size_t j = 0; j < b.units.size(); ++j) {
    const FoldedResidualUnit& f = b.units[j];
    const ConvUnit& u = b.plan.units[j];
    const std::string name = fmt::format("conv{}", j + 1);
    if (f.pre_affine) {
      add_affine(m, std::to_string(j + 1), *f.pre_affine, 2);
      body += fmt::format("    h = h * self.scale{0} + self.shift{0}\n", j + 1);
    }
    if (f.pre_relu) body += "    h = torch.relu(h)\n";
    m.register_module(name, unit(type + "_" + name, f.conv, merge, u.stride,
                                 {u.pad_before, u.pad_after, u.pad_width}, f.relu));
    body += fmt::format("    h = self.{}.forward(h)\n", name);
  }
  if (!b.shortcut) {
    body += "    return x + h\n";
  } else {
    const ResidualBlockPlan& p = b.plan;
    m.register_module("shortcut", unit(type + "_shortcut", *b.shortcut, merge, 1, {}, false));
    const int64_t rows = p.out_shape[1], s = p.shortcut_stride;
    if (p.shortcut_pad_before || p.shortcut_pad_after || p.shortcut_pad_width)
      body += fmt::format("    x = torch.constant_pad_nd(x, [{0}, {0}, {1}, {2}], 0.0)\n",
                          p.shortcut_pad_width, p.shortcut_pad_before, p.shortcut_pad_after);
    body += fmt::format("    return self.shortcut.forward(x[:, :, {}:{}:{}]) + h\n",
                        p.shortcut_offset, p.shortcut_offset + (rows - 1) * s + 1, s);
  }
  m.define("def forward(self, x):\n" + body);
  return m;
}

// A BiLSTM layer (bilstm.h) on sequences: [N, T, C] (first) or [N, T, d] -> [N, T, d]. Dropout
// is the identity at inference.
jit::Module lstm_block(const std::string& type, const LstmBlockImpl& b) {
  jit::Module m = new_module(type);
  std::string body = "    h = x\n";
  if (b.first) {
    add_tensor(m, "dense_weight", b.dense_in->weight, true);
    add_tensor(m, "dense_bias", b.dense_in->bias, true);
    body = "    h = torch.relu(torch.linear(x, self.dense_weight, self.dense_bias))\n";
  }
  // aten::lstm's parameter order: per direction w_ih, w_hh, b_ih, b_hh.
  std::vector<std::string> params;
  for (const std::string suffix : {"", "_reverse"}) {
    if (!suffix.empty() && !b.bidirectional) break;
    for (const std::string kind : {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
      const std::string name = kind + "_l0" + suffix;
      add_tensor(m, name, b.lstm->named_parameters(false)[name], true);
      params.push_back("self." + name);
    }
  }
  const int64_t hidden = b.lstm->options.hidden_size(), directions = b.bidirectional ? 2 : 1;
  body += fmt::format(
      "    z = torch.zeros([{}, h.size(0), {}], dtype=h.dtype, device=h.device)\n"
      "    y, hn, cn = torch.lstm(h, [z, z], [{}], True, 1, 0.0, False, {}, True)\n",
      directions, hidden, fmt::join(params, ", "), b.bidirectional ? "True" : "False");
  if (b.bidirectional) {
    add_tensor(m, "merge_weight", b.merge->weight, true);
    add_tensor(m, "merge_bias", b.merge->bias, true);
    body += "    y = torch.relu(torch.linear(y, self.merge_weight, self.merge_bias))\n";
  }
  if (b.residual) body += "    y = y + h\n";
  add_affine(m, "", batchnorm_affine(*b.bn), 0);
  m.define("def forward(self, x):\n" + body + "    return y * self.scale + self.shift\n");
  return m;
}

// The classifier on the last block's output: flattened [N, C, H, W], or the BiLSTM's readout of
// [N, T, d].
jit::Module classifier(const HarModel& model, torch::nn::Module& fc_module) {
  const auto& fc = dynamic_cast<const torch::nn::LinearImpl&>(fc_module);
  jit::Module m = new_module("Classifier");
  add_tensor(m, "weight", fc.weight, true);
  add_tensor(m, "bias", fc.bias, true);
  std::string features = "x.flatten(1)";
  if (model.spec().model == "bilstm")
    features = model.spec().readout == "mean" ? "x.mean(1)" : "x[:, -1]";
  m.define(fmt::format(
      "def forward(self, x):\n    return torch.linear({}, self.weight, self.bias)\n", features));
  return m;
}

}  // namespace

LegoMerge parse_lego_merge(const std::string& name) {
  if (name == "gather") return LegoMerge::kGather;
  if (name == "assembled") return LegoMerge::kAssembled;
  throw Error::usage("unknown Lego merge '" + name + "': gather or assembled");
}

torch::jit::Module torchscript_module(HarModel& model, const ExportMetadata& meta,
                                      LegoMerge merge) {
  const ModelSpec& spec = model.spec();
  check_export_metadata(spec, meta);
  torch::NoGradGuard no_grad;
  jit::Module m = new_module("LegoharModel");
  add_tensor(m, "mean", torch::tensor(meta.normaliser.mean), false);  // [C]
  add_tensor(m, "std", torch::tensor(meta.normaliser.std), false);    // [C]
  m.register_attribute("class_names", c10::ListType::ofStrings(),
                       c10::List<std::string>(meta.file.classes));
  m.register_attribute("channel_names", c10::ListType::ofStrings(),
                       c10::List<std::string>(meta.file.channels));
  m.register_attribute("window", c10::IntType::get(), spec.input_length);
  m.register_attribute("step", c10::IntType::get(),
                       static_cast<int64_t>(meta.file.step ? meta.file.step : spec.input_length));
  m.register_attribute("sample_rate", c10::FloatType::get(), meta.file.sample_rate_hz);
  m.register_attribute("preprocess", c10::StringType::get(), meta.file.preprocess);

  const bool sequence = spec.model == "bilstm";  // blocks on [N, T, d] instead of [N, C, T, W]
  std::string body = fmt::format(
      "    assert x.dim() == 3 and x.size(1) == {0} and x.size(2) == {1}, "
      "\"legohar model: expected float32 windows [N, {0}, {1}]\"\n"
      "    h = ((x - self.mean) / self.std){2}\n",
      spec.input_length, spec.input_channels, sequence ? "" : ".unsqueeze(1)");
  for (size_t i = 0; i < model.num_blocks(); ++i) {
    const std::string name = fmt::format("block{}", i + 1), type = fmt::format("Block{}", i + 1);
    torch::nn::Module& block = *model.block(i);
    jit::Module b;
    if (spec.model == "baseline" || spec.model == "lego") {
      const ConvLayerSpec& l = spec.layers[i];  // a ReLU after each convolution
      b = unit(type, fold_cnn_block(block), merge, l.stride, {l.padding, l.padding, l.padding},
               true);
    } else if (spec.model == "resnet")
      b = residual_block(type, dynamic_cast<const ResidualBlockImpl&>(block), merge);
    else if (sequence)
      b = lstm_block(type, dynamic_cast<const LstmBlockImpl&>(block));
    else
      throw Error::usage("no TorchScript export for model family '" + spec.model + "'");
    m.register_module(name, b);
    body += fmt::format("    h = self.{}.forward(h)\n", name);
  }
  m.register_module("classifier", classifier(model, *model.classifier()));
  m.define("def forward(self, x):\n" + body + "    return self.classifier.forward(h)\n\n" +
           "def probabilities(self, x):\n    return torch.softmax(self.forward(x), 1)\n");
  return m;
}

std::string torchscript_description(const HarModel& model, const ExportMetadata& meta,
                                    LegoMerge merge) {
  const ModelSpec& spec = model.spec();
  const runtime::ModelMeta& f = meta.file;
  const nlohmann::json j = {
      {"format", "legohar torchscript"},
      {"version", 1},
      {"model", spec.label()},
      {"spec", spec.to_json()},
      {"input",
       "x [N, window, channels] float32: the dataset's preprocessed windows before "
       "standardisation (the normaliser is inside)"},
      {"output", "forward: logits [N, classes]; probabilities: their softmax"},
      {"classes", f.classes},
      {"channels", f.channels},
      {"window", spec.input_length},
      {"step", f.step ? f.step : static_cast<size_t>(spec.input_length)},
      {"sample_rate", f.sample_rate_hz},
      {"preprocess", f.preprocess},
      {"normaliser", meta.normaliser.to_json()},
      {"lego_merge", merge == LegoMerge::kGather ? "gather" : "assembled"}};
  return j.dump(2) + "\n";
}

std::string torchscript_bytes(HarModel& model, const ExportMetadata& meta, LegoMerge merge,
                              bool lite) {
  const jit::Module m = torchscript_module(model, meta, merge);
  const jit::ExtraFilesMap extra = {{"legohar.json", torchscript_description(model, meta, merge)}};
  std::ostringstream out;
  if (lite)
    m._save_for_mobile(out, extra);
  else
    m.save(out, extra);
  return out.str();
}

void export_torchscript(HarModel& model, const ExportMetadata& meta, LegoMerge merge, bool lite,
                        const std::filesystem::path& file) {
  write_file_atomically(file, torchscript_bytes(model, meta, merge, lite));
}

std::string torchscript_reference_bytes(const torch::Tensor& x, const torch::Tensor& logits) {
  c10::Dict<std::string, torch::Tensor> d;
  d.insert("x", x);
  d.insert("logits", logits);
  d.insert("absolute_bound", torch::tensor(kLogitAbsoluteBound, torch::kDouble));
  d.insert("relative_bound", torch::tensor(kLogitRelativeBound, torch::kDouble));
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(d));
  return {bytes.begin(), bytes.end()};
}

LoadedTorchScript load_torchscript(const std::string& bytes, bool lite) {
  std::istringstream in(bytes);
  if (lite) {
    auto m = std::make_shared<jit::mobile::Module>(jit::_load_for_mobile(in));
    return [m](const torch::Tensor& x) { return m->forward({x}).toTensor(); };
  }
  auto m = std::make_shared<jit::Module>(jit::load(in));
  return [m](const torch::Tensor& x) { return m->forward({x}).toTensor(); };
}

}  // namespace legohar
