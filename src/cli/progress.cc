// Implementation of progress.h.
#include "cli/progress.h"

#include <fmt/format.h>

#include <cstdio>

namespace legohar::cli {

static std::string duration(double s) {
  const auto t = static_cast<long>(s + 0.5);
  return t >= 3600 ? fmt::format("{}h{:02d}m", t / 3600, (t / 60) % 60)
                   : fmt::format("{}m{:02d}s", t / 60, t % 60);
}

void Progress::batch(int epoch, int epochs, int64_t batch, int64_t batches, double loss) {
  if (!terminal_) return;
  fmt::print(stderr, "\r\033[Kepoch {}/{}  batch {}/{}  loss {:.4f}", epoch, epochs, batch, batches,
             loss);
  std::fflush(stderr);
}

void Progress::epoch(const EpochRecord& r, int epochs) {
  if (terminal_) fmt::print(stderr, "\r\033[K");
  std::string line = fmt::format("epoch {:>3}/{}  lr {:.2e}  loss {:.4f}  train acc {:.4f}",
                                 r.epoch, epochs, r.lr, r.loss, r.train_accuracy);
  if (r.val_weighted_f1) line += fmt::format("  val wF1 {:.4f}", *r.val_weighted_f1);
  line += fmt::format("  test wF1 {:.4f}  {:.1f} s/epoch  ETA {}", r.test_weighted_f1, r.seconds,
                      duration(r.seconds * (epochs - r.epoch)));
  for (const auto& [name, value] : r.diagnostics) line += fmt::format("  {} {:.4g}", name, value);
  fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
}

void Progress::attach(RunSettings& s) {
  s.on_batch = [this](int e, int es, int64_t b, int64_t n, double loss) {
    batch(e, es, b, n, loss);
  };
  s.on_epoch = [this](const EpochRecord& r, int epochs) { epoch(r, epochs); };
}

}  // namespace legohar::cli
