// Tests of table.h: the mean, standard deviation, compression and speed-up of a configuration
// against a hand computation from given metrics files.
#include "legohar/experiment/table.h"

#include <gtest/gtest.h>

#include "legohar/eval/profile.h"
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
          {"options", {{"freeze_mask", false}}}};
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

}  // namespace
}  // namespace legohar
