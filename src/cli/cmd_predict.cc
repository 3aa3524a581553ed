// `legohar predict`: a runtime model (.lhm) over a recording or a live stream of raw samples,
// printing each window's activity as soon as the window completes; a recording file of a dataset
// (--dataset: a csv dataset's layout, PAMAP2's or OPPORTUNITY's rows) is read through that
// dataset's reader first, and samples at another rate than the model's (--input-rate, or the
// recording's own rate) are resampled to it. The model is loaded
// (and a damaged one reported) before any input is read.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/common/error.h"
#include "legohar/config/dataset_config.h"
#include "legohar/data/dataset.h"
#include "legohar/data/sample_text.h"
#include "legohar/data/text_file.h"
#include "runtime/model.h"
#include "runtime/stream.h"

namespace legohar::cli {

namespace {

struct PredictFlags {
  std::string model, input, format = "csv", dataset;
  size_t history = 128, lookahead = 0;
  double input_rate_hz = 0;
  bool json = false;
};

// Prints every prediction the stream holds: a line of text or a JSON object per window.
void print_ready(runtime::Stream& stream, const runtime::Model& m, bool json) {
  const double rate = m.sample_rate_hz();
  for (runtime::WindowPrediction p; stream.next(p);) {
    const std::string& cls = m.class_names()[p.top];
    if (json) {
      nlohmann::json j{{"start", p.start},
                       {"end", p.start + m.window()},
                       {"class", cls},
                       {"probability", p.probabilities[p.top]},
                       {"probabilities", p.probabilities}};
      if (rate > 0) j["time_s"] = static_cast<double>(p.start) / rate;
      fmt::print("{}\n", j.dump());
    } else if (rate > 0) {
      fmt::print("{:9.2f} - {:9.2f} s  {:<22} {:.3f}\n", static_cast<double>(p.start) / rate,
                 static_cast<double>(p.start + m.window()) / rate, cls, p.probabilities[p.top]);
    } else {
      fmt::print("samples {:>9} - {:>9}  {:<22} {:.3f}\n", p.start, p.start + m.window(), cls,
                 p.probabilities[p.top]);
    }
  }
  std::fflush(stdout);
}

// A stream of `model` with the flags' history and lookahead, taking samples at `input_rate_hz`
// (0 or the model's own rate: no resampling).
runtime::Stream make_stream(runtime::Model& model, const PredictFlags& f, double input_rate_hz) {
  if (input_rate_hz == model.sample_rate_hz()) input_rate_hz = 0;
  try {
    return runtime::Stream(model, {f.history, f.lookahead, input_rate_hz});
  } catch (const std::invalid_argument& e) {
    throw Error::usage(e.what());
  }
}

}  // namespace

void register_predict(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "predict", "Classify a recording or a live stream of raw samples with a runtime model");
  auto f = std::make_shared<PredictFlags>();
  cmd->add_option("--model", f->model, "Model file written by `legohar export` (.lhm)")->required();
  cmd->add_option("--input", f->input,
                  "Recording to read, or - for standard input (one sample per line)")
      ->required();
  cmd->add_option("--format", f->format,
                  "csv: one sample per line, values separated by commas or spaces, optional "
                  "header of the model's input names; hapt: a HAPT acc_expNN_userMM.txt[.xz] "
                  "(its gyro file beside it)")
      ->check(CLI::IsMember({"csv", "hapt"}));
  cmd->add_option("--history", f->history,
                  "Zero-phase models: raw samples before each window its filters see");
  cmd->add_option("--lookahead", f->lookahead,
                  "Zero-phase models: raw samples after each window waited for");
  cmd->add_option("--input-rate", f->input_rate_hz,
                  "Hz of the input's samples when not the model's: they are resampled linearly "
                  "to the model's rate, as training resamples recordings")
      ->check(CLI::Range(0.0, 1e5));
  cmd->add_flag("--json", f->json, "One JSON object per window (JSON Lines)");
  cmd->add_option("--dataset", f->dataset,
                  "Read --input as a recording of this dataset (name or .toml file): a csv "
                  "dataset's layout (columns, scales, resampling; no label column needed), a "
                  "PAMAP2 subject1NN.dat, an OPPORTUNITY S<s>-<run>.dat (column_names.txt "
                  "beside it), a HAPT acc_expNN_userMM.txt");
  cmd->callback([f] {
    runtime::Model model = load_runtime_model(f->model);
    if (!f->dataset.empty()) {
      if (f->input_rate_hz != 0)
        throw Error::usage("--input-rate: --dataset reads the recording at its own rate");
      if (f->input == "-") throw Error::usage("--dataset reads a file; give its path as --input");
      const DatasetConfig config = load_dataset_config(f->dataset, resolve_config_dir(""));
      const DatasetSpec& d = config.data;
      const RecordingSamples r = read_recording(d, f->input);
      if (model.input_names() != r.channel_names)
        throw Error::usage(fmt::format("{} takes inputs {}; a recording of {} has {}", f->model,
                                       fmt::join(model.input_names(), ","), d.name,
                                       fmt::join(r.channel_names, ",")));
      fmt::print(stderr, "{}: {}\n", f->input, r.summary);
      runtime::Stream stream = make_stream(model, *f, r.rate_hz);
      stream.push(r.samples.data(), r.samples.size() / r.channel_names.size());
      print_ready(stream, model, f->json);
      return;
    }
    runtime::Stream stream = make_stream(model, *f, f->input_rate_hz);
    const size_t inputs = model.input_names().size();
    if (f->format == "hapt") {
      if (f->input == "-") throw Error::usage("--format hapt reads two files; pipe csv to -");
      if (!model.filters())
        throw Error::usage("--format hapt gives raw acc and gyro samples; " + f->model +
                           " was not trained on them (it takes " +
                           std::to_string(model.channels()) + " channels)");
      const std::vector<double> raw = read_hapt_samples(f->input);
      stream.push(raw.data(), raw.size() / inputs);
      print_ready(stream, model, f->json);
      return;
    }
    std::istringstream file_text;
    if (f->input != "-") file_text.str(read_file_bytes(f->input));
    std::istream& in = f->input == "-" ? std::cin : file_text;
    SampleTextParser parser(f->input == "-" ? "<stdin>" : f->input, model.input_names());
    std::vector<double> sample;
    for (std::string line; std::getline(in, line);)
      if (parser.parse(line, sample) && stream.push(sample.data(), 1) > 0)
        print_ready(stream, model, f->json);
  });
}

}  // namespace legohar::cli
