// A small model with random weights, written to .lhm bytes through model_writer.h and run by the
// reference operators (reference_ops.h): an oracle that shares no code with the loader or the
// optimised forward pass. The runtime's tests, its C API test and the loader's fuzz seeds use it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/model_file.h"
#include "runtime/ops.h"
#include "runtime/preprocess.h"

namespace legohar::runtime::testing {

struct TestModel {
  std::vector<std::string> classes, channels;
  size_t window = 0;
  size_t step = 0;  // META's optional keys (model_file.h)
  double sample_rate_hz = 0;
  std::string preprocess;
  std::vector<float> mean, std;
  // The shapes' heights and widths are filled in too (the reference operators read them).
  std::vector<LayerRecord> layers;

  std::string file_bytes() const;
  // window [T, C] -> logits [classes], by the reference operators.
  std::vector<float> logits(const float* window) const;
};

// The layouts of random test models:
//   kCnn:      conv (padding 1, stride 1 or 2) -> Lego -> conv -> dense;
//   kResidual: conv -> save, affine + ReLU, strided conv with uneven padding, Lego, add of a
//              projection (a strided 1x1 convolution that crops or pads) -> save, affine along
//              the sensor axis, conv, identity add -> dense;
//   kLstm:     dense rows + ReLU -> save, bidirectional LSTM, dense rows + ReLU, identity add ->
//              affine -> LSTM -> read-out (last or mean) -> dense.
enum class TestFamily { kCnn, kResidual, kLstm };
inline constexpr TestFamily kTestFamilies[] = {TestFamily::kCnn, TestFamily::kResidual,
                                               TestFamily::kLstm};
const char* family_name(TestFamily f);

// Shapes, names and weights vary with `seed` (window 16 to 40 samples, 1 to 9 channels unless
// `channels` is given, 2 to 7 classes).
TestModel random_test_model(uint32_t seed, size_t channels = 0,
                            TestFamily family = TestFamily::kCnn);
// random_test_model for raw samples (acc xyz in g, gyro xyz in rad/s) through the UCI-HAR
// chain `filters` at their rate: nine channels, a step of half a window.
TestModel random_stream_model(uint32_t seed, const UciHarFilters& filters);
// `samples` raw samples [samples, 6] for random_stream_model: gravity plus a few sinusoids and
// noise on each axis, gyro likewise.
std::vector<double> random_raw_samples(size_t samples, uint32_t seed);
// max |a - b| over max(1, max |b|): optimised float sums against plain ones.
double relative_gap(const std::vector<float>& a, const std::vector<float>& b);

// `count` windows [count, T, C] of raw samples (around the model's mean, in its spread).
std::vector<float> random_windows(const TestModel& m, size_t count, uint32_t seed);

}  // namespace legohar::runtime::testing
