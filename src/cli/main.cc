// `legohar`: the command line. Errors print one line naming what failed and exit with status 1.
#include <fmt/format.h>

#include <c10/util/Exception.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "legohar/common/allocator.h"

int main(int argc, char** argv) {
  legohar::keep_freed_memory_mapped();  // 3x faster training steps here: see allocator.h
  CLI::App app{"legohar: small, fast human-activity-recognition models from inertial recordings"};
  app.require_subcommand(1);
  // An option given twice takes its last value, so wrappers (scripts/demo) can be overridden.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  legohar::cli::register_datasets(app);
  legohar::cli::register_train(app);
  legohar::cli::register_eval(app);
  legohar::cli::register_profile(app);
  legohar::cli::register_bench(app);
  legohar::cli::register_experiment(app);
  legohar::cli::register_table(app);
  legohar::cli::register_plot(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const c10::Error& e) {  // LibTorch's message, without its C++ backtrace
    fmt::print(stderr, "legohar: error: {}\n", e.what_without_backtrace());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "legohar: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
