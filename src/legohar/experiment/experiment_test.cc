// Tests of experiment.h: a grid file expands into runs per seed with the right options, and an
// experiment interrupted after its first run finishes only the rest when started again.
#include "legohar/experiment/experiment.h"

#include <gtest/gtest.h>

#include <map>

#include "legohar/common/atomic_file.h"
#include "legohar/data/text_file.h"
#include "test_support.h"

namespace legohar {
namespace {

const char* kGrid = R"(
name = "small"
dataset = "uci-har"
epochs = 3
seeds = [1, 2]
loss = "local"
lr = 0.001

[[run]]
model = "baseline"

[[run]]
model = "lego"
o = 4
m = 0.25
loss = "global"
)";

TEST(Experiment, ExpandsRunsAndSeeds) {
  test::ScratchDir dir;
  test::write_text(dir.path() / "grid.toml", kGrid);
  const Experiment ex = load_experiment(dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs");
  ASSERT_EQ(ex.runs.size(), 4u);
  EXPECT_EQ(ex.runs[0].name, "baseline-local-seed1");
  EXPECT_EQ(ex.runs[1].name, "baseline-local-seed2");
  EXPECT_EQ(ex.runs[3].name, "lego-o4-m0.25-global-seed2");
  EXPECT_EQ(ex.runs[0].train.epochs, 3);
  EXPECT_DOUBLE_EQ(ex.runs[2].train.lr, 0.001);
  EXPECT_EQ(ex.runs[2].model.o, 4);
  EXPECT_EQ(ex.runs[0].train.batch_size, 200);              // from the dataset config's [train]
  EXPECT_EQ(ex.runs[2].train.batch_size, 100);              // its [train.lego]
  EXPECT_DOUBLE_EQ(ex.runs[0].train.label_smoothing, 0.1);  // its [train.baseline]
  EXPECT_DOUBLE_EQ(ex.runs[2].train.label_smoothing, 0.0);
  EXPECT_EQ(ex.runs[0].train.schedule, "cosine");  // legohar's default
  const Experiment paper = load_experiment(
      dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs",
      {500, std::vector<uint64_t>{1, 2, 3, 4, 5}, {"schedule=step", "lr_gamma=0.5"}, {}});
  EXPECT_EQ(paper.runs.size(), 10u);
  EXPECT_EQ(paper.runs.back().train.epochs, 500);
  EXPECT_EQ(paper.runs.back().train.schedule, "step");
  EXPECT_DOUBLE_EQ(paper.runs.back().train.lr_gamma, 0.5);
  // A model option reaches the runs whose family has it, and shows in their folder names.
  const Experiment uniform =
      load_experiment(dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs",
                      {std::nullopt, std::nullopt, {"lego_init=uniform"}, {}});
  EXPECT_EQ(uniform.runs[3].model.lego_init, "uniform");
  EXPECT_EQ(uniform.runs[3].name, "lego-o4-m0.25-lego_init-uniform-global-seed2");
  EXPECT_EQ(uniform.runs[0].name, "baseline-local-seed1");
  // The family is the [[run]]'s (its training defaults follow from it).
  for (const std::string bad :
       {"nonsense=1", "schedule", "epochs=two", "lego_init=xavier", "model=resnet"}) {
    ExperimentOverrides o;
    o.set = {bad};
    EXPECT_THROW(load_experiment(dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs", o), Error)
        << bad;
  }
}

TEST(Experiment, OptionValueOfTheWrongKindNamesFileAndLine) {
  test::ScratchDir dir;
  test::write_text(dir.path() / "bad.toml",
                   "dataset = \"uci-har\"\n[[run]]\nmodel = \"lego\"\nepochs = \"ten\"\n");
  EXPECT_EQ(test::error_of(
                [&] { load_experiment(dir.path() / "bad.toml", LEGOHAR_SOURCE_DIR "/configs"); }),
            (dir.path() / "bad.toml").string() + ":4: [[run]] 'epochs' must be a whole number");
}

TEST(Experiment, UnknownKeyNamesFileAndLine) {
  test::ScratchDir dir;
  test::write_text(dir.path() / "bad.toml",
                   "dataset = \"uci-har\"\n[[run]]\nmodel = \"lego\"\nbatchsize = 3\n");
  EXPECT_EQ(test::error_of(
                [&] { load_experiment(dir.path() / "bad.toml", LEGOHAR_SOURCE_DIR "/configs"); }),
            (dir.path() / "bad.toml").string() +
                ":4: [[run]] unknown key 'batchsize' (did you mean 'batch_size'?)");
  // Model options come from their own table, with the same range checks as training options.
  test::write_text(dir.path() / "bad.toml",
                   "dataset = \"uci-har\"\n[[run]]\nmodel = \"resnet\"\nblocks = 9\n");
  EXPECT_EQ(test::error_of(
                [&] { load_experiment(dir.path() / "bad.toml", LEGOHAR_SOURCE_DIR "/configs"); }),
            (dir.path() / "bad.toml").string() + ":4: [[run]] blocks = 9: must be in [2, 5]");
}

// o or m on a ResNet turns its Lego convolutions on, whichever table holds the key; runs are named
// after their labels.
TEST(Experiment, LegoOptionsOnAResNetAndRunNames) {
  test::ScratchDir dir;
  test::write_text(dir.path() / "r.toml",
                   "dataset = \"uci-har\"\nm = 0.25\n[[run]]\nmodel = \"resnet\"\n"
                   "[[run]]\nmodel = \"lego\"\no = 4\n[[run]]\nmodel = \"baseline\"\n"
                   "[[run]]\nmodel = \"lego\"\ncoefficients = \"per-candidate\"\n"
                   "[[run]]\nmodel = \"resnet\"\no = 2\n");
  for (const std::vector<std::string>& set :
       {std::vector<std::string>{}, std::vector<std::string>{"lego_init=uniform"}}) {
    const Experiment ex = load_experiment(dir.path() / "r.toml", LEGOHAR_SOURCE_DIR "/configs",
                                          {std::nullopt, std::nullopt, set, {}});
    ASSERT_EQ(ex.runs.size(), 5u);
    const std::string init = set.empty() ? "" : "-lego_init-uniform";
    // A file-wide or --set Lego option leaves a plain ResNet plain; the [[run]]'s own turns its
    // Lego convolutions on.
    EXPECT_FALSE(ex.runs[0].model.lego);
    EXPECT_EQ(ex.runs[0].name, "resnet-global-seed1");
    EXPECT_EQ(ex.runs[1].name, "lego-o4-m0.25" + init + "-global-seed1");
    EXPECT_EQ(ex.runs[2].name, "baseline-global-seed1");
    EXPECT_EQ(ex.runs[3].name, "lego-o2-m0.25-coefficients-per-candidate" + init + "-global-seed1");
    EXPECT_TRUE(ex.runs[4].model.lego);
    EXPECT_EQ(ex.runs[4].name, "resnet-o2-m0.25" + init + "-global-seed1");
  }
}

TEST(Experiment, NamedRunsAndFolderClashes) {
  test::ScratchDir dir;
  const std::string grid =
      "dataset = \"uci-har\"\nloss = \"local\"\n[[run]]\nmodel = \"lego\"\n"
      "[[run]]\nmodel = \"lego\"\ndropout = 0.1\n";
  test::write_text(dir.path() / "clash.toml", grid);
  EXPECT_EQ(test::error_of(
                [&] { load_experiment(dir.path() / "clash.toml", LEGOHAR_SOURCE_DIR "/configs"); }),
            (dir.path() / "clash.toml").string() +
                ":5: [[run]] writes to 'lego-o2-m0.5-local-seed1' like an earlier run: give the "
                "runs different 'name's");
  test::write_text(dir.path() / "named.toml", grid + "name = \"dropout0.1\"\n");
  const Experiment ex = load_experiment(dir.path() / "named.toml", LEGOHAR_SOURCE_DIR "/configs");
  ASSERT_EQ(ex.runs.size(), 2u);
  EXPECT_EQ(ex.runs[1].name, "dropout0.1-seed1");
  EXPECT_DOUBLE_EQ(ex.runs[1].train.dropout, 0.1);

  // --only picks [[run]]s by name, every seed of each; an unknown name lists the names.
  ExperimentOverrides only;
  only.only = {"dropout0.1"};
  only.seeds = std::vector<uint64_t>{1, 2};
  const Experiment picked =
      load_experiment(dir.path() / "named.toml", LEGOHAR_SOURCE_DIR "/configs", only);
  ASSERT_EQ(picked.runs.size(), 2u);
  EXPECT_EQ(picked.runs[0].name, "dropout0.1-seed1");
  EXPECT_EQ(picked.runs[1].name, "dropout0.1-seed2");
  only.only = {"dropout"};
  EXPECT_EQ(test::error_of([&] {
              load_experiment(dir.path() / "named.toml", LEGOHAR_SOURCE_DIR "/configs", only);
            }),
            (dir.path() / "named.toml").string() +
                ": no [[run]] named 'dropout' (its runs: lego-o2-m0.5-local, dropout0.1)");
}

TEST(Experiment, ShippedFilesLoad) {
  // (configurations x 3 seeds) per shipped file.
  const std::map<std::string, size_t> expected{{"uci-har-table3.toml", 5 * 3},
                                               {"uci-har-table7.toml", 5 * 3},
                                               {"uci-har-local-ablation.toml", 7 * 3},
                                               {"uci-har-lego-assignment.toml", 4 * 3},
                                               {"uci-har-recipe-sweep.toml", 9 * 2},
                                               {"uci-har-local-recipe.toml", 5 * 1},
                                               {"uci-har-local-vs-global.toml", 2 * 3},
                                               {"uci-har-resnet.toml", 8 * 3},
                                               {"uci-har-bilstm.toml", 5 * 3},
                                               {"hapt-loso.toml", 10 * 1},
                                               {"uci-har-lego-coefficients.toml", 2 * 3},
                                               {"uci-har-lego-init.toml", 4 * 3},
                                               {"uci-har-recipe-regularisation.toml", 8 * 2}};
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(LEGOHAR_SOURCE_DIR "/experiments")) {
    const Experiment ex = load_experiment(e.path(), LEGOHAR_SOURCE_DIR "/configs");
    ASSERT_TRUE(expected.count(e.path().filename().string())) << "untested: " << e.path();
    EXPECT_EQ(ex.runs.size(), expected.at(e.path().filename().string())) << e.path();
    ++files;
    // The dataset the file's name starts with.
    const std::string dataset = e.path().stem().string().rfind("hapt", 0) == 0 ? "hapt" : "uci-har";
    for (const PlannedRun& run : ex.runs) EXPECT_EQ(run.dataset, dataset) << e.path();
  }
  EXPECT_EQ(files, expected.size());
}

// What a finished run's metrics.json records of its settings.
std::string finished_metrics(const PlannedRun& run) {
  return nlohmann::json{{"options", run.train.to_json()}, {"model_spec", run.model.to_json()}}
      .dump();
}

TEST(Experiment, InterruptedGridFinishesTheRestOnly) {
  test::ScratchDir dir;
  test::write_text(dir.path() / "grid.toml", kGrid);
  const Experiment ex = load_experiment(dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs");
  std::vector<std::string> trained;
  bool interrupt = true;
  auto train = [&](const PlannedRun& run, const std::filesystem::path& out) {
    trained.push_back(run.name);
    if (interrupt && trained.size() == 2) throw std::runtime_error("interrupted");  // dies midway
    write_file_atomically(out / "metrics.json", finished_metrics(run));
  };
  auto quiet = [](const std::string&) {};
  EXPECT_THROW(run_experiment(ex, dir.path() / "out", train, quiet), std::runtime_error);
  EXPECT_EQ(trained, (std::vector<std::string>{"baseline-local-seed1", "baseline-local-seed2"}));
  trained.clear();
  interrupt = false;
  const auto dirs = run_experiment(ex, dir.path() / "out", train, quiet);
  EXPECT_EQ(trained, (std::vector<std::string>{"baseline-local-seed2", "lego-o4-m0.25-global-seed1",
                                               "lego-o4-m0.25-global-seed2"}));
  EXPECT_EQ(dirs.size(), 4u);
}

// Each run keeps the dataset configuration read when the experiment was loaded, so that editing
// the file while earlier runs train changes nothing of the later ones.
TEST(Experiment, RunsKeepTheConfigurationReadAtTheStart) {
  test::ScratchDir dir;
  std::string grid = kGrid;
  const std::string line = "dataset = \"uci-har\"";
  grid.replace(grid.find(line), line.size(),
               "dataset = \"" + (dir.path() / "mine.toml").string() + "\"");
  test::write_text(dir.path() / "grid.toml", grid);
  std::filesystem::copy_file(LEGOHAR_SOURCE_DIR "/configs/datasets/uci-har.toml",
                             dir.path() / "mine.toml");
  const Experiment ex = load_experiment(dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs");
  test::write_text(dir.path() / "mine.toml", "broken = [");  // edited after the start
  ASSERT_EQ(ex.runs.size(), 4u);
  for (const PlannedRun& run : ex.runs) {
    EXPECT_EQ(run.config.data.name, "uci-har");
    EXPECT_EQ(run.config.data.windows.length, 128);
  }
}

// A finished run kept from a grid (or a default) that has changed since is not reported as the
// planned one: the runner names each such run and setting, and trains nothing.
TEST(Experiment, FinishedRunsWithOtherSettingsAreRefused) {
  test::ScratchDir dir;
  test::write_text(dir.path() / "grid.toml", kGrid);
  const Experiment ex = load_experiment(dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs");
  std::vector<std::string> trained;
  auto train = [&](const PlannedRun& run, const std::filesystem::path& out) {
    trained.push_back(run.name);
    write_file_atomically(out / "metrics.json", finished_metrics(run));
  };
  auto quiet = [](const std::string&) {};
  run_experiment(ex, dir.path() / "out", train, quiet);
  trained.clear();
  EXPECT_EQ(run_experiment(ex, dir.path() / "out", train, quiet).size(), 4u);
  EXPECT_TRUE(trained.empty());  // the same settings: every run skipped

  std::string changed = kGrid;
  changed.replace(changed.find("lr = 0.001"), 10, "lr = 0.002");
  changed.replace(changed.find("m = 0.25"), 8, "m = 0.5");
  test::write_text(dir.path() / "grid.toml", changed);
  const Experiment now = load_experiment(dir.path() / "grid.toml", LEGOHAR_SOURCE_DIR "/configs");
  const std::string error =
      test::error_of([&] { run_experiment(now, dir.path() / "out", train, quiet); });
  EXPECT_TRUE(trained.empty()) << error;
  const auto out = (dir.path() / "out").string();
  EXPECT_NE(error.find("2 finished run(s) in " + out), std::string::npos) << error;
  EXPECT_NE(error.find(out + "/baseline-local-seed1: lr = 0.001 (not 0.002)"), std::string::npos)
      << error;
  EXPECT_NE(error.find(out + "/baseline-local-seed2: lr = 0.001 (not 0.002)"), std::string::npos)
      << error;
  EXPECT_EQ(error.find("lego-o4"), std::string::npos) << error;  // now m0.5: not trained yet

  test::write_text(dir.path() / "out" / "baseline-local-seed1" / "metrics.json", "{}");
  EXPECT_NE(test::error_of([&] {
              run_experiment(ex, dir.path() / "out", train, quiet);
            }).find("records no 'options' or 'model_spec'"),
            std::string::npos);
}

}  // namespace
}  // namespace legohar
