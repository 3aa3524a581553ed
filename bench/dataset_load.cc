// Preprocessing time and peak memory of a whole dataset the size of a download, on generated files
// in its layout (no dataset file needed): writes SIZE_MB of PAMAP2 protocol files (9 subjects) or
// of OPPORTUNITY recordings (the 24 files and column_names.txt) under a temporary data directory,
// loads the windows of the shipped config as `legohar train` does (without the cache), and prints
// the seconds, the windows, their bytes and the peak resident memory of the load.
// Usage: dataset_load pamap2|opportunity SIZE_MB
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "../tests/opportunity_writer.h"
#include "generated_text.h"
#include "legohar/common/peak_memory.h"
#include "legohar/config/dataset_config.h"
#include "legohar/data/dataset.h"
#include "legohar/data/opportunity_reader.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: dataset_load pamap2|opportunity SIZE_MB\n");
    return 2;
  }
  const std::string name = argv[1];
  const size_t bytes = std::strtoul(argv[2], nullptr, 10) << 20;
  const fs::path data = fs::temp_directory_path() / fmt::format("legohar-load-{}", ::getpid());
  size_t written = 0;
  const auto write = [&](const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    written += text.size();
  };
  if (name == "pamap2") {
    for (int subject = 101; subject <= 109; ++subject)
      write(data / fmt::format("PAMAP2/Protocol/subject{}.dat", subject),
            legohar::bench::pamap2_text(bytes / 9));
  } else if (name == "opportunity") {
    const fs::path dir = data / "OPPORTUNITY/dataset";
    write(dir / legohar::kOpportunityColumnFile,
          legohar::test::opportunity_columns_text(legohar::test::opportunity_column_names()));
    for (const legohar::OpportunityFile& f : legohar::opportunity_files(dir))
      write(f.path, legohar::bench::opportunity_text(bytes / 24));
  } else {
    fmt::print(stderr, "dataset_load: '{}' is not pamap2 or opportunity\n", name);
    return 2;
  }
  const legohar::DatasetConfig config =
      legohar::load_dataset_config(name, legohar::resolve_config_dir(""));
  legohar::reset_peak_resident_memory();
  const double before = legohar::resident_mb();
  const auto start = std::chrono::steady_clock::now();
  const legohar::WindowSet w = legohar::load_windows(config.data, data, "");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(
      "{}: {:.0f} MB of generated files -> {} windows of {} x {} ({:.0f} MB of samples) in {:.1f} "
      "s; peak resident {:.0f} MB ({:.0f} MB before the load)\n",
      name, static_cast<double>(written) / 1e6, w.size(), w.length, w.channels,
      static_cast<double>(w.samples.size() * sizeof(float)) / 1e6, seconds,
      legohar::peak_resident_mb(), before);
  fs::remove_all(data);
}
