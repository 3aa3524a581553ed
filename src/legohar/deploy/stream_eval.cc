// Implementation of stream_eval.h.
#include "legohar/deploy/stream_eval.h"

#include <algorithm>
#include <stdexcept>

#include "runtime/resample.h"
#include "runtime/stream.h"

namespace legohar {

double StreamCheck::agreement() const {
  return windows ? static_cast<double>(agreeing) / static_cast<double>(windows) : 0.0;
}

int32_t window_label(const std::vector<LabelledSpan>& spans, size_t start, size_t length) {
  for (const LabelledSpan& s : spans)
    if (s.begin <= start && start + length <= s.end) return s.label;
  return -1;
}

namespace {

// The metrics of the predictions of the labelled windows (zeros when there is none).
Metrics labelled_metrics(const std::vector<int32_t>& truth, const std::vector<int32_t>& predicted,
                         size_t classes) {
  std::vector<int32_t> t, p;
  for (size_t i = 0; i < truth.size(); ++i)
    if (truth[i] >= 0) {
      t.push_back(truth[i]);
      p.push_back(predicted[i]);
    }
  if (t.empty()) return {};
  return compute_metrics(confusion_matrix(t, p, classes));
}

// `raw` ([n, inputs] at in_hz) as a device sampling at out_hz would give it: linearly
// interpolated, as runtime::LinearResampler does.
std::vector<double> resample(const std::vector<double>& raw, size_t inputs, double in_hz,
                             double out_hz) {
  runtime::LinearResampler resampler(in_hz, out_hz, inputs);
  std::vector<double> out;
  for (size_t i = 0; i < raw.size(); i += inputs) resampler.push(&raw[i], out);
  return out;
}

}  // namespace

StreamEvaluation evaluate_stream(runtime::Model& model, const std::vector<RawRecording>& recordings,
                                 const std::vector<StreamSetting>& settings) {
  const runtime::UciHarFilters* filters = model.filters();
  const bool approximate = filters && !filters->causal;
  std::vector<StreamSetting> checks;
  for (const StreamSetting& s : settings) {
    StreamSetting c = approximate ? s : StreamSetting{0, 0, s.input_rate_hz};
    if (c.input_rate_hz == 0) c.input_rate_hz = model.sample_rate_hz();
    if (std::none_of(checks.begin(), checks.end(), [&](const StreamSetting& o) {
          return o.history == c.history && o.lookahead == c.lookahead &&
                 o.input_rate_hz == c.input_rate_hz;
        }))
      checks.push_back(c);
  }
  const size_t T = model.window(), C = model.channels(), inputs = model.input_names().size(),
               classes = model.class_names().size();
  StreamEvaluation e;
  e.recordings = recordings.size();
  // Per window (all recordings, in order): its label and offline prediction; per check, its
  // stream's prediction (-1: not completed by that stream).
  std::vector<int32_t> truth, offline;
  std::vector<std::vector<int32_t>> streamed(checks.size());
  std::vector<float> p(classes);
  for (const RawRecording& r : recordings) {
    const size_t n = r.raw.size() / inputs;
    e.samples += n;
    const std::vector<float> channels = filters
                                            ? runtime::uci_har_channels(r.raw.data(), n, *filters)
                                            : std::vector<float>(r.raw.begin(), r.raw.end());
    const size_t first = truth.size();
    for (size_t s = 0; s + T <= n; s += model.step()) {
      model.predict(&channels[s * C], p.data());
      offline.push_back(static_cast<int32_t>(std::max_element(p.begin(), p.end()) - p.begin()));
      truth.push_back(window_label(r.spans, s, T));
    }
    for (size_t k = 0; k < checks.size(); ++k) {
      streamed[k].resize(truth.size(), -1);
      const StreamSetting& c = checks[k];
      const bool resampled = c.input_rate_hz != model.sample_rate_hz();
      runtime::Stream stream(model, {c.history, c.lookahead, resampled ? c.input_rate_hz : 0.0});
      if (resampled) {
        const std::vector<double> device =
            resample(r.raw, inputs, model.sample_rate_hz(), c.input_rate_hz);
        stream.push(device.data(), device.size() / inputs);
      } else {
        stream.push(r.raw.data(), n);
      }
      for (runtime::WindowPrediction w; stream.next(w);) {
        const size_t i = first + w.start / model.step();
        if (i >= truth.size())  // a resampled stream never outruns its recording
          throw std::logic_error("stream-eval: a window past the recording's end");
        streamed[k][i] = static_cast<int32_t>(w.top);
      }
    }
  }
  e.windows = truth.size();
  e.labelled = static_cast<size_t>(
      std::count_if(truth.begin(), truth.end(), [](int32_t t) { return t >= 0; }));
  e.offline = labelled_metrics(truth, offline, classes);
  for (size_t k = 0; k < checks.size(); ++k) {
    StreamCheck c;
    c.setting = checks[k];
    std::vector<int32_t> t, s;
    for (size_t i = 0; i < truth.size(); ++i) {
      if (streamed[k][i] < 0) continue;
      ++c.windows;
      c.agreeing += streamed[k][i] == offline[i];
      t.push_back(truth[i]);
      s.push_back(streamed[k][i]);
    }
    c.labelled = labelled_metrics(t, s, classes);
    e.checks.push_back(std::move(c));
  }
  return e;
}

nlohmann::json StreamEvaluation::to_json(const std::vector<std::string>& class_names) const {
  nlohmann::json checks_json = nlohmann::json::array();
  for (const StreamCheck& c : checks)
    checks_json.push_back({{"history", c.setting.history},
                           {"lookahead", c.setting.lookahead},
                           {"input_rate_hz", c.setting.input_rate_hz},
                           {"windows", c.windows},
                           {"agreement", c.agreement()},
                           {"weighted_f1", c.labelled.weighted_f1},
                           {"macro_f1", c.labelled.macro_f1}});
  return {{"recordings", recordings},
          {"samples", samples},
          {"windows", windows},
          {"labelled_windows", labelled},
          {"offline", offline.to_json(class_names)},
          {"stream", checks_json}};
}

}  // namespace legohar
