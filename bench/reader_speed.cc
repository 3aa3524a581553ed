// Parse speed of the dataset readers on generated text in each original format (no dataset file
// needed): writes SIZE_MB of records into memory, parses them REPEATS times on one thread, and
// prints MB/s of text (the median repeat). Usage: reader_speed [SIZE_MB] [REPEATS]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "legohar/data/wisdm_reader.h"

namespace {

// WISDM_ar_v1.1_raw.txt's layout: runs of one user and activity at 50 ms, values as the phone
// logged them (about 8 significant digits).
std::string wisdm_text(size_t bytes, const std::vector<std::string>& activities) {
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

}  // namespace

int main(int argc, char** argv) {
  const size_t mb = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 49;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::vector<std::string> activities{"Walking", "Jogging",  "Upstairs",
                                            "Downstairs", "Sitting", "Standing"};
  const std::string text = wisdm_text(mb << 20, activities);
  std::vector<double> seconds;
  size_t records = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    records = legohar::parse_wisdm_raw(text, "generated.txt", activities).counts.records;
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  fmt::print("wisdm: {:.1f} MB, {} records: {:.3f} s (median of {}), {:.0f} MB/s on one thread\n",
             static_cast<double>(text.size()) / 1e6, records, median, repeats,
             static_cast<double>(text.size()) / 1e6 / median);
}
