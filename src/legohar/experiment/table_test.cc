// Tests of table.h: the mean, standard deviation, compression and speed-up of a configuration,
// and the paired per-seed differences, against hand computations from given metrics files.
#include "legohar/experiment/table.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "legohar/spec/profile.h"
#include "legohar/spec/train_options.h"
#include "test_support.h"

namespace legohar {
namespace {

nlohmann::json metrics(const std::string& model, double f1, double seconds, uint64_t seed) {
  ModelSpec s;
  s.model = model;
  s.layers = {{128, 6, 3, 1}, {256, 6, 3, 1}, {384, 6, 3, 1}};
  const ModelProfile p = profile_model(s);
  return {{"dataset", "uci-har"},
          {"model_label", s.label()},
          {"model_spec", s.to_json()},
          {"loss", "local"},
          {"epochs", 5},
          {"seed", seed},
          {"weighted_f1", f1},
          {"memory_mb", p.memory_mb},
          {"macs", p.macs},
          {"train_seconds", seconds},
          {"options", TrainOptions{}.to_json()}};
}

TEST(Table, MeanStdCompressionSpeedupByHand) {
  test::ScratchDir dir;
  const std::vector<nlohmann::json> runs{metrics("lego", 0.90, 10, 1), metrics("lego", 0.94, 20, 2),
                                         metrics("lego", 0.95, 30, 3),
                                         metrics("baseline", 0.96, 50, 1)};
  for (size_t i = 0; i < runs.size(); ++i)
    test::write_text(dir.path() / ("run" + std::to_string(i)) / "metrics.json", runs[i].dump());
  const std::vector<TableRow> rows = build_table(collect_metrics({dir.path()}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].model, "baseline");  // the largest model first, as in the papers
  const TableRow& lego = rows[1];
  EXPECT_EQ(lego.model, "lego(o=2,m=0.5)");
  EXPECT_EQ(lego.runs, 3);
  // mean 0.93; deviations -0.03, 0.01, 0.02: sample variance (9 + 1 + 4)e-4 / 2 = 7e-4.
  EXPECT_NEAR(lego.f1_mean, 0.93, 1e-12);
  EXPECT_NEAR(lego.f1_std, std::sqrt(7e-4), 1e-12);
  EXPECT_NEAR(lego.train_seconds, 20.0, 1e-12);
  EXPECT_NEAR(lego.compression, rows[0].memory_mb / lego.memory_mb, 1e-12);
  EXPECT_NEAR(lego.speedup, rows[0].macs / lego.macs, 1e-12);
  EXPECT_NEAR(rows[0].f1_std, 0.0, 1e-12);
  EXPECT_NEAR(rows[0].compression, 1.0, 1e-12);
  EXPECT_NE(table_markdown(rows).find("| 93.00 ± 2.65 |"), std::string::npos)
      << table_markdown(rows);
  EXPECT_NE(table_csv(rows).find("0.930000,0.026458"), std::string::npos) << table_csv(rows);
}

TEST(Table, VariantsWithOtherSettingsGetRowsOfTheirOwn) {
  test::ScratchDir dir;
  nlohmann::json variant = metrics("lego", 0.80, 10, 1);
  variant["options"] = TrainOptions{}.to_json();
  variant["options"]["dropout"] = 0.1;
  variant["options"]["head_lr"] = 0.001;
  test::write_text(dir.path() / "a" / "metrics.json", metrics("lego", 0.90, 10, 1).dump());
  test::write_text(dir.path() / "b" / "metrics.json", variant.dump());
  const std::vector<TableRow> rows = build_table(collect_metrics({dir.path()}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].loss, "local");
  EXPECT_NEAR(rows[0].f1_mean, 0.90, 1e-12);
  EXPECT_EQ(rows[1].loss, "local dropout=0.1 head_lr=0.001");
  EXPECT_NEAR(rows[1].f1_mean, 0.80, 1e-12);
}

// The paper's random window split (leaky where windows overlap) and a subject-wise split of the
// same configuration: two rows side by side, the leaky one marked.
TEST(Table, LeakySplitsAreMarkedBesideTheHonestOnes) {
  test::ScratchDir dir;
  nlohmann::json random = metrics("lego", 0.99, 10, 1);
  random["options"]["protocol"] = "random:0.3";
  random["split"] = {{"protocol", "random:0.3"}, {"leaky", true}};
  nlohmann::json subjects = metrics("lego", 0.91, 10, 1);
  subjects["split"] = {{"protocol", "subjects"}, {"leaky", false}};
  test::write_text(dir.path() / "a" / "metrics.json", random.dump());
  test::write_text(dir.path() / "b" / "metrics.json", subjects.dump());
  const std::vector<TableRow> rows = build_table(collect_metrics({dir.path()}));
  ASSERT_EQ(rows.size(), 2u);
  std::map<std::string, double> f1_of;
  for (const TableRow& r : rows) f1_of[r.loss] = r.f1_mean;
  EXPECT_NEAR(f1_of.at("local protocol=random:0.3 (leaky split)"), 0.99, 1e-12);
  EXPECT_NEAR(f1_of.at("local"), 0.91, 1e-12);
  EXPECT_NE(table_markdown(rows).find("local protocol=random:0.3 (leaky split)"),
            std::string::npos);
}

TEST(Table, PairedBySeedByHand) {
  auto run = [](const std::string& model, const std::string& loss, double f1, double train,
                uint64_t seed) {
    nlohmann::json m = metrics(model, f1, 10, seed);
    m["loss"] = loss;
    m["train_accuracy"] = train;
    m["run_dir"] = model + "-" + loss + "-" + std::to_string(seed);
    return m;
  };
  std::vector<nlohmann::json> runs{
      run("lego", "global", 0.90, 0.95, 1),   run("lego", "global", 0.92, 0.96, 2),
      run("lego", "global", 0.94, 0.97, 3),   run("lego", "local", 0.91, 0.94, 1),
      run("lego", "local", 0.89, 0.93, 2),    run("lego", "local", 0.95, 0.95, 3),
      run("lego", "local", 0.99, 0.99, 4),       // no global run with seed 4: unpaired, left out
      run("baseline", "local", 0.97, 0.99, 1)};  // no global baseline at all: no row
  const std::vector<PairedRow> rows = build_paired(runs);
  ASSERT_EQ(rows.size(), 1u);
  const PairedRow& r = rows[0];
  EXPECT_EQ(r.model, "lego(o=2,m=0.5)");
  EXPECT_EQ(r.loss, "local");
  EXPECT_EQ(r.reference, "global");
  EXPECT_EQ(r.pairs, 3);
  // Differences +0.01, -0.03, +0.01: mean -1/300, deviations 4/300, -8/300, 4/300,
  // sample variance (16 + 64 + 16) / 90000 / 2.
  EXPECT_NEAR(r.diff_mean, -0.01 / 3, 1e-12);
  EXPECT_NEAR(r.diff_std, std::sqrt(96.0 / 90000 / 2), 1e-12);
  EXPECT_NEAR(r.diff_min, -0.03, 1e-12);
  EXPECT_NEAR(r.diff_max, 0.01, 1e-12);
  EXPECT_EQ(r.wins, 2);
  // Training accuracy differences -0.01, -0.03, -0.02: mean -0.02.
  EXPECT_TRUE(r.has_train_accuracy);
  EXPECT_NEAR(r.train_accuracy_diff, -0.02, 1e-12);
  EXPECT_NE(paired_markdown(rows).find("| -0.33 ± 2.31 | -3.00 .. +1.00 | 2/3 | -2.00 |"),
            std::string::npos)
      << paired_markdown(rows);

  runs[3].erase("train_accuracy");  // one run without it: the column is not averaged over fewer
  EXPECT_FALSE(build_paired(runs).at(0).has_train_accuracy);
  EXPECT_NE(paired_markdown(build_paired(runs)).find("| 2/3 | n/a |"), std::string::npos);

  // A variant's settings: paired with the global run of the same settings where there is one.
  auto with_lr_step = [](nlohmann::json m) {
    m["options"] = TrainOptions{}.to_json();
    m["options"]["lr_step"] = 10;
    m["run_dir"] = m["run_dir"].get<std::string>() + "-step";
    return m;
  };
  std::vector<nlohmann::json> stepped = runs;
  stepped.push_back(with_lr_step(run("lego", "local", 0.93, 0.97, 1)));
  stepped.push_back(with_lr_step(run("lego", "local", 0.96, 0.98, 2)));
  stepped.push_back(with_lr_step(run("lego", "global", 0.95, 0.99, 2)));
  std::map<std::string, PairedRow> by_label;
  for (const PairedRow& p : build_paired(stepped)) by_label[p.loss + " vs " + p.reference] = p;
  ASSERT_EQ(by_label.size(), 4u);
  // seed 2 against "global lr_step=10" (+0.01), seed 1 against plain "global" (+0.03): two rows.
  EXPECT_EQ(by_label.at("local lr_step=10 vs global lr_step=10").pairs, 1);
  EXPECT_NEAR(by_label.at("local lr_step=10 vs global lr_step=10").diff_mean, 0.01, 1e-12);
  EXPECT_NEAR(by_label.at("local lr_step=10 vs global").diff_mean, 0.03, 1e-12);
  EXPECT_EQ(by_label.at("local lr_step=10 vs global").pairs, 1);
  EXPECT_NEAR(by_label.at("global lr_step=10 vs global").diff_mean, 0.03, 1e-12);  // 0.95 - 0.92
  runs.push_back(run("lego", "global", 0.80, 0.90, 2));  // a second global seed-2 run
  runs.back()["run_dir"] = "elsewhere";
  try {
    build_paired(runs);
    ADD_FAILURE() << "two reference runs for one seed were accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("lego-global-2 and elsewhere"), std::string::npos)
        << e.what();
  }
}

TEST(Table, ModelOptionsThatTrainDifferentlyPairWithTheDefault) {
  // The per-candidate coefficients (and the logits' scale) train the same architecture: its runs
  // share the model column and pair by seed with the default's, named in the loss column.
  auto run = [](const std::string& loss, const std::string& coefficients, double f1,
                uint64_t seed) {
    nlohmann::json m = metrics("lego", f1, 10, seed);
    ModelSpec s = ModelSpec::from_json(m["model_spec"]);
    s.coefficients = coefficients;
    m["model_spec"] = s.to_json();
    m["model_label"] = s.label();
    m["loss"] = loss;
    m["run_dir"] = loss + coefficients + std::to_string(seed);
    return m;
  };
  const std::vector<nlohmann::json> runs{
      run("global", "per-selection", 0.95, 1), run("global", "per-selection", 0.96, 2),
      run("global", "per-candidate", 0.97, 1), run("global", "per-candidate", 0.95, 2),
      run("local", "per-candidate", 0.90, 1)};
  const std::vector<TableRow> rows = build_table(runs);
  ASSERT_EQ(rows.size(), 3u);
  for (const TableRow& r : rows) EXPECT_EQ(r.model, "lego(o=2,m=0.5)");
  std::map<std::string, PairedRow> by_label;
  for (const PairedRow& p : build_paired(runs)) by_label[p.loss + " vs " + p.reference] = p;
  ASSERT_EQ(by_label.size(), 2u);
  // +0.02 and -0.01 against the per-selection runs of the same seed.
  const PairedRow& candidate = by_label.at("global coefficients=per-candidate vs global");
  EXPECT_EQ(candidate.pairs, 2);
  EXPECT_NEAR(candidate.diff_mean, 0.005, 1e-12);
  EXPECT_EQ(candidate.wins, 1);
  // A local per-candidate run pairs with the global run of the same coefficients: 0.90 - 0.97.
  const PairedRow& local =
      by_label.at("local coefficients=per-candidate vs global coefficients=per-candidate");
  EXPECT_NEAR(local.diff_mean, -0.07, 1e-12);
}

// A history of epochs 1, 2, ... with these (test weighted F1, seconds); training accuracy is the
// F1 + 0.01.
History history_of(const std::vector<std::pair<double, double>>& f1_seconds) {
  History h;
  for (const auto& [f1, seconds] : f1_seconds) {
    EpochRecord r;
    r.epoch = static_cast<int>(h.size()) + 1;
    r.test_weighted_f1 = f1;
    r.train_accuracy = f1 + 0.01;
    r.seconds = seconds;
    h.push_back(r);
  }
  return h;
}

TEST(Table, AtAnEpochFromHistoryByHand) {
  test::ScratchDir dir;
  auto write_run = [&](const std::string& name, nlohmann::json m, const History& h) {
    m["epochs"] = static_cast<int>(h.size());
    m["options"]["schedule"] = "step";      // epoch N of a step-schedule run is an N-epoch run
    m["options"]["mask_freeze_epoch"] = 0;  // when its selection never freezes
    test::write_text(dir.path() / name / "metrics.json", m.dump());
    write_history(dir.path() / name, h);
  };
  write_run("a", metrics("lego", 0.99, 0, 1), history_of({{0.80, 10}, {0.90, 12}, {0.91, 14}}));
  write_run("b", metrics("lego", 0.99, 0, 2), history_of({{0.70, 20}, {0.86, 22}, {0.97, 24}}));
  write_run("c", metrics("lego", 0.99, 0, 3), history_of({{0.50, 30}}));  // stopped before 2
  const std::vector<TableRow> rows =
      build_table(metrics_at_epoch(collect_metrics({dir.path()}), 2));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].epochs, 2);
  EXPECT_EQ(rows[0].runs, 2);
  // F1 at epoch 2: 0.90 and 0.86, mean 0.88, sample std sqrt(2 * 0.02^2) = 0.028284.
  EXPECT_NEAR(rows[0].f1_mean, 0.88, 1e-12);
  EXPECT_NEAR(rows[0].f1_std, std::sqrt(8e-4), 1e-12);
  // Seconds up to epoch 2: 22 and 42, mean 32; per epoch 16.
  EXPECT_NEAR(rows[0].train_seconds, 32.0, 1e-12);
  EXPECT_NEAR(rows[0].seconds_per_epoch, 16.0, 1e-12);

