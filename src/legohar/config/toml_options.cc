// Implementation of toml_options.h.
#include "legohar/config/toml_options.h"

#include "legohar/data/text_file.h"

namespace legohar {

bool apply_toml_train_option(TrainOptions& options, const std::string& key, const toml::node& node,
                             const std::filesystem::path& file, const std::string& where) {
  const TrainOptionInfo* info = find_train_option(key);
  if (!info) return false;
  nlohmann::json value;
  if (auto i = node.value_exact<int64_t>())
    value = *i;
  else if (auto d = node.value_exact<double>())
    value = *d;
  else if (auto b = node.value_exact<bool>())
    value = *b;
  else if (auto s = node.value_exact<std::string>())
    value = *s;
  try {
    info->set(options, value);
  } catch (const std::invalid_argument& e) {
    throw_data_error(file, node.source().begin.line, where + e.what());
  }
  return true;
}

}  // namespace legohar
