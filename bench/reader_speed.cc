// Parse speed of the dataset readers on generated text in each original format (no dataset file
// needed): writes SIZE_MB of WISDM records, of PAMAP2 rows and of OPPORTUNITY rows into memory,
// parses each REPEATS times on one thread, and prints MB/s of text (the median repeat).
// Usage: reader_speed [SIZE_MB] [REPEATS]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "../tests/opportunity_writer.h"
#include "legohar/data/opportunity_reader.h"
#include "legohar/data/pamap2_reader.h"
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

// PAMAP2's Protocol/subject1NN.dat layout: 54 columns at 100 Hz, runs of one activity (0 between
// them), the heart rate mostly NaN, now and then a dropped IMU sample.
std::string pamap2_text(size_t bytes) {
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
std::string opportunity_text(size_t bytes) {
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

// Median seconds of `repeats` calls of f.
template <class F>
double median_seconds(int repeats, F f) {
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const size_t mb = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 49;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::vector<std::string> activities{"Walking",    "Jogging", "Upstairs",
                                            "Downstairs", "Sitting", "Standing"};
  const std::string text = wisdm_text(mb << 20, activities);
  size_t records = 0;
  double median = median_seconds(repeats, [&] {
    records = legohar::parse_wisdm_raw(text, "generated.txt", activities).counts.records;
  });
  fmt::print("wisdm: {:.1f} MB, {} records: {:.3f} s (median of {}), {:.0f} MB/s on one thread\n",
             static_cast<double>(text.size()) / 1e6, records, median, repeats,
             static_cast<double>(text.size()) / 1e6 / median);
  const std::string rows = pamap2_text(mb << 20);
  const std::map<int, int> classes{{1, 0}, {2, 1},  {3, 2},  {4, 3},  {5, 4},   {6, 5},
                                   {7, 6}, {12, 7}, {13, 8}, {16, 9}, {17, 10}, {24, 11}};
  legohar::Pamap2Counts counts;
  median = median_seconds(repeats, [&] {
    counts = {};
    legohar::parse_pamap2(rows, "generated.dat", classes, 10, counts);
  });
  fmt::print(
      "pamap2: {:.1f} MB, {} rows (NaN filled, runs cut): {:.3f} s (median of {}), {:.0f} "
      "MB/s on one thread\n",
      static_cast<double>(rows.size()) / 1e6, counts.rows, median, repeats,
      static_cast<double>(rows.size()) / 1e6 / median);
  const std::string opportunity = opportunity_text(mb << 20);
  const legohar::OpportunityLayout layout = legohar::opportunity_layout(
      legohar::test::opportunity_column_names(), "gestures", "column_names.txt");
  const std::map<int, int> gestures{{0, 0},      {406516, 1}, {404516, 2}, {406520, 3},
                                    {404520, 4}, {408512, 5}, {407521, 6}};
  legohar::OpportunityCounts o;
  median = median_seconds(repeats, [&] {
    o = {};
    legohar::parse_opportunity(opportunity, "generated.dat", layout, gestures, o);
  });
  fmt::print(
      "opportunity: {:.1f} MB, {} rows (113 channels kept, NaN filled): {:.3f} s (median of {}), "
      "{:.0f} MB/s on one thread\n",
      static_cast<double>(opportunity.size()) / 1e6, o.rows, median, repeats,
      static_cast<double>(opportunity.size()) / 1e6 / median);
}
