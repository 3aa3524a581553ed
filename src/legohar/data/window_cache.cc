// Implementation of window_cache.h: one binary file per key, named by a 64-bit FNV-1a hash of the
// key and holding the full key, so a hash collision reads as a miss.
#include "legohar/data/window_cache.h"

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "legohar/common/atomic_file.h"

namespace legohar {
namespace fs = std::filesystem;

static constexpr char kMagic[8] = {'L', 'H', 'W', 'I', 'N', 'v', '1', '\0'};

std::string window_cache_key(const std::string& parameters, const std::vector<fs::path>& sources) {
  std::string key = parameters;
  for (const fs::path& p : sources) {
    const auto mtime = fs::last_write_time(p).time_since_epoch();
    key += fmt::format("\n{}|{}|{}", fs::absolute(p).lexically_normal().string(), fs::file_size(p),
                       std::chrono::duration_cast<std::chrono::nanoseconds>(mtime).count());
  }
  return key;
}

static fs::path cache_file(const fs::path& dir, const std::string& key) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return dir / fmt::format("windows-{:016x}.bin", h);
}

namespace {
struct Writer {
  std::string out;
  void u64(uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    out += s;
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    u64(v.size());
    out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
};
struct Reader {
  const std::string& in;
  size_t pos = 0;
  bool ok = true;
  bool take(void* dst, size_t n) {
    if (!ok || pos + n > in.size()) return ok = false;
    std::memcpy(dst, in.data() + pos, n);
    pos += n;
    return true;
  }
  uint64_t u64() {
    uint64_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  std::string str() {
    const uint64_t n = u64();
    if (!ok || pos + n > in.size()) {
      ok = false;
      return {};
    }
    std::string s = in.substr(pos, n);
    pos += n;
    return s;
  }
  template <class T>
  void vec(std::vector<T>& v) {
    const uint64_t n = u64();
    if (!ok || n > (in.size() - pos) / sizeof(T)) {
      ok = false;
      return;
    }
    v.resize(n);
    take(v.data(), n * sizeof(T));
  }
};
}  // namespace

std::optional<WindowSet> load_cached_windows(const fs::path& cache_dir, const std::string& key) {
  std::ifstream in(cache_file(cache_dir, key), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Reader r{bytes};
  char magic[8];
  if (!r.take(magic, 8) || std::memcmp(magic, kMagic, 8) != 0 || r.str() != key)
    return std::nullopt;
  WindowSet w;
  w.length = static_cast<int64_t>(r.u64());
  w.channels = static_cast<int64_t>(r.u64());
  r.vec(w.data);
  r.vec(w.labels);
  r.vec(w.subjects);
  r.vec(w.recordings);
  r.vec(w.starts);
  for (auto* names : {&w.class_names, &w.channel_names}) {
    names->resize(r.u64());
    for (auto& n : *names) n = r.str();
  }
  const size_t n = w.labels.size();
  if (!r.ok || r.pos != bytes.size() || w.data.size() != n * w.length * w.channels ||
      w.subjects.size() != n || w.recordings.size() != n || w.starts.size() != n)
    return std::nullopt;
  return w;
}

void store_cached_windows(const fs::path& cache_dir, const std::string& key, const WindowSet& w) {
  Writer wr;
  wr.out.append(kMagic, 8);
  wr.str(key);
  wr.u64(static_cast<uint64_t>(w.length));
  wr.u64(static_cast<uint64_t>(w.channels));
  wr.vec(w.data);
  wr.vec(w.labels);
  wr.vec(w.subjects);
  wr.vec(w.recordings);
  wr.vec(w.starts);
  for (const auto* names : {&w.class_names, &w.channel_names}) {
    wr.u64(names->size());
    for (const auto& n : *names) wr.str(n);
  }
  write_file_atomically(cache_file(cache_dir, key), wr.out);
}

}  // namespace legohar
