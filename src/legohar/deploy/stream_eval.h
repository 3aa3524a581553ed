// How a runtime model classifies recordings as a stream against offline: every window a stream
// would complete (starts every `step` samples) is classified from the whole recording filtered at
// once, as training filters it ("offline"), and by runtime::Stream with each (history,
// lookahead) setting; the share of identical predictions and each one's F1 on the windows lying
// wholly inside one labelled activity are reported. For a causal model the stream and offline
// agree exactly; for a zero-phase one, this measures the approximation. A setting may also feed
// the stream at another rate, as a device sampling at that rate would: the recording is resampled
// linearly to it, and the stream resamples it back to the model's rate.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/train/metrics.h"
#include "runtime/model.h"

namespace legohar {

// A labelled stretch [begin, end) of a recording.
struct LabelledSpan {
  size_t begin = 0, end = 0;
  int32_t label = 0;  // class index of the model
};

struct RawRecording {
  std::string name;
  std::vector<double> raw;  // [samples, model inputs]
  std::vector<LabelledSpan> spans;
};

struct StreamSetting {
  size_t history = 0, lookahead = 0;
  double input_rate_hz = 0;  // 0: the model's
};

struct StreamCheck {
  StreamSetting setting;
  size_t windows = 0;        // windows the stream completed
  size_t agreeing = 0;       // ... predicted as offline
  Metrics labelled;          // the stream's predictions on its labelled windows
  double agreement() const;  // agreeing / windows (0 without windows)
};

struct StreamEvaluation {
  size_t recordings = 0, samples = 0;
  size_t windows = 0;   // offline windows
  size_t labelled = 0;  // ... wholly inside one labelled span
  Metrics offline;      // on the labelled windows
  std::vector<StreamCheck> checks;

  nlohmann::json to_json(const std::vector<std::string>& class_names) const;
};

// The label of window [start, start + length): the span holding all of it, or -1.
int32_t window_label(const std::vector<LabelledSpan>& spans, size_t start, size_t length);

// A causal model or one without preprocessing ignores the settings' history and lookahead (one
// check per input rate); a std::invalid_argument for a rate the stream refuses.
StreamEvaluation evaluate_stream(runtime::Model& model, const std::vector<RawRecording>& recordings,
                                 const std::vector<StreamSetting>& settings);

}  // namespace legohar
