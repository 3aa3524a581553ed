// Implementation of window_cache.h: one binary file per key, named by a 64-bit FNV-1a hash of the
// key and holding the full key, so a hash collision reads as a miss; a checksum of its bytes ends
// it.
#include "legohar/data/window_cache.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

#include "legohar/common/atomic_file.h"
#include "legohar/common/checksum.h"
#include "legohar/common/error.h"

namespace legohar {
namespace fs = std::filesystem;

// v2: a checksum of every byte before it ends the file. v3: the samples once and each window's
// offset into them (windows as views).
static constexpr char kMagic[8] = {'L', 'H', 'W', 'I', 'N', 'v', '3', '\0'};

std::string window_cache_key(const std::string& parameters, const std::vector<fs::path>& sources) {
  std::string key = parameters;
  std::vector<char> buffer(1 << 20);
  for (const fs::path& p : sources) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error::data(p, 0, "cannot open file (missing or unreadable)");
    uint64_t h = kFnv1a64Offset;
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      h = fnv1a64(buffer.data(), static_cast<size_t>(in.gcount()), h);
    }
    key += fmt::format("\n{}|{}|{:016x}", fs::absolute(p).lexically_normal().string(),
                       fs::file_size(p), h);
  }
  return key;
}

static fs::path cache_file(const fs::path& dir, const std::string& key) {
  return dir / fmt::format("windows-{:016x}.bin", fnv1a64(key.data(), key.size()));
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
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Damaged bytes anywhere (a flipped bit, a truncated write) fail the checksum: a miss, rebuilt.
  uint64_t checksum = 0;
  if (bytes.size() < sizeof checksum) return std::nullopt;
  std::memcpy(&checksum, bytes.data() + bytes.size() - sizeof checksum, sizeof checksum);
  bytes.resize(bytes.size() - sizeof checksum);
  if (checksum != fnv1a64(bytes.data(), bytes.size())) return std::nullopt;
  Reader r{bytes};
  char magic[8];
  if (!r.take(magic, 8) || std::memcmp(magic, kMagic, 8) != 0 || r.str() != key)
    return std::nullopt;
  WindowSet w;
  w.length = static_cast<int64_t>(r.u64());
  w.channels = static_cast<int64_t>(r.u64());
  r.vec(w.samples);
  r.vec(w.offsets);
  r.vec(w.labels);
  r.vec(w.subjects);
  r.vec(w.recordings);
  r.vec(w.starts);
  for (auto* names : {&w.class_names, &w.channel_names}) {
    const uint64_t count = r.u64();
    if (!r.ok || count > bytes.size() - r.pos) return std::nullopt;  // each name takes >= 8 bytes
    names->resize(count);
    for (auto& n : *names) n = r.str();
  }
  const size_t n = w.labels.size();
  if (!r.ok || r.pos != bytes.size() || w.length < 1 || w.channels < 1 ||
      w.length > static_cast<int64_t>(bytes.size()) ||
      w.channels > static_cast<int64_t>(bytes.size()) ||
      w.samples.size() % static_cast<size_t>(w.channels) != 0 || w.offsets.size() != n ||
      w.subjects.size() != n || w.recordings.size() != n || w.starts.size() != n ||
      w.channel_names.size() != static_cast<size_t>(w.channels))
    return std::nullopt;
  for (const int32_t label : w.labels)
    if (label < 0 || static_cast<size_t>(label) >= w.class_names.size()) return std::nullopt;
  const auto stored = static_cast<int64_t>(w.samples.size()) / w.channels;
  for (const int64_t offset : w.offsets)  // every window inside the samples
    if (offset < 0 || offset > stored - w.length) return std::nullopt;
  return w;
}

void store_cached_windows(const fs::path& cache_dir, const std::string& key, const WindowSet& w) {
  Writer wr;
  wr.out.append(kMagic, 8);
  wr.str(key);
  wr.u64(static_cast<uint64_t>(w.length));
  wr.u64(static_cast<uint64_t>(w.channels));
  wr.vec(w.samples);
  wr.vec(w.offsets);
  wr.vec(w.labels);
  wr.vec(w.subjects);
  wr.vec(w.recordings);
  wr.vec(w.starts);
  for (const auto* names : {&w.class_names, &w.channel_names}) {
    wr.u64(names->size());
    for (const auto& n : *names) wr.str(n);
  }
  wr.u64(fnv1a64(wr.out.data(), wr.out.size()));
  write_file_atomically(cache_file(cache_dir, key), wr.out);
}

}  // namespace legohar
