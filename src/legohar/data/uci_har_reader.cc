// Implementation of uci_har_reader.h.
#include "legohar/data/uci_har_reader.h"

#include <fmt/format.h>

#include "legohar/data/text_file.h"
#include "runtime/preprocess.h"

namespace legohar {
namespace fs = std::filesystem;

static fs::path locate(const fs::path& dir, const std::string& name) {
  fs::path p = find_plain_or_xz(dir, name);
  return p.empty() ? dir / name : p;
}

std::vector<fs::path> uci_har_split_files(const fs::path& root, const std::string& split) {
  std::vector<fs::path> files;
  for (const std::string& channel : runtime::uci_har_channel_names())
    files.push_back(locate(root / split / "Inertial Signals", channel + "_" + split + ".txt"));
  files.push_back(locate(root / split, "y_" + split + ".txt"));
  files.push_back(locate(root / split, "subject_" + split + ".txt"));
  return files;
}

WindowSet read_uci_har_windows(const fs::path& root, const std::map<int, int>& class_of_activity,
                               const std::vector<std::string>& class_names) {
  WindowSet out;
  out.length = 128;
  out.channels = 9;
  out.class_names = class_names;
  out.channel_names = runtime::uci_har_channel_names();
  int split_index = 0;
  for (const std::string split : {"train", "test"}) {
    const std::vector<fs::path> files = uci_har_split_files(root, split);
    const fs::path& y_file = files[9];
    const fs::path& subject_file = files[10];
    const NumericTable y = read_numeric_table(y_file, 1);
    const NumericTable subjects = read_numeric_table(subject_file, 1);
    if (subjects.rows != y.rows)
      throw_data_error(subject_file, 0,
                       fmt::format("has {} rows but {} has {}", subjects.rows,
                                   y_file.filename().string(), y.rows));
    std::vector<NumericTable> channels;
    for (size_t c = 0; c < 9; ++c) {
      channels.push_back(read_numeric_table(files[c], 128));
      if (channels.back().rows != y.rows)
        throw_data_error(files[c], 0,
                         fmt::format("has {} rows but {} has {}", channels.back().rows,
                                     y_file.filename().string(), y.rows));
    }
    std::vector<float> window(128 * 9);
    for (size_t i = 0; i < y.rows; ++i) {
      const int activity = y.positive_integer_at(i, 0);
      auto it = class_of_activity.find(activity);
      if (it == class_of_activity.end())
        y.fail(i, fmt::format("label {} is not one of the dataset's activities", activity));
      out.labels.push_back(it->second);
      out.subjects.push_back(subjects.positive_integer_at(i, 0));
      out.recordings.push_back(split_index);
      out.starts.push_back(static_cast<int64_t>(i));
      for (size_t t = 0; t < 128; ++t)
        for (size_t c = 0; c < 9; ++c) window[t * 9 + c] = static_cast<float>(channels[c].at(i, t));
      out.offsets.push_back(out.add_samples(window.data(), 128));  // windows of their own
    }
    ++split_index;
  }
  return out;
}

}  // namespace legohar
