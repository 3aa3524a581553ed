// Tests of stream_eval.h: window labels by hand; on a random causal model a stream agrees with
// offline on every window and scores the same; offline F1 recomputed from the model directly; a
// device at twice the model's rate changes nothing, one at half its rate gives the predictions of
// the recording with every other sample interpolated by hand.
#include "legohar/deploy/stream_eval.h"

#include <gtest/gtest.h>

#include "runtime/testing/test_model.h"

namespace legohar {
namespace {

TEST(StreamEval, WindowLabelIsTheSpanHoldingAllOfIt) {
  const std::vector<LabelledSpan> spans{{10, 30, 2}, {30, 50, 0}};
  EXPECT_EQ(window_label(spans, 10, 20), 2);
  EXPECT_EQ(window_label(spans, 11, 20), -1);  // crosses into the next span
  EXPECT_EQ(window_label(spans, 30, 20), 0);
  EXPECT_EQ(window_label(spans, 0, 5), -1);
  EXPECT_EQ(window_label(spans, 40, 20), -1);
}

// A random model of the raw-sample chain `f` without biases: the test models' biases outweigh
// what their small weights make of the input, and every window would get one class.
runtime::Model stream_model(uint32_t seed, const runtime::UciHarFilters& f) {
  runtime::testing::TestModel m = runtime::testing::random_stream_model(seed, f);
  for (runtime::LayerRecord& l : m.layers) std::fill(l.bias.begin(), l.bias.end(), 0.0f);
  const std::string bytes = m.file_bytes();
  return runtime::Model::load_buffer(bytes.data(), bytes.size());
}

// Two recordings of a random model's raw samples, labelled in three spans each by class.
std::vector<RawRecording> recordings(size_t classes) {
  std::vector<RawRecording> out;
  for (uint32_t r = 0; r < 2; ++r) {
    RawRecording rec;
    rec.name = "rec" + std::to_string(r);
    rec.raw = runtime::testing::random_raw_samples(600 + 50 * r, 3 + r);
    for (int32_t s = 0; s < 3; ++s)
      rec.spans.push_back({50 + 180 * static_cast<size_t>(s), 220 + 180 * static_cast<size_t>(s),
                           static_cast<int32_t>((s + r) % classes)});
    out.push_back(std::move(rec));
  }
  return out;
}

TEST(StreamEval, CausalModelAgreesEverywhereAndOfflineMetricsMatchTheModel) {
  runtime::UciHarFilters f;
  f.causal = true;
  runtime::Model m = stream_model(5, f);
  const std::vector<RawRecording> recs = recordings(m.class_names().size());
  const StreamEvaluation e = evaluate_stream(m, recs, {{0, 0}, {64, 16}});
  ASSERT_EQ(e.checks.size(), 1u);  // causal: settings do not apply
  size_t windows = 0;
  std::vector<int32_t> truth, predicted;
  std::vector<float> p(m.class_names().size());
  for (const RawRecording& r : recs) {
    const size_t n = r.raw.size() / 6;
    const std::vector<float> ch = runtime::uci_har_channels(r.raw.data(), n, f);
    for (size_t s = 0; s + m.window() <= n; s += m.step(), ++windows) {
      const int32_t label = window_label(r.spans, s, m.window());
      if (label < 0) continue;
      m.predict(&ch[s * 9], p.data());
      truth.push_back(label);
      predicted.push_back(static_cast<int32_t>(std::max_element(p.begin(), p.end()) - p.begin()));
    }
  }
  EXPECT_EQ(e.windows, windows);
  EXPECT_EQ(e.labelled, truth.size());
  EXPECT_GT(e.labelled, 0u);
  EXPECT_EQ(e.offline.confusion, confusion_matrix(truth, predicted, p.size()));
  EXPECT_EQ(e.checks[0].windows, windows);
  EXPECT_EQ(e.checks[0].agreeing, windows);
  EXPECT_EQ(e.checks[0].labelled.weighted_f1, e.offline.weighted_f1);
}

TEST(StreamEval, ZeroPhaseModelGetsACheckPerSettingLookaheadDropsLateWindows) {
  runtime::Model m = stream_model(5, runtime::UciHarFilters{});
  const std::vector<RawRecording> recs = recordings(m.class_names().size());
  const StreamEvaluation e = evaluate_stream(m, recs, {{0, 0}, {1000, 0}, {0, 1000}});
  ASSERT_EQ(e.checks.size(), 3u);
  EXPECT_EQ(e.checks[0].windows, e.windows);
  EXPECT_LE(e.checks[0].agreeing, e.windows);
  EXPECT_EQ(e.checks[2].windows, 0u);  // no window has 1000 samples after it
}

// The predicted class of every window of `raw` ([n, 6] at the model's rate), offline.
std::vector<int32_t> offline_classes(runtime::Model& m, const std::vector<double>& raw,
                                     const runtime::UciHarFilters& f) {
  const size_t n = raw.size() / 6;
  const std::vector<float> ch = runtime::uci_har_channels(raw.data(), n, f);
  std::vector<int32_t> out;
  std::vector<float> p(m.class_names().size());
  for (size_t s = 0; s + m.window() <= n; s += m.step()) {
    m.predict(&ch[s * 9], p.data());
    out.push_back(static_cast<int32_t>(std::max_element(p.begin(), p.end()) - p.begin()));
  }
  return out;
}

TEST(StreamEval, ADeviceAtAnotherRateIsResampledToItAndBack) {
  runtime::UciHarFilters f;
  f.causal = true;
  runtime::Model m = stream_model(7, f);
  const double rate = m.sample_rate_hz();
  // With a component at the Nyquist rate, which the half-rate device cannot see.
  std::vector<RawRecording> recs = recordings(m.class_names().size());
  for (RawRecording& r : recs)
    for (size_t i = 0; i < r.raw.size(); ++i) r.raw[i] += (i / 6) % 2 ? 0.4 : -0.4;
  // Causal: one check per rate, history and lookahead ignored; 0 is the model's rate.
  const StreamEvaluation e =
      evaluate_stream(m, recs, {{0, 0, 0}, {64, 16, rate}, {0, 0, 2 * rate}, {0, 0, rate / 2}});
  ASSERT_EQ(e.checks.size(), 3u);
  EXPECT_EQ(e.checks[0].setting.input_rate_hz, rate);
  // Twice the rate: the stream keeps every other sample, the recording's own.
  EXPECT_EQ(e.checks[1].setting.input_rate_hz, 2 * rate);
  EXPECT_EQ(e.checks[1].windows, e.windows);
  EXPECT_EQ(e.checks[1].agreeing, e.windows);
  // Half the rate: the device has the even samples; the stream puts the odd ones midway.
  size_t windows = 0, agreeing = 0;
  std::vector<int32_t> truth, predicted;
  for (const RawRecording& r : recs) {
    const size_t n = r.raw.size() / 6, kept = 2 * ((n - 1) / 2) + 1;
    std::vector<double> halved(r.raw.begin(), r.raw.begin() + static_cast<ptrdiff_t>(kept * 6));
    for (size_t t = 1; t < kept; t += 2)
      for (size_t c = 0; c < 6; ++c)
        halved[t * 6 + c] = (r.raw[(t - 1) * 6 + c] + r.raw[(t + 1) * 6 + c]) / 2;
    const std::vector<int32_t> want = offline_classes(m, halved, f),
                               offline = offline_classes(m, r.raw, f);
    for (size_t w = 0; w < want.size(); ++w) {
      agreeing += want[w] == offline[w];
      if (const int32_t label = window_label(r.spans, w * m.step(), m.window()); label >= 0) {
        truth.push_back(label);
        predicted.push_back(want[w]);
      }
    }
    windows += want.size();
  }
  const StreamCheck& half = e.checks[2];
  EXPECT_EQ(half.setting.input_rate_hz, rate / 2);
  EXPECT_EQ(half.windows, windows);
  EXPECT_EQ(half.agreeing, agreeing);
  EXPECT_LT(half.agreeing, half.windows);  // the interpolation changes some predictions
  EXPECT_EQ(half.labelled.confusion, confusion_matrix(truth, predicted, m.class_names().size()));
}

}  // namespace
}  // namespace legohar
