// Figures of an experiment through gnuplot: test-error and training-loss curves of every run
// (the papers' Figs. 2-7) and a confusion-matrix heat map per run (Fig. 8), as PNG files.
#pragma once

#include <filesystem>
#include <vector>

namespace legohar {

// Reads every run folder below `dir` (history.csv, metrics.json) and writes test_error.png,
// loss.png and confusion-<run>.png into out_dir. Returns the files written. Throws when gnuplot
// fails or no run is found.
std::vector<std::filesystem::path> plot_experiment(const std::filesystem::path& dir,
                                                   const std::filesystem::path& out_dir);

}  // namespace legohar
