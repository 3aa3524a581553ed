// Tests of sample_text.h: samples, separators, comments and headers line by line, each fault
// named with its line; a HAPT pair read as raw samples.
#include "legohar/data/sample_text.h"

#include <gtest/gtest.h>

#include "legohar/common/error.h"
#include "test_support.h"

namespace legohar {
namespace {

using test::error_of;

const std::vector<std::string> kInputs = {"ax", "ay", "gz"};

TEST(SampleText, SamplesCommentsAndHeader) {
  SampleTextParser p("rec.csv", kInputs);
  std::vector<double> v;
  EXPECT_FALSE(p.parse("# a comment", v));
  EXPECT_FALSE(p.parse("ax,ay,gz", v));
  EXPECT_FALSE(p.parse("   ", v));
  ASSERT_TRUE(p.parse("1.5, -2e-3\t+7\r", v));
  EXPECT_EQ(v, (std::vector<double>{1.5, -0.002, 7}));
  ASSERT_TRUE(p.parse(".25 0 -1", v));
  EXPECT_EQ(v, (std::vector<double>{0.25, 0, -1}));
}

TEST(SampleText, FaultsNameTheSourceAndLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"ax,gz,ay"}, "rec.csv:1: the header names ax,gz,ay; the model takes ax,ay,gz"},
      {{"1,2"}, "rec.csv:1: 2 values; a sample has 3 (ax,ay,gz)"},
      {{"# c", "1,2,3", "1,2,x"}, "rec.csv:3: value 3 (gz) 'x' is not a finite number"},
      {{"1,inf,3"}, "rec.csv:1: value 2 (ay) 'inf' is not a finite number"},
      {{"1,2,3", "ax,ay,gz"}, "rec.csv:2: value 1 (ax) 'ax' is not a finite number"},
      {{"1,2,3e999"}, "rec.csv:1: value 3 (gz) '3e999' is not a finite number"},
      {{"1,2,3.5.1"}, "rec.csv:1: value 3 (gz) '3.5.1' is not a finite number"},
  };
  for (const auto& [lines, message] : cases) {
    SampleTextParser p("rec.csv", kInputs);
    std::vector<double> v;
    EXPECT_EQ(error_of([&] {
                for (const std::string& l : lines) p.parse(l, v);
              }),
              message);
  }
}

TEST(SampleText, HaptPairAsRawSamples) {
  test::ScratchDir dir;
  test::write_text(dir.path() / "acc_exp03_user02.txt", "1 2 3\n4 5 6\n");
  test::write_text(dir.path() / "gyro_exp03_user02.txt", "0.1 0.2 0.3\n0.4 0.5 0.6\n");
  EXPECT_EQ(read_hapt_samples(dir.path() / "acc_exp03_user02.txt"),
            (std::vector<double>{1, 2, 3, 0.1, 0.2, 0.3, 4, 5, 6, 0.4, 0.5, 0.6}));
  EXPECT_NE(error_of([&] {
              read_hapt_samples(dir.path() / "gyro_exp03_user02.txt");
            }).find("is not a HAPT acc_expNN_userMM.txt"),
            std::string::npos);
  test::write_text(dir.path() / "acc_exp04_user02.txt", "1 2 3\n");
  EXPECT_NE(error_of([&] {
              read_hapt_samples(dir.path() / "acc_exp04_user02.txt");
            }).find("gyro_exp04_user02.txt"),
            std::string::npos);
}

}  // namespace
}  // namespace legohar
