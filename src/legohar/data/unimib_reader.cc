// Implementation of unimib_reader.h.
#include "legohar/data/unimib_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <limits>

#include "legohar/common/error.h"
#include "legohar/data/mat_file.h"

namespace legohar {
namespace fs = std::filesystem;

namespace {

fs::path data_file(const fs::path& dir, const std::string& variant) {
  return dir / (variant + "_data.mat");
}
fs::path labels_file(const fs::path& dir, const std::string& variant) {
  return dir / (variant + "_labels.mat");
}

void check_variant(const std::string& variant) {
  for (const std::string& known : unimib_variants())
    if (variant == known) return;
  throw Error::usage(fmt::format("unknown UniMiB-SHAR variant '{}' (known: {})", variant,
                                 fmt::join(unimib_variants(), ", ")));
}

}  // namespace

const std::vector<std::string>& unimib_variants() {
  static const std::vector<std::string> variants{"acc", "adl", "fall", "two_classes"};
  return variants;
}

std::vector<fs::path> unimib_files(const fs::path& dir, const std::string& variant) {
  check_variant(variant);
  return {data_file(dir, variant), labels_file(dir, variant)};
}

std::vector<UnimibLabel> read_unimib_labels(const fs::path& dir, const std::string& variant) {
  check_variant(variant);
  const fs::path file = labels_file(dir, variant);
  const std::string variable = variant + "_labels";
  const MatMatrix m = read_mat_matrix(file, variable);
  if (m.cols != 3)
    throw_data_error(
        file, 0,
        fmt::format("'{}' has {} columns, not 3 (class, subject, trial)", variable, m.cols));
  std::vector<UnimibLabel> labels(m.rows);
  for (size_t r = 0; r < m.rows; ++r) {
    int v[3];
    for (size_t c = 0; c < 3; ++c) {
      const double x = m.at(r, c);
      if (!(x >= 1 && x <= std::numeric_limits<int>::max()) || x != std::floor(x))
        throw_data_error(
            file, 0,
            fmt::format("'{}' row {}: the {} is {}, not a positive integer", variable, r + 1,
                        c == 0   ? "class"
                        : c == 1 ? "subject"
                                 : "trial",
                        x));
      v[c] = static_cast<int>(x);
    }
    labels[r] = {v[0], v[1], v[2]};
  }
  return labels;
}

std::vector<std::string> read_unimib_names(const fs::path& dir) {
  const fs::path file = dir / "acc_names.mat";
  const auto cells = read_mat_strings(file, "acc_names");
  if (cells.size() != 2)
    throw_data_error(
        file, 0,
        fmt::format("'acc_names' has {} rows, not 2 (descriptions, short names)", cells.size()));
  return cells[1];
}

WindowSet read_unimib_windows(const fs::path& dir, const std::string& variant,
                              const std::map<int, int>& class_of_activity,
                              const std::vector<std::string>& class_names) {
  const std::vector<UnimibLabel> labels = read_unimib_labels(dir, variant);
  const fs::path file = data_file(dir, variant);
  const std::string variable = variant + "_data";
  const MatMatrix m = read_mat_matrix(file, variable);
  constexpr size_t T = kUnimibWindow;
  if (m.cols != 3 * T)
    throw_data_error(file, 0,
                     fmt::format("'{}' has {} columns, not {} (x, y and z of {} samples)", variable,
                                 m.cols, 3 * T, T));
  if (m.rows != labels.size())
    throw_data_error(file, 0,
                     fmt::format("'{}' has {} rows but {} has {}", variable, m.rows,
                                 labels_file(dir, variant).filename().string(), labels.size()));
  WindowSet out;
  out.length = T;
  out.channels = 3;
  out.class_names = class_names;
  out.channel_names = {"acc_x", "acc_y", "acc_z"};
  std::vector<float> window(T * 3);
  for (size_t r = 0; r < m.rows; ++r) {
    const auto cls = class_of_activity.find(labels[r].activity);
    if (cls == class_of_activity.end()) continue;
    for (size_t t = 0; t < T; ++t)
      for (size_t a = 0; a < 3; ++a) {
        const double x = m.at(r, a * T + t);
        if (!std::isfinite(x))
          throw_data_error(file, 0,
                           fmt::format("'{}' row {} column {}: {} is not a finite number", variable,
                                       r + 1, a * T + t + 1, x));
        window[t * 3 + a] = static_cast<float>(x);
      }
    out.offsets.push_back(out.add_samples(window.data(), T));  // the creators' windows, as they are
    out.labels.push_back(cls->second);
    out.subjects.push_back(labels[r].subject);
    out.recordings.push_back(labels[r].activity * 1000 + labels[r].trial);  // one per trial
    out.starts.push_back(0);
  }
  return out;
}

}  // namespace legohar
