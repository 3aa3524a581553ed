// Implementation of table.h.
#include "legohar/experiment/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "legohar/common/error.h"
#include "legohar/spec/model_spec.h"
#include "legohar/spec/profile.h"
#include "legohar/spec/train_options.h"

namespace legohar {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<json> metrics_at_epoch(const std::vector<json>& metrics, int epoch, int window) {
  if (window < 1) throw Error::usage("the F1 window must be at least 1 epoch");
  std::vector<json> out;
  for (const json& m : metrics) {
    const fs::path file = fs::path(m.at("run_dir").get<std::string>()) / kHistoryFile;
    const int epochs = m.at("epochs").get<int>();
    const int at = epoch > 0 ? epoch : epochs;
    if (epochs < at) continue;
    const std::string ties = m.contains("options") && at != epochs
                                 ? run_length_dependence(TrainOptions::from_json(m["options"]))
                                 : "";
    if (!ties.empty())
      throw Error::usage(file.string() +
                         ": this run's epoch N is not an N-epoch run (tied to its length by " +
                         ties +
                         "); tabulate it without --epoch, or compare runs that can be "
                         "extended");
    if (window > at)
      throw Error::usage(file.string() + ": cannot average " + std::to_string(window) +
                         " epochs up to epoch " + std::to_string(at));
    const History history = read_history(file.parent_path());
    if (history.size() < static_cast<size_t>(at))
      throw Error::usage(file.string() + ": no row for epoch " + std::to_string(at));
    double seconds = 0, f1_sum = 0;
    for (int e = 1; e <= at; ++e) {
      const EpochRecord& h = history[static_cast<size_t>(e - 1)];
      seconds += h.seconds;
      if (e > at - window) f1_sum += h.test_weighted_f1;
    }
    json r = m;
    r["weighted_f1"] = f1_sum / window;
    r["f1_window"] = window;
    r["epochs"] = at;
    r["train_seconds"] = seconds;
    r["seconds_per_epoch"] = seconds / at;
    r["train_accuracy"] = history[static_cast<size_t>(at - 1)].train_accuracy;
    r.erase("val_weighted_f1");  // the final epoch's, not epoch `at`'s
    out.push_back(r);
  }
  return out;
}

std::vector<json> metrics_selected(const std::vector<json>& metrics) {
  std::vector<json> out;
  for (const json& m : metrics) {
    if (!m.contains("selected"))
      throw Error::usage(m.value("run_dir", std::string("a run")) +
                         "/metrics.json: no epoch chosen on validation data (train it with "
                         "--val-subjects K)");
    json r = m;
    r["weighted_f1"] = m["selected"]["weighted_f1"];
    r["f1_window"] = 0;
    out.push_back(r);
  }
  return out;
}

namespace {

// The model column: the architecture ("lego(o=2,m=0.5)"); the options that only train it
// differently ("coefficients=per-candidate") go to the loss column.
std::string model_column(const json& m) {
  return m.contains("model_spec") ? ModelSpec::from_json(m["model_spec"]).architecture_label()
                                  : m.at("model_label").get<std::string>();
}

// The loss column: the loss, then each model option that trains the architecture differently and
// each training setting that differs from legohar's defaults (" frozen mask", " dropout=0.1",
// " protocol=random:0.3"), and " (leaky split)" for a leaky split, so that variants of one
// configuration get rows of their own.
std::string loss_label(const json& m) {
  std::string label = m.value("loss", "global");
  if (m.contains("model_spec"))
    for (const std::string& s :
         ModelSpec::from_json(m["model_spec"]).settings(ModelSpec::Settings::kTraining))
      label += " " + s;
  if (!m.contains("options")) return label;
  const json o = TrainOptions::from_json(m["options"]).to_json();
  if (o["freeze_mask"].get<bool>()) label += " frozen mask";
  static const json defaults = TrainOptions{}.to_json();
  for (const TrainOptionInfo& info : train_option_table()) {
    const std::string key(info.key);
    if (info.names_variant && key != "freeze_mask" && o[key] != defaults[key])
      label += " " + key + "=" + (o[key].is_string() ? o[key].get<std::string>() : o[key].dump());
  }
  // A split whose test windows share samples with training windows: its row says so, beside the
  // honest protocol's row.
  if (m.contains("split") && m["split"].value("leaky", false)) label += " (leaky split)";
  return label;
}

// What makes runs comparable besides their loss: dataset, model, budget and F1 window.
std::string run_key(const json& m) {
  return fmt::format("{}|{}|{}|{}", m.at("dataset").get<std::string>(), model_column(m),
                     m.at("epochs").get<int>(), m.value("f1_window", 1));
}

// Mean and sample standard deviation (0 for fewer than two values).
std::pair<double, double> mean_and_std(const std::vector<double>& v) {
  double mean = 0, ss = 0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  for (double x : v) ss += std::pow(x - mean, 2);
  return {mean, v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0};
}

// The epochs cell: "20", or "20 (F1: mean of last 3)".
std::string epochs_cell(int epochs, int f1_window) {
  if (f1_window == 0) return fmt::format("{} (F1: validation-selected epoch)", epochs);
  return f1_window > 1 ? fmt::format("{} (F1: mean of last {})", epochs, f1_window)
                       : std::to_string(epochs);
}

}  // namespace

std::vector<TableRow> build_table(const std::vector<json>& metrics) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const json*>> groups;
  std::map<std::string, std::string> loss_of;
  for (const json& m : metrics) {
    const std::string loss = loss_label(m);
    const std::string key = run_key(m) + "|" + loss;
    if (!groups.count(key)) order.push_back(key);
    loss_of[key] = loss;
    groups[key].push_back(&m);
  }
  std::vector<TableRow> rows;
  for (const std::string& key : order) {
    const auto& runs = groups[key];
    const json& first = *runs.front();
    TableRow r;
    r.dataset = first.at("dataset");
    r.model = model_column(first);
    r.loss = loss_of[key];
    r.epochs = first.at("epochs");
    r.f1_window = first.value("f1_window", 1);
    r.runs = static_cast<int>(runs.size());
    std::vector<double> f1s;
    for (const json* m : runs) {
      f1s.push_back(m->at("weighted_f1").get<double>());
      r.train_seconds += m->value("train_seconds", 0.0) / r.runs;
      r.seconds_per_epoch += m->value("seconds_per_epoch", 0.0) / r.runs;
      r.peak_rss_mb += m->value("peak_rss_mb", 0.0) / r.runs;
    }
    std::tie(r.f1_mean, r.f1_std) = mean_and_std(f1s);
    if (std::all_of(runs.begin(), runs.end(),
                    [](const json* m) { return m->contains("val_weighted_f1"); })) {
      r.val_f1_mean = 0;
      for (const json* m : runs) r.val_f1_mean += m->at("val_weighted_f1").get<double>() / r.runs;
    }
    r.memory_mb = first.at("memory_mb");
    r.macs = first.at("macs");
    if (!first.contains("model_spec"))
      throw Error::state("a metrics.json of " + r.model + " on " + r.dataset +
                         " holds no model_spec (written by an older legohar): re-run eval --json");
    ModelSpec baseline = ModelSpec::from_json(first.at("model_spec"));
    baseline.model = "baseline";
    const ModelProfile base = profile_model(baseline);
    r.compression = base.memory_mb / r.memory_mb;
    r.speedup = static_cast<double>(base.macs) / r.macs;
    rows.push_back(r);
  }
  // The papers' order: per dataset, loss and budget, the largest model (the baseline) first.
  std::stable_sort(rows.begin(), rows.end(), [](const TableRow& a, const TableRow& b) {
    return std::tie(a.dataset, a.loss, a.epochs, b.memory_mb) <
           std::tie(b.dataset, b.loss, b.epochs, a.memory_mb);
  });
  return rows;
}

