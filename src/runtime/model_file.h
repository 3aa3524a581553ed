// The runtime's model file (.lhm), version 2, little-endian throughout:
//   magic "LEGOHARM" | u32 version | u32 section count |
//   per section: char tag[4] | u32 CRC-32 of its bytes | u64 offset | u64 size |
//   the sections' bytes.
// Sections: "META" text, one "key value" per line (ModelMeta below); "NORM" the normaliser,
// float32 mean[C] then std[C]; "LAYR" u32 layer count, then per layer a u32 kind and its fields
// and float32 arrays (LayerKind below). Written by legohar's exporter, read by the runtime's
// loader, which checks every size, offset, shape and index against the file before using it, and
// also reads version 1 (the CNNs only: one padding field for both axes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/ops.h"

namespace legohar::runtime {

inline constexpr char kModelMagic[8] = {'L', 'E', 'G', 'O', 'H', 'A', 'R', 'M'};
inline constexpr uint32_t kModelVersion = 2;
inline constexpr size_t kSectionEntryBytes = 24;

// The layers run in order on the maps [C, H, W] (the window is [1, T, channels]; a sequence of
// x features is [1, T, x]). Their u32 fields (i32: two's complement), then their float32 arrays:
//   kConv:   C n d stride pad_before:i32 pad_after:i32 pad_width relu |
//            weight [n, C, d], bias [n]                        (BatchNorm folded in)
//   kLego:   the kConv fields, o k | lego [k, C/o, d], selection u32 [o, n], coef [o, n],
//            bias [n]                                           (BatchNorm folded in)
//   kDense:  inputs outputs | weight [outputs, inputs], bias [outputs]: the classifier on the
//            flattened maps; the last layer, and only there
//   kAffine: axis (0: C, 2: W) relu | scale [dim], shift [dim]  (BatchNorm where nothing folds it)
//   kSave:   (none): the maps are kept as the next kAdd's shortcut
//   kAdd:    projection (0|1), when 1 a kConv record (fields and arrays) run on the saved maps:
//            the maps += the saved maps, or their projection, of the current shape
//   kDenseRows: inputs outputs relu | weight [outputs, inputs], bias [outputs]: on each row
//            [C, H, inputs] -> [C, H, outputs]
//   kLstm:   inputs hidden directions (1|2) | per direction w_ih [4h, inputs], w_hh [4h, h],
//            bias [4h] (b_ih + b_hh; gates i f g o): [1, T, inputs] -> [1, T, directions * h], the
//            reverse direction's features after the forward's
//   kReadout: mean (0: the last row, 1: the mean of the rows): [C, H, W] -> [C, 1, W]
// Version 1 files hold kConv, kLego and kDense with "C n d stride padding relu" as conv fields.
enum class LayerKind : uint32_t {
  kConv = 1,
  kLego = 2,
  kDense = 3,
  kAffine = 4,
  kSave = 5,
  kAdd = 6,
  kDenseRows = 7,
  kLstm = 8,
  kReadout = 9
};

// One layer as "LAYR" holds it (what the writer writes and the loader reads; the loader fills in
// the shapes' heights and widths and repacks the convolutions' weights).
struct LayerRecord {
  LayerKind kind = LayerKind::kConv;
  // kConv, kLego, kAdd's projection: the convolution. kDense, kDenseRows, kLstm: inputs in
  // conv.in_channels, outputs (kLstm: hidden) in conv.out_channels.
  LegoShape shape;
  bool relu = false;
  uint32_t axis = 0;        // kAffine
  uint32_t directions = 1;  // kLstm
  bool mean = false;        // kReadout
  bool projection = false;  // kAdd
  // kAffine: scale in weight, shift in bias. kLstm: per direction w_ih then w_hh in weight, its
  // bias in bias.
  std::vector<float> weight, coef, bias;
  std::vector<uint32_t> selection;
};

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
