// Implementation of error.h: the messages with their context.
#include "legohar/common/error.h"

#include <fmt/format.h>

namespace legohar {
namespace fs = std::filesystem;

Error Error::data(const fs::path& file, size_t line, const std::string& problem) {
  Error e(ErrorKind::kData, line == 0 ? fmt::format("{}: {}", file.string(), problem)
                                      : fmt::format("{}:{}: {}", file.string(), line, problem));
  e.file_ = file;
  e.line_ = line;
  return e;
}

Error Error::io(const fs::path& path, const std::string& problem) {
  Error e(ErrorKind::kIo, fmt::format("{}: {}", path.string(), problem));
  e.file_ = path;
  return e;
}

Error Error::interrupted(int signal, const std::string& message) {
  Error e(ErrorKind::kInterrupted, message);
  e.signal_ = signal;
  return e;
}

Error Error::in_file(const fs::path& file, size_t line, const std::string& prefix) const {
  return data(file, line, prefix + what());
}

void throw_data_error(const fs::path& file, size_t line, const std::string& problem) {
  throw Error::data(file, line, problem);
}

}  // namespace legohar
