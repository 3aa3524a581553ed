// `legohar bench`: seconds per training epoch and inference speed of a model, next to the baseline
// CNN timed in the same process, as ratios (timings are only comparable on one machine). With
// --runtime: the model's inference in legohar's runtime against LibTorch, side by side.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "legohar/data/split.h"
#include "legohar/deploy/runtime_bench.h"
#include "legohar/train/benchmark.h"

namespace legohar::cli {

void register_bench(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Time training and inference against the baseline CNN");
  auto opts = std::make_shared<CommonOptions>();
  auto flags = std::make_shared<ModelFlags>();
  auto dataset = std::make_shared<std::string>();
  auto batches = std::make_shared<int>(5);
  auto json_out = std::make_shared<bool>(false);
  auto runtime = std::make_shared<bool>(false);
  auto singles = std::make_shared<int>(1000);
  auto train = std::make_shared<TrainOptionFlags>();
  cmd->add_option("--dataset", *dataset, "Dataset name or config file")->required();
  add_model_flags(cmd, *flags);
  add_train_option_flags(cmd, *train);  // --loss local, --freeze-mask, --sim-pool 2, ...
  cmd->add_option("--batches", *batches, "Timed steps per measurement")->check(CLI::PositiveNumber);
  add_data_options(cmd, *opts);
  add_compute_options(cmd, *opts);
  cmd->add_flag("--runtime", *runtime,
                "Time inference in legohar's runtime against LibTorch (batch 1 and 256)");
  cmd->add_option("--singles", *singles, "--runtime: single-window calls timed per engine")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", *json_out, "Print JSON");
  cmd->callback([=] {
    const int threads = apply_compute_options(*opts);
    const DatasetConfig c = load_dataset_config(*dataset, resolve_config_dir(opts->config_dir));
    if (*runtime) {
      const ModelSpec spec = apply_model_flags(c.model, *flags);
      const RuntimeBench r = benchmark_runtime(spec, *singles, *batches, threads);
      nlohmann::json j = r.to_json();
      j["dataset"] = c.data.name;
      j["model"] = spec.label();
      j["spec"] = spec.to_json();  // for bench/pytorch_inference.py
      j["libtorch_threads"] = threads;
      j["runtime_threads"] = threads;  // batches; single windows run on one
      if (*json_out) {
        fmt::print("{}\n", j.dump(2));
        return;
      }
      fmt::print(
          "{} on {}: {} threads (the runtime's single windows: 1); {} single windows, {} batches "
          "of 256\n",
          spec.label(), c.data.name, threads, *singles, *batches);
      fmt::print("{:<10} {:>12} {:>14} {:>9} {:>8}\n", "engine", "ms/window", "windows/s",
                 "GFLOP/s", "of peak");
      for (const char* e : {"runtime", "libtorch"})
        fmt::print("{:<10} {:>12.4f} {:>14.0f} {:>9.2f} {:>7.0f}%\n", e,
                   j[e]["single_window_ms"].get<double>(), j[e]["windows_per_s"].get<double>(),
                   j[e]["gflops"].get<double>(), 100 * j[e]["of_peak"].get<double>());
      fmt::print(
          "runtime/LibTorch: latency {:.2f}x, throughput {:.2f}x; model {} bytes, working memory "
          "{} bytes; max |logit difference| {:.2e}; one thread's measured peak {:.1f} GFLOP/s; "
          "MFLOP per window: {:.1f} (the runtime executes {:.1f})\n",
          j["runtime_vs_libtorch_latency"].get<double>(),
          j["runtime_vs_libtorch_throughput"].get<double>(), r.model_bytes, r.working_bytes,
          r.max_logit_difference, r.peak_gflops, 2 * r.macs_per_window / 1e6,
          2 * r.runtime_macs_per_window / 1e6);
      return;
    }
    const WindowSet w = load_dataset_windows(c, c.train, data_source(*opts));
    const Split split = dataset_split(c, w, c.train);
    const auto n = static_cast<int64_t>(split.train.size());
    const ModelSpec spec = apply_model_flags(c.model, *flags);
    ModelSpec reference = c.model;
    reference.model = "baseline";
    const TrainOptions timed = apply_train_option_flags(*train, train_options_for(c, spec.model));
    // The baseline at the timed run's batch size: per-epoch times compare at equal batches.
    TrainOptions reference_options = train_options_for(c, reference.model);
    reference_options.batch_size = timed.batch_size;
    const BenchResult ref =
        benchmark_model(reference, reference_options, n, *batches, opts->device);
    const BenchResult r = benchmark_model(spec, timed, n, *batches, opts->device);
    nlohmann::json j{
        {"dataset", c.data.name},
        {"model", spec.label()},
        {"loss", timed.loss},
        {"threads", threads},
        {"device", opts->device},
        {"train_windows", n},
        {"batch_size", timed.batch_size},
        {"result", r.to_json()},
        {"reference", ref.to_json()},
        {"train_speedup_vs_baseline", ref.seconds_per_epoch / r.seconds_per_epoch},
        {"inference_speedup_vs_baseline", r.inference_windows_per_s / ref.inference_windows_per_s}};
    if (*json_out) {
      fmt::print("{}\n", j.dump(2));
      return;
    }
    fmt::print("{} threads, device {}, {} training windows, batch {}\n", threads, opts->device, n,
               timed.batch_size);
    fmt::print("{:<22} {:>10} {:>12} {:>16} {:>12}\n", "model", "s/batch", "s/epoch", "infer win/s",
               "ms/window");
    for (const auto& [label, b] : {std::pair{reference.label() + " global (reference)", ref},
                                   std::pair{spec.label() + " " + timed.loss, r}})
      fmt::print("{:<22} {:>10.4f} {:>12.2f} {:>16.0f} {:>12.3f}\n", label, b.seconds_per_batch,
                 b.seconds_per_epoch, b.inference_windows_per_s, b.single_window_ms);
    if (r.local_heads_seconds_per_batch > 0)
      fmt::print(
          "local heads (pred + 3x3 sim convolution, forward and backward): {:.4f} s/batch, "
          "{:.0f}% of a local step\n",
          r.local_heads_seconds_per_batch,
          100 * r.local_heads_seconds_per_batch / r.seconds_per_batch);
    fmt::print("training speed-up vs baseline: {:.2f}x   inference speed-up: {:.2f}x\n",
               j["train_speedup_vs_baseline"].get<double>(),
               j["inference_speedup_vs_baseline"].get<double>());
  });
}

}  // namespace legohar::cli
