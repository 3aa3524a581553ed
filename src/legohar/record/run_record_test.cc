// Tests of run_record.h: history.csv written and read back against hand-written text, its
// optional columns (validation, a model's diagnostics) present only where a run has them, errors
// naming the file and line, the epoch model selection picks, and the keys training adds to
// metrics.json, worked by hand.
#include "legohar/record/run_record.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace legohar {
namespace {

EpochRecord record(int epoch, double f1) {
  EpochRecord r;
  r.epoch = epoch;
  r.loss = 1.0 / epoch;
  r.train_accuracy = 0.5 + 0.1 * epoch;
  r.test_accuracy = f1 + 0.01;
  r.test_weighted_f1 = f1;
  r.seconds = 10 + epoch;
  r.lr = 0.002;
  return r;
}

TEST(RunRecord, HistoryWithoutValidationOrDiagnosticsHasOnlyTheFixedColumns) {
  const std::string csv = history_csv({record(1, 0.8), record(2, 0.9)});
  EXPECT_EQ(csv,
            "epoch,loss,train_accuracy,test_accuracy,test_weighted_f1,seconds,lr\n"
            "1,1.000000,0.600000,0.810000,0.800000,11.000,0.002\n"
            "2,0.500000,0.700000,0.910000,0.900000,12.000,0.002\n");
  EXPECT_EQ(history_column("epoch"), 1);
  EXPECT_EQ(history_column("test_accuracy"), 4);
  EXPECT_EQ(history_column("lr"), 7);
  EXPECT_THROW(history_column("mask_changed_fraction"), std::invalid_argument);
}

TEST(RunRecord, OptionalColumnsByHandAndReadBack) {
  History h{record(1, 0.8), record(2, 0.9), record(3, 0.85)};
  for (EpochRecord& r : h) {
    r.val_loss = 0.1 * r.epoch;
    r.val_weighted_f1 = 0.7 + 0.01 * r.epoch;
  }
  h[1].diagnostics = {{"mask_changed_fraction", 0.25}, {"mask_changed_in_epoch", 0.125}};
  h[2].diagnostics = {{"mask_changed_in_epoch", 0.0}};
  const std::string csv = history_csv(h);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "epoch,loss,train_accuracy,test_accuracy,test_weighted_f1,seconds,lr,val_loss,"
            "val_weighted_f1,mask_changed_fraction,mask_changed_in_epoch");
  // Blank cells where a row lacks a diagnostic.
  EXPECT_NE(csv.find("\n1,1.000000,0.600000,0.810000,0.800000,11.000,0.002,0.100000,0.710000,,\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",0.300000,0.730000,,0.000000\n"), std::string::npos) << csv;

  test::ScratchDir dir;
  write_history(dir.path(), h);
  const History back = read_history(dir.path());
  ASSERT_EQ(back.size(), 3u);
  for (size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(back[i].epoch, h[i].epoch);
    EXPECT_NEAR(back[i].loss, h[i].loss, 1e-6);
    EXPECT_NEAR(back[i].train_accuracy, h[i].train_accuracy, 1e-6);
    EXPECT_NEAR(back[i].test_weighted_f1, h[i].test_weighted_f1, 1e-6);
    EXPECT_NEAR(*back[i].val_weighted_f1, *h[i].val_weighted_f1, 1e-6);
    EXPECT_EQ(back[i].diagnostics.size(), h[i].diagnostics.size());
  }
  EXPECT_EQ(back[0].diagnostic("mask_changed_fraction"), std::nullopt);
  EXPECT_NEAR(*back[1].diagnostic("mask_changed_in_epoch"), 0.125, 1e-12);
}

TEST(RunRecord, EpochRecordJsonIsFlatAndRoundTrips) {
  EpochRecord r = record(4, 0.93);
  r.diagnostics = {{"mask_changed_in_epoch", 0.01}};
  const nlohmann::json j = r.to_json();
  EXPECT_EQ(j.at("mask_changed_in_epoch").get<double>(), 0.01);  // a key beside the fixed ones
  EXPECT_FALSE(j.contains("val_loss"));
  const EpochRecord back = EpochRecord::from_json(j);
  EXPECT_EQ(back.to_json(), j);
  EXPECT_EQ(history_to_json(history_from_json(nlohmann::json::array({j, j}))),
            nlohmann::json::array({j, j}));
  EXPECT_FALSE(back.val_weighted_f1.has_value());
  nlohmann::json bad = j;
  bad["note"] = "text";
  EXPECT_NE(test::message_of<std::exception>([&] {
              EpochRecord::from_json(bad);
            }).find("'note' is not a number"),
            std::string::npos);
}

TEST(RunRecord, MalformedHistoriesNameFileAndLine) {
  test::ScratchDir dir;
  const std::string header =
      "epoch,loss,train_accuracy,test_accuracy,test_weighted_f1,seconds,lr\n";
  const std::string row1 = "1,0.5,0.8,0.8,0.79,10,0.001\n";
  auto read_error = [&](const std::string& text) {
    test::write_text(dir.path() / "history.csv", text);
    return test::message_of<std::exception>([&] { read_history(dir.path()); });
  };
  EXPECT_NE(read_error("epoch,loss,test_weighted_f1,seconds\n1,0.5,0.8,10\n")
                .find("history.csv:1: no column 'train_accuracy'"),
            std::string::npos);
  EXPECT_NE(read_error(header + row1 + "2,0.4,0.9,0.9,oops,10,0.001\n")
                .find("history.csv:3: malformed row '2,0.4,0.9,0.9,oops,10,0.001': "
                      "test_weighted_f1 is not a number"),
            std::string::npos);
  EXPECT_NE(read_error(header + row1 + "2,0.4,0.9\n").find("history.csv:3: malformed row"),
            std::string::npos);
  EXPECT_NE(read_error(header + row1 + "3,0.4,0.9,0.9,0.9,10,0.001\n")
                .find("history.csv:3: epoch 3 out of order"),
            std::string::npos);
  EXPECT_NE(read_error(header + ",0.4,0.9,0.9,0.9,10,0.001\n").find("history.csv:2: malformed row"),
            std::string::npos);
  EXPECT_NE(read_error("").find("history.csv:1: empty file"), std::string::npos);
}

TEST(RunRecord, SelectedEpochByHand) {
  History h{record(1, 0.8), record(2, 0.9), record(3, 0.85), record(4, 0.7)};
  EXPECT_EQ(selected_epoch(h), 0);  // nothing validated
  const double val[] = {0.80, 0.92, 0.92, 0.90};
  for (size_t i = 0; i < h.size(); ++i) h[i].val_weighted_f1 = val[i];
  EXPECT_EQ(selected_epoch(h), 3);  // the tie goes to the later epoch, whatever the test F1
}

TEST(RunRecord, TrainingKeysByHand) {
  History h{record(1, 0.8), record(2, 0.9), record(3, 0.85)};  // 11 + 12 + 13 seconds
  const double val[] = {0.70, 0.75, 0.72};
  for (size_t i = 0; i < h.size(); ++i) {
    h[i].val_weighted_f1 = val[i];
    h[i].val_loss = 0.5 - 0.1 * static_cast<double>(i);
  }
  h.back().diagnostics = {{"mask_changed_in_epoch", 0.0}};
  TrainingOutcome t;
  t.loss = "local";
  t.device = "cpu";
  t.threads = 2;
  t.peak_rss_mb = 900;
  t.peak_rss_is_run = false;
  t.rss_at_start_mb = 300;
  t.activation_bytes_per_step = 12345;
  t.selected = compute_metrics({{3, 1}, {0, 4}});  // 7 of 8 right
  t.local_head_weighted_f1 = {0.6, 0.7};
  nlohmann::json m = {{"epochs", 3}, {"weighted_f1", 0.85}};
  add_training_record(m, t, h, {"walk", "sit"});
  EXPECT_EQ(m["reported_epoch"], 3);
  EXPECT_EQ(m["loss"], "local");
  EXPECT_EQ(m["peak_rss_scope"], "process");
  EXPECT_EQ(m["activation_bytes_per_step"], 12345);
  EXPECT_NEAR(m["train_seconds"].get<double>(), 36.0, 1e-12);
  EXPECT_NEAR(m["seconds_per_epoch"].get<double>(), 12.0, 1e-12);
  EXPECT_NEAR(m["train_accuracy"].get<double>(), 0.8, 1e-12);  // the final epoch's: 0.5 + 0.3
  EXPECT_EQ(m["mask_changed_in_epoch"], 0.0);
  EXPECT_NEAR(m["val_weighted_f1"].get<double>(), 0.72, 1e-12);  // the final epoch's
  // Epoch 2 has the best validation F1: its figures, and the selected weights' test metrics.
  EXPECT_EQ(m["selected"]["epoch"], 2);
  EXPECT_NEAR(m["selected"]["val_weighted_f1"].get<double>(), 0.75, 1e-12);
  EXPECT_NEAR(m["selected"]["val_loss"].get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(m["selected"]["accuracy"].get<double>(), 7.0 / 8, 1e-12);
  EXPECT_EQ(m["selected"]["checkpoint"], "best.pt");
  EXPECT_EQ(m["local_head_weighted_f1"], nlohmann::json({0.6, 0.7}));
  EXPECT_NEAR(m["weighted_f1"].get<double>(), 0.85, 1e-12);  // the evaluation's keys stay

  // Without a validation split or local heads, none of their keys.
  nlohmann::json plain = {{"epochs", 1}};
  add_training_record(plain, TrainingOutcome{}, {record(1, 0.8)}, {});
  EXPECT_FALSE(plain.contains("selected"));
  EXPECT_FALSE(plain.contains("val_weighted_f1"));
  EXPECT_FALSE(plain.contains("local_head_weighted_f1"));
  EXPECT_EQ(plain["peak_rss_scope"], "run");
}

TEST(RunRecord, MetricsFilesAreCollectedWithTheirFolders) {
  test::ScratchDir dir;
  EXPECT_FALSE(has_metrics(dir.path() / "b"));
  write_metrics(dir.path() / "b", {{"weighted_f1", 0.9}});
  test::write_text(dir.path() / "a" / "nested" / "metrics.json", R"({"weighted_f1": 0.8})");
  EXPECT_TRUE(has_metrics(dir.path() / "b"));
  const std::vector<nlohmann::json> runs = collect_metrics({dir.path()});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["run_dir"], (dir.path() / "a" / "nested").string());
  EXPECT_EQ(runs[1]["weighted_f1"], 0.9);
  test::write_text(dir.path() / "c" / "metrics.json", "{\"weighted_f1\": ");
  EXPECT_NE(test::message_of<std::exception>([&] {
              collect_metrics({dir.path()});
            }).find("c/metrics.json: not valid JSON"),
            std::string::npos);
  EXPECT_NE(test::message_of<std::exception>([&] {
              collect_metrics({dir.path() / "none"});
            }).find("not a directory"),
            std::string::npos);
}

}  // namespace
}  // namespace legohar
