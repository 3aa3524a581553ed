// One table of declared options per settings struct (TrainOptions, ModelSpec): each option is
// declared once with its key, help, field and valid values, and from that declaration come the
// command-line flag, the TOML key, the JSON key, the type check and the range check.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/common/error.h"

namespace legohar {

// The valid values of a number: lo..hi, each end open or closed; unbounded ends are infinite.
struct Bounds {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  static Bounds at_least(double lo) { return {lo}; }
  static Bounds positive() { return {0, std::numeric_limits<double>::infinity(), true}; }
  bool contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  // ">= 1", "> 0", "in [0, 1)" or "" (any number).
  std::string describe() const {
    const bool low = std::isfinite(lo), high = std::isfinite(hi);
    if (low && high)
      return fmt::format("in {}{}, {}{}", lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']');
    if (low) return fmt::format("{} {}", lo_open ? ">" : ">=", lo);
    if (high) return fmt::format("{} {}", hi_open ? "<" : "<=", hi);
    return "";
  }
};

template <class S>
struct OptionInfo {
  using Field =
      std::variant<int S::*, int64_t S::*, uint64_t S::*, double S::*, bool S::*, std::string S::*>;
  OptionInfo(std::string_view key_, std::string_view help_, Field field_)
      : key(key_), help(help_), field(field_) {}
  // Declaration helpers: the valid range of a number, the valid values of a string, the model
  // families it applies to, a column of its own in tables (not part of a variant's name), a
  // model option that varies training rather than the architecture, an option of the Lego
  // convolution, and the value of records written before the option existed or its default
  // changed.
  OptionInfo in(Bounds b) const {
    return with([&](OptionInfo& o) { o.bounds = b; });
  }
  OptionInfo one_of(std::vector<std::string_view> c) const {
    return with([&](OptionInfo& o) { o.choices = std::move(c); });
  }
  OptionInfo only_for(std::vector<std::string_view> s) const {
    return with([&](OptionInfo& o) { o.scope = std::move(s); });
  }
  OptionInfo own_column() const {
    return with([](OptionInfo& o) { o.names_variant = false; });
  }
  OptionInfo trains_differently() const {
    return with([](OptionInfo& o) { o.varies_training = true; });
  }
  OptionInfo of_lego_convolution() const {
    return with([](OptionInfo& o) { o.lego_convolution = true; });
  }
  OptionInfo in_older_records(nlohmann::json v) const {
    return with([&](OptionInfo& o) { o.older_records = std::move(v); });
  }

  std::string_view key;   // JSON and TOML key; the flag is "--" + key with '_' as '-'
  std::string_view help;  // the flag's help, completed by valid()
  Field field;
  Bounds bounds;                          // numbers
  std::vector<std::string_view> choices;  // strings: the valid values (empty: any)
  // Where the option applies: model families for ModelSpec (empty: every family).
  std::vector<std::string_view> scope;
  // Whether a value other than the default names a variant of a configuration in tables
  // ("local alpha=0.9"); epochs, seed, loss and greedy have columns of their own.
  bool names_variant = true;
  // ModelSpec: whether the option trains one architecture differently (the Lego logits' initial
  // scale, the coefficients' parameterisation) rather than naming another architecture; tables
  // name such a value beside the training settings, so that its runs pair with the default's.
  bool varies_training = false;
  // ModelSpec: an option of the Lego convolution, meaningless for a model without one.
  bool lego_convolution = false;
  // What a record (metrics.json, a checkpoint) without this key was made with: the default of
  // the time, where it has changed since.
  std::optional<nlohmann::json> older_records;

