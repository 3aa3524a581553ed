// libFuzzer target for the runtime's model loader (runtime/model.h): any bytes must load or be
// refused with a LoadError; a model that loads must predict without touching memory it does not
// own (ASan, UBSan), and stream raw samples when it preprocesses them. Inputs with an even first
// byte get their section CRCs recomputed first, as a faulty writer would produce them, so the
// fuzzer reaches the layers behind the checksums. One input in four is also loaded from a file,
// 8 + (its second byte % 32) bytes at a time: the outcome (the model's logits, or the reason of
// the refusal) must be the one from memory.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/model.h"
#include "runtime/model_file.h"
#include "runtime/stream.h"

namespace {

using namespace legohar::runtime;

// The little-endian value of `n` bytes at `at` (inside b).
uint64_t value_at(const std::string& b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(b[at + i]);
  return v;
}

// Each section-table entry that lies inside the file gets the CRC-32 of its bytes.
void reseal(std::string& b) {
  if (b.size() < 16) return;
  const uint64_t count = value_at(b, 12, 4);
  for (size_t s = 0; s < count && 16 + (s + 1) * kSectionEntryBytes <= b.size(); ++s) {
    const size_t entry = 16 + s * kSectionEntryBytes;
    const uint64_t offset = value_at(b, entry + 8, 8), size = value_at(b, entry + 16, 8);
    if (offset > b.size() || size > b.size() - offset) continue;
    const uint32_t crc = crc32(b.data() + offset, size);
    for (int i = 0; i < 4; ++i) b[entry + 4 + i] = static_cast<char>(crc >> (8 * i));
  }
}

// The logits of a zero window, or the reason `load` refuses the model.
template <class Load>
std::string outcome(Load&& load) {
  try {
    Model m = load();
    if (m.working_bytes() > (1u << 20)) return "loads";
    std::vector<float> window(m.window() * m.channels(), 0.5f), logits(m.class_names().size());
    m.logits(window.data(), logits.data());
    return std::string(reinterpret_cast<const char*>(logits.data()), logits.size() * 4);
  } catch (const LoadError& e) {
    return e.what();
  }
}

// `bytes` loaded from a file in small chunks equals `bytes` loaded from memory.
void check_file_loader(const std::string& bytes, size_t chunk) {
  static const std::string file = "/tmp/fuzz-model-" + std::to_string(::getpid()) + ".lhm";
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
  std::fclose(f);
  const std::string from_file = outcome([&] { return Model::load_file(file, chunk); });
  const std::string from_memory =
      outcome([&] { return Model::load_buffer(bytes.data(), bytes.size()); });
  if (from_file != from_memory && from_file != file + ": " + from_memory) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] % 2 == 0) {
    if (size >= 8) std::memcpy(&bytes[0], kModelMagic, 8);
    reseal(bytes);
  }
  if (size > 1 && data[0] % 4 < 2) check_file_loader(bytes, 8 + data[1] % 32);
  try {
    Model m = Model::load_buffer(bytes.data(), bytes.size());
    if (m.working_bytes() > (1u << 20)) return 0;  // valid, but too slow to run per input
    std::vector<float> window(m.window() * m.channels(), 0.5f), p(m.class_names().size());
    m.predict(window.data(), p.data());
    if (m.filters() && m.window() <= 512) {  // a model for raw samples also streams them
      try {
        Stream stream(m, {8, 4});
        const std::vector<double> raw(2 * m.window() * kUciHarInputs, 0.25);
        stream.push(raw.data(), 2 * m.window());
      } catch (const std::invalid_argument&) {  // a window too short for zero-phase padding
      }
    }
  } catch (const LoadError&) {  // a refusal with its reason is the wanted outcome
  }
  return 0;
}
