// Tests of dataset_config.h: the shipped configs parse into the reference's values; a broken file
// is reported with its name and line.
#include "legohar/config/dataset_config.h"

#include <gtest/gtest.h>

#include "legohar/data/text_file.h"
#include "test_support.h"

namespace legohar {
namespace {

TEST(DatasetConfig, ShippedUciHarConfig) {
  const DatasetConfig c = load_dataset_config("uci-har", LEGOHAR_SOURCE_DIR "/configs");
  EXPECT_EQ(c.data.source, "hapt-raw");
  EXPECT_EQ(c.data.windows.length, 128);
  EXPECT_EQ(c.data.windows.step, 64);
  EXPECT_EQ(c.data.train_subjects.size(), 21u);
  ASSERT_EQ(c.model.layers.size(), 3u);
  EXPECT_EQ(c.model.layers[2].channels, 384);
  EXPECT_EQ(c.model.classes, 6);
  EXPECT_EQ(c.train.batch_size, 200);
  EXPECT_DOUBLE_EQ(c.train.lr, 2e-3);  // legohar's recipe (see the file's [train] comment)
  EXPECT_EQ(c.train.warmup_epochs, 1);
  EXPECT_EQ(c.train.schedule, "cosine");
  EXPECT_EQ(load_all_dataset_configs(LEGOHAR_SOURCE_DIR "/configs").size(), 3u);
}

TEST(DatasetConfig, ErrorsNameFileLineAndKey) {
  test::ScratchDir dir;
  const auto file = dir.path() / "broken.toml";
  test::write_text(file, "name = \"x\"\nsource = [\n");
  try {
    load_dataset_config(file.string(), dir.path());
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string() + ":"), std::string::npos) << e.what();
  }
  test::write_text(file, "name = \"x\"\nsource = \"hapt-raw\"\n");
  try {
    load_dataset_config(file.string(), dir.path());
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ": 'path' is missing");
  }
  EXPECT_THROW(load_dataset_config("no-such-dataset", LEGOHAR_SOURCE_DIR "/configs"), DataError);
}

}  // namespace
}  // namespace legohar
