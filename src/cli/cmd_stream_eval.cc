// `legohar stream-eval`: a runtime model (.lhm) over the test subjects' raw recordings of a
// dataset, as a stream and offline (legohar/deploy/stream_eval.h): agreement and F1 per stream
// setting (history, lookahead, and the rate a device samples at).
#include <fmt/format.h>

#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/common/error.h"
#include "legohar/data/hapt_reader.h"
#include "legohar/deploy/stream_eval.h"

namespace legohar::cli {

void register_stream_eval(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("stream-eval",
                         "Compare a runtime model's stream predictions with offline ones on the "
                         "test subjects' raw recordings");
  auto opts = std::make_shared<CommonOptions>();
  auto model_file = std::make_shared<std::string>();
  auto dataset = std::make_shared<std::string>("uci-har");
  auto history = std::make_shared<std::vector<size_t>>(std::vector<size_t>{0, 64, 128, 256});
  auto lookahead = std::make_shared<std::vector<size_t>>(std::vector<size_t>{0, 32});
  auto rates = std::make_shared<std::vector<double>>(std::vector<double>{0});
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--model", *model_file, "Model file written by `legohar export` (.lhm)")
      ->required();
  cmd->add_option("--dataset", *dataset, "Dataset of raw recordings the model was trained on");
  cmd->add_option("--history", *history, "Zero-phase models: history settings to try")
      ->delimiter(',');
  cmd->add_option("--lookahead", *lookahead, "Zero-phase models: lookahead settings to try")
      ->delimiter(',');
  cmd->add_option("--input-rate", *rates,
                  "Rates (Hz) a device samples at, to try: each recording is resampled "
                  "linearly to it and the stream resamples it back (0: the model's rate)")
      ->delimiter(',')
      ->check(CLI::Range(0.0, 1e5));
  cmd->add_flag("--json", *json, "Print the evaluation as JSON");
  add_data_options(cmd, *opts);
  cmd->callback([=] {
    runtime::Model model = load_runtime_model(*model_file);
    const DatasetConfig config =
        load_dataset_config(*dataset, resolve_config_dir(opts->config_dir));
    const DatasetSpec& d = config.data;
    if (d.source != "hapt-raw" || !model.filters())
      throw Error::usage(
          "stream-eval needs raw recordings (a hapt-raw dataset) and a model "
          "that preprocesses raw samples");
    if (model.class_names() != d.class_names)
      throw Error::usage(*model_file + " classifies other classes than dataset " + d.name);
    const std::filesystem::path raw_dir = resolve_data_dir(opts->data_dir) / d.path;
    const std::set<int> train(d.splits.train_subjects.begin(), d.splits.train_subjects.end());
    const std::map<int, int> class_of = d.class_of_activity();
    std::map<std::pair<int, int>, RawRecording> test;  // (experiment, user)
    for (const HaptSegment& s : read_hapt_labels(raw_dir)) {
      if (train.count(s.user)) continue;
      RawRecording& r = test[{s.experiment, s.user}];
      if (const auto it = class_of.find(s.activity); it != class_of.end())
        r.spans.push_back({s.begin, s.end, it->second});
    }
    std::vector<RawRecording> recordings;
    for (auto& [key, r] : test) {
      r.name = fmt::format("exp{:02d}_user{:02d}", key.first, key.second);
      r.raw = read_hapt_recording(raw_dir, key.first, key.second).raw;
      recordings.push_back(std::move(r));
    }
    std::vector<StreamSetting> settings;
    for (double rate : *rates)
      for (size_t h : *history)
        for (size_t l : *lookahead) settings.push_back({h, l, rate});
    const StreamEvaluation e = [&] {
      try {
        return evaluate_stream(model, recordings, settings);
      } catch (const std::invalid_argument& e) {
        throw Error::usage(std::string("--input-rate: ") + e.what());
      }
    }();
    if (*json) {
      nlohmann::json j = e.to_json(d.class_names);
      j["model"] = *model_file;
      j["filters"] = model.filters()->key();
      fmt::print("{}\n", j.dump(2));
      return;
    }
    fmt::print(
        "{} ({}) on the {} test recordings of {} ({} samples): {} windows, {} inside one "
        "labelled activity\n",
        *model_file, model.filters()->key(), e.recordings, d.name, e.samples, e.windows,
        e.labelled);
    fmt::print("offline (whole recordings filtered at once): weighted F1 {:.4f}, macro F1 {:.4f}\n",
               e.offline.weighted_f1, e.offline.macro_f1);
    fmt::print("{:>9} {:>8} {:>10} {:>8} {:>10} {:>12} {:>9}\n", "input Hz", "history", "lookahead",
               "windows", "agreement", "weighted F1", "macro F1");
    for (const StreamCheck& c : e.checks)
      fmt::print("{:>9.4g} {:>8} {:>10} {:>8} {:>9.2f}% {:>12.4f} {:>9.4f}\n",
                 c.setting.input_rate_hz, c.setting.history, c.setting.lookahead, c.windows,
                 100.0 * c.agreement(), c.labelled.weighted_f1, c.labelled.macro_f1);
  });
}

}  // namespace legohar::cli
