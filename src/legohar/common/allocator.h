// The C allocator's settings for tensor work. glibc serves every block above its mmap threshold
// (at most 32 MB) with a fresh mmap and returns it with munmap on free, so a training step that
// allocates and frees the first block's ~47 MB activations page-faults through every page of them
// again on every step: here half of a step's time went to the kernel. Serving all blocks from the
// heap and never trimming it keeps freed pages mapped for the next step.
#pragma once

namespace legohar {

// Keeps large allocations in the heap (glibc: no mmap for blocks, no trimming of the heap top).
// Call once at start-up, before the work; a no-op on other C libraries. Returns whether it applied.
bool keep_freed_memory_mapped();

}  // namespace legohar
