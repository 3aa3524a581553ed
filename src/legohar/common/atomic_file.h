// Writing files so that a reader never sees a half-written one: write to a temporary file in the
// same directory, flush, then rename over the target.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace legohar {

// Writes `bytes` to `file` atomically; throws std::runtime_error naming the file on failure.
void write_file_atomically(const std::filesystem::path& file, const std::string& bytes);

// Calls `write(tmp_path)` to produce a temporary file, then renames it onto `file`.
void replace_file_atomically(const std::filesystem::path& file,
                             const std::function<void(const std::filesystem::path&)>& write);

}  // namespace legohar
