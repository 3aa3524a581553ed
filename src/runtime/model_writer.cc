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
