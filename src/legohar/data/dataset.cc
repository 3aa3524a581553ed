// Implementation of dataset.h.
#include "legohar/data/dataset.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <string_view>
#include <vector>

#include "legohar/common/error.h"
#include "legohar/data/hapt_reader.h"
#include "legohar/data/opportunity_reader.h"
#include "legohar/data/pamap2_reader.h"
#include "legohar/data/sample_text.h"
#include "legohar/data/text_file.h"
#include "legohar/data/uci_har_reader.h"
#include "legohar/data/unimib_reader.h"
#include "legohar/data/window_cache.h"
#include "legohar/data/wisdm_reader.h"

namespace legohar {
namespace fs = std::filesystem;

std::map<int, int> DatasetSpec::class_of_activity() const {
  std::map<int, int> m;
  for (size_t i = 0; i < activity_ids.size(); ++i) m[activity_ids[i]] = static_cast<int>(i);
  return m;
}

std::string DatasetSpec::parameters_key() const {
  std::string key =
      fmt::format("source={};variant={};length={};step={};label={};{};activities={}", source,
                  variant, windows.length, windows.step, window_label_name(windows.label),
                  filters.key(), fmt::join(activity_ids, ","));
  if (source == "csv")  // labels are matched by name
    key += fmt::format(";classes={};{}", fmt::join(class_names, "|"), csv.key());
  return key;
}

fs::path resolve_data_dir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("LEGOHAR_DATA"); env && *env) return env;
  if (fs::is_directory("data")) return "data";
  return "../shared/data";
}

fs::path resolve_cache_dir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("LEGOHAR_CACHE"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return fs::path(xdg) / "legohar";
  if (const char* home = std::getenv("HOME"); home && *home)
    return fs::path(home) / ".cache" / "legohar";
  return ".legohar-cache";
}

