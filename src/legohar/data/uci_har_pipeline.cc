// Implementation of uci_har_pipeline.h.
#include "legohar/data/uci_har_pipeline.h"

#include <fmt/format.h>

#include "legohar/data/signal_filters.h"

namespace legohar {

std::string UciHarFilterOptions::key() const {
  return fmt::format("fs={};median={};order={};noise={};gravity={}", sample_rate_hz, median_width,
                     order, noise_cutoff_hz, gravity_cutoff_hz);
}

std::vector<float> uci_har_channels(const std::vector<double>& acc, const std::vector<double>& gyro,
                                    size_t samples, const UciHarFilterOptions& o) {
  const IirFilter noise = butterworth_lowpass(o.order, o.noise_cutoff_hz, o.sample_rate_hz);
  const IirFilter gravity = butterworth_lowpass(o.order, o.gravity_cutoff_hz, o.sample_rate_hz);
  std::vector<float> out(samples * 9);
  auto column = [samples](const std::vector<double>& table, int axis) {
    std::vector<double> c(samples);
    for (size_t t = 0; t < samples; ++t) c[t] = table[t * 3 + axis];
    return c;
  };
  auto store = [&](const std::vector<double>& c, int channel) {
    for (size_t t = 0; t < samples; ++t) out[t * 9 + channel] = static_cast<float>(c[t]);
  };
  for (int axis = 0; axis < 3; ++axis) {
    const std::vector<double> total =
        filtfilt(noise, median_filter(column(acc, axis), o.median_width));
    const std::vector<double> grav = filtfilt(gravity, total);
    std::vector<double> body(samples);
    for (size_t t = 0; t < samples; ++t) body[t] = total[t] - grav[t];
    store(body, axis);
    store(filtfilt(noise, median_filter(column(gyro, axis), o.median_width)), 3 + axis);
    store(total, 6 + axis);
  }
  return out;
}

}  // namespace legohar
