// Tests of split.h: subject lists, leave-one-subject-out, seeded random splits and leakiness.
#include "legohar/data/split.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace legohar {
namespace {

WindowSet subjects(const std::vector<int32_t>& s) {
  WindowSet w;
  w.subjects = s;
  w.labels.assign(s.size(), 0);
  return w;
}

TEST(Split, BySubjects) {
  const Split s = make_split(subjects({1, 2, 1, 3, 2}), "subjects", {{1, 3}, {}, {}}, 0, true);
  EXPECT_EQ(s.train, (std::vector<size_t>{0, 2, 3}));
  EXPECT_EQ(s.test, (std::vector<size_t>{1, 4}));
  EXPECT_FALSE(s.leaky);
  EXPECT_EQ(s.to_json()["protocol"], "subjects");
}

TEST(Split, ValidationSubjectsLeaveTraining) {
  const WindowSet w = subjects({1, 2, 1, 3, 4, 2, 5, 4});
  Split s = make_split(w, "subjects", {{1, 2, 4, 5}, {}, {}}, 0, true);
  hold_out_validation_subjects(s, w, 2, 11);
  ASSERT_EQ(s.val_subjects.size(), 2u);
  for (size_t i : s.train)
    for (int v : s.val_subjects) EXPECT_NE(w.subjects[i], v);  // never a training window
  for (size_t i : s.val)
    EXPECT_TRUE(std::count(s.val_subjects.begin(), s.val_subjects.end(), w.subjects[i]));
  EXPECT_EQ(s.train.size() + s.val.size(), 7u);  // every training window kept, once
  EXPECT_EQ(s.test, (std::vector<size_t>{3}));   // the test split untouched
  EXPECT_EQ(s.train_subjects.size(), 2u);
  Split again = make_split(w, "subjects", {{1, 2, 4, 5}, {}, {}}, 0, true);
  hold_out_validation_subjects(again, w, 2, 11);
  EXPECT_EQ(again.val, s.val);                                         // seeded
  EXPECT_THROW(hold_out_validation_subjects(again, w, 2, 11), Error);  // none left
}

// OPPORTUNITY's challenge in small: recordings 11, 12 and 21 train, 22 tests, 31 is unused; a
// recording listed on both sides, or a dataset without the lists, is refused.
TEST(Split, ByRecordings) {
  WindowSet w = subjects({1, 1, 2, 2, 3, 2});
  w.recordings = {11, 12, 21, 22, 31, 22};
  const Split s = make_split(w, "recordings", {{}, {11, 12, 21}, {22}}, 0, true);
  EXPECT_EQ(s.train, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(s.test, (std::vector<size_t>{3, 5}));
  EXPECT_EQ(s.train_subjects, (std::vector<int>{1, 2}));
  EXPECT_EQ(s.test_subjects, (std::vector<int>{2}));
  EXPECT_FALSE(s.leaky);  // windows of different recordings share no sample
  EXPECT_EQ(s.to_json()["protocol"], "recordings");
  EXPECT_THROW(make_split(w, "recordings", {{}, {11, 22}, {22}}, 0, true), Error);
  EXPECT_THROW(make_split(w, "recordings", {{1, 2}, {}, {}}, 0, true), Error);
}

TEST(Split, LeaveOneSubjectOut) {
  const Split s = make_split(subjects({1, 2, 1, 3, 2}), "loso:2", {}, 0, true);
  EXPECT_EQ(s.test, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(s.train_subjects, (std::vector<int>{1, 3}));
  EXPECT_THROW(make_split(subjects({1}), "loso:9", {}, 0, true), Error);
}

TEST(Split, RandomIsSeededDisjointAndLeakyWhenWindowsOverlap) {
  const WindowSet w = subjects(std::vector<int32_t>(100, 1));
  const Split a = make_split(w, "random:0.3", {}, 7, true);
  const Split b = make_split(w, "random:0.3", {}, 7, true);
  const Split c = make_split(w, "random:0.3", {}, 8, false);
  EXPECT_EQ(a.test.size(), 30u);
  EXPECT_EQ(a.test, b.test);
  EXPECT_NE(a.test, c.test);
  EXPECT_TRUE(a.leaky);
  EXPECT_FALSE(c.leaky);
  std::vector<int> seen(100, 0);
  for (size_t i : a.train) ++seen[i];
  for (size_t i : a.test) ++seen[i];
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 100);
}

TEST(Split, UnknownProtocolIsAnError) {
  EXPECT_THROW(make_split(subjects({1}), "kfold", {}, 0, true), Error);
  EXPECT_THROW(make_split(subjects({1}), "random:abc", {}, 0, true), Error);
  // A malformed argument is named with what it must be.
  const auto message = [](const std::string& protocol) {
    return test::message_of<Error>([&] { make_split(subjects({1, 2}), protocol, {}, 0, true); });
  };
  EXPECT_EQ(message("loso:abc"),
            "protocol 'loso:abc': the held-out subject must be a whole number >= 1, not 'abc'");
  EXPECT_NE(message("loso:2x").find("not '2x'"), std::string::npos);
  EXPECT_NE(message("loso:-1").find("not '-1'"), std::string::npos);
  EXPECT_EQ(message("random:1.5"),
            "protocol 'random:1.5': the test fraction must be a number in (0, 1), not '1.5'");
  EXPECT_NE(message("random:nan").find("in (0, 1)"), std::string::npos);
}

}  // namespace
}  // namespace legohar
