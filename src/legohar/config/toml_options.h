// Training options from TOML tables (dataset files' [train], experiment files): each key is looked
// up in train_option_table(), so TOML accepts exactly the options the command line does.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>

#include "legohar/train/train_options.h"

namespace legohar {

// Sets the training option named `key` from `node`; false when no option has that key. A value of
// the wrong kind throws DataError naming the file, the line and the key (with `where` before it).
bool apply_toml_train_option(TrainOptions& options, const std::string& key, const toml::node& node,
                             const std::filesystem::path& file, const std::string& where = "");

}  // namespace legohar