namespace {

// Each file present goes to `present`, each absent one to `missing`.
void sort_files(const std::vector<fs::path>& expected, DatasetFiles& files) {
  for (const fs::path& p : expected) (fs::exists(p) ? files.present : files.missing).push_back(p);
}

// One reader per source: the channels of its windows (0: as the dataset file maps them), its
// variants (default first), whether it may window continuous recordings, the files it reads below
// the dataset's folder, its windows (what it skipped, on standard error), and one recording file
// as a stream's samples (nullptr: its files are not one recording each).
struct SourceReader {
  std::string_view name;
  int64_t channels;
  std::vector<std::string> variants;
  bool continuous;
  double (*rate_hz)(const DatasetSpec&);  // the windows' sample rate
  DatasetFiles (*files)(const DatasetSpec&, const fs::path& root);
  WindowSet (*read)(const DatasetSpec&, const fs::path& root);
  RecordingSamples (*recording)(const DatasetSpec&, const fs::path& file);
};

std::vector<double> widened(const std::vector<float>& samples) {
  return {samples.begin(), samples.end()};
}

const std::vector<SourceReader>& source_readers() {
  static const std::vector<SourceReader> readers = {
      {"hapt-raw",
       9,
       {},
       false,
       [](const DatasetSpec& spec) { return spec.filters.sample_rate_hz; },
       [](const DatasetSpec&, const fs::path& root) {
         DatasetFiles files;
         files.present = hapt_source_files(root);
         if (find_plain_or_xz(root, "labels.txt").empty())
           files.missing.push_back(root / "labels.txt");
         if (files.present.size() < 2) files.missing.push_back(root / "acc_expNN_userMM.txt");
         return files;
       },
       [](const DatasetSpec& spec, const fs::path& root) {
         return read_hapt_windows(root, spec.class_of_activity(), spec.class_names, spec.windows,
                                  spec.filters);
       },
       [](const DatasetSpec& spec, const fs::path& file) {
         std::vector<double> raw = read_hapt_samples(file);
         const size_t rows = raw.size() / runtime::uci_har_input_names().size();
         return RecordingSamples{std::move(raw), runtime::uci_har_input_names(),
                                 spec.filters.sample_rate_hz,
                                 fmt::format("{} raw acc and gyro samples", rows)};
       }},
      {"uci-har-inertial",
       9,
       {},
       false,
       [](const DatasetSpec&) { return kUciHarRateHz; },
       [](const DatasetSpec&, const fs::path& root) {
         DatasetFiles files;
         for (const std::string split : {"train", "test"})
           sort_files(uci_har_split_files(root, split), files);
         return files;
       },
       [](const DatasetSpec& spec, const fs::path& root) {
         return read_uci_har_windows(root, spec.class_of_activity(), spec.class_names);
       },
       nullptr},
      {"wisdm-raw",
       3,
       {},
       false,
       [](const DatasetSpec&) { return kWisdmRateHz; },
       [](const DatasetSpec&, const fs::path& root) {
         DatasetFiles files;
         const fs::path raw = find_plain_or_xz(root, kWisdmRawFile);
         (raw.empty() ? files.missing : files.present)
             .push_back(raw.empty() ? root / kWisdmRawFile : raw);
         return files;
       },
       [](const DatasetSpec& spec, const fs::path& root) {
         WisdmCounts counts;
         WindowSet w = read_wisdm_windows(root, spec.class_names, spec.windows, &counts);
         fmt::print(stderr, "{}: {}\n", (root / kWisdmRawFile).string(), counts.summary());
         return w;
       },
       nullptr},
      {"unimib-shar", 3, unimib_variants(), false, [](const DatasetSpec&) { return kUnimibRateHz; },
       [](const DatasetSpec& spec, const fs::path& root) {
         DatasetFiles files;
         sort_files(unimib_files(root, spec.variant), files);
         return files;
       },
       [](const DatasetSpec& spec, const fs::path& root) {
         if (spec.windows.length != kUnimibWindow)
           throw Error::usage(
               fmt::format("dataset {}: UniMiB-SHAR's windows are {} samples (windows.length = {})",
                           spec.name, kUnimibWindow, spec.windows.length));
         return read_unimib_windows(root, spec.variant, spec.class_of_activity(), spec.class_names);
       },
       nullptr},
      {"pamap2",
       static_cast<int64_t>(kPamap2Channels),
       {},
       false,
       [](const DatasetSpec&) { return kPamap2RateHz; },
       [](const DatasetSpec&, const fs::path& root) {
         DatasetFiles files;
         files.present = pamap2_files(root);
         if (files.present.empty()) files.missing.push_back(root / "subject101.dat");
         return files;
       },
       [](const DatasetSpec& spec, const fs::path& root) {
         Pamap2Counts counts;
         WindowSet w = read_pamap2_windows(root, spec.class_of_activity(), spec.class_names,
                                           spec.windows, 10, &counts);
         fmt::print(stderr, "{}: {}\n", root.string(), counts.summary());
         return w;
       },
       [](const DatasetSpec&, const fs::path& file) {
         Pamap2Counts counts;
         const std::vector<float> samples =
             parse_pamap2_recording(read_file_bytes(file), file, counts);
         return RecordingSamples{
             widened(samples), pamap2_channel_names(), kPamap2RowRateHz,
             fmt::format("{} rows at {} Hz; {} NaN values filled by interpolation", counts.rows,
                         kPamap2RowRateHz, counts.filled_values)};
       }},
      {"opportunity", static_cast<int64_t>(kOpportunityChannels), opportunity_variants(), true,
       [](const DatasetSpec&) { return kOpportunityRateHz; },
       [](const DatasetSpec&, const fs::path& root) {
         DatasetFiles files;
         const fs::path folder = opportunity_folder(root);
         const fs::path columns = find_plain_or_xz(folder, kOpportunityColumnFile);
         (columns.empty() ? files.missing : files.present)
             .push_back(columns.empty() ? folder / kOpportunityColumnFile : columns);
         std::vector<fs::path> recordings;
         for (const OpportunityFile& f : opportunity_files(folder)) recordings.push_back(f.path);
         sort_files(recordings, files);
         return files;
       },
       [](const DatasetSpec& spec, const fs::path& root) {
         OpportunityCounts counts;
         WindowSet w = read_opportunity_windows(root, spec.variant, spec.class_of_activity(),
                                                spec.class_names, spec.windows, &counts);
         fmt::print(stderr, "{}: {}\n", opportunity_folder(root).string(), counts.summary());
         return w;
       },
       [](const DatasetSpec& spec, const fs::path& file) {
         const OpportunityLayout layout = read_opportunity_layout(file.parent_path(), spec.variant);
         OpportunityCounts counts;
         const OpportunityRecording r =
             parse_opportunity(read_file_bytes(file), file, layout, {}, counts);
         return RecordingSamples{
             widened(r.samples), layout.channel_names, kOpportunityRateHz,
             fmt::format("{} rows; {} NaN values filled by interpolation; {} channels without a "
                         "value (set to 0)",
                         counts.rows, counts.filled_values, counts.empty_channels)};
       }},
      {"csv",
       0,
       {},
       true,
       [](const DatasetSpec& spec) { return spec.csv.rate_hz; },
       [](const DatasetSpec& spec, const fs::path& root) {
         DatasetFiles files;
         files.present = csv_files(root, spec.csv);
         if (files.present.empty()) files.missing.push_back(root / spec.csv.files);
         return files;
       },
       [](const DatasetSpec& spec, const fs::path& root) {
         CsvCounts counts;
         WindowSet w = read_csv_windows(root, spec.csv, spec.class_names, spec.class_of_activity(),
                                        spec.windows, &counts);
         fmt::print(stderr, "{}: {}\n", root.string(), counts.summary());
         return w;
       },
       [](const DatasetSpec& spec, const fs::path& file) {
         CsvCounts counts;
         const CsvRecording r =
             parse_csv_recording(read_file_bytes(file), file, file.filename().string(), spec.csv,
                                 spec.class_names, spec.class_of_activity(), false, counts);
         return RecordingSamples{widened(r.samples), csv_channel_names(spec.csv), spec.csv.rate_hz,
                                 counts.summary()};
       }},
  };
  return readers;
}

const SourceReader& source_reader(const std::string& source) {
  std::vector<std::string_view> names;
  for (const SourceReader& r : source_readers()) {
    if (r.name == source) return r;
    names.push_back(r.name);
  }
  throw Error::usage(
      fmt::format("unknown source '{}' (known: {})", source, fmt::join(names, ", ")));
}

}  // namespace

