// Implementation of test_model.h.
#include "runtime/testing/test_model.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

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

const char* family_name(TestFamily f) {
  switch (f) {
    case TestFamily::kCnn:
      return "cnn";
    case TestFamily::kResidual:
      return "residual";
    case TestFamily::kLstm:
      return "lstm";
  }
  return "?";
}

std::string TestModel::file_bytes() const {
  return model_file_bytes({classes, channels, window, step, sample_rate_hz, preprocess}, mean, std,
                          layers);
}

std::vector<float> TestModel::logits(const float* window_values) const {
  const size_t C = channels.size();
  std::vector<float> a(window * C), b, saved;
  size_t c = 1, h = window, w = C;  // the maps a holds
  for (size_t t = 0; t < window; ++t)
    for (size_t k = 0; k < C; ++k) a[t * C + k] = (window_values[t * C + k] - mean[k]) / std[k];
  for (const LayerRecord& l : layers) {
    const ConvShape& s = l.shape.conv;
    switch (l.kind) {
      case LayerKind::kDense:
        b.resize(s.out_channels);
        reference::dense(s.in_channels, s.out_channels, a.data(), l.weight.data(), l.bias.data(),
                         b.data());
        return b;
      case LayerKind::kConv:
      case LayerKind::kLego:
        b.resize(s.out_channels * s.out_height() * s.out_width());
        if (l.kind == LayerKind::kConv)
          reference::conv_d1(s, a.data(), l.weight.data(), l.bias.data(), l.relu, b.data());
        else
          reference::lego_conv_d1(l.shape, a.data(), l.weight.data(), l.selection.data(),
                                  l.coef.data(), l.bias.data(), l.relu, b.data());
        c = s.out_channels;
        h = s.out_height();
        w = s.out_width();
        break;
      case LayerKind::kDenseRows:
        b.resize(c * h * s.out_channels);
        reference::dense_rows(c * h, s.in_channels, s.out_channels, a.data(), l.weight.data(),
                              l.bias.data(), l.relu, b.data());
        w = s.out_channels;
        break;
      case LayerKind::kAffine:
        b.resize(a.size());
        if (l.axis == 0)
          reference::affine(1, c, h * w, a.data(), l.weight.data(), l.bias.data(), l.relu,
                            b.data());
        else
          reference::affine(c * h, w, 1, a.data(), l.weight.data(), l.bias.data(), l.relu,
                            b.data());
        break;
      case LayerKind::kSave:
        saved = a;
        continue;
      case LayerKind::kAdd:
        if (l.projection) {
          std::vector<float> projected(a.size());
          reference::conv_d1(s, saved.data(), l.weight.data(), l.bias.data(), l.relu,
                             projected.data());
          saved = projected;
        }
        reference::add(a.data(), saved.data(), a.size());
        continue;
      case LayerKind::kLstm: {
        const LstmShape shape{h, s.in_channels, s.out_channels};
        const size_t gates = 4 * shape.hidden, weights = gates * (shape.inputs + shape.hidden);
        b.resize(h * l.directions * shape.hidden);
        for (uint32_t d = 0; d < l.directions; ++d) {
          const float* wd = l.weight.data() + d * weights;
          reference::lstm(shape, a.data(), wd, wd + gates * shape.inputs, l.bias.data() + d * gates,
                          d == 1, b.data() + d * shape.hidden, l.directions * shape.hidden);
        }
        w = l.directions * shape.hidden;
        break;
      }
      case LayerKind::kReadout:
        b.resize(c * w);
        reference::readout(c, h, w, l.mean, a.data(), b.data());
        h = 1;
        break;
      default:  // an unknown kind: the loader refuses it
        break;
    }
    a.swap(b);
  }
  return a;
}

