// libFuzzer targets for the untrusted text and binary inputs of the core library: each feeds the
// fuzzer's bytes to one reader, which must either succeed or refuse them with a legohar::Error
// (common/error.h) — any other exception escapes to libFuzzer and counts as a finding, like a
// crash, a hang or a touch of memory the reader does not own (built with ASan and UBSan). One
// source, one target per reader: -DLEGOHAR_FUZZ_TARGET selects it (fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "../tests/opportunity_writer.h"
#include "legohar/common/atomic_file.h"
#include "legohar/common/checksum.h"
#include "legohar/common/error.h"
#include "legohar/config/dataset_config.h"
#include "legohar/data/csv_reader.h"
#include "legohar/data/hapt_reader.h"
#include "legohar/data/opportunity_reader.h"
#include "legohar/data/pamap2_reader.h"
#include "legohar/data/text_file.h"
#include "legohar/data/uci_har_reader.h"
#include "legohar/data/unimib_reader.h"
#include "legohar/data/window_cache.h"
#include "legohar/data/wisdm_reader.h"
#include "legohar/experiment/experiment.h"
#include "runtime/preprocess.h"

namespace fs = std::filesystem;

namespace {

// A private scratch folder per fuzzing process.
const fs::path& scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("legohar-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

fs::path write_input(const std::string& name, const uint8_t* data, size_t size) {
  const fs::path file = scratch() / name;
  legohar::write_file_atomically(file, std::string(reinterpret_cast<const char*>(data), size));
  return file;
}

// The input cut at each '|' into at most `n` parts (missing ones empty).
std::vector<std::string> parts(const uint8_t* data, size_t size, size_t n) {
  std::vector<std::string> out(n);
  size_t k = 0;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '|' && k + 1 < n)
      ++k;
    else
      out[k] += static_cast<char>(data[i]);
  }
  return out;
}

void run(const uint8_t* data, size_t size) {
  using namespace legohar;
#if LEGOHAR_FUZZ_TARGET == 1  // numeric tables (HAPT and UCI-HAR signal files)
  parse_numeric_table(std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
#elif LEGOHAR_FUZZ_TARGET == 2   // HAPT labels.txt
  write_input("labels.txt", data, size);
  read_hapt_labels(scratch());
#elif LEGOHAR_FUZZ_TARGET == 3   // dataset configuration files
  load_dataset_config(write_input("fuzz.toml", data, size).string(), scratch());
#elif LEGOHAR_FUZZ_TARGET == 4   // experiment files
  load_experiment(write_input("experiment.toml", data, size), LEGOHAR_SOURCE_DIR "/configs", {});
#elif LEGOHAR_FUZZ_TARGET == 5   // window-cache files
  static const fs::path entry = [] {  // the file name of key "k": store once, find it
    WindowSet w;
    w.length = 1;
    w.channels = 1;
    w.samples = {1};
    w.offsets = {0};
    w.labels = {0};
    w.subjects = {1};
    w.recordings = {1};
    w.starts = {0};
    w.class_names = {"a"};
    w.channel_names = {"x"};
    store_cached_windows(scratch() / "cache", "k", w);
    return fs::directory_iterator(scratch() / "cache")->path();
  }();
  // An odd first byte: the bytes as they are (the checksum turns nearly all away). Even: resealed
  // with their own checksum, as a file written by a faulty legohar would be, so the fuzzer
  // reaches the fields behind the checksum.
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] % 2 == 0) {
    const uint64_t checksum = fnv1a64(bytes.data(), bytes.size());
    bytes.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
  }
  write_file_atomically(entry, bytes);
  load_cached_windows(scratch() / "cache", "k");
