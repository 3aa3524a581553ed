// The UCI-HAR signal pipeline as its creators describe it: per axis a median filter and a
// Butterworth low-pass (noise), a second low-pass splitting acceleration into gravity and body
// motion, all zero-phase. Output channels in UCI-HAR order: body_acc xyz, body_gyro xyz, total_acc
// xyz.
#pragma once

#include <string>
#include <vector>

namespace legohar {

struct UciHarFilterOptions {
  double sample_rate_hz = 50.0;
  int median_width = 3;
  int order = 3;
  double noise_cutoff_hz = 20.0;
  double gravity_cutoff_hz = 0.3;

  // A stable text form of every option, used in cache keys and metadata.
  std::string key() const;
};

inline const std::vector<std::string>& uci_har_channel_names() {
  static const std::vector<std::string> names = {"body_acc_x",  "body_acc_y",  "body_acc_z",
                                                 "body_gyro_x", "body_gyro_y", "body_gyro_z",
                                                 "total_acc_x", "total_acc_y", "total_acc_z"};
  return names;
}

// acc and gyro: [T, 3] row-major (acc in g, gyro in rad/s). Returns [T, 9] row-major floats.
std::vector<float> uci_har_channels(const std::vector<double>& acc, const std::vector<double>& gyro,
                                    size_t samples, const UciHarFilterOptions& options);

}  // namespace legohar
