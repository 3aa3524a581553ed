// The runtime's Model on random test models (testing/test_model.h) against the reference
// operators; the loader's refusal of every truncation, of every flipped bit, and of files whose
// CRCs are right but whose content is inconsistent, each with its reason.
#include "runtime/model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "runtime/testing/test_model.h"

namespace legohar::runtime {
namespace {

using testing::random_test_model;
using testing::TestModel;

// The LoadError message of loading `bytes`, or "" when it loads.
std::string refusal(const std::string& bytes) {
  try {
    Model::load_buffer(bytes.data(), bytes.size());
  } catch (const LoadError& e) {
    return e.what();
  }
  return "";
}

TEST(RuntimeModel, MatchesTheReferenceForwardPass) {
  for (uint32_t seed = 1; seed <= 25; ++seed) {
    const TestModel t = random_test_model(seed);
    const std::string bytes = t.file_bytes();
    Model m = Model::load_buffer(bytes.data(), bytes.size());
    EXPECT_EQ(m.class_names(), t.classes);
    EXPECT_EQ(m.channel_names(), t.channels);
    EXPECT_EQ(m.window(), t.window);
    const size_t values = t.window * t.channels.size(), classes = t.classes.size();
    const std::vector<float> windows = testing::random_windows(t, 4, seed);
    for (size_t i = 0; i < 4; ++i) {
      const float* x = windows.data() + i * values;
      const std::vector<float> want = t.logits(x);
      std::vector<float> got(classes), p(classes);
      m.logits(x, got.data());
      EXPECT_LT(testing::relative_gap(got, want), 1e-5) << "seed " << seed << " window " << i;
      m.predict(x, p.data());
      EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-5);
      EXPECT_EQ(std::max_element(p.begin(), p.end()) - p.begin(),
                std::max_element(want.begin(), want.end()) - want.begin());
    }
  }
}

TEST(RuntimeModel, EveryTruncationAndFlippedBitIsRefused) {
  const std::string bytes = random_test_model(7).file_bytes();
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_NE(refusal(bytes.substr(0, n)), "") << "the first " << n << " bytes loaded";
  // Every bit: the header's fields, the section table, or a section's CRC-32 catches it.
  for (size_t at = 0; at < bytes.size(); ++at)
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ (1 << bit));
      EXPECT_NE(refusal(damaged), "") << "byte " << at << " bit " << bit;
    }
  std::string damaged = bytes;
  damaged[bytes.size() - 3] ^= 1;
  EXPECT_EQ(refusal(damaged), "section LAYR: CRC-32 mismatch (the file is damaged)");
  EXPECT_EQ(refusal("LEGOHARX" + bytes.substr(8)), "not a legohar model file (no LEGOHARM magic)");
}

TEST(RuntimeModel, InconsistentContentIsRefusedWithItsReason) {
  // Each case damages a valid model in one way; the file's CRCs stay right.
  const std::vector<std::pair<std::function<void(TestModel&)>, std::string>> cases{
      {[](TestModel& t) { t.std[0] = 0; }, "NORM: a standard deviation is not positive"},
      {[](TestModel& t) { t.mean.pop_back(); }, "NORM: std needs"},
      {[](TestModel& t) { t.classes.resize(1); }, "META: needs classes (two or more)"},
      {[](TestModel& t) { t.window = 0; }, "META: window '0' is not a whole number"},
      {[](TestModel& t) { t.channels.clear(); }, "META: needs classes (two or more), channels"},
      {[](TestModel& t) { t.step = 1000000; }, "META: step '1000000' is not a whole number"},
      {[](TestModel& t) { t.sample_rate_hz = 2e5; }, "META: sample_rate '200000' is not a rate"},
      {[](TestModel& t) { t.preprocess = "wisdm fs=20"; }, "META: unknown preprocess 'wisdm"},
      {[](TestModel& t) { t.preprocess = "uci-har fs=50;median=2;order=3;noise=20;gravity=0.3"; },
       "META: preprocess: filters: median width must be odd"},
      {[](TestModel& t) { t.preprocess = "uci-har " + UciHarFilters{}.key(); },
       "META: the uci-har preprocess makes 9 channels"},
      {[](TestModel& t) { t.layers[1].selection[0] = 99; }, "layer 2: selection 99 >= k"},
      {[](TestModel& t) { t.layers[1].shape.conv.in_channels += 1; }, "layer 2 takes"},
      {[](TestModel& t) { t.layers[0].shape.conv.kernel = 1000; },
       "layer 1: the filter does not fit its input"},
      {[](TestModel& t) { t.layers[0].shape.conv.stride = 0; }, "layer field stride = 0"},
      {[](TestModel& t) { t.layers.back().shape.conv.in_channels += 1; }, "the dense layer takes"},
      {[](TestModel& t) { t.layers.back().bias.push_back(0); },
       "LAYR: 4 bytes after the last layer"},
      {[](TestModel& t) { t.layers.pop_back(); }, "the last layer is not the dense classifier"},
      {[](TestModel& t) { t.layers.back().kind = static_cast<LayerKind>(9); },
       "layer 4: unknown kind 9"},
      {[](TestModel& t) { t.layers.back().bias.pop_back(); }, "LAYR: dense bias needs"},
  };
  for (const auto& [damage, reason] : cases) {
    TestModel t = random_test_model(3);
    damage(t);
    const std::string why = refusal(t.file_bytes());
    EXPECT_EQ(why.rfind(reason, 0), 0u) << "wanted '" << reason << "', got '" << why << "'";
  }
}

}  // namespace
}  // namespace legohar::runtime
