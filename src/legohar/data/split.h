// Train/test splits as a concept of their own: predefined subject or recording lists,
// leave-one-subject-out and random window splits (recorded as "leaky" when windows overlap, since
// neighbours then share samples).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/data/window_set.h"

namespace legohar {

struct Split {
  std::string protocol;       // "subjects", "recordings", "loso:<id>" or "random:<fraction>"
  bool leaky = false;         // test windows share samples with training windows
  std::vector<size_t> train;  // window indices
  std::vector<size_t> test;
  std::vector<int> train_subjects;
  std::vector<int> test_subjects;
  std::vector<size_t> val;  // validation windows: held-out training subjects (empty: none)
  std::vector<int> val_subjects;

  nlohmann::json to_json() const;
};

// The splits a dataset file predefines (its [protocol] table).
struct PredefinedSplits {
  std::vector<int> train_subjects;    // "subjects": these train, every other subject tests
  std::vector<int> train_recordings;  // "recordings": these train, test_recordings test, the rest
  std::vector<int> test_recordings;   // is unused (OPPORTUNITY's challenge)
};

// Windows of `train_subjects` train, every other window tests.
Split split_by_subjects(const WindowSet& w, const std::vector<int>& train_subjects);
// Windows of `train` recordings train, of `test` ones test, of any other none. A recording in
// both lists is a usage Error.
Split split_by_recordings(const WindowSet& w, const std::vector<int>& train,
                          const std::vector<int>& test);
// `subject` tests, every other subject trains.
Split split_leave_one_subject_out(const WindowSet& w, int subject);
// A seeded random fraction of windows tests; leaky when windows overlap.
Split split_random(const WindowSet& w, double test_fraction, uint64_t seed, bool windows_overlap);

// Moves every window of `count` training subjects, chosen by a generator seeded with `seed`, from
// train to val: model selection on subjects the model never trained on. Throws
// a usage Error unless at least one training subject remains.
void hold_out_validation_subjects(Split& s, const WindowSet& w, int count, uint64_t seed);

// Parses a protocol name ("subjects", "recordings", "loso:7", "random:0.3") and builds the split.
Split make_split(const WindowSet& w, const std::string& protocol,
                 const PredefinedSplits& predefined, uint64_t seed, bool windows_overlap);

}  // namespace legohar
