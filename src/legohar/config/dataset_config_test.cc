// Tests of dataset_config.h: the shipped configs parse into the reference's values; a broken file
// is reported with its name and line.
#include "legohar/config/dataset_config.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <tuple>
#include <vector>

#include "legohar/data/text_file.h"
#include "test_support.h"

namespace legohar {
namespace {

TEST(DatasetConfig, ShippedUciHarConfig) {
  const DatasetConfig c = load_dataset_config("uci-har", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(c.data.source, "hapt-raw");
  EXPECT_EQ(c.data.windows.length, 128);
  EXPECT_EQ(c.data.windows.step, 64);
  EXPECT_EQ(c.data.splits.train_subjects.size(), 21u);
  ASSERT_EQ(c.model.layers.size(), 3u);
  EXPECT_EQ(c.model.layers[2].channels, 384);
  EXPECT_EQ(c.model.classes, 6);
  EXPECT_EQ(c.train.batch_size, 200);
  EXPECT_DOUBLE_EQ(c.train.lr, 2e-3);  // legohar's recipe (see the file's [train] comment)
  EXPECT_EQ(c.train.warmup_epochs, 1);
  EXPECT_EQ(c.train.schedule, "cosine");
  EXPECT_DOUBLE_EQ(c.train.label_smoothing, 0.0);                           // the Lego CNNs' ...
  EXPECT_DOUBLE_EQ(train_options_for(c, "baseline").label_smoothing, 0.1);  // ... the baseline's
  EXPECT_EQ(train_options_for(c, "lego").batch_size, 100);  // the Lego CNNs' own batch size
  EXPECT_EQ(train_options_for(c, "baseline").batch_size, 200);
  EXPECT_EQ(load_all_dataset_configs(LEGOHAR_SOURCE_DIR "/configs").size(), 7u);
}

TEST(DatasetConfig, ErrorsNameFileLineAndKey) {
  test::ScratchDir dir;
  const auto file = dir.path() / "broken.toml";
  test::write_text(file, "name = \"x\"\nsource = [\n");
  try {
    load_dataset_config(file.string(), dir.path());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_EQ(e.file(), file);
    EXPECT_EQ(e.line(), 2u);
    EXPECT_NE(std::string(e.what()).find(file.string() + ":2:"), std::string::npos) << e.what();
  }
  test::write_text(file, "name = \"x\"\nsource = \"hapt-raw\"\n");
  try {
    load_dataset_config(file.string(), dir.path());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_EQ(std::string(e.what()), file.string() + ": 'path' is missing");
  }
  try {  // a name the command line gave
    load_dataset_config("no-such-dataset", LEGOHAR_SOURCE_DIR "/configs");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
  }
}

// The text of tests/fixtures/uci-har-small.toml, a valid dataset file to spoil.
std::string small_fixture() {
  std::ifstream shipped(LEGOHAR_SOURCE_DIR "/tests/fixtures/uci-har-small.toml");
  return {std::istreambuf_iterator<char>(shipped), std::istreambuf_iterator<char>()};
}

// A misspelt or out-of-range training option in a dataset file names the file, the line, the key
// and the nearest valid key or the valid range.
TEST(DatasetConfig, UnknownAndOutOfRangeTrainKeys) {
  test::ScratchDir dir;
  const auto file = dir.path() / "mine.toml";
  const std::string base = small_fixture();
  const auto line_of_train = [&] {
    size_t line = 1;
    for (size_t i = 0; i < base.find("[train]"); ++i) line += base[i] == '\n';
    return line;
  };
  test::write_text(file, base + "lr_flor = 0.1\n");
  const size_t last_line = static_cast<size_t>(std::count(base.begin(), base.end(), '\n')) + 1;
  EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
            fmt::format("{}:{}: unknown key 'train.lr_flor' (did you mean 'train.lr_floor'?)",
                        file.string(), last_line));
  test::write_text(file, base + "alpha = 2.0\n");
  EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
            fmt::format("{}:{}: train.alpha = 2: must be in [0, 1]", file.string(), last_line));
  EXPECT_GT(last_line, line_of_train());  // the fixture ends in its [train] table
}

// A misspelt table or key anywhere in a dataset file is refused with its line and the nearest
// valid name, never ignored (a misspelt [filters] would silently train on unfiltered signals).
TEST(DatasetConfig, UnknownTablesAndKeysEverywhere) {
  test::ScratchDir dir;
  const auto file = dir.path() / "mine.toml";
  const std::string base = small_fixture();
  const auto line_of = [&](const std::string& text, const std::string& what) {
    return 1 + std::count(text.begin(), text.begin() + static_cast<long>(text.find(what)), '\n');
  };
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"[filters]", "[filter]", "unknown key 'filter' (did you mean 'filters'?)"},
      {"step = 64", "stepp = 64", "unknown key 'windows.stepp' (did you mean 'windows.step'?)"},
      {"median_width = 3", "median_widht = 3",
       "unknown key 'filters.median_widht' (did you mean 'filters.median_width'?)"},
      {"default = \"subjects\"", "defualt = \"subjects\"",
       "unknown key 'protocol.defualt' (did you mean 'protocol.default'?)"},
      {"{ channels = 16,", "{ chanels = 16,",
       "unknown key 'model.layers[].chanels' (did you mean 'model.layers[].channels'?)"},
  };
  for (const auto& [from, to, message] : cases) {
    std::string text = base;
    text.replace(text.find(from), from.size(), to);
    test::write_text(file, text);
    EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
              fmt::format("{}:{}: {}", file.string(), line_of(text, to), message));
  }
}