std::vector<PairedRow> build_paired(const std::vector<json>& metrics,
                                    const std::string& reference) {
  // Runs pair when these agree; the reference is looked up by this key and its loss label.
  auto pair_key = [](const json& m) { return run_key(m) + "|" + m.at("seed").dump(); };
  std::map<std::string, const json*> references;  // pair key | loss label -> run
  // `reference` is a loss ("global") or a full label ("global frozen mask").
  const std::string ref_loss = reference.substr(0, reference.find(' '));
  for (const json& m : metrics) {
    if (m.value("loss", "global") != ref_loss) continue;
    const auto [it, fresh] = references.emplace(pair_key(m) + "|" + loss_label(m), &m);
    if (!fresh)
      throw Error::usage(fmt::format(
          "two {} runs of {} on {} with seed {} after {} epochs: {} and {}; tabulate one of them",
          loss_label(m), model_column(m), m.at("dataset").get<std::string>(), m.at("seed").dump(),
          m.at("epochs").get<int>(), it->second->at("run_dir").get<std::string>(),
          m.at("run_dir").get<std::string>()));
  }
  std::vector<PairedRow> rows;
  std::map<std::string, size_t> row_of;
  std::map<std::string, std::vector<std::pair<const json*, const json*>>> pairs_of;
  for (const json& m : metrics) {
    const std::string label = loss_label(m), loss = m.value("loss", "global");
    if (label == reference) continue;
    // Another loss first looks for the reference with the same settings ("local lr_step=10"
    // against "global lr_step=10"), then for the reference with the defaults.
    auto find_reference = [&](const std::string& l) {
      return references.find(pair_key(m) + "|" + l);
    };
    auto ref =
        loss != ref_loss ? find_reference(ref_loss + label.substr(loss.size())) : references.end();
    if (ref == references.end()) ref = find_reference(reference);
    if (ref == references.end()) continue;
    const std::string ref_label = loss_label(*ref->second);
    const std::string key = run_key(m) + "|" + label + "|" + ref_label;
    if (!row_of.count(key)) {
      row_of[key] = rows.size();
      PairedRow r;
      r.dataset = m.at("dataset");
      r.model = model_column(m);
      r.loss = label;
      r.reference = ref_label;
      r.epochs = m.at("epochs");
      r.f1_window = m.value("f1_window", 1);
      rows.push_back(r);
    }
    pairs_of[key].emplace_back(&m, ref->second);
  }
  for (const auto& [key, pairs] : pairs_of) {
    PairedRow& r = rows[row_of[key]];
    r.pairs = static_cast<int>(pairs.size());
    r.has_train_accuracy = true;
    std::vector<double> diffs;
    for (const auto& [variant, ref] : pairs) {
      const double d =
          variant->at("weighted_f1").get<double>() - ref->at("weighted_f1").get<double>();
      diffs.push_back(d);
      r.wins += d > 0 ? 1 : 0;
      if (variant->contains("train_accuracy") && ref->contains("train_accuracy"))
        r.train_accuracy_diff += (variant->at("train_accuracy").get<double>() -
                                  ref->at("train_accuracy").get<double>()) /
                                 r.pairs;
      else
        r.has_train_accuracy = false;
    }
    if (!r.has_train_accuracy) r.train_accuracy_diff = 0;
    r.diff_min = *std::min_element(diffs.begin(), diffs.end());
    r.diff_max = *std::max_element(diffs.begin(), diffs.end());
    std::tie(r.diff_mean, r.diff_std) = mean_and_std(diffs);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const PairedRow& a, const PairedRow& b) {
    return std::tie(a.dataset, a.model, a.epochs, a.loss) <
           std::tie(b.dataset, b.model, b.epochs, b.loss);
  });
  return rows;
}

