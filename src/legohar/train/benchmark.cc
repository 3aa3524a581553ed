// Implementation of benchmark.h.
#include "legohar/train/benchmark.h"

#include <torch/torch.h>

#include <chrono>

#include "legohar/nn/registry.h"
#include "legohar/train/strategy.h"

namespace legohar {

nlohmann::json BenchResult::to_json() const {
  return {{"seconds_per_batch", seconds_per_batch},
          {"seconds_per_epoch", seconds_per_epoch},
          {"inference_windows_per_s", inference_windows_per_s},
          {"single_window_ms", single_window_ms},
          {"local_heads_seconds_per_batch", local_heads_seconds_per_batch}};
}

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
void sync(const torch::Device& d) {
  if (d.is_cuda()) torch::cuda::synchronize();
}
}  // namespace

BenchResult benchmark_model(const ModelSpec& spec, const TrainOptions& o, int64_t train_windows,
                            int batches, const std::string& device_name) {
  const torch::Device device(device_name);
  torch::manual_seed(o.seed);
  const std::shared_ptr<HarModel> model = build_model(spec);
  model->to(device);
  if (o.freeze_mask) model->freeze_masks();
  const std::unique_ptr<TrainingStrategy> strategy = make_strategy(*model, o, device);
  strategy->begin_epoch(1, 1.0);
  const torch::Tensor x =
      torch::randn({o.batch_size, 1, spec.input_length, spec.input_channels}).to(device);
  const torch::Tensor y = torch::randint(spec.classes, {o.batch_size}, torch::kInt64).to(device);
  auto step = [&] { strategy->step(x, y); };
  BenchResult r;
  model->train();
  step();
  sync(device);
  double t0 = now();
  for (int i = 0; i < batches; ++i) step();
  sync(device);
  r.seconds_per_batch = (now() - t0) / batches;
  r.seconds_per_epoch =
      r.seconds_per_batch * static_cast<double>((train_windows + o.batch_size - 1) / o.batch_size);

  std::vector<LocalHeads> heads = strategy->local_heads();
  if (!heads.empty()) {
    std::vector<torch::Tensor> outputs;  // each block's output on x, [N, C_i, H_i, W_i]
    {
      torch::NoGradGuard no_grad;
      torch::Tensor h = x;
      for (size_t i = 0; i < heads.size(); ++i) outputs.push_back(h = model->forward_block(i, h));
    }
    auto heads_step = [&] {
      for (size_t i = 0; i < heads.size(); ++i)
        heads[i]->loss(outputs[i].detach().requires_grad_(), y, o.alpha).backward();
    };
    heads_step();
    sync(device);
    t0 = now();
    for (int i = 0; i < batches; ++i) heads_step();
    sync(device);
    r.local_heads_seconds_per_batch = (now() - t0) / batches;
  }

  model->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor xb =
      torch::randn({256, 1, spec.input_length, spec.input_channels}).to(device);
  model->forward(xb);
  sync(device);
  t0 = now();
  for (int i = 0; i < batches; ++i) model->forward(xb);
  sync(device);
  r.inference_windows_per_s = 256.0 * batches / (now() - t0);
  const torch::Tensor x1 = xb.slice(0, 0, 1);
  const int singles = 20 * batches;
  model->forward(x1);
  sync(device);
  t0 = now();
  for (int i = 0; i < singles; ++i) model->forward(x1);
  sync(device);
  r.single_window_ms = 1000.0 * (now() - t0) / singles;
  return r;
}

}  // namespace legohar
