// The arithmetic peak of one core for the runtime's kernels, measured: multiply-adds on the
// kernels' vector type, compiled for the same instruction sets (simd.h), in enough independent
// chains that the multiply-add units' throughput, not their latency, bounds them. A model's
// achieved GFLOP/s (legohar bench --runtime) is read against it: the physical limit of one thread.
#pragma once

#include <cstddef>

namespace legohar::runtime {

// Floating-point operations per second of one thread, in units of 1e9 (a multiply-add counts
// two): the best of three timed runs of multiply_add_chains, each of at least `seconds`.
double peak_gflops(double seconds = 0.1);

// The probe's arithmetic: kPeakChains vectors of kLanes lanes, lane j of chain i starting at
// start + i + j / 16 (simd.h), each updated `rounds` times by x <- x * 0.999 + 0.001; returns the
// sum of every lane, so that none of the work can be optimised away.
inline constexpr size_t kPeakChains = 12;
float multiply_add_chains(size_t rounds, float start);

}  // namespace legohar::runtime
