// Helpers shared by the tests: tiny model specs, scratch directories, small files, xz compression,
// and where the real datasets are (../shared/data beside the checkout unless $LEGOHAR_DATA says
// otherwise).
#pragma once

#include <lzma.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>

#include "legohar/data/text_file.h"
#include "legohar/spec/model_spec.h"

namespace legohar::test {

// A tiny CNN for unit tests: windows of 32 samples x 9 channels, 3 classes, the given conv layers.
inline ModelSpec tiny_spec(const std::string& model, std::vector<ConvLayerSpec> layers) {
  ModelSpec spec;
  spec.model = model;
  spec.input_length = 32;
  spec.classes = 3;
  spec.layers = std::move(layers);
  return spec;
}

// A parameterised test's name from a description of its parameter: every character other than a
// letter or a digit becomes '_' (GoogleTest's rule), so ctest lists readable, stable names.
inline std::string test_name(std::string text) {
  for (char& c : text)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return text;
}

// A fresh directory under the system temp dir, removed when the object goes.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("legohar-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

inline std::string xz_compress(const std::string& text) {
  std::string out(lzma_stream_buffer_bound(text.size()), '\0');
  size_t pos = 0;
  if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                              reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                              reinterpret_cast<uint8_t*>(out.data()), &pos, out.size()) != LZMA_OK)
    throw std::runtime_error("xz compression failed");
  out.resize(pos);
  return out;
}

// The message of the exception of type E that `f` throws, or "(no error)"; others propagate.
template <typename E>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no error)";
}

// The message of the legohar::Error that `f` throws, or "(no error)".
inline std::string error_of(const std::function<void()>& f) {
  return message_of<Error>(f);
}

// The real data directory, or empty when it is not there.
inline std::filesystem::path real_data_dir() {
  if (const char* env = std::getenv("LEGOHAR_DATA"); env && *env) return env;
  const std::filesystem::path shared = LEGOHAR_SOURCE_DIR "/../shared/data";
  return std::filesystem::is_directory(shared / "HAPT") ? shared : std::filesystem::path();
}

}  // namespace legohar::test
