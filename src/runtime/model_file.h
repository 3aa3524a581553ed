// The runtime's model file (.lhm), version 1, little-endian throughout:
//   magic "LEGOHARM" | u32 version | u32 section count |
//   per section: char tag[4] | u32 CRC-32 of its bytes | u64 offset | u64 size |
//   the sections' bytes.
// Sections: "META" text, one "key value" per line (ModelMeta below); "NORM" the normaliser,
// float32 mean[C] then std[C]; "LAYR" u32
// layer count, then per layer a u32 kind and its u32 fields and float32 arrays (model.h). Written
// by legohar's exporter, read by the runtime's loader, which checks every size, offset, shape and
// index against the file before using it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace legohar::runtime {

inline constexpr char kModelMagic[8] = {'L', 'E', 'G', 'O', 'H', 'A', 'R', 'M'};
inline constexpr uint32_t kModelVersion = 1;
inline constexpr size_t kSectionEntryBytes = 24;

// The kinds of layers in "LAYR" with their u32 fields, then their float32 arrays:
//   kConv:  C n d stride padding relu | weight [n, C, d], bias [n]   (BatchNorm folded in)
//   kLego:  C n d stride padding relu o k | lego [k, C/o, d], selection u32 [o, n],
//           coef [o, n], bias [n]                                   (BatchNorm folded in)
//   kDense: inputs outputs | weight [outputs, inputs], bias [outputs] (on the flattened maps)
enum class LayerKind : uint32_t { kConv = 1, kLego = 2, kDense = 3 };

// What "META" says, one line per key; unknown keys are skipped.
struct ModelMeta {
  std::vector<std::string> classes;   // "classes": comma-separated names, two or more
  std::vector<std::string> channels;  // "channels": the window's channels, in order
  size_t window = 0;                  // "window": samples per window
  size_t step = 0;                    // "step": samples between a stream's windows (0: window)
  double sample_rate_hz = 0;          // "sample_rate": of the raw samples (0: unknown)
  // "preprocess": empty (the raw samples are the channels) or "uci-har " + UciHarFilters::key()
  // (preprocess.h): raw samples acc xyz, gyro xyz become the nine UCI-HAR channels.
  std::string preprocess;
};

// CRC-32 (IEEE 802.3, the zip and PNG one) of `n` bytes.
uint32_t crc32(const void* data, size_t n);

}  // namespace legohar::runtime
