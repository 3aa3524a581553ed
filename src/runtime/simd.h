// The vector type of the runtime's kernels and how they are compiled (internal to src/runtime/):
// GCC/Clang vector extensions of kLanes floats, and on x86-64 with GCC each kernel marked
// LEGOHAR_MULTIVERSION compiled three times (AVX-512, AVX2 + FMA, SSE2) with the processor picking
// one at load time; elsewhere the compiler's own vector width is used. Multiply-adds contract to
// fused ones under GNU C++ (-ffp-contract=fast, GCC's default there).
#pragma once

#include <cstddef>

namespace legohar::runtime {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LEGOHAR_MULTIVERSION \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define LEGOHAR_MULTIVERSION
#endif

inline constexpr size_t kLanes = 16;  // floats per vector: a register tile's columns
typedef float Vec __attribute__((vector_size(kLanes * sizeof(float))));

}  // namespace legohar::runtime