// Keys that only some sources read (variant, windows.label, csv) are refused, naming the key, where
// the source does not read them or the value is not one it knows.
TEST(DatasetConfig, SourceSpecificKeys) {
  test::ScratchDir dir;
  const auto file = dir.path() / "mine.toml";
  std::ifstream shipped(LEGOHAR_SOURCE_DIR "/configs/datasets/opportunity.toml");
  const std::string opportunity{std::istreambuf_iterator<char>(shipped),
                                std::istreambuf_iterator<char>()};
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> cases = {
      {small_fixture(), "[windows]", "variant = \"acc\"\n[windows]",
       "'variant' source 'hapt-raw' has no variants"},
      {small_fixture(), "step = 64", "step = 64\nlabel = \"last\"",
       "'windows.label' applies to continuous recordings only: source 'hapt-raw' windows "
       "segments of one label"},
      {small_fixture(), "[windows]", "[csv]\nfiles = \"*.csv\"\n[windows]",
       "'csv' applies to source 'csv' only, not 'hapt-raw'"},
      {opportunity, "variant = \"gestures\"", "variant = \"arms\"",
       "'variant' 'arms' is not one of gestures, locomotion"},
      {opportunity, "label = \"last\"", "label = \"first\"",
       "'windows.label' window label 'first': use last or majority"},
      {opportunity, "test_recordings = [24, 25, 34, 35]", "",
       "'protocol.test_recordings' is missing or not an array"},
  };
  for (const auto& [base, from, to, message] : cases) {
    std::string text = base;
    ASSERT_NE(text.find(from), std::string::npos) << from;
    text.replace(text.find(from), from.size(), to);
    test::write_text(file, text);
    EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
              fmt::format("{}: {}", file.string(), message));
  }
  std::string locomotion = opportunity;
  locomotion.replace(locomotion.find("\"gestures\""), 10, "\"locomotion\"");
  test::write_text(file, locomotion);
  EXPECT_EQ(load_dataset_config(file.string(), dir.path()).data.variant, "locomotion");
}

