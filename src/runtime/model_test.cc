// The runtime's Model on random test models (testing/test_model.h) against the reference
// operators; the loader's refusal of every truncation, of every flipped bit, and of files whose
// CRCs are right but whose content is inconsistent, each with its reason.
#include "runtime/model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <numeric>

#include "runtime/model_writer.h"
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
  for (const testing::TestFamily family : testing::kTestFamilies)
    for (uint32_t seed = 1; seed <= 25; ++seed) {
      const TestModel t = random_test_model(seed, 0, family);
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
        EXPECT_LT(testing::relative_gap(got, want), 1e-5)
            << family_name(family) << " seed " << seed << " window " << i;
        m.predict(x, p.data());
        EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-5);
        EXPECT_EQ(std::max_element(p.begin(), p.end()) - p.begin(),
                  std::max_element(want.begin(), want.end()) - want.begin());
      }
    }
}

// The convolutional families pad the sensor axis, whose extra columns no window reaches: the
// model runs the window's C columns alone (the reference pass above runs all of them and agrees),
// which the multiply-adds show: a CNN's and a ResNet's count as if every layer were C columns
// wide. The LSTM family mixes columns from its first layer on and keeps them all.
TEST(RuntimeModel, RunsTheWindowsColumnsAlone) {
  for (const testing::TestFamily family : testing::kTestFamilies)
    for (uint32_t seed = 1; seed <= 10; ++seed) {
      const TestModel t = random_test_model(seed, 0, family);
      const std::string bytes = t.file_bytes();
      const Model m = Model::load_buffer(bytes.data(), bytes.size());
      // The convolutions' and the classifier's multiply-adds on maps `width` columns wide (0:
      // as wide as the layers make them).
      const auto count = [&](size_t width) {
        uint64_t sum = 0;
        for (const LayerRecord& l : t.layers) {
          const ConvShape& s = l.shape.conv;
          const uint64_t positions = s.out_height() * (width ? width : s.out_width());
          if (l.kind == LayerKind::kConv || (l.kind == LayerKind::kAdd && l.projection))
            sum += s.out_channels * s.in_channels * s.kernel * positions;
          if (l.kind == LayerKind::kLego)
            sum +=
                (l.shape.filters * s.in_channels * s.kernel + l.shape.fragments * s.out_channels) *
                positions;
          // The sequence family's maps are [1, T, x] up to the read-out.
          if (l.kind == LayerKind::kDenseRows) sum += t.window * s.in_channels * s.out_channels;
          if (l.kind == LayerKind::kLstm)
            sum += l.directions * t.window * 4 * s.out_channels * (s.in_channels + s.out_channels);
        }
        // The classifier reads maps as wide as the last convolution's (the CNN families).
        const auto last =
            std::find_if(t.layers.rbegin(), t.layers.rend(), [](const LayerRecord& l) {
              return l.kind == LayerKind::kConv || l.kind == LayerKind::kLego;
            });
        const uint64_t inputs = t.layers.back().shape.conv.in_channels;
        return sum +
               t.classes.size() * (width ? inputs / last->shape.conv.out_width() * width : inputs);
      };
      if (family == testing::TestFamily::kLstm) {
        EXPECT_EQ(m.multiply_adds(), count(0)) << seed;
        continue;
      }
      EXPECT_EQ(m.multiply_adds(), count(t.channels.size())) << family_name(family) << seed;
      EXPECT_LT(m.multiply_adds(), count(0));
    }
}

// A batch on 1, 2, 3 or 8 threads (more threads than windows too) gives every window what it gets
// alone, to the bit, for every family; the buffers grow and shrink with the threads.
TEST(RuntimeModel, BatchesOnThreadsEqualSingleWindows) {
  for (const testing::TestFamily family : testing::kTestFamilies) {
    const TestModel t = random_test_model(7, 0, family);
    const std::string bytes = t.file_bytes();
    Model m = Model::load_buffer(bytes.data(), bytes.size());
    const size_t values = t.window * t.channels.size(), classes = t.classes.size(), count = 5;
    const std::vector<float> windows = testing::random_windows(t, count, 7);
    std::vector<float> alone(count * classes), logits(count * classes);
    for (size_t i = 0; i < count; ++i)
      m.predict(windows.data() + i * values, alone.data() + i * classes);
    const size_t one = m.working_bytes();
    for (const size_t threads : {1, 2, 3, 8}) {
      m.set_threads(threads);
      EXPECT_EQ(m.working_bytes(), threads * one);
      std::vector<float> batch(count * classes, -1.0f);
      m.predict(windows.data(), count, batch.data());
      EXPECT_EQ(batch, alone) << family_name(family) << ", " << threads << " threads";
      m.logits(windows.data(), count, logits.data());
      for (size_t i = 0; i < count; ++i) {
        std::vector<float> single(classes);
        m.logits(windows.data() + i * values, single.data());
        EXPECT_TRUE(std::equal(single.begin(), single.end(), logits.begin() + i * classes));
      }
    }
    m.set_threads(1);
    EXPECT_EQ(m.working_bytes(), one);
    EXPECT_THROW(m.set_threads(0), std::invalid_argument);
  }
}

