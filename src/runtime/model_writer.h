// Writing a .lhm model file (model_file.h): little-endian appends, and the container (magic,
// version, section table with a CRC-32 per section) around named sections. What legohar's
// exporter writes its files with, and what the runtime's tests and fuzz seeds build models with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/model_file.h"

namespace legohar::runtime {

class ByteWriter {
 public:
  void u32(uint64_t v);  // the low 32 bits
  void u64(uint64_t v);
  void u32s(const uint32_t* v, size_t n);
  void floats(const float* v, size_t n);  // float32 bit patterns
  std::string bytes;
};

struct Section {
  char tag[5];        // four characters
  std::string bytes;  // its content
};

// The "META" section's text; keys left at their defaults are not written.
std::string meta_text(const ModelMeta& meta);

// `l` as "LAYR" holds it (model_file.h): its kind, fields and arrays, as many values as the
// record holds (a test damages a file by giving one too many or too few).
void append_layer(ByteWriter& w, const LayerRecord& l);

// The whole file: header, section table (offsets follow the table, in order), sections.
std::string model_file_bytes(const std::vector<Section>& sections);
// The whole file of a model: its META, its normaliser [C] each, its layers in order.
std::string model_file_bytes(const ModelMeta& meta, const std::vector<float>& mean,
                             const std::vector<float>& std, const std::vector<LayerRecord>& layers);

}  // namespace legohar::runtime
