// libFuzzer target for runtime streams (runtime/stream.h) and the UCI-HAR filters behind them:
// the input picks the filters (causal or zero-phase, order, median width, rate, cut-offs), the
// stream's history, lookahead and input rate (the model's, or one resampled to it), then a
// sequence of chunks of raw samples of any float32 value
// (NaN, infinities and extremes included). A stream must refuse a bad chunk whole with
// std::invalid_argument and otherwise classify every window without touching memory it does not
// own (ASan, UBSan) and hold at most what a window needs.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/stream.h"
#include "runtime/testing/test_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace legohar::runtime;
  if (size < 8) return 0;
  UciHarFilters f;
  f.causal = data[0] & 1;
  f.order = 1 + data[1] % 8;
  f.median_width = 1 + 2 * (data[2] % 6);
  f.sample_rate_hz = 10.0 + data[3];
  f.noise_cutoff_hz = f.sample_rate_hz / 2 * (data[4] + 1) / 258.0;
  f.gravity_cutoff_hz = f.sample_rate_hz / 2 * (data[5] + 1) / 258.0;
  const double input_rates[] = {0, 2 * f.sample_rate_hz, f.sample_rate_hz * (1 + data[3] / 256.0),
                                f.sample_rate_hz / 3};
  const StreamOptions options{data[6], static_cast<size_t>(data[7] % 64),
                              input_rates[data[7] >> 6]};
  static std::vector<testing::TestModel> models;  // four random models, made once
  for (uint32_t seed = 1; models.size() < 4; ++seed)
    models.push_back(testing::random_stream_model(seed, f));
  testing::TestModel& chosen = models[(data[0] >> 1) % 4];
  chosen.sample_rate_hz = f.sample_rate_hz;
  chosen.preprocess = "uci-har " + f.key();
  const std::string bytes = chosen.file_bytes();
  Model model = Model::load_buffer(bytes.data(), bytes.size());
  try {
    Stream stream(model, options);
    size_t at = 8;
    std::vector<double> chunk;
    while (at < size) {
      const size_t samples = data[at++] % 50;
      chunk.clear();
      for (size_t i = 0; i < samples * kUciHarInputs && at + 4 <= size; ++i, at += 4) {
        float v;
        std::memcpy(&v, data + at, 4);
        chunk.push_back(v);
      }
      const size_t whole = chunk.size() / kUciHarInputs;
      const uint64_t before = stream.samples_seen();
      try {
        stream.push(chunk.data(), whole);
      } catch (const std::invalid_argument&) {
        if (stream.samples_seen() != before) __builtin_trap();  // a refused chunk left traces
      }
      for (WindowPrediction p; stream.next(p);)
        if (p.probabilities.size() != model.class_names().size() || p.top >= p.probabilities.size())
          __builtin_trap();
    }
  } catch (const std::invalid_argument&) {  // a window too short for zero-phase padding
  }
  return 0;
}