TEST(RuntimeModel, ReadsVersionOneFiles) {
  // A CNN as version 1 wrote it: one padding field for both axes.
  const TestModel t = random_test_model(5);
  ByteWriter layers;
  layers.u32(t.layers.size());
  for (const LayerRecord& l : t.layers) {
    const ConvShape& s = l.shape.conv;
    layers.u32(static_cast<uint32_t>(l.kind));
    if (l.kind == LayerKind::kDense) {
      layers.u32(s.in_channels);
      layers.u32(s.out_channels);
    } else {
      ASSERT_TRUE(s.pad_before == s.pad_after && s.pad_after == static_cast<long>(s.pad_width));
      for (const size_t v : {s.in_channels, s.out_channels, s.kernel, s.stride, s.pad_width})
        layers.u32(v);
      layers.u32(l.relu);
      if (l.kind == LayerKind::kLego) {
        layers.u32(l.shape.fragments);
        layers.u32(l.shape.filters);
      }
    }
    layers.floats(l.weight.data(), l.weight.size());
    layers.u32s(l.selection.data(), l.selection.size());
    layers.floats(l.coef.data(), l.coef.size());
    layers.floats(l.bias.data(), l.bias.size());
  }
  ByteWriter norm;
  norm.floats(t.mean.data(), t.mean.size());
  norm.floats(t.std.data(), t.std.size());
  std::string bytes = model_file_bytes({{"META", meta_text({t.classes, t.channels, t.window})},
                                        {"NORM", norm.bytes},
                                        {"LAYR", layers.bytes}});
  bytes[8] = 1;  // the version
  Model m = Model::load_buffer(bytes.data(), bytes.size());
  const std::vector<float> window = testing::random_windows(t, 1, 5);
  std::vector<float> got(t.classes.size());
  m.logits(window.data(), got.data());
  EXPECT_LT(testing::relative_gap(got, t.logits(window.data())), 1e-5);
  // Version 1 knows none of the later kinds.
  bytes = random_test_model(5, 0, testing::TestFamily::kLstm).file_bytes();
  bytes[8] = 1;
  EXPECT_EQ(refusal(bytes), "layer 1: kind 7 in a version 1 file");
  bytes[8] = 3;
  EXPECT_EQ(refusal(bytes), "format version 3, this runtime reads 1 to 2");
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

// load_file reads a model written to disk like load_buffer, and names the path of a file that is
// missing, a directory, or damaged.
TEST(RuntimeModel, LoadFileReadsTheFileAndNamesThePathOfAFailure) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("lh-model-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const TestModel t = random_test_model(3);
  const std::string bytes = t.file_bytes(), file = (dir / "m.lhm").string();
  const auto write = [&](const std::string& b) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fwrite(b.data(), 1, b.size(), f);
    std::fclose(f);
  };
  const auto load_error = [](const std::string& path) -> std::string {
    try {
      Model::load_file(path);
    } catch (const LoadError& e) {
      return e.what();
    }
    return "";
  };
  write(bytes);
  Model m = Model::load_file(file);
  const std::vector<float> x = testing::random_windows(t, 1, 3);
  std::vector<float> got(t.classes.size());
  m.logits(x.data(), got.data());
  EXPECT_LT(testing::relative_gap(got, t.logits(x.data())), 1e-5);
  EXPECT_EQ(load_error((dir / "none.lhm").string()), (dir / "none.lhm").string() + ": cannot open");
  EXPECT_EQ(load_error(dir.string()), dir.string() + ": cannot read (a directory?)");
  write(bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(load_error(file).rfind(file + ": ", 0), 0u) << load_error(file);
  write("");
  EXPECT_EQ(load_error(file), file + ": not a legohar model file (no LEGOHARM magic)");
  fs::remove_all(dir);
}

// From disk, a few bytes at a time (values straddle the chunks), every family loads to the same
// model as from memory, and truncations and damaged bytes (every 7th and 5th: every offset within
// a 13-byte chunk) are refused with the same reason.
TEST(RuntimeModel, LoadFileInChunksEqualsLoadBuffer) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("lh-chunk-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string file = (dir / "m.lhm").string();
  const auto write = [&](const std::string& b) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fwrite(b.data(), 1, b.size(), f);
    std::fclose(f);
  };
  const auto file_refusal = [&](size_t chunk) -> std::string {
    try {
      Model::load_file(file, chunk);
    } catch (const LoadError& e) {
      return std::string(e.what()).substr(file.size() + 2);  // less "path: "
    }
    return "";
  };
  for (const testing::TestFamily family : testing::kTestFamilies) {
    const TestModel t = random_test_model(11, 0, family);
    const std::string bytes = t.file_bytes();
    write(bytes);
    for (const size_t chunk : {1, 8, 13, 4096}) {  // 1 is read as 8
      Model m = Model::load_file(file, chunk);
      Model want = Model::load_buffer(bytes.data(), bytes.size());
      const std::vector<float> x = testing::random_windows(t, 1, 11);
      std::vector<float> got(t.classes.size()), expected(t.classes.size());
      m.logits(x.data(), got.data());
      want.logits(x.data(), expected.data());
      EXPECT_EQ(got, expected) << family_name(family) << ", chunks of " << chunk;
      EXPECT_EQ(m.working_bytes(), want.working_bytes());
    }
  }
  const std::string bytes = random_test_model(7).file_bytes();
  for (size_t n = 0; n < bytes.size(); n += 7) {
    write(bytes.substr(0, n));
    EXPECT_EQ(file_refusal(13), refusal(bytes.substr(0, n))) << "the first " << n << " bytes";
  }
  for (size_t at = 0; at < bytes.size(); at += 5) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ (1 << at % 8));
    write(damaged);
    EXPECT_EQ(file_refusal(13), refusal(damaged)) << "byte " << at;
  }
  fs::remove_all(dir);
}

