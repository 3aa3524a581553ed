// Error: each factory's message carries its context, and in_file() re-locates an option's refusal
// in the configuration file it came from.
#include "legohar/common/error.h"

#include <gtest/gtest.h>

#include <csignal>

namespace legohar {
namespace {

TEST(Error, DataErrorsNameTheFileAndTheLine) {
  const Error e = Error::data("raw/labels.txt", 12, "activity 13 is not a HAPT activity");
  EXPECT_EQ(e.kind(), ErrorKind::kData);
  EXPECT_STREQ(e.what(), "raw/labels.txt:12: activity 13 is not a HAPT activity");
  EXPECT_EQ(e.file(), "raw/labels.txt");
  EXPECT_EQ(e.line(), 12u);
  // Line 0: the whole file is at fault.
  EXPECT_STREQ(Error::data("y.txt", 0, "has 3 rows but x.txt has 2").what(),
               "y.txt: has 3 rows but x.txt has 2");
}

TEST(Error, OtherKindsKeepTheirMessage) {
  const Error io = Error::io("runs/a/plots.gp", "gnuplot failed on it");
  EXPECT_EQ(io.kind(), ErrorKind::kIo);
  EXPECT_STREQ(io.what(), "runs/a/plots.gp: gnuplot failed on it");
  EXPECT_EQ(io.file(), "runs/a/plots.gp");
  EXPECT_EQ(Error::usage("lr = -1: must be > 0").kind(), ErrorKind::kUsage);
  EXPECT_EQ(Error::state("runs/a holds a run").kind(), ErrorKind::kState);
  const Error stop = Error::interrupted(SIGTERM, "interrupted in epoch 3");
  EXPECT_EQ(stop.kind(), ErrorKind::kInterrupted);
  EXPECT_EQ(stop.signal(), SIGTERM);
  EXPECT_EQ(Error::usage("x").signal(), 0);
}

TEST(Error, InFileTurnsARefusedValueIntoADataErrorAtItsLine) {
  const Error option = Error::usage("lr = -1: must be > 0");
  const Error e = option.in_file("experiments/grid.toml", 7, "[[run]] ");
  EXPECT_EQ(e.kind(), ErrorKind::kData);
  EXPECT_STREQ(e.what(), "experiments/grid.toml:7: [[run]] lr = -1: must be > 0");
  EXPECT_EQ(e.file(), "experiments/grid.toml");
  EXPECT_EQ(e.line(), 7u);
  EXPECT_THROW(throw_data_error("a.txt", 1, "bad"), Error);
}

}  // namespace
}  // namespace legohar
