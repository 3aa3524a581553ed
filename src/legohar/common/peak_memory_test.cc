// Tests of peak_memory.h: touching 256 MiB raises the peak by about that much; after a reset the
// peak falls back below it once the memory is freed.
#include "legohar/common/peak_memory.h"

#include <gtest/gtest.h>

#include <memory>

namespace legohar {
namespace {

TEST(PeakMemory, SeesATouchedAllocationAndResets) {
  ASSERT_TRUE(reset_peak_resident_memory());
  const double before = peak_resident_mb();
  constexpr size_t kBytes = size_t{256} << 20;
  {
    auto block = std::make_unique<char[]>(kBytes);
    for (size_t i = 0; i < kBytes; i += 4096) block[i] = static_cast<char>(i);
    volatile char sink = block[kBytes - 4096];
    (void)sink;
    EXPECT_GE(peak_resident_mb() - before, 250.0);
    EXPECT_GE(resident_mb() - before, 250.0);  // resident now, the block still held
  }
  ASSERT_TRUE(reset_peak_resident_memory());
  EXPECT_LT(peak_resident_mb(), before + 128.0);
}

}  // namespace
}  // namespace legohar
