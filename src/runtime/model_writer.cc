// Implementation of model_writer.h.
#include "runtime/model_writer.h"

#include <cstring>
#include <sstream>

namespace legohar::runtime {

std::string meta_text(const ModelMeta& m) {
  auto joined = [](const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
    return out;
  };
  std::ostringstream text;
  text.imbue(std::locale::classic());
  text.precision(17);
  text << "classes " << joined(m.classes) << "\nchannels " << joined(m.channels) << "\nwindow "
       << m.window << "\n";
  if (m.step) text << "step " << m.step << "\n";
  if (m.sample_rate_hz > 0) text << "sample_rate " << m.sample_rate_hz << "\n";
  if (!m.preprocess.empty()) text << "preprocess " << m.preprocess << "\n";
  return text.str();
}

void ByteWriter::u32(uint64_t v) {
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void ByteWriter::u64(uint64_t v) {
  u32(v & 0xFFFFFFFFu);
  u32(v >> 32);
}

void ByteWriter::u32s(const uint32_t* v, size_t n) {
  for (size_t i = 0; i < n; ++i) u32(v[i]);
}

void ByteWriter::floats(const float* v, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits = 0;
    std::memcpy(&bits, v + i, 4);
    u32(bits);
  }
}

void append_layer(ByteWriter& w, const LayerRecord& l) {
  const ConvShape& s = l.shape.conv;
  auto conv_fields = [&] {
    for (const size_t v : {s.in_channels, s.out_channels, s.kernel, s.stride}) w.u32(v);
    w.u32(static_cast<uint32_t>(static_cast<int32_t>(s.pad_before)));
    w.u32(static_cast<uint32_t>(static_cast<int32_t>(s.pad_after)));
    w.u32(s.pad_width);
  };
  w.u32(static_cast<uint32_t>(l.kind));
  switch (l.kind) {
    case LayerKind::kConv:
    case LayerKind::kLego:
      conv_fields();
      w.u32(l.relu);
      if (l.kind == LayerKind::kLego) {
        w.u32(l.shape.fragments);
        w.u32(l.shape.filters);
      }
      break;
    case LayerKind::kDense:
      w.u32(s.in_channels);
      w.u32(s.out_channels);
      break;
    case LayerKind::kDenseRows:
      w.u32(s.in_channels);
      w.u32(s.out_channels);
      w.u32(l.relu);
      break;
    case LayerKind::kAffine:
      w.u32(l.axis);
      w.u32(l.relu);
      break;
    case LayerKind::kSave:
      break;
    case LayerKind::kAdd:
      w.u32(l.projection);
      if (l.projection) {
        w.u32(static_cast<uint32_t>(LayerKind::kConv));
        conv_fields();
        w.u32(l.relu);
      }
      break;
    case LayerKind::kLstm: {
      w.u32(s.in_channels);
      w.u32(s.out_channels);
      w.u32(l.directions);
      // Per direction: its weights, then its bias (a damaged record: all weights, all biases).
      const size_t gates = 4 * s.out_channels, weights = gates * (s.in_channels + s.out_channels);
      if (l.weight.size() != l.directions * weights || l.bias.size() != l.directions * gates) break;
      for (size_t d = 0; d < l.directions; ++d) {
        w.floats(l.weight.data() + d * weights, weights);
        w.floats(l.bias.data() + d * gates, gates);
      }
      return;
    }
    case LayerKind::kReadout:
      w.u32(l.mean);
      break;
    default:  // an unknown kind, as a damaged file would hold it
      break;
  }
  w.floats(l.weight.data(), l.weight.size());
  w.u32s(l.selection.data(), l.selection.size());
  w.floats(l.coef.data(), l.coef.size());
  w.floats(l.bias.data(), l.bias.size());
}

std::string model_file_bytes(const ModelMeta& meta, const std::vector<float>& mean,
                             const std::vector<float>& std,
                             const std::vector<LayerRecord>& layers) {
  ByteWriter norm, body;
  norm.floats(mean.data(), mean.size());
  norm.floats(std.data(), std.size());
  body.u32(layers.size());
  for (const LayerRecord& l : layers) append_layer(body, l);
  return model_file_bytes({{"META", meta_text(meta)},
                           {"NORM", std::move(norm.bytes)},
                           {"LAYR", std::move(body.bytes)}});
}

std::string model_file_bytes(const std::vector<Section>& sections) {
  ByteWriter file;
  file.bytes.assign(kModelMagic, sizeof kModelMagic);
  file.u32(kModelVersion);
  file.u32(sections.size());
  uint64_t offset = file.bytes.size() + sections.size() * kSectionEntryBytes;
  for (const Section& s : sections) {
    file.bytes.append(s.tag, 4);
    file.u32(crc32(s.bytes.data(), s.bytes.size()));
    file.u64(offset);
    file.u64(s.bytes.size());
    offset += s.bytes.size();
  }
  for (const Section& s : sections) file.bytes += s.bytes;
  return file.bytes;
}

}  // namespace legohar::runtime
