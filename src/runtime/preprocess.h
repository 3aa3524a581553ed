// The UCI-HAR preprocessing, from raw samples (acc xyz in g, gyro xyz in rad/s) to the nine
// channels the models read, as its creators describe it: per axis a median filter and a
// Butterworth low-pass (noise), then a second low-pass splitting acceleration into gravity and
// body motion. Zero-phase (forward-backward, over a whole recording: what training uses by
// default) or causal (forward-only filters with state: CausalUciHar, one sample at a time, and
// uci_har_channels, which runs it over a recording, give identical values). Channels in UCI-HAR
// order: body_acc xyz, body_gyro xyz, total_acc xyz.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/signal_filters.h"

namespace legohar::runtime {

struct UciHarFilters {
  double sample_rate_hz = 50.0;
  int median_width = 3;
  int order = 3;
  double noise_cutoff_hz = 20.0;
  double gravity_cutoff_hz = 0.3;
  bool causal = false;  // forward-only filters with state instead of zero-phase ones

  // A stable text form of every parameter ("fs=50;median=3;order=3;noise=20;gravity=0.3", then
  // ";causal" when causal): part of window-cache keys and of a model file's metadata.
  std::string key() const;
  // The inverse of key(); throws std::invalid_argument naming the field at fault.
  static UciHarFilters parse(const std::string& key);
  // Throws std::invalid_argument unless every parameter designs a stable filter (odd median width
  // 1-99, order 1-8, 0 < cut-offs < fs / 2, fs at most 100 kHz).
  void validate() const;
};

inline constexpr size_t kUciHarInputs = 6;
inline constexpr size_t kUciHarChannels = 9;
const std::vector<std::string>& uci_har_input_names();    // acc_x ... gyro_z
const std::vector<std::string>& uci_har_channel_names();  // body_acc_x ... total_acc_z

// raw [T, 6] row-major (acc xyz, gyro xyz) -> channels [T, 9] row-major. Throws when a zero-phase
// chain gets no more samples than its padding (filtfilt_padding).
std::vector<float> uci_har_channels(const double* raw, size_t samples,
                                    const UciHarFilters& filters);

// The causal chain one sample at a time: raw [6] (acc xyz, gyro xyz) -> channels [9].
class CausalUciHar {
 public:
  explicit CausalUciHar(const UciHarFilters& filters);
  void step(const double* raw, float* channels);

 private:
  std::vector<MedianStream> median_;  // per input
  std::vector<IirStream> noise_;      // per input
  std::vector<IirStream> gravity_;    // per acceleration axis
};

}  // namespace legohar::runtime
