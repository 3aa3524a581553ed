// Implementation of plot.h: writes a gnuplot script and data files, then runs `gnuplot`.
#include "legohar/experiment/plot.h"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "legohar/common/atomic_file.h"
#include "legohar/common/error.h"
#include "legohar/record/run_record.h"

namespace legohar {
namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'' ? std::string("''") : std::string(1, c));
  return out + "'";
}

std::string curves(const std::vector<fs::path>& runs, const std::string& column) {
  std::string s = "plot ";
  for (size_t i = 0; i < runs.size(); ++i)
    s += fmt::format("{}{} using 1:({}) with linespoints title {}", i ? ", \\\n     " : "",
                     quoted((runs[i] / kHistoryFile).string()), column,
                     quoted(runs[i].filename().string()));
  return s + "\n";
}

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'' ? std::string("'\\''") : std::string(1, c));
  return out + "'";
}

}  // namespace

std::vector<fs::path> plot_experiment(const fs::path& dir, const fs::path& out_dir) {
  std::vector<fs::path> runs;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() == kHistoryFile)
      runs.push_back(e.path().parent_path());
  std::sort(runs.begin(), runs.end());
  if (runs.empty()) throw Error::state(dir.string() + ": no run with a history.csv below it");
  fs::create_directories(out_dir);

  std::vector<fs::path> written{out_dir / "test_error.png", out_dir / "loss.png"};
  std::string script =
      "set terminal pngcairo size 1000,650 noenhanced\nset datafile separator ','\n"
      "set key outside right\nset grid\nset xlabel 'epoch'\n";
  script +=
      fmt::format("set output {}\nset ylabel 'test error (1 - accuracy)'\nset title 'Test error'\n",
                  quoted(written[0].string()));
  script += curves(runs, fmt::format("1-${}", history_column("test_accuracy")));
  script += fmt::format(
      "set output {}\nset ylabel 'training loss'\nset title 'Training loss'\nset logscale y\n",
      quoted(written[1].string()));
  script += curves(runs, fmt::format("${}", history_column("loss"))) + "unset logscale y\n";

  for (const fs::path& run : runs) {
    if (!has_metrics(run)) continue;  // unfinished run: curves only
    const nlohmann::json m = read_metrics(run);
    const auto& cm = m.at("confusion");
    const size_t k = cm.size();
    std::string data;
    for (size_t t = 0; t < k; ++t) {
      int64_t total = 0;
      for (size_t p = 0; p < k; ++p) total += cm[t][p].get<int64_t>();
      for (size_t p = 0; p < k; ++p)
        data += fmt::format("{} {} {} {}\n", p, t, total ? cm[t][p].get<double>() / total : 0.0,
                            cm[t][p].get<int64_t>());
      data += "\n";
    }
    const fs::path dat = out_dir / ("confusion-" + run.filename().string() + ".dat");
    write_file_atomically(dat, data);
    const fs::path png = out_dir / ("confusion-" + run.filename().string() + ".png");
    written.push_back(png);
    std::string tics;
    for (size_t c = 0; c < k; ++c)
      tics += fmt::format("{}{} {}", c ? ", " : "",
                          quoted(m.at("per_class")[c].at("class").get<std::string>()), c);
    script += fmt::format(
        "set output {}\nset title {}\nset datafile separator whitespace\nunset key\nunset grid\n"
        "set xlabel 'predicted'\nset ylabel 'true'\nset xtics ({}) rotate by 45 right\nset ytics "
        "({})\n"
        "set xrange [-0.5:{}.5]\nset yrange [{}.5:-0.5]\nset cbrange [0:1]\nset palette defined (0 "
        "'white', 1 '#08306b')\n"
        "plot {} using 1:2:3 with image, '' using 1:2:(sprintf('%d', $4)) with labels\n"
        "set datafile separator ','\nset key outside right\nset grid\nset xtics auto norotate\nset "
        "ytics auto\n"
        "set xrange [*:*]\nset yrange [*:*]\nset xlabel 'epoch'\n",
        quoted(png.string()), quoted("Confusion (row-normalised): " + run.filename().string()),
        tics, tics, k - 1, k - 1, quoted(dat.string()));
  }
  const fs::path script_file = out_dir / "plots.gp";
  write_file_atomically(script_file, script);
  const std::string cmd = "gnuplot " + shell_quoted(script_file.string()) + " 2>&1";
  if (std::system(cmd.c_str()) != 0)
    throw Error::io(script_file,
                    "gnuplot failed on it (is gnuplot installed? scripts/deps "
                    "installs it)");
  return written;
}

}  // namespace legohar
