// Implementation of atomic_file.h.
#include "legohar/common/atomic_file.h"

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

namespace legohar {
namespace fs = std::filesystem;

void replace_file_atomically(const fs::path& file,
                             const std::function<void(const fs::path&)>& write) {
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  fs::path tmp = file;
  tmp += ".tmp." + std::to_string(::getpid());
  try {
    write(tmp);
    fs::rename(tmp, file);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

void write_file_atomically(const fs::path& file, const std::string& bytes) {
  replace_file_atomically(file, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    errno = 0;
    out.close();  // flushes: a full disk shows here at the latest
    if (!out)
      throw fs::filesystem_error(
          "cannot write " + file.string(), tmp,
          std::error_code(errno != 0 ? errno : EIO, std::generic_category()));
  });
}

}  // namespace legohar
