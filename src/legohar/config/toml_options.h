// Options from TOML tables (dataset files' [train], experiment files): each key is looked up in an
// option table (train_option_table(), model_option_table()), so TOML accepts exactly the options
// the command line does, with the same type and range checks.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "legohar/common/error.h"
#include "legohar/data/text_file.h"
#include "legohar/spec/option_table.h"

namespace legohar {

// A TOML value as JSON (integer, float, boolean or string; null for anything else).
nlohmann::json toml_value(const toml::node& node);

// Sets the option named `key` of `table` from `node` and checks its range; false when the table
// has no such key. A value of the wrong kind or out of range throws a data Error naming the file,
// the line and the key (with `where` before it).
template <class S>
bool apply_toml_option(const std::vector<OptionInfo<S>>& table, S& s, const std::string& key,
                       const toml::node& node, const std::filesystem::path& file,
                       const std::string& where = "") {
  const OptionInfo<S>* info = find_option(table, key);
  if (!info) return false;
  try {
    info->set(s, toml_value(node));
    info->check(s);
  } catch (const Error& e) {
    throw e.in_file(file, node.source().begin.line, where);
  }
  return true;
}

// The error for a key no table knows, at the node's line: "<where>unknown key '<prefix><key>'
// (did you mean '<prefix><nearest>'?)", the nearest of `known` by edit distance.
[[noreturn]] void throw_unknown_key(const std::filesystem::path& file, const toml::node& node,
                                    const std::string& where, const std::string& prefix,
                                    const std::string& key,
                                    const std::vector<std::string_view>& known);

}  // namespace legohar