TEST(RuntimeModel, InconsistentContentIsRefusedWithItsReason) {
  // Each case damages a valid model in one way; the file's CRCs stay right.
  using testing::TestFamily;
  struct Case {
    std::function<void(TestModel&)> damage;
    std::string reason;
    TestFamily family = TestFamily::kCnn;
  };
  // The index of the first layer of `kind` in t.
  const auto first = [](const TestModel& t, LayerKind kind) {
    return static_cast<size_t>(std::find_if(t.layers.begin(), t.layers.end(),
                                            [&](const LayerRecord& l) { return l.kind == kind; }) -
                               t.layers.begin());
  };
  const std::vector<Case> cases{
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
      {[](TestModel& t) { t.layers.back().kind = static_cast<LayerKind>(99); },
       "layer 4: unknown kind 99"},
      {[](TestModel& t) { t.layers.back().bias.pop_back(); }, "LAYR: dense bias needs"},
      {[](TestModel& t) { t.layers[0].shape.conv.pad_before = -70000; },
       "layer field pad_before = -70000 outside [-65536, 65536]"},
      {[&](TestModel& t) { t.layers.erase(t.layers.begin() + first(t, LayerKind::kAdd)); },
       "layer 6: a second save before the add", TestFamily::kResidual},
      {[&](TestModel& t) { t.layers.erase(t.layers.begin() + first(t, LayerKind::kSave)); },
       "layer 5: an add without a save before it", TestFamily::kResidual},
      {[&](TestModel& t) { t.layers[first(t, LayerKind::kAdd)].shape.conv.pad_after += 2; },
       "layer 6: adds a shortcut [", TestFamily::kResidual},
      {[&](TestModel& t) { t.layers[first(t, LayerKind::kAdd)].shape.conv.in_channels += 1; },
       "layer 6 (projection) takes", TestFamily::kResidual},
      {[&](TestModel& t) { t.layers[first(t, LayerKind::kAffine)].axis = 1; },
       "layer 3: an affine map along time (axis 1)", TestFamily::kResidual},
      {[&](TestModel& t) { t.layers[first(t, LayerKind::kLstm)].directions = 3; },
       "layer field directions = 3 outside [1, 2]", TestFamily::kLstm},
      {[&](TestModel& t) { t.layers[first(t, LayerKind::kLstm)].shape.conv.in_channels += 1; },
       "layer 3 reads a sequence [1, T, ", TestFamily::kLstm},
      {[&](TestModel& t) { t.layers[first(t, LayerKind::kDenseRows)].shape.conv.in_channels = 99; },
       "layer 1 takes rows of 99", TestFamily::kLstm},
      {[&](TestModel& t) { t.layers.erase(t.layers.begin() + first(t, LayerKind::kAdd)); },
       "a save without an add after it", TestFamily::kLstm},
      {[](TestModel& t) { t.layers.pop_back(); }, "the last layer is not the dense classifier",
       TestFamily::kLstm},
  };
  for (const auto& [damage, reason, family] : cases) {
    TestModel t = random_test_model(3, 0, family);
    damage(t);
    const std::string why = refusal(t.file_bytes());
    EXPECT_EQ(why.rfind(reason, 0), 0u) << "wanted '" << reason << "', got '" << why << "'";
  }
}

}  // namespace
}  // namespace legohar::runtime
