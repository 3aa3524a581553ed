// Tests of window_cache.h: a round trip, a miss whenever a source file or a parameter changes, and
// a miss for damaged files: a flipped byte, out-of-bounds counts and labels.
#include "legohar/data/window_cache.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "test_support.h"

namespace legohar {
namespace {

WindowSet small_set() {
  WindowSet w;
  w.length = 2;
  w.channels = 3;
  w.samples = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // 4 samples, windows at 0 and 1 overlap
  w.offsets = {0, 1};
  w.labels = {0, 1};
  w.subjects = {3, 4};
  w.recordings = {1, 1};
  w.starts = {0, 7};
  w.class_names = {"a", "b"};
  w.channel_names = {"x", "y", "z"};
  return w;
}

TEST(WindowCache, RoundTripAndInvalidation) {
  test::ScratchDir dir;
  const auto src = dir.path() / "acc.txt";
  test::write_text(src, "1 2 3\n");
  const std::string key = window_cache_key("length=2", {src});
  EXPECT_FALSE(load_cached_windows(dir.path() / "cache", key).has_value());
  store_cached_windows(dir.path() / "cache", key, small_set());
  const auto back = load_cached_windows(dir.path() / "cache", key);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->samples, small_set().samples);
  EXPECT_EQ(back->offsets, small_set().offsets);
  EXPECT_EQ(back->starts, small_set().starts);
  EXPECT_EQ(back->channel_names, small_set().channel_names);

  EXPECT_NE(window_cache_key("length=3", {src}), key);
  test::write_text(src, "1 2 3\n4 5 6\n");  // edited: size (and time) differ
  EXPECT_NE(window_cache_key("length=2", {src}), key);
  EXPECT_FALSE(
      load_cached_windows(dir.path() / "cache", window_cache_key("length=2", {src})).has_value());
}

TEST(WindowCache, EditKeepingSizeAndTimeChangesKey) {
  // `touch -r`: the same size and modification time, other bytes.
  test::ScratchDir dir;
  const auto src = dir.path() / "gyro.txt";
  test::write_text(src, "1 2 3\n");
  const auto time = std::filesystem::last_write_time(src);
  const std::string before = window_cache_key("p", {src});
  test::write_text(src, "4 5 6\n");
  std::filesystem::last_write_time(src, time);
  EXPECT_NE(window_cache_key("p", {src}), before);
  test::write_text(src, "1 2 3\n");
  EXPECT_EQ(window_cache_key("p", {src}), before);  // the content, not the time, decides
}

TEST(WindowCache, TruncatedFileIsAMiss) {
  test::ScratchDir dir;
  store_cached_windows(dir.path(), "k", small_set());
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    std::filesystem::resize_file(e.path(), std::filesystem::file_size(e.path()) - 5);
  EXPECT_FALSE(load_cached_windows(dir.path(), "k").has_value());
}

// The single cache file in `dir`, its bytes, and a writer that re-seals it with a valid checksum
// (FNV-1a 64 of every byte before the last 8, computed here independently).
std::filesystem::path only_file(const std::filesystem::path& dir) {
  return std::filesystem::directory_iterator(dir)->path();
}
std::string bytes_of(const std::filesystem::path& f) {
  std::ifstream in(f, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void reseal(const std::filesystem::path& f, std::string body) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : body) h = (h ^ c) * 1099511628211ULL;
  body.append(reinterpret_cast<const char*>(&h), sizeof h);
  test::write_text(f, body);
}

TEST(WindowCache, FlippedByteIsAMiss) {
  test::ScratchDir dir;
  store_cached_windows(dir.path(), "k", small_set());
  const auto f = only_file(dir.path());
  std::string b = bytes_of(f);
  // The first sample's float: after magic (8), key (8 + 1), length and channels (16), count (8).
  const size_t sample = 8 + 9 + 16 + 8;
  b[sample + 2] = static_cast<char>(b[sample + 2] ^ 0x01);
  test::write_text(f, b);
  EXPECT_FALSE(load_cached_windows(dir.path(), "k").has_value());
}

TEST(WindowCache, OutOfBoundsCountsAndLabelsAreAMissEvenWithAValidChecksum) {
  test::ScratchDir dir;
  store_cached_windows(dir.path(), "k", small_set());
  const auto f = only_file(dir.path());
  const std::string good = bytes_of(f).substr(0, bytes_of(f).size() - 8);
  reseal(f, good);  // the independent checksum agrees with the writer's
  ASSERT_TRUE(load_cached_windows(dir.path(), "k").has_value());
  // The class-name count set to 2^62: after the data (12 floats), labels, subjects and
  // recordings (2 int32 each) and starts (2 int64), each vector after its 8-byte count.
  const size_t count_at = 8 + 9 + 16 + (8 + 12 * 4) + 3 * (8 + 2 * 4) + (8 + 2 * 8);
  std::string huge = good;
  uint64_t count = 0;
  std::memcpy(&count, huge.data() + count_at, 8);
  ASSERT_EQ(count, 2u);  // the offset is the class-name count's
  count = uint64_t{1} << 62;
  std::memcpy(huge.data() + count_at, &count, 8);
  reseal(f, huge);
  EXPECT_FALSE(load_cached_windows(dir.path(), "k").has_value());
  // A label beyond the classes: labels start after the data vector.
  std::string label = good;
  const size_t label_at = 8 + 9 + 16 + (8 + 12 * 4) + 8;
  const int32_t seven = 7;
  std::memcpy(label.data() + label_at, &seven, 4);
  reseal(f, label);
  EXPECT_FALSE(load_cached_windows(dir.path(), "k").has_value());
}

}  // namespace
}  // namespace legohar
