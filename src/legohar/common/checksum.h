// FNV-1a, 64 bits: the checksum of checkpoints' weights and window-cache files, and the hash of
// cache keys. Not cryptographic: it detects damage, not tampering.
#pragma once

#include <cstddef>
#include <cstdint>

namespace legohar {

inline constexpr uint64_t kFnv1a64Offset = 14695981039346656037ULL;

// FNV-1a of `n` bytes at `data`, continuing from `h` (kFnv1a64Offset to start), so a stream can
// be hashed in pieces.
inline uint64_t fnv1a64(const void* data, size_t n, uint64_t h = kFnv1a64Offset) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

}  // namespace legohar
