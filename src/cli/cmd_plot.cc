// `legohar plot DIR`: PNG test-error and loss curves of every run below DIR and a confusion-matrix
// heat map per finished run (through gnuplot).
#include <fmt/format.h>

#include "cli/commands.h"
#include "legohar/experiment/plot.h"

namespace legohar::cli {

void register_plot(CLI::App& app) {
  auto* cmd = app.add_subcommand("plot", "Plot learning curves and confusion matrices as PNG");
  auto dir = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("dir", *dir, "Directory holding runs")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--out", *out, "Where to write the PNG files (default: DIR/plots)");
  cmd->callback([=] {
    const auto target =
        out->empty() ? std::filesystem::path(*dir) / "plots" : std::filesystem::path(*out);
    for (const auto& f : plot_experiment(*dir, target)) fmt::print("{}\n", f.string());
  });
}

}  // namespace legohar::cli
