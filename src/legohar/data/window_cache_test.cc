// Tests of window_cache.h: a round trip, and a miss whenever a source file or a parameter changes.
#include "legohar/data/window_cache.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace legohar {
namespace {

WindowSet small_set() {
  WindowSet w;
  w.length = 2;
  w.channels = 3;
  w.data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
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
  EXPECT_EQ(back->data, small_set().data);
  EXPECT_EQ(back->starts, small_set().starts);
  EXPECT_EQ(back->channel_names, small_set().channel_names);

  EXPECT_NE(window_cache_key("length=3", {src}), key);
  test::write_text(src, "1 2 3\n4 5 6\n");  // edited: size (and time) differ
  EXPECT_NE(window_cache_key("length=2", {src}), key);
  EXPECT_FALSE(
      load_cached_windows(dir.path() / "cache", window_cache_key("length=2", {src})).has_value());
}

TEST(WindowCache, SameSizeEditChangesKeyThroughModificationTime) {
  test::ScratchDir dir;
  const auto src = dir.path() / "gyro.txt";
  test::write_text(src, "1 2 3\n");
  const std::string before = window_cache_key("p", {src});
  test::write_text(src, "4 5 6\n");
  std::filesystem::last_write_time(src,
                                   std::filesystem::last_write_time(src) + std::chrono::seconds(5));
  EXPECT_NE(window_cache_key("p", {src}), before);
}

TEST(WindowCache, TruncatedFileIsAMiss) {
  test::ScratchDir dir;
  store_cached_windows(dir.path(), "k", small_set());
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    std::filesystem::resize_file(e.path(), std::filesystem::file_size(e.path()) - 5);
  EXPECT_FALSE(load_cached_windows(dir.path(), "k").has_value());
}

}  // namespace
}  // namespace legohar
