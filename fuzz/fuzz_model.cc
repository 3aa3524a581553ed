// libFuzzer target for the runtime's model loader (runtime/model.h): any bytes must load or be
// refused with a LoadError; a model that loads must predict without touching memory it does not
// own (ASan, UBSan), and stream raw samples when it preprocesses them. Inputs with an even first
// byte get their section CRCs recomputed first, as a faulty writer would produce them, so the
// fuzzer reaches the layers behind the checksums.
#include <cstddef>
#include <cstdint>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] % 2 == 0) {
    if (size >= 8) std::memcpy(&bytes[0], kModelMagic, 8);
    reseal(bytes);
  }
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