std::string table_markdown(const std::vector<TableRow>& rows) {
  // A validation column when some row has one: the final epochs' validation weighted F1, the
  // figure to choose settings by (the test column is for reporting them).
  const bool val =
      std::any_of(rows.begin(), rows.end(), [](const TableRow& r) { return r.val_f1_mean >= 0; });
  std::string s = fmt::format(
      "| dataset | model | loss | epochs | runs | weighted F1 (%) |{} memory (MB) | com | MACs (M) "
      "| speed-up | train s | s/epoch | peak RSS (MB) "
      "|\n|---|---|---|---|---|---|{}---|---|---|---|"
      "---|---|---|\n",
      val ? " val weighted F1 (%) |" : "", val ? "---|" : "");
  for (const TableRow& r : rows)
    s += fmt::format(
        "| {} | {} | {} | {} | {} | {:.2f} ± {:.2f} |{} {:.2f} | {:.1f}x | {:.2f} | {:.1f}x | "
        "{:.0f} "
        "| {:.1f} | {:.0f} |\n",
        r.dataset, r.model, r.loss, epochs_cell(r.epochs, r.f1_window), r.runs, 100 * r.f1_mean,
        100 * r.f1_std,
        !val                ? ""
        : r.val_f1_mean < 0 ? " - |"
                            : fmt::format(" {:.2f} |", 100 * r.val_f1_mean),
        r.memory_mb, r.compression, r.macs / 1e6, r.speedup, r.train_seconds, r.seconds_per_epoch,
        r.peak_rss_mb);
  return s;
}