int64_t dataset_channels(const DatasetSpec& spec) {
  const int64_t channels = source_reader(spec.source).channels;
  return channels > 0 ? channels : static_cast<int64_t>(spec.csv.channels.size());
}

const std::vector<std::string>& source_variants(const std::string& source) {
  return source_reader(source).variants;
}

bool source_is_continuous(const std::string& source) {
  return source_reader(source).continuous;
}

double dataset_sample_rate(const DatasetSpec& spec) {
  return source_reader(spec.source).rate_hz(spec);
}

DatasetFiles dataset_files(const DatasetSpec& spec, const fs::path& data_dir) {
  return source_reader(spec.source).files(spec, data_dir / spec.path);
}

RecordingSamples read_recording(const DatasetSpec& spec, const fs::path& file) {
  const SourceReader& reader = source_reader(spec.source);
  if (!reader.recording)
    throw Error::usage(fmt::format(
        "dataset {}: the files of a {} dataset are not one recording each; give the samples as "
        "csv",
        spec.name, spec.source));
  return reader.recording(spec, file);
}

WindowSet load_windows(const DatasetSpec& spec, const fs::path& data_dir, const fs::path& cache_dir,
                       bool* from_cache) {
  const DatasetFiles files = dataset_files(spec, data_dir);
  if (!files.missing.empty())
    throw_data_error(
        files.missing.front(), 0,
        fmt::format("missing file of dataset '{}' ({} missing in all); data directory: {}",
                    spec.name, files.missing.size(), data_dir.string()));
  const std::string key = window_cache_key(spec.parameters_key(), files.present);
  if (!cache_dir.empty()) {
    if (auto cached = load_cached_windows(cache_dir, key)) {
      if (from_cache) *from_cache = true;
      return std::move(*cached);
    }
  }
  if (from_cache) *from_cache = false;
  WindowSet w = source_reader(spec.source).read(spec, data_dir / spec.path);
  if (!cache_dir.empty()) {
    try {
      store_cached_windows(cache_dir, key, w);
    } catch (const std::exception& e) {  // a full or read-only disk costs the cache, not the run
      fmt::print(stderr, "legohar: warning: windows not cached ({}); continuing without\n",
                 e.what());
    }
  }
  return w;
}

}  // namespace legohar
