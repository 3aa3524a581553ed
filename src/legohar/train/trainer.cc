// Implementation of trainer.h.
#include "legohar/train/trainer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <random>

#include "legohar/common/error.h"
#include "legohar/common/interrupt.h"
#include "legohar/common/peak_memory.h"
#include "legohar/data/normaliser.h"
#include "legohar/nn/registry.h"
#include "legohar/record/run_record.h"
#include "legohar/train/checkpoint.h"
#include "legohar/train/evaluate.h"
#include "legohar/train/strategy.h"
#include "legohar/train/tensors.h"

namespace legohar {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A run may resume only with the same model, data and hyper-parameters; epochs may grow unless
// the schedule depends on them (a cosine run planned for E epochs ends its decay at E; a warm-up
// is capped by E).
void check_resumable(const json& meta, const ModelSpec& spec, const TrainOptions& o,
                     const fs::path& file) {
  const TrainOptions had = TrainOptions::from_json(meta.at("train"));
  const std::vector<std::string> diff =
      recorded_settings_differ(meta.at("model"), meta.at("train"), spec, o, true);
  if (!diff.empty())
    throw Error::usage(fmt::format(
        "{}: the checkpoint was made with another model or other options ({}); resume with the "
        "same ones (only --epochs may change)",
        file.string(), fmt::join(diff, ", ")));
  const std::string ties = run_length_dependence(o);
  if (had.epochs != o.epochs && !ties.empty())
    throw Error::usage(fmt::format(
        "{}: this run was planned for {} epochs ({}); resume it with --epochs {}, or start a "
        "new run (a step or constant schedule without warm-up and with --mask-freeze-epoch 0 or "
        "E can be extended)",
        file.string(), had.epochs, ties, had.epochs));
}

}  // namespace

