// libFuzzer targets for the untrusted text and binary inputs of the core library: each feeds the
// fuzzer's bytes to one reader, which must either succeed or throw a std::exception naming the
// problem, never crash, hang or touch memory it does not own (built with ASan and UBSan). One
// source, one target per reader: -DLEGOHAR_FUZZ_TARGET selects it (fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "legohar/common/atomic_file.h"
#include "legohar/config/dataset_config.h"
#include "legohar/data/hapt_reader.h"
#include "legohar/data/text_file.h"
#include "legohar/data/window_cache.h"
#include "legohar/experiment/experiment.h"

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

void run(const uint8_t* data, size_t size) {
  using namespace legohar;
#if LEGOHAR_FUZZ_TARGET == 1  // numeric tables (HAPT and UCI-HAR signal files)
  parse_numeric_table(std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
#elif LEGOHAR_FUZZ_TARGET == 2  // HAPT labels.txt
  write_input("labels.txt", data, size);
  read_hapt_labels(scratch());
#elif LEGOHAR_FUZZ_TARGET == 3  // dataset configuration files
  load_dataset_config(write_input("fuzz.toml", data, size).string(), scratch());
#elif LEGOHAR_FUZZ_TARGET == 4  // experiment files
  load_experiment(write_input("experiment.toml", data, size), LEGOHAR_SOURCE_DIR "/configs", {});
#elif LEGOHAR_FUZZ_TARGET == 5  // window-cache files
  static const fs::path entry = [] {  // the file name of key "k": store once, find it
    WindowSet w;
    w.length = 1;
    w.channels = 1;
    w.data = {1};
    w.labels = {0};
    w.subjects = {1};
    w.recordings = {1};
    w.starts = {0};
    w.class_names = {"a"};
    w.channel_names = {"x"};
    store_cached_windows(scratch() / "cache", "k", w);
    return fs::directory_iterator(scratch() / "cache")->path();
  }();
  write_file_atomically(entry, std::string(reinterpret_cast<const char*>(data), size));
  load_cached_windows(scratch() / "cache", "k");
#else
#error "LEGOHAR_FUZZ_TARGET must be 1..5"
#endif
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    run(data, size);
  } catch (const std::exception&) {  // a refusal with a message is the wanted outcome
  }
  return 0;
}
