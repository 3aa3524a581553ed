// Implementation of split.h.
#include "legohar/data/split.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <random>
#include <set>
#include <stdexcept>

#include "legohar/common/error.h"

namespace legohar {

nlohmann::json Split::to_json() const {
  return {{"protocol", protocol},
          {"leaky", leaky},
          {"train_windows", train.size()},
          {"test_windows", test.size()},
          {"train_subjects", train_subjects},
          {"test_subjects", test_subjects},
          {"val_windows", val.size()},
          {"val_subjects", val_subjects}};
}

static void fill_subject_lists(const WindowSet& w, Split& s) {
  std::set<int> tr, te;
  for (size_t i : s.train) tr.insert(w.subjects[i]);
  for (size_t i : s.test) te.insert(w.subjects[i]);
  s.train_subjects.assign(tr.begin(), tr.end());
  s.test_subjects.assign(te.begin(), te.end());
}

Split split_by_subjects(const WindowSet& w, const std::vector<int>& train_subjects) {
  Split s;
  s.protocol = "subjects";
  const std::set<int> train(train_subjects.begin(), train_subjects.end());
  for (size_t i = 0; i < w.size(); ++i)
    (train.count(w.subjects[i]) ? s.train : s.test).push_back(i);
  fill_subject_lists(w, s);
  return s;
}

Split split_by_recordings(const WindowSet& w, const std::vector<int>& train,
                          const std::vector<int>& test) {
  const std::set<int> tr(train.begin(), train.end()), te(test.begin(), test.end());
  for (int r : tr)
    if (te.count(r))
      throw Error::usage("recordings protocol: recording " + std::to_string(r) +
                         " is listed to train and to test");
  Split s;
  s.protocol = "recordings";
  for (size_t i = 0; i < w.size(); ++i) {
    if (tr.count(w.recordings[i])) s.train.push_back(i);
    if (te.count(w.recordings[i])) s.test.push_back(i);
  }
  fill_subject_lists(w, s);
  return s;
}

Split split_leave_one_subject_out(const WindowSet& w, int subject) {
  Split s;
  s.protocol = "loso:" + std::to_string(subject);
  for (size_t i = 0; i < w.size(); ++i) (w.subjects[i] == subject ? s.test : s.train).push_back(i);
  if (s.test.empty())
    throw Error::usage("loso: subject " + std::to_string(subject) + " has no windows");
  fill_subject_lists(w, s);
  return s;
}

Split split_random(const WindowSet& w, double test_fraction, uint64_t seed, bool windows_overlap) {
  if (!(test_fraction > 0 && test_fraction < 1))
    throw Error::usage("random split: the test fraction must lie in (0, 1)");
  std::vector<size_t> order(w.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  const auto n_test = static_cast<size_t>(test_fraction * static_cast<double>(w.size()) + 0.5);
  Split s;
  s.protocol = "random:" + std::to_string(test_fraction);
  s.leaky = windows_overlap;
  s.test.assign(order.begin(), order.begin() + n_test);
  s.train.assign(order.begin() + n_test, order.end());
  std::sort(s.test.begin(), s.test.end());
  std::sort(s.train.begin(), s.train.end());
  fill_subject_lists(w, s);
  return s;
}

void hold_out_validation_subjects(Split& s, const WindowSet& w, int count, uint64_t seed) {
  if (count <= 0) return;
  if (static_cast<size_t>(count) >= s.train_subjects.size())
    throw Error::usage("val_subjects: " + std::to_string(count) + " of the " +
                       std::to_string(s.train_subjects.size()) +
                       " training subjects would leave none to train on");
  std::vector<int> subjects = s.train_subjects;
  std::mt19937_64 rng(seed * 7919ULL + 17);
  std::shuffle(subjects.begin(), subjects.end(), rng);
  const std::set<int> val(subjects.begin(), subjects.begin() + count);
  std::vector<size_t> train;
  for (size_t i : s.train) (val.count(w.subjects[i]) ? s.val : train).push_back(i);
  s.train = std::move(train);
  s.val_subjects.assign(val.begin(), val.end());
  std::set<int> remaining;
  for (size_t i : s.train) remaining.insert(w.subjects[i]);
  s.train_subjects.assign(remaining.begin(), remaining.end());
}

Split make_split(const WindowSet& w, const std::string& protocol,
                 const PredefinedSplits& predefined, uint64_t seed, bool windows_overlap) {
  if (protocol == "subjects") return split_by_subjects(w, predefined.train_subjects);
  if (protocol == "recordings") {
    if (predefined.train_recordings.empty() || predefined.test_recordings.empty())
      throw Error::usage(
          "protocol 'recordings': the dataset file lists no train_recordings and "
          "test_recordings");
    return split_by_recordings(w, predefined.train_recordings, predefined.test_recordings);
  }
  const auto colon = protocol.find(':');
  const std::string kind = protocol.substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : protocol.substr(colon + 1);
  const auto bad = [&](const std::string& problem) {
    return Error::usage("protocol '" + protocol + "': " + problem);
  };
  if (kind == "loso" && !arg.empty()) {
    int subject = 0;
    const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), subject);
    if (ec != std::errc() || end != arg.data() + arg.size() || subject < 1)
      throw bad("the held-out subject must be a whole number >= 1, not '" + arg + "'");
    return split_leave_one_subject_out(w, subject);
  }
  if (kind == "random") {
    double fraction = 0.3;
    if (!arg.empty()) {
      char* end = nullptr;
      fraction = std::strtod(arg.c_str(), &end);
      if (end != arg.c_str() + arg.size() || !(fraction > 0 && fraction < 1))
        throw bad("the test fraction must be a number in (0, 1), not '" + arg + "'");
    }
    return split_random(w, fraction, seed, windows_overlap);
  }
  throw Error::usage("unknown protocol '" + protocol +
                     "' (use subjects, recordings, loso:<subject> or random:<test fraction>)");
}

}  // namespace legohar