  // Not so for a cosine run: its learning rates depend on its length.
  write_run("cos", metrics("lego", 0.99, 0, 4), history_of({{0.80, 10}, {0.90, 12}, {0.91, 14}}));
  nlohmann::json cosine = metrics("lego", 0.99, 0, 4);
  cosine["epochs"] = 3;
  test::write_text(dir.path() / "cos" / "metrics.json", cosine.dump());
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              metrics_at_epoch(collect_metrics({dir.path() / "cos"}), 2);
            }).find("is not an N-epoch run (tied to its length by the cosine schedule"),
            std::string::npos);
  std::filesystem::remove_all(dir.path() / "cos");

  // Mean of the last 2 epochs up to each run's end: (0.90 + 0.91) / 2 and (0.86 + 0.97) / 2; run c
  // (1 epoch) cannot average 2.
  const std::vector<TableRow> windowed =
      build_table(metrics_at_epoch(collect_metrics({dir.path() / "a", dir.path() / "b"}), 0, 2));
  ASSERT_EQ(windowed.size(), 1u);
  EXPECT_EQ(windowed[0].epochs, 3);
  EXPECT_EQ(windowed[0].f1_window, 2);
  EXPECT_NEAR(windowed[0].f1_mean, (0.905 + 0.915) / 2, 1e-12);
  EXPECT_NE(table_markdown(windowed).find("| 3 (F1: mean of last 2) |"), std::string::npos);
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              metrics_at_epoch(collect_metrics({dir.path() / "c"}), 0, 2);
            }).find("cannot average 2 epochs up to epoch 1"),
            std::string::npos);

  // Each run gets that epoch's training accuracy.
  EXPECT_NEAR(metrics_at_epoch(collect_metrics({dir.path() / "a"}), 2).at(0)["train_accuracy"],
              0.91, 1e-12);

  write_run("d", metrics("lego", 0.99, 0, 4), history_of({{0.80, 10}, {0.90, 12}}));
  test::write_text(dir.path() / "d" / "history.csv",
                   history_csv(history_of({{0.80, 10}})) + "2,0.4,0.9,0.9,oops,12,0.001\n");
  const std::string error = test::message_of<std::runtime_error>(
      [&] { metrics_at_epoch(collect_metrics({dir.path()}), 2); });
  EXPECT_NE(error.find("d/history.csv:3: malformed row"), std::string::npos) << error;
  EXPECT_NEAR(metrics_at_epoch(collect_metrics({dir.path() / "c"}), 1).at(0)["weighted_f1"], 0.50,
              1e-12);
  nlohmann::json greedy = metrics("lego", 0.9, 0, 5);
  greedy["loss"] = "greedy";
  greedy["options"]["schedule"] = "step";  // its phases alone tie it to its length
  greedy["options"]["mask_freeze_epoch"] = 0;
  greedy["options"]["greedy"] = true;
  greedy["options"]["loss"] = "local";
  test::write_text(dir.path() / "g" / "metrics.json", greedy.dump());
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              metrics_at_epoch(collect_metrics({dir.path() / "g"}), 1);
            }).find("tied to its length by greedy training's phases"),
            std::string::npos);
}

