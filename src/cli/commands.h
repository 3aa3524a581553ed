// The `legohar` subcommands; each registers itself on the application with its options and action.
#pragma once

#include <CLI/CLI.hpp>

namespace legohar::cli {

void register_datasets(CLI::App& app);
void register_train(CLI::App& app);
void register_eval(CLI::App& app);
void register_export(CLI::App& app);
void register_profile(CLI::App& app);
void register_bench(CLI::App& app);
void register_experiment(CLI::App& app);
void register_table(CLI::App& app);
void register_plot(CLI::App& app);
void register_predict(CLI::App& app);
void register_stream_eval(CLI::App& app);

}  // namespace legohar::cli
