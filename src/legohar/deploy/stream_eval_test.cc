// Tests of stream_eval.h: window labels by hand; on a random causal model a stream agrees with
// offline on every window and scores the same; offline F1 recomputed from the model directly.
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
  const std::string bytes = runtime::testing::random_stream_model(5, f).file_bytes();
  runtime::Model m = runtime::Model::load_buffer(bytes.data(), bytes.size());
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
  const std::string bytes =
      runtime::testing::random_stream_model(5, runtime::UciHarFilters{}).file_bytes();
  runtime::Model m = runtime::Model::load_buffer(bytes.data(), bytes.size());
  const std::vector<RawRecording> recs = recordings(m.class_names().size());
  const StreamEvaluation e = evaluate_stream(m, recs, {{0, 0}, {1000, 0}, {0, 1000}});
  ASSERT_EQ(e.checks.size(), 3u);
  EXPECT_EQ(e.checks[0].windows, e.windows);
  EXPECT_LE(e.checks[0].agreeing, e.windows);
  EXPECT_EQ(e.checks[2].windows, 0u);  // no window has 1000 samples after it
}

}  // namespace
}  // namespace legohar
