// legohar's one error type. Whatever a user can get wrong (an option, a configuration value, an
// input file, a run folder) and whatever fails around legohar (a full disk, an interrupt) is
// thrown as an Error: its kind decides the command line's exit status (cli/main.cc, README "Exit
// status") and its message starts with the context that locates the fault: "file:line: problem"
// or "option = value: problem". Any other exception that escapes legohar is a bug.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace legohar {

enum class ErrorKind {
  kUsage,        // a command line or an option outside its valid values
  kData,         // the content of an input file (recording, label, configuration, checkpoint)
  kIo,           // the system around legohar failed: a full disk, a permission, a missing tool
  kState,        // the run folders do not allow what was asked (a run in the way, none to resume)
  kInterrupted,  // SIGINT or SIGTERM stopped a long loop at a step boundary
};

class Error : public std::runtime_error {
 public:
  // `message` as the user reads it; prefer the factories below, which add the context.
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

  // "<option> = <value>: <problem>"-style messages carry the option themselves.
  static Error usage(const std::string& message) { return {ErrorKind::kUsage, message}; }
  // "<file>:<line>: <problem>"; line 0 when the whole file is at fault.
  static Error data(const std::filesystem::path& file, size_t line, const std::string& problem);
  // "<path>: <problem>".
  static Error io(const std::filesystem::path& path, const std::string& problem);
  static Error state(const std::string& message) { return {ErrorKind::kState, message}; }
  static Error interrupted(int signal, const std::string& message);

  // This error as found at `line` of `file`, e.g. an option's refusal of a value read from a
  // configuration file: a data error "<file>:<line>: <prefix><message>".
  Error in_file(const std::filesystem::path& file, size_t line,
                const std::string& prefix = "") const;

  ErrorKind kind() const { return kind_; }
  const std::filesystem::path& file() const { return file_; }  // empty when no file is at fault
  size_t line() const { return line_; }                        // 0: no line, or the whole file
  int signal() const { return signal_; }                       // kInterrupted: SIGINT or SIGTERM

 private:
  ErrorKind kind_;
  std::filesystem::path file_;
  size_t line_ = 0;
  int signal_ = 0;
};

// throw Error::data(file, line, problem), for readers that fail in many places.
[[noreturn]] void throw_data_error(const std::filesystem::path& file, size_t line,
                                   const std::string& problem);

}  // namespace legohar
