// fnv1a64 against the published FNV-1a test vectors (the FNV authors' test suite), and in pieces.
#include "legohar/common/checksum.h"

#include <gtest/gtest.h>

#include <string>

namespace legohar {
namespace {

TEST(Fnv1a64, MatchesThePublishedVectors) {
  const auto of = [](const std::string& s) { return fnv1a64(s.data(), s.size()); };
  EXPECT_EQ(of(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(of("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(of("foobar"), 0x85944171f73967e8ULL);
  // A stream hashed in pieces: the same as at once.
  EXPECT_EQ(fnv1a64("bar", 3, fnv1a64("foo", 3)), of("foobar"));
}

}  // namespace
}  // namespace legohar