#elif LEGOHAR_FUZZ_TARGET == 6   // UCI-HAR: y_train.txt|subject_train.txt|body_acc_x_train.txt
  static const std::map<int, int> classes{{1, 0}, {2, 1}, {3, 2}, {4, 3}, {5, 4}, {6, 5}};
  static const std::vector<std::string> names{"1", "2", "3", "4", "5", "6"};
  const fs::path root = scratch() / "uci";
  static const bool written = [&] {  // every other file valid, two windows each
    std::string window;
    for (int t = 0; t < 128; ++t) window += "0.5 ";
    const std::string signal = window + "\n" + window + "\n";
    for (const std::string split : {"train", "test"}) {
      for (const fs::path& f : uci_har_split_files(root, split))
        write_file_atomically(f, f.filename().string().rfind("y_", 0) == 0         ? "1\n2\n"
                                 : f.filename().string().rfind("subject_", 0) == 0 ? "1\n1\n"
                                                                                   : signal);
    }
    return true;
  }();
  (void)written;
  const std::vector<std::string> input = parts(data, size, 3);
  const std::vector<fs::path> files = uci_har_split_files(root, "train");
  write_file_atomically(files[9], input[0]);   // y_train.txt
  write_file_atomically(files[10], input[1]);  // subject_train.txt
  write_file_atomically(files[0], input[2]);   // the first signal file
  read_uci_har_windows(root, classes, names);
#elif LEGOHAR_FUZZ_TARGET == 7   // WISDM v1.1 raw file
  static const std::vector<std::string> activities{"Walking",    "Jogging", "Upstairs",
                                                   "Downstairs", "Sitting", "Standing"};
  parse_wisdm_raw(std::string(reinterpret_cast<const char*>(data), size), "raw.txt", activities);
#elif LEGOHAR_FUZZ_TARGET == 8   // UniMiB-SHAR .mat files (through matio): labels, then names
  write_input("acc_labels.mat", data, size);
  try {
    read_unimib_labels(scratch(), "acc");
  } catch (const Error&) {
  }
  write_input("acc_names.mat", data, size);
  read_unimib_names(scratch());
#elif LEGOHAR_FUZZ_TARGET == 9   // PAMAP2 Protocol/subject1NN.dat (short gaps: 2 rows), and
                                 // the whole file as predict streams it
  static const std::map<int, int> classes{{1, 0}, {4, 1}};
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    Pamap2Counts whole;
    parse_pamap2_recording(text, "subject101.dat", whole);
  } catch (const Error&) {
  }
  Pamap2Counts counts;
  parse_pamap2(text, "subject101.dat", classes, 2, counts);
#elif LEGOHAR_FUZZ_TARGET == 10  // OPPORTUNITY: column_names.txt, then a recording's rows
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    opportunity_layout(parse_opportunity_columns(text, "column_names.txt"), "gestures",
                       "column_names.txt");
  } catch (const Error&) {
  }
  static const OpportunityLayout layout =
      opportunity_layout(legohar::test::opportunity_column_names(), "gestures", "c.txt");
  static const std::map<int, int> classes{{0, 0}, {406516, 1}, {404516, 2}};
  OpportunityCounts counts;
  const OpportunityRecording r = parse_opportunity(text, "S1-ADL1.dat", layout, classes, counts);
  WindowSet w;
  w.channels = kOpportunityChannels;
  append_continuous_windows(w, r.samples.data(), r.labels.data(), r.labels.size(), 1, 11,
                            {2, 1, WindowLabel::kMajority});
#elif LEGOHAR_FUZZ_TARGET == 11  // users' CSV recordings: a header, ms times, labels, subjects
  static const CsvLayout layout = [] {
    CsvLayout l;
    l.time.name = "t";
    l.time_unit_s = 1e-3;
    l.rate_hz = 50;
    l.max_gap_s = 0.5;
    l.label.name = "activity";
    l.subject.name = "user";
    for (const char* c : {"x", "y"}) {
      CsvChannel ch;
      ch.column.name = c;
      ch.scale = 0.5;
      l.channels.push_back(ch);
    }
    return l;
  }();
  CsvCounts counts;
  const CsvRecording r =
      parse_csv_recording(std::string(reinterpret_cast<const char*>(data), size), "a.csv", "a.csv",
                          layout, {"walk", "sit"}, {{1, 0}}, true, counts);
  WindowSet w;
  w.channels = 2;
  append_continuous_windows(w, r.samples.data(), r.labels.data(), r.labels.size(), 1, 1,
                            {2, 1, WindowLabel::kMajority});
#else
#error "LEGOHAR_FUZZ_TARGET must be 1..11"
#endif
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    run(data, size);
  } catch (const legohar::Error&) {  // a refusal with its context is the wanted outcome
  }
  return 0;
}