TestModel random_test_model(uint32_t seed, size_t channels, TestFamily family) {
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

  size_t c = 1, h = m.window, w = C;  // the maps after the layers so far
  const auto push = [&](LayerRecord l) { m.layers.push_back(std::move(l)); };
  // A convolution record on the current maps (pads before, after, width), without moving on.
  const auto conv_record = [&](LayerKind kind, size_t n, size_t d, size_t stride, long before,
                               long after, size_t width, size_t fragments, size_t filters) {
    LayerRecord l;
    l.kind = kind;
    l.relu = true;
    l.shape.conv = ConvShape{c, h, w, n, d, stride, before, after, width};
    l.shape.fragments = fragments;
    l.shape.filters = filters;
    const float scale = 1.0f / static_cast<float>(c * d);
    if (kind == LayerKind::kLego) {
      l.weight = normal(rng, filters * (c / fragments) * d, scale * fragments);
      for (size_t i = 0; i < fragments * n; ++i)
        l.selection.push_back(static_cast<uint32_t>(pick(0, filters - 1)));
      l.coef = normal(rng, fragments * n, 1.0f);
    } else {
      l.weight = normal(rng, n * c * d, scale);
    }
    l.bias = normal(rng, n, 0.1f);
    return l;
  };
  const auto add_conv = [&](LayerKind kind, size_t n, size_t d, size_t stride, long before,
                            long after, size_t width, size_t fragments, size_t filters) {
    LayerRecord l = conv_record(kind, n, d, stride, before, after, width, fragments, filters);
    c = n;
    h = l.shape.conv.out_height();
    w = l.shape.conv.out_width();
    push(std::move(l));
  };
  const auto add_affine = [&](uint32_t axis) {
    LayerRecord l;
    l.kind = LayerKind::kAffine;
    l.axis = axis;
    l.relu = true;
    const size_t dim = axis == 0 ? c : w;
    for (size_t i = 0; i < dim; ++i)
      l.weight.push_back(0.5f + std::uniform_real_distribution<float>()(rng));
    l.bias = normal(rng, dim, 0.3f);
    push(std::move(l));
  };
  const auto add_rows = [&](size_t outputs, bool relu) {
    LayerRecord l;
    l.kind = LayerKind::kDenseRows;
    l.relu = relu;
    l.shape.conv.in_channels = w;
    l.shape.conv.out_channels = outputs;
    l.weight = normal(rng, outputs * w, 1.0f / std::sqrt(static_cast<float>(w)));
    l.bias = normal(rng, outputs, 0.1f);
    w = outputs;
    push(std::move(l));
  };
  const auto add_lstm = [&](size_t hidden, uint32_t directions) {
    LayerRecord l;
    l.kind = LayerKind::kLstm;
    l.directions = directions;
    l.shape.conv.in_channels = w;
    l.shape.conv.out_channels = hidden;
    l.weight = normal(rng, directions * 4 * hidden * (w + hidden),
                      1.0f / std::sqrt(static_cast<float>(hidden)));
    l.bias = normal(rng, directions * 4 * hidden, 0.2f);
    w = directions * hidden;
    push(std::move(l));
  };
  const auto simple = [&](LayerKind kind) {
    LayerRecord l;
    l.kind = kind;
    push(std::move(l));
  };

  if (family == TestFamily::kCnn) {
    add_conv(LayerKind::kConv, pick(4, 8), pick(2, 5), pick(1, 2), 1, 1, 1, 1, 1);
    const size_t fragments = c % 2 == 0 ? 2 : 1;
    add_conv(LayerKind::kLego, pick(5, 12), pick(1, 3), 1, 1, 1, 1, fragments, pick(1, 4));
    add_conv(LayerKind::kConv, pick(3, 6), 3, 1, 1, 1, 1, 1, 1);
  } else if (family == TestFamily::kResidual) {
    add_conv(LayerKind::kConv, 2 * pick(2, 4), pick(2, 5), 1, 1, 1, 1, 1, 1);
    // A block whose shape changes: its shortcut is projected, aligned to the strided unit.
    const size_t in_h = h, n = 2 * pick(3, 6), pad_width = pick(0, 1);
    const long skip = static_cast<long>(pick(0, 2));  // input rows the shortcut skips
    simple(LayerKind::kSave);
    LayerRecord projection = conv_record(LayerKind::kConv, n, 1, 2, -skip, 0, pad_width, 1, 1);
    add_affine(0);
    add_conv(LayerKind::kConv, n, 3, 2, 1, 0, pad_width, 1, 1);
    add_conv(LayerKind::kLego, n, 3, 1, 1, 1, 0, 2, pick(1, 4));
    ConvShape& p = projection.shape.conv;
    p.pad_after = static_cast<long>((h - 1) * 2 + 1) - static_cast<long>(in_h) + skip;
    projection.kind = LayerKind::kAdd;
    projection.projection = true;
    projection.relu = false;
    push(std::move(projection));
    // A block of the same shape: an identity shortcut.
    simple(LayerKind::kSave);
    add_affine(2);
    add_conv(LayerKind::kConv, n, 3, 1, 1, 1, 0, 1, 1);
    simple(LayerKind::kAdd);
  } else {
    const size_t d = pick(3, 8);
    add_rows(d, true);
    simple(LayerKind::kSave);
    add_lstm(d, 2);
    add_rows(d, true);
    simple(LayerKind::kAdd);
    add_affine(2);
    add_lstm(pick(2, 6), 1);
    LayerRecord readout;
    readout.kind = LayerKind::kReadout;
    readout.mean = seed % 2 == 0;
    readout.shape.conv = {c, h, w};
    push(std::move(readout));
    h = 1;
  }
  LayerRecord dense;
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
