// Implementation of runtime_bench.h.
#include "legohar/deploy/runtime_bench.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "legohar/deploy/lhm_export.h"
#include "legohar/nn/registry.h"
#include "legohar/spec/profile.h"
#include "runtime/model.h"
#include "runtime/peak.h"

namespace legohar {
namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The median of `n` timed calls of f(i), in milliseconds, after one untimed call.
template <class F>
double median_ms(int n, F&& f) {
  f(0);
  std::vector<double> t(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double t0 = now_ms();
    f(i);
    t[static_cast<size_t>(i)] = now_ms() - t0;
  }
  std::nth_element(t.begin(), t.begin() + n / 2, t.end());
  return t[static_cast<size_t>(n / 2)];
}

}  // namespace

nlohmann::json Latency::to_json() const {
  return {{"single_window_ms", single_window_ms}, {"windows_per_s", windows_per_s}};
}

nlohmann::json RuntimeBench::to_json() const {
  nlohmann::json r = runtime.to_json(), t = libtorch.to_json();
  const auto rate = [&](nlohmann::json& j, const Latency& l, double macs) {
    const double gflops = 2 * macs * l.windows_per_s / 1e9;
    j["gflops"] = gflops;
    j["of_peak"] = gflops / (threads * peak_gflops);
  };
  rate(r, runtime, runtime_macs_per_window);
  rate(t, libtorch, macs_per_window);
  return {{"runtime", r},
          {"libtorch", t},
          {"runtime_vs_libtorch_latency", runtime.single_window_ms / libtorch.single_window_ms},
          {"runtime_vs_libtorch_throughput", runtime.windows_per_s / libtorch.windows_per_s},
          {"model_bytes", model_bytes},
          {"working_bytes", working_bytes},
          {"macs_per_window", macs_per_window},
          {"runtime_macs_per_window", runtime_macs_per_window},
          {"max_logit_difference", max_logit_difference},
          {"peak_gflops", peak_gflops}};
}

RuntimeBench benchmark_runtime(const ModelSpec& spec, int singles, int batches, int threads) {
  constexpr int64_t kBatch = 256;
  torch::manual_seed(1);
  auto model = build_model(spec);
  model->eval();
  const auto T = spec.input_length, C = spec.input_channels;
  ExportMetadata meta;
  for (int64_t k = 0; k < spec.classes; ++k) meta.file.classes.push_back("c" + std::to_string(k));
  for (int64_t c = 0; c < C; ++c) meta.file.channels.push_back("x" + std::to_string(c));
  meta.normaliser.mean.assign(static_cast<size_t>(C), 0.0f);
  meta.normaliser.std.assign(static_cast<size_t>(C), 1.0f);
  const std::string bytes = lhm_bytes(*model, meta);
  runtime::Model rt = runtime::Model::load_buffer(bytes.data(), bytes.size());

  RuntimeBench r;
  r.model_bytes = bytes.size();
  r.working_bytes = rt.working_bytes();  // one thread's
  r.macs_per_window = static_cast<double>(profile_model(spec).macs);
  r.runtime_macs_per_window = static_cast<double>(rt.multiply_adds());
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::randn({kBatch, 1, T, C}).contiguous();  // [256, 1, T, C]
  const float* raw = x.data_ptr<float>();
  const auto window = [&](int i) { return raw + (i % kBatch) * T * C; };
  const auto classes = static_cast<size_t>(spec.classes);
  std::vector<float> logits(kBatch * classes);

  r.runtime.single_window_ms =
      median_ms(singles, [&](int i) { rt.logits(window(i), logits.data()); });
  r.libtorch.single_window_ms =
      median_ms(singles, [&](int i) { model->forward(x.slice(0, i % kBatch, i % kBatch + 1)); });
  rt.set_threads(static_cast<size_t>(std::max(threads, 1)));
  const double rt_batch =
      median_ms(batches, [&](int) { rt.logits(window(0), kBatch, logits.data()); });
  torch::Tensor want;
  const double lt_batch = median_ms(batches, [&](int) { want = model->forward(x); });
  r.runtime.windows_per_s = kBatch * 1000.0 / rt_batch;
  r.libtorch.windows_per_s = kBatch * 1000.0 / lt_batch;
  const float* w = want.contiguous().data_ptr<float>();
  for (size_t i = 0; i < logits.size(); ++i)
    r.max_logit_difference =
        std::max(r.max_logit_difference, static_cast<double>(std::fabs(logits[i] - w[i])));
  r.peak_gflops = runtime::peak_gflops();
  r.threads = std::max(threads, 1);
  return r;
}

}  // namespace legohar
