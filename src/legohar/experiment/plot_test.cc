// Tests of plot.h: from two small run folders, gnuplot writes the curve figures and a heat map per
// finished run as real PNG files; a folder without runs is an error.
#include "legohar/experiment/plot.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace legohar {
namespace {

bool is_png(const std::filesystem::path& f) {
  std::ifstream in(f, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  return in && std::string(magic + 1, 3) == "PNG" && std::filesystem::file_size(f) > 1000;
}

TEST(Plot, CurvesAndConfusionHeatMaps) {
  if (std::system("gnuplot --version >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "gnuplot not installed";
  test::ScratchDir dir;
  const std::string history =
      "epoch,loss,train_accuracy,test_accuracy,test_weighted_f1,seconds,lr,mask_changed_fraction\n"
      "1,0.9,0.6,0.7,0.69,1.0,0.001,0.1\n2,0.5,0.8,0.85,0.84,1.0,0.001,0.2\n";
  for (const char* run : {"a-seed1", "b-seed1"})
    test::write_text(dir.path() / run / "history.csv", history);
  test::write_text(
      dir.path() / "a-seed1" / "metrics.json",
      R"({"confusion": [[5, 1], [2, 7]], "per_class": [{"class": "WALK"}, {"class": "SIT"}]})");
  const auto files = plot_experiment(dir.path(), dir.path() / "plots");
  ASSERT_EQ(files.size(), 3u);  // test error, loss, one heat map (b has no metrics.json yet)
  for (const auto& f : files) EXPECT_TRUE(is_png(f)) << f;
  EXPECT_EQ(files[2].filename(), "confusion-a-seed1.png");
  test::ScratchDir empty;
  EXPECT_THROW(plot_experiment(empty.path(), empty.path() / "plots"), std::runtime_error);
}

}  // namespace
}  // namespace legohar
