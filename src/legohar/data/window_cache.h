// A disk cache of preprocessed windows. The key holds every preprocessing parameter and each source
// file's identity (path, size, modification time), so an edited file is never served stale.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "legohar/data/window_set.h"

namespace legohar {

// `parameters` plus "path|size|mtime" of each file.
std::string window_cache_key(const std::string& parameters,
                             const std::vector<std::filesystem::path>& sources);

// The cached windows for `key`, or nothing (absent, unreadable or written for another key).
std::optional<WindowSet> load_cached_windows(const std::filesystem::path& cache_dir,
                                             const std::string& key);

// Stores `w` under `key`, atomically.
void store_cached_windows(const std::filesystem::path& cache_dir, const std::string& key,
                          const WindowSet& w);

}  // namespace legohar
