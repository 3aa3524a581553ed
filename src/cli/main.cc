// `legohar`: the command line, and the one place where errors become messages and exit statuses:
// an Error (common/error.h) prints one line naming what failed ("legohar: error: ...") and exits
// with the status of its kind (ExitCode).
#include <fmt/format.h>

#include <c10/util/Exception.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>

#include "cli/commands.h"
#include "legohar/common/allocator.h"
#include "legohar/common/error.h"
#include "legohar/common/interrupt.h"

namespace {

// The exit statuses (README, "Exit status"): scripts tell a bad command from bad data, a failing
// disk and an interruption.
enum ExitCode : int {
  kOk = 0,
  kError = 1,         // anything else (a run folder in the way, a diverged training, a bug)
  kUsage = 2,         // a malformed command line or an option outside its valid values
  kDataError = 3,     // an input file is wrong: its name and line are in the message
  kIoError = 4,       // the file system failed (a full disk, a missing permission)
  kInterrupted = 128  // + the signal: 130 for SIGINT, 143 for SIGTERM, as a shell reports it
};

int exit_code(const legohar::Error& e) {
  switch (e.kind()) {
    case legohar::ErrorKind::kUsage:
      return kUsage;
    case legohar::ErrorKind::kData:
      return kDataError;
    case legohar::ErrorKind::kIo:
      return kIoError;
    case legohar::ErrorKind::kState:
      return kError;
    case legohar::ErrorKind::kInterrupted:
      return kInterrupted + e.signal();
  }
  return kError;
}

int fail(int code, const std::string& message) {
  fmt::print(stderr, "legohar: error: {}\n", message);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  legohar::keep_freed_memory_mapped();  // 3x faster training steps here: see allocator.h
  legohar::install_interrupt_handlers();
  CLI::App app{"legohar: small, fast human-activity-recognition models from inertial recordings"};
  app.require_subcommand(1);
  // An option given twice takes its last value, so wrappers (scripts/demo) can be overridden.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  legohar::cli::register_datasets(app);
  legohar::cli::register_train(app);
  legohar::cli::register_eval(app);
  legohar::cli::register_export(app);
  legohar::cli::register_profile(app);
  legohar::cli::register_bench(app);
  legohar::cli::register_experiment(app);
  legohar::cli::register_table(app);
  legohar::cli::register_plot(app);
  legohar::cli::register_predict(app);
  legohar::cli::register_stream_eval(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints --help, or the error with a hint
    return code == 0 ? kOk : kUsage;
  } catch (const legohar::Error& e) {
    if (e.kind() == legohar::ErrorKind::kInterrupted) {  // not an error: the user asked for it
      fmt::print(stderr, "legohar: {}\n", e.what());
      return exit_code(e);
    }
    return fail(exit_code(e), e.what());
  } catch (const std::filesystem::filesystem_error& e) {  // the standard library's I/O failures
    return fail(kIoError, e.what());
  } catch (const std::ios_base::failure& e) {
    return fail(kIoError, e.what());
  } catch (const c10::Error& e) {  // LibTorch's message, without its C++ backtrace
    return fail(kError, e.what_without_backtrace());
  } catch (const std::exception& e) {
    return fail(kError, e.what());
  }
  return kOk;
}
