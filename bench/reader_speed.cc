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
#include "generated_text.h"
#include "legohar/data/opportunity_reader.h"
#include "legohar/data/pamap2_reader.h"
#include "legohar/data/wisdm_reader.h"

namespace {

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
  const std::string text = legohar::bench::wisdm_text(mb << 20, activities);
  size_t records = 0;
  double median = median_seconds(repeats, [&] {
    records = legohar::parse_wisdm_raw(text, "generated.txt", activities).counts.records;
  });
  fmt::print("wisdm: {:.1f} MB, {} records: {:.3f} s (median of {}), {:.0f} MB/s on one thread\n",
             static_cast<double>(text.size()) / 1e6, records, median, repeats,
             static_cast<double>(text.size()) / 1e6 / median);
  const std::string rows = legohar::bench::pamap2_text(mb << 20);
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
  const std::string opportunity = legohar::bench::opportunity_text(mb << 20);
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
