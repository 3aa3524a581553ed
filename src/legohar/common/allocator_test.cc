// Tests of allocator.h with glibc's own counters: by default a 64 MB block is mmap'ed (and unmapped
// when freed); once configured it comes from the heap, which keeps it mapped after free.
#include "legohar/common/allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace legohar {
namespace {

#if defined(__GLIBC__)
// Allocates and touches `bytes`, returning the block (so the compiler cannot drop it).
char* touched(size_t bytes) {
  auto* p = static_cast<char*>(std::malloc(bytes));
  std::memset(p, 1, bytes);
  return p;
}

TEST(Allocator, LargeBlocksStayInTheHeap) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer replaces glibc's allocator, whose settings this test checks";
#endif
  constexpr size_t kBlock = 64u << 20;
  const size_t mapped_before = mallinfo2().hblkhd;
  char* p = touched(kBlock);
  EXPECT_GE(mallinfo2().hblkhd, mapped_before + kBlock);  // glibc's default: its own mmap
  std::free(p);
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before);  // ... and munmap on free

  ASSERT_TRUE(keep_freed_memory_mapped());
  char* q = touched(kBlock);
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before);  // from the heap now
  std::free(q);
  EXPECT_GE(mallinfo2().arena, kBlock);  // still mapped for the next step

  // glibc's defaults again, for the tests that share this process (peak memory's).
  mallopt(M_MMAP_MAX, 65536);
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, 128 * 1024);
  mallopt(M_TOP_PAD, 0);
  malloc_trim(0);
}
#endif

}  // namespace
}  // namespace legohar
