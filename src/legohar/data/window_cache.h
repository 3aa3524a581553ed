// A disk cache of preprocessed windows. The key holds every preprocessing parameter and each source
// file's path, size and content hash (FNV-1a 64 of its bytes as stored), so an edited file is never
// served stale, whatever its modification time says.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "legohar/data/window_set.h"

namespace legohar {

// `parameters` plus "path|size|content hash" of each file.
std::string window_cache_key(const std::string& parameters,
                             const std::vector<std::filesystem::path>& sources);

// The cached windows for `key`, or nothing (absent, unreadable, written for another key, damaged:
// failing its checksum or its bounds checks). A miss is rebuilt and replaced by the caller.
std::optional<WindowSet> load_cached_windows(const std::filesystem::path& cache_dir,
                                             const std::string& key);

// Stores `w` under `key`, atomically; throws when it cannot be written (a full disk).
void store_cached_windows(const std::filesystem::path& cache_dir, const std::string& key,
                          const WindowSet& w);

}  // namespace legohar
