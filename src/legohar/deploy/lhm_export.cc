// Implementation of lhm_export.h.
#include "legohar/deploy/lhm_export.h"

#include <torch/torch.h>

#include <cstring>

#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "runtime/model_file.h"

namespace legohar {
namespace {

using runtime::LayerKind;

// Little-endian appends.
class Bytes {
 public:
  void u32(uint64_t v) {
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void u64(uint64_t v) {
    u32(v & 0xFFFFFFFFu);
    u32(v >> 32);
  }
  void floats(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const float* p = c.data_ptr<float>();
    for (int64_t i = 0; i < c.numel(); ++i) {
      uint32_t bits = 0;
      std::memcpy(&bits, p + i, 4);
      u32(bits);
    }
  }
  std::string s;
};

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (n.find_first_of(",\n") != std::string::npos)
      throw Error::usage("'" + n + "': a name in a model file may hold neither ',' nor a newline");
    out += (out.empty() ? "" : ",") + n;
  }
  return out;
}

}  // namespace

std::string lhm_bytes(HarModel& model, const LhmMetadata& meta) {
  const ModelSpec& spec = model.spec();
  if (spec.model != "baseline" && spec.model != "lego")
    throw Error::usage("the runtime has no operators for model family '" + spec.model +
                       "' yet: export a baseline or lego model");
  const auto C = static_cast<size_t>(spec.input_channels);
  if (meta.channel_names.size() != C || meta.normaliser.mean.size() != C ||
      meta.normaliser.std.size() != C)
    throw Error::usage("the model takes " + std::to_string(C) + " channels; the metadata names " +
                       std::to_string(meta.channel_names.size()) + " and normalises " +
                       std::to_string(meta.normaliser.mean.size()));
  if (meta.class_names.size() != static_cast<size_t>(spec.classes))
    throw Error::usage("the model has " + std::to_string(spec.classes) +
                       " classes; the metadata names " + std::to_string(meta.class_names.size()));
  torch::NoGradGuard no_grad;
  Bytes layers;
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
      layers.floats(m->lego.squeeze(-1));  // [k, C/o, d]
      const int64_t* picked = selection.data_ptr<int64_t>();
      for (int64_t i = 0; i < selection.numel(); ++i) layers.u32(static_cast<uint64_t>(picked[i]));
      const torch::Tensor coef = m->options.candidate_coefficients()
                                     ? m->coefficients.gather(2, selection.unsqueeze(2)).squeeze(2)
                                     : m->coefficients;  // [o, n]
      layers.floats(coef * g.unsqueeze(0));
      layers.floats(folded_bias(m->bias));
    } else {
      const auto conv = std::dynamic_pointer_cast<torch::nn::Conv2dImpl>(children.at(0));
      layers.floats(conv->weight.squeeze(-1) * g.view({-1, 1, 1}));  // [n, C, d]
      layers.floats(folded_bias(conv->bias));
    }
  }
  const auto fc = std::dynamic_pointer_cast<torch::nn::LinearImpl>(model.classifier());
  layers.u32(static_cast<uint32_t>(LayerKind::kDense));
  layers.u32(static_cast<uint64_t>(fc->weight.size(1)));
  layers.u32(static_cast<uint64_t>(fc->weight.size(0)));
  layers.floats(fc->weight);
  layers.floats(fc->bias);

  Bytes norm;
  norm.floats(torch::tensor(meta.normaliser.mean));
  norm.floats(torch::tensor(meta.normaliser.std));
  const std::string text = "classes " + joined(meta.class_names) + "\nchannels " +
                           joined(meta.channel_names) + "\nwindow " +
                           std::to_string(spec.input_length) + "\n";

  const std::vector<std::pair<const char*, const std::string*>> sections{
      {"META", &text}, {"NORM", &norm.s}, {"LAYR", &layers.s}};
  Bytes file;
  file.s.assign(runtime::kModelMagic, sizeof runtime::kModelMagic);
  file.u32(runtime::kModelVersion);
  file.u32(sections.size());
  uint64_t offset = file.s.size() + sections.size() * runtime::kSectionEntryBytes;
  for (const auto& [tag, bytes] : sections) {
    file.s.append(tag, 4);
    file.u32(runtime::crc32(bytes->data(), bytes->size()));
    file.u64(offset);
    file.u64(bytes->size());
    offset += bytes->size();
  }
  for (const auto& section : sections) file.s += *section.second;
  return file.s;
}

void export_lhm(HarModel& model, const LhmMetadata& meta, const std::filesystem::path& file) {
  write_file_atomically(file, lhm_bytes(model, meta));
}

}  // namespace legohar
