// Implementation of toml_options.h.
#include "legohar/config/toml_options.h"

#include <fmt/format.h>

namespace legohar {

nlohmann::json toml_value(const toml::node& node) {
  if (auto i = node.value_exact<int64_t>()) return *i;
  if (auto d = node.value_exact<double>()) return *d;
  if (auto b = node.value_exact<bool>()) return *b;
  if (auto s = node.value_exact<std::string>()) return *s;
  return nullptr;
}

void throw_unknown_key(const std::filesystem::path& file, const toml::node& node,
                       const std::string& where, const std::string& prefix, const std::string& key,
                       const std::vector<std::string_view>& known) {
  throw_data_error(file, node.source().begin.line,
                   fmt::format("{}unknown key '{}{}' (did you mean '{}{}'?)", where, prefix, key,
                               prefix, nearest_key(known, key)));
}

}  // namespace legohar
