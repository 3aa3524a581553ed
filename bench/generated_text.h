// Text in the layouts of the public HAR downloads, generated (no dataset file needed), for the
// benchmarks of the readers: WISDM's raw records, PAMAP2's protocol rows, OPPORTUNITY's rows.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace legohar::bench {

// WISDM_ar_v1.1_raw.txt's layout: runs of one user and activity at 50 ms, values as the phone
// logged them (about 8 significant digits).
inline std::string wisdm_text(size_t bytes, const std::vector<std::string>& activities) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<float> value(-19.6f, 19.6f);
  std::string text;
  text.reserve(bytes + 256);
  int64_t t = 49105962326000;
  for (size_t run = 0; text.size() < bytes; ++run) {
    const int user = 1 + static_cast<int>(run % 36);
    const std::string& activity = activities[run % activities.size()];
    for (int i = 0; i < 2000 && text.size() < bytes; ++i, t += 50'000'000)
      text += fmt::format("{},{},{},{},{},{};\n", user, activity, t, value(rng), value(rng),
                          value(rng));
  }
  return text;
}

// PAMAP2's Protocol/subject1NN.dat layout: 54 columns at 100 Hz, runs of one activity (0 between
// them), the heart rate mostly NaN, now and then a dropped IMU sample.
inline std::string pamap2_text(size_t bytes) {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> value(-20, 20);
  const int activities[] = {1, 2, 3, 4, 5, 6, 7, 12, 13, 16, 17, 24};
  std::string text;
  text.reserve(bytes + 1024);
  double t = 5.64;
  for (size_t run = 0; text.size() < bytes; ++run) {
    const int activity = run % 2 ? 0 : activities[(run / 2) % 12];
    for (int i = 0; i < 3000 && text.size() < bytes; ++i, t += 0.01) {
      text += fmt::format("{:.2f} {} {}", t, activity, i % 11 ? "NaN" : "104");
      for (int c = 3; c < 54; ++c)
        text += i % 997 == 0 && c < 20 ? std::string(" NaN") : fmt::format(" {:.6f}", value(rng));
      text += '\n';
    }
  }
  return text;
}

// OPPORTUNITY's S<s>-ADL<r>.dat layout: 250 columns at 30 Hz, whole numbers (milli g, ...), a
// few sensors dropping samples ("NaN"), gestures between stretches of Null.
inline std::string opportunity_text(size_t bytes) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> value(-2000, 2000);
  const int gestures[] = {406516, 404516, 406520, 404520, 408512, 407521};
  std::string text;
  text.reserve(bytes + 4096);
  for (size_t row = 0; text.size() < bytes; ++row) {
    text += std::to_string(33 * row);
    for (int c = 1; c < 243; ++c) {
      if ((row / 300 + c) % 40 == 0)
        text += " NaN";
      else
        text += fmt::format(" {}", value(rng));
    }
    const int gesture = (row / 90) % 3 ? 0 : gestures[(row / 270) % 6];
    text += fmt::format(" 1 101 0 0 0 0 {}\n", gesture);
  }
  return text;
}

}  // namespace legohar::bench