  std::string flag() const {
    std::string f = "--" + std::string(key);
    for (char& c : f)
      if (c == '_') c = '-';
    return f;
  }
  bool applies_to(std::string_view name) const {
    if (scope.empty()) return true;
    for (std::string_view s : scope)
      if (s == name) return true;
    return false;
  }
  // "one of cosine, step, constant", "in (0, 1]", ">= 1" or "".
  std::string valid() const {
    if (!choices.empty()) return fmt::format("one of {}", fmt::join(choices, ", "));
    return bounds.describe();
  }
  nlohmann::json get(const S& s) const {
    return std::visit([&](auto member) { return nlohmann::json(s.*member); }, field);
  }
  // Sets the field from a JSON number, boolean or string of the right kind; throws
  // a usage Error "'key' must be ..." otherwise. The range is checked by check().
  void set(S& s, const nlohmann::json& v) const {
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(s.*member)>;
          const auto fail = [&](const char* kind) {
            throw Error::usage(fmt::format("'{}' must be {}", key, kind));
          };
          if constexpr (std::is_same_v<T, bool>) {
            if (!v.is_boolean()) fail("true or false");
            s.*member = v.get<bool>();
          } else if constexpr (std::is_same_v<T, std::string>) {
            if (!v.is_string()) fail("a string");
            s.*member = v.get<std::string>();
          } else if constexpr (std::is_same_v<T, double>) {
            if (!v.is_number()) fail("a number");
            s.*member = v.get<double>();
          } else {
            if (!v.is_number_integer() || (std::is_unsigned_v<T> && v.get<int64_t>() < 0))
              fail(std::is_unsigned_v<T> ? "a whole number >= 0" : "a whole number");
            s.*member = v.get<T>();
          }
        },
        field);
  }
  // Sets the field from a record's (metrics.json, a checkpoint's) key, or to older_records where
  // the record has no such key.
  void read_record(S& s, const nlohmann::json& record) const {
    if (record.contains(key))
      set(s, record.at(std::string(key)));
    else if (older_records)
      set(s, *older_records);
  }
  // Throws a usage Error "key = value: must be <valid()>" when the value is out of range
  // or not finite.
  void check(const S& s) const {
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(s.*member)>;
          if constexpr (std::is_same_v<T, std::string>) {
            if (choices.empty()) return;
            for (std::string_view c : choices)
              if (c == s.*member) return;
            throw Error::usage(fmt::format("{} = '{}': must be {}", key, s.*member, valid()));
          } else if constexpr (!std::is_same_v<T, bool>) {
            const double v = static_cast<double>(s.*member);
            if (!std::isfinite(v))  // NaN and infinity are never a setting
              throw Error::usage(fmt::format("{} = {}: must be a finite number{}", key, s.*member,
                                             valid().empty() ? "" : ", " + valid()));
            if (!bounds.contains(v))
              throw Error::usage(fmt::format("{} = {}: must be {}", key, s.*member, valid()));
          }
        },
        field);
  }

 private:
  template <class F>
  OptionInfo with(F change) const {
    OptionInfo copy = *this;
    change(copy);
    return copy;
  }
};

// The option with this key in `table`, or nullptr.
template <class S>
const OptionInfo<S>* find_option(const std::vector<OptionInfo<S>>& table, std::string_view key) {
  for (const OptionInfo<S>& info : table)
    if (info.key == key) return &info;
  return nullptr;
}

// The keys of `table`.
template <class S>
std::vector<std::string_view> option_keys(const std::vector<OptionInfo<S>>& table) {
  std::vector<std::string_view> keys;
  for (const OptionInfo<S>& info : table) keys.push_back(info.key);
  return keys;
}

// The keys on which two option records (to_json() of one settings struct) differ, each as
// "key = <had> (not <want>)", in key order; empty when they agree. For errors that tell a user
// which settings a run was made with.
inline std::vector<std::string> differing_keys(const nlohmann::json& had,
                                               const nlohmann::json& want) {
  std::vector<std::string> out;
  for (const auto& [key, value] : want.items()) {
    const auto it = had.find(key);
    if (it == had.end())
      out.push_back(fmt::format("{} missing (not {})", key, value.dump()));
    else if (*it != value)
      out.push_back(fmt::format("{} = {} (not {})", key, it->dump(), value.dump()));
  }
  for (const auto& [key, value] : had.items())
    if (!want.contains(key)) out.push_back(fmt::format("{} = {} (not set)", key, value.dump()));
  return out;
}

// The one of `keys` nearest to `key` (fewest single-character edits), for "did you mean" errors.
inline std::string_view nearest_key(const std::vector<std::string_view>& keys,
                                    std::string_view key) {
  std::string_view best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  for (std::string_view candidate : keys) {
    std::vector<size_t> row(candidate.size() + 1);
    for (size_t j = 0; j < row.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= key.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= candidate.size(); ++j) {
        const size_t up = row[j];
        row[j] = std::min(
            {row[j] + 1, row[j - 1] + 1, diagonal + (key[i - 1] == candidate[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    if (row.back() < best_distance) {
      best_distance = row.back();
      best = candidate;
    }
  }
  return best;
}

}  // namespace legohar
