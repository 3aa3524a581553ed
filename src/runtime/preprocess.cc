// Implementation of preprocess.h.
#include "runtime/preprocess.h"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>

namespace legohar::runtime {
namespace {

// The shortest text that reads back as `v` ("50", "0.3"), independent of the locale.
std::string shortest(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

template <class T>
T parse_number(const std::string& field, const std::string& text) {
  T v{};
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
    throw std::invalid_argument("filters: " + field + " = '" + text + "' is not a number");
  return v;
}

}  // namespace

std::string UciHarFilters::key() const {
  return "fs=" + shortest(sample_rate_hz) + ";median=" + std::to_string(median_width) +
         ";order=" + std::to_string(order) + ";noise=" + shortest(noise_cutoff_hz) +
         ";gravity=" + shortest(gravity_cutoff_hz) + (causal ? ";causal" : "");
}

UciHarFilters UciHarFilters::parse(const std::string& key) {
  UciHarFilters f;
  const char* names[] = {"fs", "median", "order", "noise", "gravity"};
  size_t at = 0;
  for (int i = 0; i < 5; ++i) {
    const std::string prefix = std::string(names[i]) + "=";
    if (key.compare(at, prefix.size(), prefix) != 0)
      throw std::invalid_argument("filters: '" + key + "' lacks " + prefix + " in place " +
                                  std::to_string(i + 1));
    at += prefix.size();
    const size_t end = std::min(key.find(';', at), key.size());
    const std::string value = key.substr(at, end - at);
    if (i == 0) f.sample_rate_hz = parse_number<double>(names[i], value);
    if (i == 1) f.median_width = parse_number<int>(names[i], value);
    if (i == 2) f.order = parse_number<int>(names[i], value);
    if (i == 3) f.noise_cutoff_hz = parse_number<double>(names[i], value);
    if (i == 4) f.gravity_cutoff_hz = parse_number<double>(names[i], value);
    at = end == key.size() ? end : end + 1;
    if (i < 4 && end == key.size())
      throw std::invalid_argument("filters: '" + key + "' ends after " + names[i]);
  }
  const std::string rest = key.substr(std::min(at, key.size()));
  if (rest == "causal")
    f.causal = true;
  else if (!rest.empty() || key.back() == ';')
    throw std::invalid_argument("filters: unknown '" + rest + "' in '" + key + "'");
  f.validate();
  return f;
}

void UciHarFilters::validate() const {
  auto fail = [](const std::string& why) { throw std::invalid_argument("filters: " + why); };
  if (!(sample_rate_hz > 0 && sample_rate_hz <= 1e5)) fail("fs must lie in (0, 100000] Hz");
  if (median_width < 1 || median_width > 99 || median_width % 2 == 0)
    fail("median width must be odd, 1 to 99");
  if (order < 1 || order > 8) fail("order must lie in 1..8");
  for (double c : {noise_cutoff_hz, gravity_cutoff_hz})
    if (!(c > 0 && c < sample_rate_hz / 2)) fail("a cut-off does not lie strictly in (0, fs/2)");
}

const std::vector<std::string>& uci_har_input_names() {
  static const std::vector<std::string> names = {"acc_x",  "acc_y",  "acc_z",
                                                 "gyro_x", "gyro_y", "gyro_z"};
  return names;
}

const std::vector<std::string>& uci_har_channel_names() {
  static const std::vector<std::string> names = {"body_acc_x",  "body_acc_y",  "body_acc_z",
                                                 "body_gyro_x", "body_gyro_y", "body_gyro_z",
                                                 "total_acc_x", "total_acc_y", "total_acc_z"};
  return names;
}

std::vector<float> uci_har_channels(const double* raw, size_t samples, const UciHarFilters& o) {
  std::vector<float> out(samples * kUciHarChannels);
  if (o.causal) {
    CausalUciHar chain(o);
    for (size_t t = 0; t < samples; ++t)
      chain.step(raw + t * kUciHarInputs, &out[t * kUciHarChannels]);
    return out;
  }
  o.validate();
  const IirFilter noise = butterworth_lowpass(o.order, o.noise_cutoff_hz, o.sample_rate_hz);
  const IirFilter gravity = butterworth_lowpass(o.order, o.gravity_cutoff_hz, o.sample_rate_hz);
  auto column = [&](size_t input) {
    std::vector<double> c(samples);
    for (size_t t = 0; t < samples; ++t) c[t] = raw[t * kUciHarInputs + input];
    return median_filter(c, o.median_width);
  };
  auto store = [&](const std::vector<double>& c, size_t channel) {
    for (size_t t = 0; t < samples; ++t)
      out[t * kUciHarChannels + channel] = static_cast<float>(c[t]);
  };
  for (size_t axis = 0; axis < 3; ++axis) {
    const std::vector<double> total = filtfilt(noise, column(axis));
    const std::vector<double> grav = filtfilt(gravity, total);
    std::vector<double> body(samples);
    for (size_t t = 0; t < samples; ++t) body[t] = total[t] - grav[t];
    store(body, axis);
    store(filtfilt(noise, column(3 + axis)), 3 + axis);
    store(total, 6 + axis);
  }
  return out;
}

CausalUciHar::CausalUciHar(const UciHarFilters& o) {
  o.validate();
  const IirFilter noise = butterworth_lowpass(o.order, o.noise_cutoff_hz, o.sample_rate_hz);
  const IirFilter gravity = butterworth_lowpass(o.order, o.gravity_cutoff_hz, o.sample_rate_hz);
  median_.assign(kUciHarInputs, MedianStream(o.median_width));
  noise_.assign(kUciHarInputs, IirStream(noise));
  gravity_.assign(3, IirStream(gravity));
}

void CausalUciHar::step(const double* raw, float* channels) {
  for (int axis = 0; axis < 3; ++axis) {
    const double total = noise_[axis].step(median_[axis].step(raw[axis]));
    const double body = total - gravity_[axis].step(total);
    channels[axis] = static_cast<float>(body);
    channels[3 + axis] =
        static_cast<float>(noise_[3 + axis].step(median_[3 + axis].step(raw[3 + axis])));
    channels[6 + axis] = static_cast<float>(total);
  }
}

}  // namespace legohar::runtime