json train_model(const ModelSpec& spec, const TrainOptions& o, const WindowSet& windows,
                 const Split& split, const RunSettings& settings) {
  o.validate();
  const bool peak_is_this_run = reset_peak_resident_memory();
  const double resident_at_start = resident_mb();
  const torch::Device device(settings.device);
  const fs::path checkpoint = settings.out_dir / "model.pt";
  const fs::path best_checkpoint = settings.out_dir / "best.pt";
  if (split.train.empty() || split.test.empty())
    throw Error::usage(
        fmt::format("protocol '{}' leaves {} training and {} test windows: a run needs both",
                    split.protocol, split.train.size(), split.test.size()));
  const bool holds_run = fs::exists(checkpoint) || has_metrics(settings.out_dir);
  if (holds_run && !settings.resume && !settings.overwrite)
    throw Error::state(settings.out_dir.string() +
                       " holds a run: continue it with --resume, or replace it with "
                       "--overwrite (or train into another --out)");
  if (settings.overwrite)
    for (const char* file : {"model.pt", "best.pt", kMetricsFile, kHistoryFile})
      fs::remove(settings.out_dir / file);
  fs::create_directories(settings.out_dir);

  const Normaliser norm = Normaliser::fit(windows, split.train);
  const Examples train(windows, split.train, norm);
  const Examples test(windows, split.test, norm);
  const bool validate = !split.val.empty();
  const Examples val = validate ? Examples(windows, split.val, norm) : Examples{};

  torch::manual_seed(o.seed);
  const std::shared_ptr<HarModel> model = build_model(spec);
  model->to(device);
  if (o.freeze_mask) model->freeze_masks();
  const int freeze_after = mask_freeze_after(o);

  const std::unique_ptr<TrainingStrategy> strategy = make_strategy(*model, o, device);

  History history;
  json initial = model->diagnostic_state();  // what the diagnostics compare with
  int first_epoch = 1;
  if (settings.resume && fs::exists(checkpoint)) {
    const json meta = read_checkpoint_meta(checkpoint);
    check_resumable(meta, spec, o, checkpoint);
    const int trained = meta.at("epoch").get<int>();
    if (trained > o.epochs)
      throw Error::usage(fmt::format(
          "{}: the run has trained {} epochs; resuming it to {} would report {} epochs for "
          "weights trained {} (give --epochs {} or more)",
          checkpoint.string(), trained, o.epochs, o.epochs, trained, trained));
    if (freeze_after > 0 && trained > freeze_after)
      model->freeze_masks();  // before loading, so the optimizer state matches the frozen logits
    load_checkpoint(checkpoint, *model, [&](auto& a) { strategy->load(a); });
    model->to(device);
    history = history_from_json(meta.at("history"));
    initial = meta.at("initial_selection");
    first_epoch = meta.at("epoch").get<int>() + 1;
  }

  auto meta_for = [&](int epoch) {
    return json{{"model", spec.to_json()},
                {"train", o.to_json()},
                {"normaliser", norm.to_json()},
                {"dataset", settings.dataset},
                {"split", split.to_json()},
                {"epoch", epoch},
                {"history", history_to_json(history)},
                {"initial_selection", initial},
                {"class_names", windows.class_names},
                {"channel_names", windows.channel_names}};
  };

  // From here the run is unfinished until its metrics.json is written again.
  fs::remove(settings.out_dir / kMetricsFile);
  // What a run stopped during `epoch` leaves behind, for the messages that stop it.
  const auto left_behind = [](int epoch) {
    return epoch > 1 ? fmt::format("model.pt keeps epoch {}", epoch - 1)
                     : std::string("no checkpoint was written");
  };
  const int64_t n = train.size();
  const int64_t batches = (n + o.batch_size - 1) / o.batch_size;
  for (int epoch = first_epoch; epoch <= o.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    if (freeze_after > 0 && epoch == freeze_after + 1) model->freeze_masks();
    const double factor = lr_factor(o, epoch, static_cast<int>(model->num_blocks()));
    strategy->begin_epoch(epoch, factor);
    const json state_before = model->diagnostic_state();
    // The epoch's order and any randomness depend only on (seed, epoch): resuming repeats them.
    std::vector<int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<uint64_t>(epoch));
    std::shuffle(order.begin(), order.end(), rng);
    torch::manual_seed(o.seed * 1000003ULL + static_cast<uint64_t>(epoch));
    const torch::Tensor perm = torch::from_blob(order.data(), {n}, torch::kInt64);

    model->train();
    double loss_sum = 0;
    int64_t correct = 0;
    for (int64_t b = 0; b < batches; ++b) {
      if (const int signal = pending_interrupt())
        throw Error::interrupted(signal,
                                 fmt::format("interrupted in epoch {} ({}); continue with: "
                                             "legohar train --resume {}",
                                             epoch, left_behind(epoch), settings.out_dir.string()));
      const torch::Tensor idx =
          perm.slice(0, b * o.batch_size, std::min(n, (b + 1) * o.batch_size));
      const torch::Tensor xb = train.x(idx).to(device);  // materialised a batch at a time
      const torch::Tensor yb = train.y().index_select(0, idx).to(device);
      const StepResult r = strategy->step(xb, yb);
      if (!std::isfinite(r.loss))
        throw Error::state(fmt::format(
            "epoch {}, batch {}/{}: the training loss is {}; training stopped ({}). Check the "
            "recordings for non-finite values, or lower --lr",
            epoch, b + 1, batches, r.loss, left_behind(epoch)));
      loss_sum += r.loss * static_cast<double>(idx.size(0));
      correct += r.logits.argmax(1).eq(yb).sum().item<int64_t>();
      if (settings.on_batch) settings.on_batch(epoch, o.epochs, b + 1, batches, r.loss);
    }
    const Metrics m = evaluate_model(*model, test, o.batch_size, device);
    EpochRecord r;
    if (validate) {
      double val_loss = 0;
      r.val_weighted_f1 = evaluate_model(*model, val, o.batch_size, device, &val_loss).weighted_f1;
      r.val_loss = val_loss;
    }
    r.epoch = epoch;
    r.loss = loss_sum / static_cast<double>(n);
    r.train_accuracy = static_cast<double>(correct) / static_cast<double>(n);
    r.test_accuracy = m.accuracy;
    r.test_weighted_f1 = m.weighted_f1;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.lr = o.lr * factor;
    r.diagnostics = model->diagnostics(initial, state_before);
    history.push_back(r);
    // best.pt first: a crash between the two writes leaves model.pt one epoch behind, and resuming
    // redoes that epoch and rewrites best.pt identically.
    if (validate && selected_epoch(history) == epoch)
      save_checkpoint(best_checkpoint, *model, {}, meta_for(epoch));
    save_checkpoint(
        checkpoint, *model, [&](auto& a) { strategy->save(a); }, meta_for(epoch));
    write_history(settings.out_dir, history);
    if (settings.on_epoch) settings.on_epoch(r, o.epochs);
  }

  // Final metrics, recomputed from the model as saved.
  const Metrics m = evaluate_model(*model, test, o.batch_size, device);
  TrainingOutcome outcome;
  outcome.loss = o.greedy ? "greedy" : o.loss;
  outcome.device = settings.device;
  outcome.threads = settings.threads;
  outcome.peak_rss_mb = peak_resident_mb();
  outcome.peak_rss_is_run = peak_is_this_run;
  outcome.rss_at_start_mb = resident_at_start;
  outcome.activation_bytes_per_step = activation_bytes_per_step(spec, o);
  if (validate) {  // the epoch chosen on validation data alone, tested from best.pt
    const std::shared_ptr<HarModel> best = load_model(best_checkpoint);
    best->to(device);
    outcome.selected = evaluate_model(*best, test, o.batch_size, device);
  }
  const std::vector<LocalHeads> heads = strategy->local_heads();
  if (!heads.empty())
    for (const Metrics& h : evaluate_local_heads(*model, heads, test, o.batch_size, device))
      outcome.local_head_weighted_f1.push_back(h.weighted_f1);
  json metrics = metrics_record(m, spec, o, split, settings.dataset, windows.class_names);
  add_training_record(metrics, outcome, history, windows.class_names);
  write_metrics(settings.out_dir, metrics);
  return metrics;
}

}  // namespace legohar
