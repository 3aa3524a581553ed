// Tests of stream.h: a stream fed in chunks of random sizes classifies exactly the windows an
// offline pass cuts from the same recording (causal filters over the whole recording; zero-phase
// filters over each window's history-and-lookahead slice; raw channels; samples at another rate
// interpolated to the model's by hand), with the same probabilities; bad samples are refused
// whole.
#include "runtime/stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "runtime/testing/test_model.h"

namespace legohar::runtime {
namespace {

using testing::random_raw_samples;
using testing::random_stream_model;

// Every prediction of `raw` ([samples, inputs]) pushed in chunks of 1 to 97 samples.
std::vector<WindowPrediction> stream_all(Model& m, const std::vector<double>& raw,
                                         StreamOptions options, uint32_t seed) {
  Stream s(m, options);
  std::mt19937 rng(seed);
  const size_t inputs = m.input_names().size(), samples = raw.size() / inputs;
  std::vector<WindowPrediction> out;
  for (size_t at = 0; at < samples;) {
    const size_t n = std::min(samples - at, std::uniform_int_distribution<size_t>(1, 97)(rng));
    s.push(&raw[at * inputs], n);
    at += n;
    for (WindowPrediction p; s.next(p);) out.push_back(std::move(p));
  }
  if (options.input_rate_hz == 0) EXPECT_EQ(s.samples_seen(), samples);
  return out;
}

// The channels of raw samples [begin, end) through `f` over that slice alone.
std::vector<float> channels_of(const std::vector<double>& raw, size_t begin, size_t end,
                               const UciHarFilters& f) {
  return uci_har_channels(&raw[begin * kUciHarInputs], end - begin, f);
}

// Checks `got` against model.predict on the window [s, s + T) of `channels(s)` ([.., C] rows,
// the window starting at row `first(s)`), for every start s of a recording of `samples`.
template <class Channels>
void expect_windows(Model& m, const std::vector<WindowPrediction>& got, size_t samples,
                    size_t lookahead, Channels channels) {
  const size_t T = m.window(), C = m.channels(), step = m.step();
  const size_t expected = samples >= T + lookahead ? (samples - T - lookahead) / step + 1 : 0;
  ASSERT_EQ(got.size(), expected);
  std::vector<float> want(m.class_names().size());
  for (size_t i = 0; i < got.size(); ++i) {
    const uint64_t start = i * step;
    EXPECT_EQ(got[i].start, start);
    const auto [values, first] = channels(start);
    m.predict(&values[first * C], want.data());
    EXPECT_EQ(got[i].probabilities, want) << "window " << i;
    EXPECT_EQ(got[i].top, std::max_element(want.begin(), want.end()) - want.begin());
  }
}

TEST(RuntimeStream, CausalStreamEqualsOfflineCausalFiltering) {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    UciHarFilters f;
    f.causal = true;
    const std::string bytes = random_stream_model(seed, f).file_bytes();
    Model m = Model::load_buffer(bytes.data(), bytes.size());
    const size_t samples = 300 + 37 * seed;
    const std::vector<double> raw = random_raw_samples(samples, seed);
    const std::vector<float> offline = channels_of(raw, 0, samples, f);
    expect_windows(m, stream_all(m, raw, {}, seed), samples, 0,
                   [&](uint64_t s) { return std::pair(offline, static_cast<size_t>(s)); });
  }
}

TEST(RuntimeStream, ZeroPhaseStreamFiltersEachWindowWithItsHistoryAndLookahead) {
  for (const auto& [history, lookahead] :
       std::vector<std::pair<size_t, size_t>>{{0, 0}, {64, 0}, {16, 8}, {1000, 20}}) {
    const UciHarFilters f;
    const std::string bytes = random_stream_model(7, f).file_bytes();
    Model m = Model::load_buffer(bytes.data(), bytes.size());
    const size_t samples = 400, T = m.window();
    const std::vector<double> raw = random_raw_samples(samples, 9);
    expect_windows(m, stream_all(m, raw, {history, lookahead}, 3), samples, lookahead,
                   [&](uint64_t s) {
                     const size_t begin = s > history ? s - history : 0;
                     return std::pair(channels_of(raw, begin, s + T + lookahead, f), s - begin);
                   });
  }
}

TEST(RuntimeStream, WithoutPreprocessingTheRawSamplesAreTheWindows) {
  const std::string bytes = testing::random_test_model(4).file_bytes();
  Model m = Model::load_buffer(bytes.data(), bytes.size());
  ASSERT_EQ(m.filters(), nullptr);
  ASSERT_EQ(m.step(), m.window());  // no "step" in META
  const size_t C = m.channels(), samples = 5 * m.window() + 3;
  std::mt19937 rng(2);
  std::normal_distribution<double> unit;
  std::vector<double> raw(samples * C);
  for (double& v : raw) v = unit(rng);
  expect_windows(m, stream_all(m, raw, {}, 5), samples, 0, [&](uint64_t s) {
    return std::pair(std::vector<float>(raw.begin(), raw.end()), static_cast<size_t>(s));
  });
}

TEST(RuntimeStream, SamplesAtAnotherRateAreInterpolatedToTheModels) {
  testing::TestModel t = testing::random_test_model(6);
  t.sample_rate_hz = 40;
  const std::string bytes = t.file_bytes();
  Model m = Model::load_buffer(bytes.data(), bytes.size());
  const size_t C = m.channels(), samples = 6 * m.window() + 5;
  std::mt19937 rng(8);
  std::normal_distribution<double> unit;
  std::vector<double> raw(samples * C);
  for (double& v : raw) v = unit(rng);
  // At 50 Hz in, 40 Hz out, sample k lies at input 1.25 k: worked out in quarters.
  std::vector<float> at_model_rate;
  for (size_t k = 0; 5 * k <= 4 * (samples - 1); ++k) {
    const size_t j = 5 * k / 4;
    const double w = static_cast<double>(5 * k % 4) / 4;
    for (size_t c = 0; c < C; ++c) {
      const double a = raw[j * C + c], z = w > 0 ? raw[(j + 1) * C + c] : a;
      at_model_rate.push_back(static_cast<float>(a + (z - a) * w));
    }
  }
  StreamOptions options;
  options.input_rate_hz = 50;
  expect_windows(m, stream_all(m, raw, options, 4), at_model_rate.size() / C, 0,
                 [&](uint64_t s) { return std::pair(at_model_rate, static_cast<size_t>(s)); });
  Stream same(m, {0, 0, 40});  // the model's own rate: nothing to resample
  same.push(raw.data(), 3);
  EXPECT_EQ(same.samples_seen(), 3u);
}

TEST(RuntimeStream, AnotherRateNeedsAModelThatRecordsItsOwn) {
  const std::string bytes = testing::random_test_model(6).file_bytes();
  Model m = Model::load_buffer(bytes.data(), bytes.size());
  ASSERT_EQ(m.sample_rate_hz(), 0);
  EXPECT_THROW(Stream(m, {0, 0, 50}), std::invalid_argument);
  testing::TestModel t = testing::random_test_model(6);
  t.sample_rate_hz = 40;
  const std::string rated = t.file_bytes();
  Model r = Model::load_buffer(rated.data(), rated.size());
  EXPECT_THROW(Stream(r, {0, 0, -5}), std::invalid_argument);
  EXPECT_THROW(Stream(r, {0, 0, 1e6}), std::invalid_argument);
}

TEST(RuntimeStream, NonFiniteSampleRefusesTheWholeChunk) {
  const std::string bytes = random_stream_model(2, UciHarFilters{}).file_bytes();
  Model m = Model::load_buffer(bytes.data(), bytes.size());
  Stream s(m);
  std::vector<double> raw = random_raw_samples(10, 1);
  s.push(raw.data(), 4);
  raw[6 * 6 + 4] = std::numeric_limits<double>::quiet_NaN();
  try {
    s.push(raw.data() + 4 * 6, 6);
    ADD_FAILURE() << "NaN accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "stream: sample 6 value 5 is not finite; nothing of this chunk was taken");
  }
  EXPECT_EQ(s.samples_seen(), 4u);
}

TEST(RuntimeStream, ZeroPhaseWindowShorterThanFilterPaddingNeedsLookahead) {
  UciHarFilters f;
  f.order = 8;  // filtfilt pads 27 samples
  uint32_t seed = 1;
  while (random_stream_model(seed, f).window > 27) ++seed;  // windows are 16 to 40 samples
  const std::string bytes = random_stream_model(seed, f).file_bytes();
  Model m = Model::load_buffer(bytes.data(), bytes.size());
  EXPECT_THROW(Stream(m, {100, 27 - m.window()}), std::invalid_argument);
  const Stream enough(m, {0, 28 - m.window()});
  EXPECT_EQ(enough.pending(), 0u);
}

}  // namespace
}  // namespace legohar::runtime