// [train.<family>] gives one model family options on this dataset: they apply over [train] and
// the family's own defaults, to that family only; a table naming no family, or an option out of
// range in one, names the file and the line.
TEST(DatasetConfig, PerFamilyTrainTables) {
  test::ScratchDir dir;
  const auto file = dir.path() / "mine.toml";
  const std::string base = small_fixture();
  const size_t lines = static_cast<size_t>(std::count(base.begin(), base.end(), '\n'));
  test::write_text(file, base +
                             "\n[train.baseline]\nlabel_smoothing = 0.1\n\n[train.bilstm]\n"
                             "lr = 5e-4\n");
  const DatasetConfig c = load_dataset_config(file.string(), dir.path());
  EXPECT_DOUBLE_EQ(c.train.label_smoothing, 0.0);  // [train] itself is untouched
  EXPECT_DOUBLE_EQ(train_options_for(c, "baseline").label_smoothing, 0.1);
  EXPECT_EQ(train_options_for(c, "lego").to_json(), c.train.to_json());
  const TrainOptions lstm = train_options_for(c, "bilstm");
  EXPECT_DOUBLE_EQ(lstm.lr, 5e-4);              // the dataset's table over the family's 1e-3
  EXPECT_DOUBLE_EQ(lstm.clip_norm, 15.0);       // the family's default, kept
  EXPECT_DOUBLE_EQ(lstm.label_smoothing, 0.0);  // the baseline's table is not the BiLSTM's
  EXPECT_EQ(lstm.batch_size, with_family_defaults(c.train, "bilstm").batch_size);

  test::write_text(file, base + "\n[train.basline]\nlabel_smoothing = 0.1\n");
  EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
            fmt::format("{}:{}: unknown key 'train.basline' (did you mean 'train.baseline'?)",
                        file.string(), lines + 2));
  test::write_text(file, base + "\n[train.baseline]\nlabel_smoothing = 1.5\n");
  EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
            fmt::format("{}:{}: train.baseline.label_smoothing = 1.5: must be in [0, 1)",
                        file.string(), lines + 3));
  test::write_text(file, base + "\n[train.baseline]\nlabel_smothing = 0.1\n");
  EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
            fmt::format("{}:{}: unknown key 'train.baseline.label_smothing' (did you mean "
                        "'train.baseline.label_smoothing'?)",
                        file.string(), lines + 3));
}

// [model] may give model options (not the family) as the dataset's defaults, with the same range
// checks and misspelling errors as everywhere.
TEST(DatasetConfig, ModelOptionsAsTheDatasetsDefaults) {
  test::ScratchDir dir;
  const auto file = dir.path() / "mine.toml";
  const std::string base = small_fixture();
  const size_t model_line = base.find('\n', base.find("[model]")) + 1;  // the line after [model]
  const size_t line = 1 + std::count(base.begin(), base.begin() + model_line, '\n');
  const auto with = [&](const std::string& key_line) {
    std::string text = base;
    text.insert(model_line, key_line + "\n");
    test::write_text(file, text);
  };
  with("lego_init = \"uniform\"");  // not the default
  EXPECT_EQ(load_dataset_config(file.string(), dir.path()).model.lego_init, "uniform");
  with("lego_int = \"uniform\"");
  EXPECT_EQ(test::error_of([&] { load_dataset_config(file.string(), dir.path()); }),
            fmt::format("{}:{}: unknown key 'model.lego_int' (did you mean 'model.lego_init'?)",
                        file.string(), line));
  with("lego_init = \"xavier\"");
  EXPECT_NE(test::error_of([&] {
              load_dataset_config(file.string(), dir.path());
            }).find("model.lego_init = 'xavier': must be one of he, uniform"),
            std::string::npos);
  with("model = \"lego\"");
  EXPECT_NE(test::error_of([&] {
              load_dataset_config(file.string(), dir.path());
            }).find("unknown key 'model.model'"),
            std::string::npos);
}

}  // namespace
}  // namespace legohar
