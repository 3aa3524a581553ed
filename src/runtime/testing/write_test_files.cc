// Writes what the C API test (c_api_test.c) checks the runtime against (its model.lhm is also a
// seed of the loader fuzzer, scripts/fuzz), into the folder given:
// model.lhm (random_test_model(seed)), windows.f32 (8 raw windows [8, T, C]) and expected.f32
// (their class probabilities by the reference operators, [8, classes]); for streams,
// stream_model.lhm (random_stream_model(seed), causal UCI-HAR filters), raw.f32 (raw samples
// [N, 6]) and stream_expected.f32 (the probabilities of each window a stream completes, from the
// recording filtered offline, [windows, classes]); residual.lhm and lstm.lhm (random models of
// those families, more seeds for the fuzzer). float32, native order.
//   runtime_test_files DIR [SEED]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "runtime/ops.h"
#include "runtime/preprocess.h"
#include "runtime/testing/test_model.h"

namespace {

bool write(const std::string& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace legohar::runtime::testing;
  if (argc < 2) {
    std::fprintf(stderr, "usage: runtime_test_files DIR [SEED]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const auto seed = static_cast<uint32_t>(argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 11);
  const TestModel m = random_test_model(seed);
  const size_t count = 8, values = m.window * m.channels.size();
  const std::vector<float> windows = random_windows(m, count, seed + 1);
  std::vector<float> expected;
  for (size_t i = 0; i < count; ++i) {
    std::vector<float> p = m.logits(windows.data() + i * values);
    legohar::runtime::softmax(p.data(), p.size());
    expected.insert(expected.end(), p.begin(), p.end());
  }
  const std::string bytes = m.file_bytes();

  legohar::runtime::UciHarFilters filters;
  filters.causal = true;
  const TestModel sm = random_stream_model(seed, filters);
  const size_t samples = 10 * sm.window + 5;
  const std::vector<double> raw = random_raw_samples(samples, seed);
  const std::vector<float> raw32(raw.begin(), raw.end());  // what the C test pushes
  const std::vector<double> pushed(raw32.begin(), raw32.end());
  const std::vector<float> channels = uci_har_channels(pushed.data(), samples, filters);
  std::vector<float> stream_expected;
  for (size_t start = 0; start + sm.window <= samples; start += sm.step) {
    std::vector<float> p = sm.logits(&channels[start * 9]);
    legohar::runtime::softmax(p.data(), p.size());
    stream_expected.insert(stream_expected.end(), p.begin(), p.end());
  }
  const std::string stream_bytes = sm.file_bytes();
  const std::string residual = random_test_model(seed, 0, TestFamily::kResidual).file_bytes(),
                    lstm = random_test_model(seed, 0, TestFamily::kLstm).file_bytes();
  if (!write(dir + "/model.lhm", bytes.data(), bytes.size()) ||
      !write(dir + "/windows.f32", windows.data(), windows.size() * sizeof(float)) ||
      !write(dir + "/expected.f32", expected.data(), expected.size() * sizeof(float)) ||
      !write(dir + "/stream_model.lhm", stream_bytes.data(), stream_bytes.size()) ||
      !write(dir + "/raw.f32", raw32.data(), raw32.size() * sizeof(float)) ||
      !write(dir + "/stream_expected.f32", stream_expected.data(),
             stream_expected.size() * sizeof(float)) ||
      !write(dir + "/residual.lhm", residual.data(), residual.size()) ||
      !write(dir + "/lstm.lhm", lstm.data(), lstm.size())) {
    std::fprintf(stderr, "runtime_test_files: cannot write into %s\n", dir.c_str());
    return 1;
  }
  return 0;
}