std::string table_csv(const std::vector<TableRow>& rows) {
  std::string s =
      "dataset,model,loss,epochs,f1_window,runs,weighted_f1_mean,weighted_f1_std,memory_mb,"
      "compression,macs,speedup,train_seconds,seconds_per_epoch,peak_rss_mb,val_weighted_f1_mean\n";
  for (const TableRow& r : rows)
    s += fmt::format(
        "{},\"{}\",{},{},{},{},{:.6f},{:.6f},{:.6f},{:.4f},{:.0f},{:.4f},{:.2f},{:.3f},{:.1f},{}\n",
        r.dataset, r.model, r.loss, r.epochs, r.f1_window, r.runs, r.f1_mean, r.f1_std, r.memory_mb,
        r.compression, r.macs, r.speedup, r.train_seconds, r.seconds_per_epoch, r.peak_rss_mb,
        r.val_f1_mean < 0 ? "" : fmt::format("{:.6f}", r.val_f1_mean));
  return s;
}

std::string paired_markdown(const std::vector<PairedRow>& rows) {
  std::string s =
      "| dataset | model | variant | vs | epochs | pairs | ΔF1 mean ± std (pp) | ΔF1 min .. max "
      "(pp) | wins | Δ train acc (pp) |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const PairedRow& r : rows)
    s += fmt::format(
        "| {} | {} | {} | {} | {} | {} | {:+.2f} ± {:.2f} | {:+.2f} .. {:+.2f} | {}/{} | {} |\n",
        r.dataset, r.model, r.loss, r.reference, epochs_cell(r.epochs, r.f1_window), r.pairs,
        100 * r.diff_mean, 100 * r.diff_std, 100 * r.diff_min, 100 * r.diff_max, r.wins, r.pairs,
        r.has_train_accuracy ? fmt::format("{:+.2f}", 100 * r.train_accuracy_diff) : "n/a");
  return s;
}

std::string paired_csv(const std::vector<PairedRow>& rows) {
  std::string s =
      "dataset,model,variant,reference,epochs,f1_window,pairs,f1_diff_mean,f1_diff_std,"
      "f1_diff_min,f1_diff_max,wins,train_accuracy_diff_mean\n";
  for (const PairedRow& r : rows)
    s += fmt::format("{},\"{}\",{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{},{}\n", r.dataset,
                     r.model, r.loss, r.reference, r.epochs, r.f1_window, r.pairs, r.diff_mean,
                     r.diff_std, r.diff_min, r.diff_max, r.wins,
                     r.has_train_accuracy ? fmt::format("{:.6f}", r.train_accuracy_diff) : "");
  return s;
}

}  // namespace legohar