TEST(Table, PairedWithAFullLabelByHand) {
  // Learned (mask frozen after epoch 15) against frozen random assignments, seed by seed.
  std::vector<nlohmann::json> runs;
  for (const auto& [freeze, f1, seed] : std::vector<std::tuple<bool, double, int>>{
           {true, 0.95, 1}, {true, 0.96, 2}, {false, 0.94, 1}, {false, 0.97, 2}}) {
    nlohmann::json m = metrics("lego", f1, 10, seed);
    m["loss"] = "global";
    if (freeze)
      m["options"]["freeze_mask"] = true;
    else
      m["options"]["mask_freeze_epoch"] = 15;
    runs.push_back(m);
  }
  const std::vector<PairedRow> rows = build_paired(runs, "global frozen mask");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].loss, "global mask_freeze_epoch=15");
  EXPECT_EQ(rows[0].reference, "global frozen mask");
  EXPECT_EQ(rows[0].pairs, 2);
  EXPECT_NEAR(rows[0].diff_mean, 0.0, 1e-12);  // -0.01 and +0.01
  EXPECT_EQ(rows[0].wins, 1);
}

TEST(Table, SelectedEpochByHand) {
  test::ScratchDir dir;
  nlohmann::json a = metrics("lego", 0.80, 10, 1), b = metrics("lego", 0.82, 10, 2);
  a["selected"] = {{"epoch", 4}, {"weighted_f1", 0.90}};
  b["selected"] = {{"epoch", 5}, {"weighted_f1", 0.94}};
  test::write_text(dir.path() / "a" / "metrics.json", a.dump());
  test::write_text(dir.path() / "b" / "metrics.json", b.dump());
  const std::vector<TableRow> rows = build_table(metrics_selected(collect_metrics({dir.path()})));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NEAR(rows[0].f1_mean, 0.92, 1e-12);  // the chosen epochs' F1, not the final 0.80, 0.82
  EXPECT_EQ(rows[0].val_f1_mean, -1);         // no final validation F1 recorded in these records
  a["val_weighted_f1"] = 0.91;
  b["val_weighted_f1"] = 0.95;
  const std::vector<TableRow> with_val = build_table({a, b});
  EXPECT_NEAR(with_val[0].val_f1_mean, 0.93, 1e-12);
  EXPECT_NE(table_markdown(with_val).find("| 81.00 ± 1.41 | 93.00 |"), std::string::npos)
      << table_markdown(with_val);
  EXPECT_EQ(rows[0].f1_window, 0);
  EXPECT_NE(table_markdown(rows).find("| 5 (F1: validation-selected epoch) |"), std::string::npos)
      << table_markdown(rows);
  test::write_text(dir.path() / "c" / "metrics.json", metrics("lego", 0.8, 10, 3).dump());
  EXPECT_NE(test::message_of<std::runtime_error>([&] {
              metrics_selected(collect_metrics({dir.path()}));
            }).find("c/metrics.json: no epoch chosen on validation data"),
            std::string::npos);
}

}  // namespace
}  // namespace legohar
