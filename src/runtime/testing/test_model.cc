// Implementation of test_model.h.
#include "runtime/testing/test_model.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "runtime/model_writer.h"
#include "runtime/reference_ops.h"

namespace legohar::runtime::testing {
namespace {

std::vector<float> normal(std::mt19937& rng, size_t n, float scale) {
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

}  // namespace

std::string TestModel::file_bytes() const {
  ByteWriter norm, body;
  norm.floats(mean.data(), mean.size());
  norm.floats(std.data(), std.size());
  body.u32(layers.size());
  for (const TestLayer& l : layers) {
    const ConvShape& s = l.shape.conv;
    body.u32(static_cast<uint32_t>(l.kind));
    if (l.kind == LayerKind::kDense) {
      body.u32(s.in_channels);
      body.u32(s.out_channels);
    } else {
      for (const size_t v : {s.in_channels, s.out_channels, s.kernel, s.stride, s.padding})
        body.u32(v);
      body.u32(l.relu ? 1 : 0);
      if (l.kind == LayerKind::kLego) {
        body.u32(l.shape.fragments);
        body.u32(l.shape.filters);
      }
    }
    body.floats(l.weight.data(), l.weight.size());
    body.u32s(l.selection.data(), l.selection.size());
    body.floats(l.coef.data(), l.coef.size());
    body.floats(l.bias.data(), l.bias.size());
  }
  const std::string meta = meta_text({classes, channels, window, step, sample_rate_hz, preprocess});
  return model_file_bytes({{"META", meta}, {"NORM", norm.bytes}, {"LAYR", body.bytes}});
}

std::vector<float> TestModel::logits(const float* window_values) const {
  const size_t C = channels.size();
  std::vector<float> a(window * C), b;
  for (size_t t = 0; t < window; ++t)
    for (size_t c = 0; c < C; ++c) a[t * C + c] = (window_values[t * C + c] - mean[c]) / std[c];
  for (const TestLayer& l : layers) {
    const ConvShape& s = l.shape.conv;
    if (l.kind == LayerKind::kDense) {
      b.resize(s.out_channels);
      reference::dense(s.in_channels, s.out_channels, a.data(), l.weight.data(), l.bias.data(),
                       b.data());
      return b;
    }
    b.resize(s.out_channels * s.out_height() * s.out_width());
    if (l.kind == LayerKind::kConv)
      reference::conv_d1(s, a.data(), l.weight.data(), l.bias.data(), l.relu, b.data());
    else
      reference::lego_conv_d1(l.shape, a.data(), l.weight.data(), l.selection.data(), l.coef.data(),
                              l.bias.data(), l.relu, b.data());
    a.swap(b);
  }
  return a;
}

TestModel random_test_model(uint32_t seed, size_t channels) {
  std::mt19937 rng(seed);
  const auto pick = [&](size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng);
  };
  TestModel m;
  m.window = pick(16, 40);
  const size_t picked = pick(1, 9), C = channels ? channels : picked, classes = pick(2, 7);
  for (size_t c = 0; c < C; ++c) m.channels.push_back("ch" + std::to_string(c));
  for (size_t k = 0; k < classes; ++k) m.classes.push_back("class " + std::to_string(k));
  m.mean = normal(rng, C, 2.0f);
  for (size_t c = 0; c < C; ++c)
    m.std.push_back(0.5f + std::uniform_real_distribution<float>()(rng));

  size_t c = 1, h = m.window, w = C;
  const auto add_conv = [&](LayerKind kind, size_t n, size_t d, size_t stride, size_t fragments,
                            size_t filters) {
    TestLayer l;
    l.kind = kind;
    l.shape.conv = ConvShape{c, h, w, n, d, stride, 1};
    l.shape.fragments = fragments;
    l.shape.filters = filters;
    const float scale = 1.0f / static_cast<float>(c * d);
    if (kind == LayerKind::kConv) {
      l.weight = normal(rng, n * c * d, scale);
    } else {
      l.weight = normal(rng, filters * (c / fragments) * d, scale * fragments);
      for (size_t i = 0; i < fragments * n; ++i)
        l.selection.push_back(static_cast<uint32_t>(pick(0, filters - 1)));
      l.coef = normal(rng, fragments * n, 1.0f);
    }
    l.bias = normal(rng, n, 0.1f);
    c = n;
    h = l.shape.conv.out_height();
    w = l.shape.conv.out_width();
    m.layers.push_back(std::move(l));
  };
  add_conv(LayerKind::kConv, pick(4, 8), pick(2, 5), pick(1, 2), 1, 1);
  const size_t fragments = c % 2 == 0 ? 2 : 1;
  add_conv(LayerKind::kLego, pick(5, 12), pick(1, 3), 1, fragments, pick(1, 4));
  add_conv(LayerKind::kConv, pick(3, 6), 3, 1, 1, 1);
  TestLayer dense;
  dense.kind = LayerKind::kDense;
  dense.shape.conv.in_channels = c * h * w;
  dense.shape.conv.out_channels = classes;
  dense.weight = normal(rng, classes * c * h * w, 1.0f / static_cast<float>(c * h * w));
  dense.bias = normal(rng, classes, 0.1f);
  m.layers.push_back(std::move(dense));
  return m;
}

TestModel random_stream_model(uint32_t seed, const UciHarFilters& filters) {
  TestModel m = random_test_model(seed, kUciHarChannels);
  m.channels = uci_har_channel_names();
  m.step = m.window / 2;
  m.sample_rate_hz = filters.sample_rate_hz;
  m.preprocess = "uci-har " + filters.key();
  // The channels' scale: body motion and rotation around 0, total acceleration around 1 g.
  for (size_t c = 0; c < kUciHarChannels; ++c) {
    m.mean[c] = c >= 6 ? 0.3f : 0.0f;
    m.std[c] = 0.3f;
  }
  return m;
}

std::vector<double> random_raw_samples(size_t samples, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.05);
  std::vector<double> v(samples * kUciHarInputs);
  for (size_t i = 0; i < kUciHarInputs; ++i) {
    const double offset = i < 3 ? 2 * u(rng) - 1 : 0.0, freq = 0.02 + 0.1 * u(rng),
                 phase = 6 * u(rng), amp = 0.5 * u(rng);
    for (size_t t = 0; t < samples; ++t)
      v[t * kUciHarInputs + i] =
          offset + amp * std::sin(freq * static_cast<double>(t) + phase) + noise(rng);
  }
  return v;
}

double relative_gap(const std::vector<float>& a, const std::vector<float>& b) {
  double gap = 0.0, scale = 1.0;
  for (size_t i = 0; i < a.size(); ++i) {
    gap = std::max(gap, static_cast<double>(std::fabs(a[i] - b[i])));
    scale = std::max(scale, static_cast<double>(std::fabs(b[i])));
  }
  return gap / scale;
}

std::vector<float> random_windows(const TestModel& m, size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> unit(0.0f, 1.0f);
  const size_t C = m.channels.size();
  std::vector<float> v(count * m.window * C);
  for (size_t i = 0; i < v.size(); ++i) v[i] = m.mean[i % C] + m.std[i % C] * unit(rng);
  return v;
}

}  // namespace legohar::runtime::testing
