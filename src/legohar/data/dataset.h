// Datasets by specification: where their files are, whether they are present, and their windows
// (read through the source's reader, served from the window cache when nothing changed). Each
// source (hapt-raw, uci-har-inertial, wisdm-raw, unimib-shar, pamap2, opportunity, csv) is one
// entry of a table in dataset.cc: its channels, variants, files and reader; readers know nothing
// of models.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "legohar/data/csv_reader.h"
#include "legohar/data/split.h"
#include "legohar/data/window_set.h"
#include "legohar/data/windowing.h"
#include "runtime/preprocess.h"

namespace legohar {

// What a dataset is made of; parsed from configs/datasets/<name>.toml (config/dataset_config.h).
struct DatasetSpec {
  std::string name;
  std::string description;
  std::string source;   // reader: "hapt-raw", "uci-har-inertial", "wisdm-raw", "unimib-shar",
                        // "pamap2", "opportunity", "csv" (users' own recordings)
  std::string variant;  // source_variants(source): unimib-shar's files, opportunity's label track
  std::string path;     // relative to the data directory, e.g. "HAPT/RawData"
  std::string url;      // where a user obtains the files (empty: not said)
  WindowOptions windows;
  runtime::UciHarFilters filters;
  std::vector<int> activity_ids;  // dataset activity id of class index i (csv: optional)
  std::vector<std::string> class_names;
  PredefinedSplits splits;
  CsvLayout csv;  // source "csv": how its files map to channels, labels and subjects

  std::map<int, int> class_of_activity() const;
  // Every parameter that changes the windows, as text (part of the cache key).
  std::string parameters_key() const;
};

// The channels a dataset's windows have (9 for UCI-HAR's, 3 for WISDM's and UniMiB-SHAR's, 27 for
// PAMAP2's, 113 for OPPORTUNITY's, the mapped columns of csv's); an unknown source is a usage
// Error listing the known ones.
int64_t dataset_channels(const DatasetSpec& spec);
// The variants a source reads, its default first (none: the source has no variants).
const std::vector<std::string>& source_variants(const std::string& source);
// Whether the source windows continuous recordings (windows.label applies) rather than segments
// of one label.
bool source_is_continuous(const std::string& source);
// The rate of the dataset's window samples (Hz): what a model trained on it takes its input at.
double dataset_sample_rate(const DatasetSpec& spec);

// --data-dir if given, else $LEGOHAR_DATA, else ./data, else ../shared/data (first that exists).
std::filesystem::path resolve_data_dir(const std::string& flag);
// --cache-dir if given, else $LEGOHAR_CACHE, else $XDG_CACHE_HOME/legohar, else ~/.cache/legohar.
std::filesystem::path resolve_cache_dir(const std::string& flag);

// The files the dataset reads; `missing` lists those not found.
struct DatasetFiles {
  std::vector<std::filesystem::path> present;
  std::vector<std::filesystem::path> missing;
};
DatasetFiles dataset_files(const DatasetSpec& spec, const std::filesystem::path& data_dir);

// The dataset's windows. With a non-empty cache_dir, a cached copy made from identical files and
// parameters is returned instead of re-reading; `from_cache` (optional) tells which happened.
WindowSet load_windows(const DatasetSpec& spec, const std::filesystem::path& data_dir,
                       const std::filesystem::path& cache_dir, bool* from_cache = nullptr);

// One recording file of a dataset's source as a sensor stream delivers it, for prediction:
// every raw sample [rows, channels] row-major at the file's own rate (PAMAP2's 100 Hz rows, which
// its models take decimated to 33.3 Hz), the channels a model of the dataset takes, gaps filled;
// `summary` says what was read and filled. hapt-raw: an acc_expNN_userMM.txt[.xz] and its gyro
// sibling; pamap2: a subject1NN.dat; opportunity: an S<s>-<run>.dat with column_names.txt in its
// folder; csv: a file in the dataset's layout, resampled to its rate. Other sources (their files
// are not one recording each) are a usage Error.
struct RecordingSamples {
  std::vector<double> samples;
  std::vector<std::string> channel_names;
  double rate_hz = 0;
  std::string summary;
};
RecordingSamples read_recording(const DatasetSpec& spec, const std::filesystem::path& file);

}  // namespace legohar
