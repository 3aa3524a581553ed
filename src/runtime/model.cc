// Implementation of model.h and of crc32 (model_file.h): a bounds-checked reader over the file's
// bytes (in memory, or from disk a chunk at a time), the model's shapes followed from the input to
// the logits while loading, and the forward pass as a chain of ops.h operators over two ping-pong
// buffers.
#include "runtime/model.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace legohar::runtime {

namespace {

// The CRC-32 register after `n` more bytes (start at 0xFFFFFFFF, end with ^ 0xFFFFFFFF).
uint32_t crc32_update(uint32_t c, const unsigned char* p, size_t n) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  for (size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c;
}

}  // namespace

uint32_t crc32(const void* data, size_t n) {
  return crc32_update(0xFFFFFFFFu, static_cast<const unsigned char*>(data), n) ^ 0xFFFFFFFFu;
}

namespace {

[[noreturn]] void fail(const std::string& why) {
  throw LoadError(why);
}

}  // namespace

// A model file's bytes: in memory, or in an open file read a chunk at a time (so that loading
// holds one chunk of the file, not all of it).
class ModelBytes {
 public:
  ModelBytes(const unsigned char* p, uint64_t n) : p_(p), n_(n) {}
  ModelBytes(std::FILE* f, uint64_t n, size_t chunk)
      : f_(f), n_(n), chunk_(std::max<size_t>(chunk, 8)) {}
  uint64_t size() const { return n_; }
  const unsigned char* memory() const { return p_; }  // nullptr for a file
  size_t chunk() const { return chunk_; }
  // Bytes [offset, offset + n), inside the file, to `out`.
  void copy(uint64_t offset, size_t n, unsigned char* out) const {
    if (p_) {
      std::memcpy(out, p_ + offset, n);
    } else if (std::fseek(f_, static_cast<long>(offset), SEEK_SET) != 0 ||
               std::fread(out, 1, n, f_) != n) {
      fail("cannot read bytes " + std::to_string(offset) + "+" + std::to_string(n));
    }
  }
  // The CRC-32 of bytes [offset, offset + n), inside the file.
  uint32_t crc(uint64_t offset, uint64_t n) const {
    if (p_) return crc32(p_ + offset, n);
    unsigned char part[4096];  // on the stack: no heap block left behind
    uint32_t c = 0xFFFFFFFFu;
    for (uint64_t done = 0; done < n;) {
      const size_t now = static_cast<size_t>(std::min<uint64_t>({sizeof part, chunk_, n - done}));
      copy(offset + done, now, part);
      c = crc32_update(c, part, now);
      done += now;
    }
    return c ^ 0xFFFFFFFFu;
  }

 private:
  const unsigned char* p_ = nullptr;
  std::FILE* f_ = nullptr;
  uint64_t n_ = 0;
  size_t chunk_ = 0;
};

namespace {

// Little-endian values from bytes [offset, offset + n) of a model file, in order; reading past
// their end is a LoadError naming `what`. From a file, a chunk is read whenever the values need
// more bytes than it has left.
class Reader {
 public:
  Reader(const ModelBytes& bytes, uint64_t offset, uint64_t n, std::string what)
      : bytes_(&bytes), offset_(offset), n_(n), what_(std::move(what)) {
    if (bytes.memory()) window_ = loaded_ = n;  // the whole range is one window
  }
  uint64_t left() const { return n_ - at_; }
  uint32_t u32(const char* field) {
    const unsigned char* p = take(4, field);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
    return v;
  }
  uint64_t u64(const char* field) {
    const uint64_t lo = u32(field);
    return lo | static_cast<uint64_t>(u32(field)) << 32;
  }
  // `count` raw bytes.
  std::string chars(uint64_t count, const char* field) {
    need(count, field);
    std::string s(static_cast<size_t>(count), '\0');
    for (size_t done = 0; done < s.size();) {
      if (pos_ == window_) refill();
      const size_t now = std::min<size_t>(window_ - pos_, s.size() - done);
      std::memcpy(&s[done], data() + pos_, now);
      pos_ += now;
      at_ += now;
      done += now;
    }
    return s;
  }
  // `count` float32 or u32 values (T is float or uint32_t), checked against the bytes left.
  template <class T>
  std::vector<T> array(uint64_t count, const char* field) {
    std::vector<T> v(fits<T>(count, field));
    for (T& x : v) x = value<T>(field);
    return v;
  }
  std::vector<float> floats(uint64_t count, const char* field) {
    return array<float>(count, field);
  }
  // Filters [rows, taps] read straight into pack_filters' layout (ops.h): no unpacked copy.
  std::vector<float> packed_filters(uint64_t rows, uint64_t taps, const char* field) {
    fits<float>(rows * taps, field);  // rows < 2^16, taps < 2^32: no overflow
    std::vector<float> packed(packed_size(rows, taps), 0.0f);
    for (size_t r = 0; r < rows; ++r)
      for (size_t k = 0; k < taps; ++k) packed[packed_index(r, k, taps)] = value<float>(field);
    return packed;
  }

 private:
  void need(uint64_t bytes, const char* field) const {
    if (bytes > left()) fail(what_ + ": truncated at " + field);
  }
  const unsigned char* data() const {
    return bytes_->memory() ? bytes_->memory() + offset_ : buf_.data();
  }
  // The next `bytes` (at most 8) in one piece.
  const unsigned char* take(size_t bytes, const char* field) {
    need(bytes, field);
    if (window_ - pos_ < bytes) refill();
    const unsigned char* p = data() + pos_;
    pos_ += bytes;
    at_ += bytes;
    return p;
  }
  // From a file: the window's unread bytes, then the next chunk after them.
  void refill() {
    const size_t keep = window_ - pos_;
    buf_.resize(bytes_->chunk());
    std::memmove(buf_.data(), buf_.data() + pos_, keep);
    const size_t more = static_cast<size_t>(std::min<uint64_t>(buf_.size() - keep, n_ - loaded_));
    bytes_->copy(offset_ + loaded_, more, buf_.data() + keep);
    loaded_ += more;
    pos_ = 0;
    window_ = keep + more;
  }
  // `count`, checked: that many 4-byte values are left.
  template <class T>
  size_t fits(uint64_t count, const char* field) const {
    static_assert(sizeof(T) == 4, "4-byte values only");
    if (count > left() / 4)
      fail(what_ + ": " + field + " needs " + std::to_string(count) +
           (std::is_same_v<T, float> ? " floats, " : " values, ") + std::to_string(left()) +
           " bytes are left");
    return static_cast<size_t>(count);
  }
  template <class T>
  T value(const char* field) {
    const uint32_t bits = u32(field);
    T x;
    std::memcpy(&x, &bits, 4);
    return x;
  }
  const ModelBytes* bytes_;
  uint64_t offset_, n_, at_ = 0, loaded_ = 0;  // loaded_: bytes of [offset, offset + n) read
  std::vector<unsigned char> buf_;             // a file's window
  size_t pos_ = 0, window_ = 0;                // the window's next byte and its end
  std::string what_;
};

// The parts of `s` between separators, as std::getline reads them: a separator at the very end
// ends the last part rather than starting an empty one ("a,b," and "a,b" are both {a, b}).
// (No iostreams in the runtime: their locale machinery costs a device hundreds of kB.)
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  for (size_t from = 0; from < s.size();) {
    const size_t to = std::min(s.find(sep, from), s.size());
    out.push_back(s.substr(from, to - from));
    from = to + 1;
  }
  return out;
}

// A u32 field that must lie in [lo, hi].
uint32_t bounded(Reader& r, const char* field, uint32_t lo, uint32_t hi) {
  const uint32_t v = r.u32(field);
  if (v < lo || v > hi)
    fail(std::string("layer field ") + field + " = " + std::to_string(v) + " outside [" +
         std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

// A limit on every dimension and on every activation: far beyond any HAR model, small enough that
// products of a few of them cannot overflow size_t.
constexpr uint32_t kMaxDim = 1u << 16;
constexpr unsigned long kMaxFileBytes = 1ul << 31;  // load_file reads at most 2 GiB
constexpr uint64_t kMaxActivation = 1ull << 28;

// An i32 field that must lie in [-kMaxDim, kMaxDim].
long signed_bounded(Reader& r, const char* field) {
  const auto v = static_cast<int32_t>(r.u32(field));
  if (v < -static_cast<int32_t>(kMaxDim) || v > static_cast<int32_t>(kMaxDim))
    fail(std::string("layer field ") + field + " = " + std::to_string(v) + " outside [-" +
         std::to_string(kMaxDim) + ", " + std::to_string(kMaxDim) + "]");
  return v;
}

// The maps between layers: [c, h, w].
struct MapShape {
  size_t c = 0, h = 0, w = 0;
  uint64_t size() const { return static_cast<uint64_t>(c) * h * w; }
  bool operator==(const MapShape& o) const { return c == o.c && h == o.h && w == o.w; }
  std::string text() const {
    return "[" + std::to_string(c) + ", " + std::to_string(h) + ", " + std::to_string(w) + "]";
  }
};

// A convolution's fields (kConv, kLego, kAdd's projection) on maps `in`, checked; the relu flag
// with them. Version 1 has one padding for both axes.
void read_conv_fields(Reader& r, uint32_t version, const std::string& at, const MapShape& in,
                      LayerRecord& l) {
  ConvShape& s = l.shape.conv;
  s.in_channels = bounded(r, "C", 1, kMaxDim);
  if (s.in_channels != in.c)
    fail(at + " takes " + std::to_string(s.in_channels) + " channels, its input has " +
         std::to_string(in.c));
  s.height = in.h;
  s.width = in.w;
  s.out_channels = bounded(r, "n", 1, kMaxDim);
  s.kernel = bounded(r, "d", 1, kMaxDim);
  s.stride = bounded(r, "stride", 1, kMaxDim);
  if (version == 1) {
    s.pad_width = bounded(r, "padding", 0, kMaxDim);
    s.pad_before = s.pad_after = static_cast<long>(s.pad_width);
  } else {
    s.pad_before = signed_bounded(r, "pad_before");
    s.pad_after = signed_bounded(r, "pad_after");
    s.pad_width = bounded(r, "pad_width", 0, kMaxDim);
  }
  l.relu = bounded(r, "relu", 0, 1) == 1;
  if (s.out_height() == 0) fail(at + ": the filter does not fit its input");
  if (static_cast<uint64_t>(s.out_channels) * s.out_height() * s.out_width() > kMaxActivation ||
      static_cast<uint64_t>(s.in_channels) * s.kernel * s.out_height() * s.out_width() >
          kMaxActivation)
    fail(at + ": activations beyond 2^28 values");
}

// A convolution's weight and bias after its fields, the weight packed.
void read_conv_arrays(Reader& r, LayerRecord& l) {
  const ConvShape& s = l.shape.conv;
  l.weight = r.packed_filters(s.out_channels, static_cast<uint64_t>(s.in_channels) * s.kernel,
                              "conv weight");
  l.bias = r.floats(s.out_channels, "bias");
}

}  // namespace

Model Model::load_file(const std::string& path, size_t chunk_bytes) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"),
                                                           std::fclose);
  if (!in) throw LoadError(path + ": cannot open");
  // A directory opens but does not read: try one byte before trusting the size.
  if (std::fgetc(in.get()) == EOF && std::ferror(in.get()))
    throw LoadError(path + ": cannot read (a directory?)");
  long size = -1;
  if (std::fseek(in.get(), 0, SEEK_END) == 0) size = std::ftell(in.get());
  if (size < 0) throw LoadError(path + ": cannot read");
  if (static_cast<unsigned long>(size) > kMaxFileBytes)
    throw LoadError(path + ": " + std::to_string(size) + " bytes, beyond a model's " +
                    std::to_string(kMaxFileBytes));
  try {
    return load(ModelBytes(in.get(), static_cast<uint64_t>(size), chunk_bytes));
  } catch (const LoadError& e) {
    throw LoadError(path + ": " + e.what());
  }
}

Model Model::load_buffer(const void* data, size_t size) {
  return load(ModelBytes(static_cast<const unsigned char*>(data), size));
}

Model Model::load(const ModelBytes& bytes) {
  const uint64_t size = bytes.size();
  Reader header(bytes, 0, size, "header");
  if (size < 16 || header.chars(8, "magic") != std::string(kModelMagic, 8))
    fail("not a legohar model file (no LEGOHARM magic)");
  const uint32_t version = header.u32("version");
  if (version < 1 || version > kModelVersion)
    fail("format version " + std::to_string(version) + ", this runtime reads 1 to " +
         std::to_string(kModelVersion));
  const uint32_t count = header.u32("section count");
  if (count > header.left() / kSectionEntryBytes)
    fail("section table: " + std::to_string(count) + " entries do not fit the file");
  struct Section {
    uint64_t offset = 0, size = 0;
    bool found = false;
  } meta, norm, layr;
  for (uint32_t s = 0; s < count; ++s) {
    const std::string tag = header.chars(4, "tag").c_str();  // up to a NUL, if any
    const uint32_t crc = header.u32("crc");
    const uint64_t offset = header.u64("offset"), length = header.u64("size");
    if (offset > size || length > size - offset)
      fail("section " + tag + ": bytes " + std::to_string(offset) + "+" + std::to_string(length) +
           " lie outside the file (" + std::to_string(size) + " bytes)");
    if (bytes.crc(offset, length) != crc)
      fail("section " + tag + ": CRC-32 mismatch (the file is damaged)");
    Section* known = tag == "META"   ? &meta
                     : tag == "NORM" ? &norm
                     : tag == "LAYR" ? &layr
                                     : nullptr;
    if (known)
      *known = {offset, length, true};  // unknown sections are skipped: a newer writer may add some
  }
  if (!meta.found || !norm.found || !layr.found) fail("a META, NORM and LAYR section are required");
  const std::string meta_text =
      Reader(bytes, meta.offset, meta.size, "META").chars(meta.size, "text");
  Reader norms(bytes, norm.offset, norm.size, "NORM"),
      layers(bytes, layr.offset, layr.size, "LAYR");

  Model m;
  // A whole number in [1, 10^6) ("window", "step").
  auto whole = [](const std::string& key, const std::string& value) -> size_t {
    const bool digits =
        !value.empty() && value.size() <= 6 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoul(value) == 0)
      fail("META: " + key + " '" + value + "' is not a whole number in [1, 10^6)");
    return std::stoul(value);
  };
  std::string preprocess;
  for (const std::string& line : split(meta_text, '\n')) {
    const size_t space = line.find(' ');
    const std::string key = line.substr(0, space),
                      value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "classes") {
      m.classes_ = split(value, ',');
    } else if (key == "channels") {
      m.channels_ = split(value, ',');
    } else if (key == "window") {
      m.window_ = whole(key, value);
    } else if (key == "step") {
      m.step_ = whole(key, value);
    } else if (key == "sample_rate") {
      const auto r = std::from_chars(value.data(), value.data() + value.size(), m.sample_rate_hz_);
      if (value.empty() || r.ec != std::errc() || r.ptr != value.data() + value.size() ||
          !(m.sample_rate_hz_ > 0 && m.sample_rate_hz_ <= 1e5))
        fail("META: sample_rate '" + value + "' is not a rate in (0, 100000] Hz");
    } else if (key == "preprocess") {
      preprocess = value;
    }
  }
  if (m.classes_.size() < 2 || m.channels_.empty() || m.window_ == 0)
    fail("META: needs classes (two or more), channels and a window");
  if (m.step_ == 0) m.step_ = m.window_;
  if (!preprocess.empty()) {
    const std::string kind = "uci-har ";
    if (preprocess.compare(0, kind.size(), kind) != 0)
      fail("META: unknown preprocess '" + preprocess + "' (this runtime knows uci-har)");
    try {
      m.filters_ = UciHarFilters::parse(preprocess.substr(kind.size()));
    } catch (const std::invalid_argument& e) {
      fail(std::string("META: preprocess: ") + e.what());
    }
    if (m.channels_.size() != kUciHarChannels)
      fail("META: the uci-har preprocess makes 9 channels, the model reads " +
           std::to_string(m.channels_.size()));
    if (m.sample_rate_hz_ == 0) m.sample_rate_hz_ = m.filters_->sample_rate_hz;
    if (m.sample_rate_hz_ != m.filters_->sample_rate_hz)
      fail("META: sample_rate differs from the preprocess's fs");
  }
  const size_t C = m.channels_.size();
  if (static_cast<uint64_t>(m.window_) * C > kMaxActivation)
    fail("META: a window beyond 2^28 values");
  m.mean_ = norms.floats(C, "mean");
  m.std_ = norms.floats(C, "std");
  for (float s : m.std_)
    if (!(s > 0)) fail("NORM: a standard deviation is not positive");

  // The maps flowing through the layers; the window is [1, T, C].
  MapShape map{1, m.window_, C};
  std::optional<MapShape> saved;  // the maps a kSave keeps for the next kAdd
  bool flat = false, saves = false;
  const uint32_t n_layers = bounded(layers, "count", 1, 4096);
  for (uint32_t i = 0; i < n_layers; ++i) {
    LayerRecord l;
    const std::string at = "layer " + std::to_string(i + 1);
    const uint32_t kind = layers.u32("kind");
    if (flat) fail(at + " follows the dense layer");
    l.kind = static_cast<LayerKind>(kind);
    if (version == 1 && kind > static_cast<uint32_t>(LayerKind::kDense))
      fail(at + ": kind " + std::to_string(kind) + " in a version 1 file");
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kLego: {
        read_conv_fields(layers, version, at, map, l);
        const ConvShape& s = l.shape.conv;
        if (l.kind == LayerKind::kConv) {
          read_conv_arrays(layers, l);
        } else {
          l.shape.fragments = bounded(layers, "o", 1, static_cast<uint32_t>(s.in_channels));
          l.shape.filters = bounded(layers, "k", 1, kMaxDim);
          if (s.in_channels % l.shape.fragments != 0) fail(at + ": o does not divide C");
          if (static_cast<uint64_t>(l.shape.fragments) * l.shape.filters * s.out_height() *
                  s.out_width() >
              kMaxActivation)
            fail(at + ": Lego maps beyond 2^28 values");
          const size_t taps = s.in_channels / l.shape.fragments * s.kernel;
          l.weight = layers.packed_filters(l.shape.filters, taps, "lego filters");
          l.selection = layers.array<uint32_t>(
              static_cast<uint64_t>(l.shape.fragments) * s.out_channels, "selection");
          for (uint32_t k : l.selection)
            if (k >= l.shape.filters) fail(at + ": selection " + std::to_string(k) + " >= k");
          l.coef = layers.floats(static_cast<uint64_t>(l.shape.fragments) * s.out_channels,
                                 "coefficients");
          l.bias = layers.floats(s.out_channels, "bias");
        }
        map = {s.out_channels, s.out_height(), s.out_width()};
        break;
      }
      case LayerKind::kDense: {
        const uint32_t inputs = layers.u32("inputs");
        if (inputs != map.size())
          fail("the dense layer takes " + std::to_string(inputs) + " inputs, the maps hold " +
               std::to_string(map.size()));
        const uint32_t outputs = bounded(layers, "outputs", 1, kMaxDim);
        if (outputs != m.classes_.size())
          fail("the dense layer has " + std::to_string(outputs) + " outputs for " +
               std::to_string(m.classes_.size()) + " classes");
        l.shape.conv.in_channels = inputs;
        l.shape.conv.out_channels = outputs;
        l.weight = layers.floats(static_cast<uint64_t>(inputs) * outputs, "dense weight");
        l.bias = layers.floats(outputs, "dense bias");
        flat = true;
        break;
      }
      case LayerKind::kDenseRows: {
        const uint32_t inputs = bounded(layers, "inputs", 1, kMaxDim);
        if (inputs != map.w)
          fail(at + " takes rows of " + std::to_string(inputs) + ", the maps' rows hold " +
               std::to_string(map.w));
        const uint32_t outputs = bounded(layers, "outputs", 1, kMaxDim);
        l.relu = bounded(layers, "relu", 0, 1) == 1;
        if (static_cast<uint64_t>(map.c) * map.h * outputs > kMaxActivation)
          fail(at + ": activations beyond 2^28 values");
        l.shape.conv.in_channels = inputs;
        l.shape.conv.out_channels = outputs;
        l.weight = layers.floats(static_cast<uint64_t>(inputs) * outputs, "weight");
        l.bias = layers.floats(outputs, "bias");
        map.w = outputs;
        break;
      }
      case LayerKind::kAffine: {
        l.axis = bounded(layers, "axis", 0, 2);
        if (l.axis == 1) fail(at + ": an affine map along time (axis 1)");
        l.relu = bounded(layers, "relu", 0, 1) == 1;
        const size_t dim = l.axis == 0 ? map.c : map.w;
        l.weight = layers.floats(dim, "scale");
        l.bias = layers.floats(dim, "shift");
        break;
      }
      case LayerKind::kSave:
        if (saved) fail(at + ": a second save before the add");
        saved = map;
        saves = true;
        break;
      case LayerKind::kAdd: {
        if (!saved) fail(at + ": an add without a save before it");
        l.projection = bounded(layers, "projection", 0, 1) == 1;
        MapShape shortcut = *saved;
        if (l.projection) {
          if (layers.u32("projection kind") != static_cast<uint32_t>(LayerKind::kConv))
            fail(at + ": the projection is not a convolution");
          read_conv_fields(layers, version, at + " (projection)", *saved, l);
          read_conv_arrays(layers, l);
          const ConvShape& s = l.shape.conv;
          shortcut = {s.out_channels, s.out_height(), s.out_width()};
        }
        if (!(shortcut == map))
          fail(at + ": adds a shortcut " + shortcut.text() + " to maps " + map.text());
        saved.reset();
        break;
      }
      case LayerKind::kLstm: {
        const uint32_t inputs = bounded(layers, "inputs", 1, kMaxDim);
        if (map.c != 1 || inputs != map.w)
          fail(at + " reads a sequence [1, T, " + std::to_string(inputs) + "], the maps are " +
               map.text());
        const uint32_t hidden = bounded(layers, "hidden", 1, 4096);
        l.directions = bounded(layers, "directions", 1, 2);
        if (static_cast<uint64_t>(map.h) * 4 * hidden > kMaxActivation)
          fail(at + ": activations beyond 2^28 values");
        l.shape.conv.in_channels = inputs;
        l.shape.conv.out_channels = hidden;
        l.shape.conv.height = map.h;
        const uint64_t gates = 4ull * hidden;
        for (uint32_t d = 0; d < l.directions; ++d) {
          const std::vector<float> w = layers.floats(gates * (inputs + hidden), "lstm weights");
          const std::vector<float> b = layers.floats(gates, "lstm bias");
          l.weight.insert(l.weight.end(), w.begin(), w.end());
          l.bias.insert(l.bias.end(), b.begin(), b.end());
        }
        map.w = static_cast<size_t>(l.directions) * hidden;
        break;
      }
      case LayerKind::kReadout:
        l.mean = bounded(layers, "mean", 0, 1) == 1;
        l.shape.conv = {map.c, map.h, map.w};
        map.h = 1;
        break;
      default:
        fail(at + ": unknown kind " + std::to_string(kind));
    }
    m.layers_.push_back(std::move(l));
  }
  if (!flat) fail("the last layer is not the dense classifier");
  if (saved) fail("a save without an add after it");
  if (layers.left() != 0)
    fail("LAYR: " + std::to_string(layers.left()) + " bytes after the last layer");
  m.buffers_ = saves ? 3 : 2;
  m.drop_constant_columns();
  m.size_buffers();
  m.workspaces_.push_back(m.workspace());
  return m;
}

namespace {

// f(layer, the maps it reads, the maps it leaves) for each layer of a loaded model in order, the
// window [1, T, C] first.
template <class F>
void each_layer(const std::vector<LayerRecord>& layers, size_t T, size_t C, F&& f) {
  MapShape map{1, T, C};
  for (const LayerRecord& l : layers) {
    const ConvShape& s = l.shape.conv;
    MapShape out = map;
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kLego:
        out = {s.out_channels, s.out_height(), s.out_width()};
        break;
      case LayerKind::kDense:
        out = {s.out_channels, 1, 1};
        break;
      case LayerKind::kDenseRows:
        out.w = s.out_channels;
        break;
      case LayerKind::kLstm:
        out.w = l.directions * s.out_channels;
        break;
      case LayerKind::kReadout:
        out.h = 1;
        break;
      case LayerKind::kAffine:
      case LayerKind::kSave:
      case LayerKind::kAdd:
        break;
    }
    f(l, map, out);
    map = out;
  }
}

}  // namespace

void Model::size_buffers() {
  uint64_t activations = window_ * channels_.size(), scratch = 0;
  each_layer(layers_, window_, channels_.size(),
             [&](const LayerRecord& l, const MapShape& in, const MapShape& out) {
               activations = std::max(activations, out.size());
               if (l.kind == LayerKind::kConv || (l.kind == LayerKind::kAdd && l.projection))
                 scratch = std::max<uint64_t>(scratch, conv_scratch_floats(l.shape.conv));
               else if (l.kind == LayerKind::kLego)
                 scratch = std::max<uint64_t>(scratch, lego_scratch_floats(l.shape));
               else if (l.kind == LayerKind::kLstm)
                 scratch = std::max<uint64_t>(
                     scratch, lstm_scratch_floats({in.h, in.w, l.shape.conv.out_channels}));
             });
  activation_ = activations;
  scratch_floats_ = scratch;
}

uint64_t Model::multiply_adds() const {
  uint64_t sum = 0;
  const auto conv = [](const ConvShape& s) {
    return static_cast<uint64_t>(s.out_channels) * s.in_channels * s.kernel * s.out_height() *
           s.out_width();
  };
  each_layer(layers_, window_, channels_.size(),
             [&](const LayerRecord& l, const MapShape& in, const MapShape& out) {
               const ConvShape& s = l.shape.conv;
               switch (l.kind) {
                 case LayerKind::kConv:
                   sum += conv(s);
                   break;
                 case LayerKind::kLego: {
                   // The transform (each fragment with each Lego filter), then the merge.
                   const uint64_t positions = out.h * out.w;
                   sum += static_cast<uint64_t>(l.shape.filters) * s.in_channels * s.kernel *
                              positions +
                          static_cast<uint64_t>(l.shape.fragments) * s.out_channels * positions;
                   break;
                 }
                 case LayerKind::kAdd:
                   if (l.projection) sum += conv(s);
                   break;
                 case LayerKind::kDense:
                   sum += static_cast<uint64_t>(s.in_channels) * s.out_channels;
                   break;
                 case LayerKind::kDenseRows:
                   sum += static_cast<uint64_t>(in.c) * in.h * s.in_channels * s.out_channels;
                   break;
                 case LayerKind::kLstm:
                   sum += static_cast<uint64_t>(l.directions) * in.h * 4 * s.out_channels *
                          (s.in_channels + s.out_channels);
                   break;
                 default:
                   break;
               }
             });
  return sum;
}

void Model::drop_constant_columns() {
  const size_t classifier = layers_.size() - 1, C = channels_.size();
  // The window's columns in each layer's maps start at column first[i] of the maps layer i reads
  // (C of them, always: a layer here neither adds nor removes any of them).
  std::vector<size_t> first(classifier + 1, 0);
  for (size_t i = 0; i < classifier; ++i) {
    const LayerRecord& l = layers_[i];
    size_t next = first[i];
    switch (l.kind) {
      case LayerKind::kConv:
      case LayerKind::kLego:
        next += l.shape.conv.pad_width;
        break;
      case LayerKind::kSave:
      case LayerKind::kAdd:
        // Paddings are symmetric, so maps w = C + 2 * first columns wide start the window's
        // columns at first: a shortcut of the maps' width (the loader checked) starts them
        // where the maps do.
      case LayerKind::kAffine:
      case LayerKind::kReadout:
        break;
      default:  // dense rows, LSTM: they mix columns
        return;
    }
    first[i + 1] = next;
  }
  // Every padding is symmetric: the classifier's maps are lo + C + lo columns wide.
  const size_t lo = first[classifier], width = C + 2 * lo;
  if (lo == 0) return;  // no layer pads the sensor axis

  // The layers run twice: on the columns no window reaches alone, as a window of no columns meets
  // them (a few kB: no full-width maps are ever held), then on the window's columns alone. An
  // affine map along the sensor axis takes the scale and shift of its columns from the whole ones.
  std::vector<std::array<std::vector<float>, 2>> whole(classifier);
  for (size_t i = 0; i < classifier; ++i)
    if (layers_[i].kind == LayerKind::kAffine && layers_[i].axis == 2)
      whole[i] = {std::move(layers_[i].weight), std::move(layers_[i].bias)};
  const auto run_on = [&](bool window) {
    for (size_t i = 0; i < classifier; ++i) {
      LayerRecord& l = layers_[i];
      l.shape.conv.width = window ? C : l.shape.conv.width - C;
      if (window) l.shape.conv.pad_width = 0;
      if (l.kind != LayerKind::kAffine || l.axis != 2) continue;
      for (size_t k = 0; k < 2; ++k) {
        const std::vector<float>& v = whole[i][k];
        std::vector<float>& to = k == 0 ? l.weight : l.bias;
        const auto at = v.begin() + static_cast<long>(first[i]), end = at + static_cast<long>(C);
        to.assign(window ? at : v.begin(), window ? end : at);
        if (!window) to.insert(to.end(), end, v.end());
      }
    }
  };
  run_on(false);
  size_buffers();
  Workspace empty = workspace();
  // The classifier's maps [rows, 2 lo]: its first lo columns, then its last lo.
  const float* constants = forward(nullptr, 0, classifier, nullptr, empty);
  LayerRecord& dense = layers_[classifier];
  const size_t inputs = dense.shape.conv.in_channels, outputs = dense.shape.conv.out_channels;
  const size_t rows = inputs / width;  // channels x time
  std::vector<float> weight(rows * C * outputs);
  for (size_t o = 0; o < outputs; ++o) {
    const float* w = dense.weight.data() + o * inputs;
    double bias = dense.bias[o];
    for (size_t r = 0; r < rows; ++r)
      for (size_t x = 0; x < width; ++x) {
        if (x >= lo && x < lo + C)
          weight[(o * rows + r) * C + x - lo] = w[r * width + x];
        else
          bias +=
              static_cast<double>(w[r * width + x]) * constants[r * 2 * lo + (x < lo ? x : x - C)];
      }
    dense.bias[o] = static_cast<float>(bias);
  }
  dense.weight = std::move(weight);
  dense.shape.conv.in_channels = rows * C;
  run_on(true);
}

Model::Workspace Model::workspace() const {
  return {std::vector<float>(buffers_ * activation_), std::vector<float>(scratch_floats_)};
}

size_t Model::working_bytes() const {
  return workspaces_.size() * (buffers_ * activation_ + scratch_floats_) * sizeof(float);
}

void Model::set_threads(size_t threads) {
  if (threads == 0) throw std::invalid_argument("set_threads: at least 1 thread");
  workspaces_.resize(std::min(threads, workspaces_.size()));
  while (workspaces_.size() < threads) workspaces_.push_back(workspace());
}

void Model::logits(const float* window, float* out) {
  logits(window, out, workspaces_[0]);
}

void Model::predict(const float* window, float* probabilities) {
  logits(window, probabilities);
  softmax(probabilities, classes_.size());
}

template <class F>
void Model::each_window(const float* windows, size_t count, float* out, size_t row, F&& f) {
  const size_t values = window_ * channels_.size();
  const size_t workers = std::min(workspaces_.size(), count);
  if (workers == 0) return;
  // Worker w takes windows [w * count / workers, (w + 1) * count / workers).
  const auto share = [&](size_t w) {
    for (size_t i = w * count / workers; i < (w + 1) * count / workers; ++i)
      f(windows + i * values, out + i * row, workspaces_[w]);
  };
  std::vector<std::thread> helpers;
  helpers.reserve(workers - 1);
  for (size_t w = 1; w < workers; ++w) helpers.emplace_back(share, w);
  share(0);
  for (std::thread& t : helpers) t.join();
}

void Model::logits(const float* windows, size_t count, float* out) {
  each_window(windows, count, out, classes_.size(),
              [&](const float* window, float* o, Workspace& w) { logits(window, o, w); });
}

void Model::predict(const float* windows, size_t count, float* probabilities) {
  each_window(windows, count, probabilities, classes_.size(),
              [&](const float* window, float* o, Workspace& w) {
                logits(window, o, w);
                softmax(o, classes_.size());
              });
}

void Model::logits(const float* window, float* out, Workspace& w) const {
  forward(window, channels_.size(), layers_.size(), out, w);
}

const float* Model::forward(const float* window, size_t C, size_t end, float* out,
                            Workspace& w) const {
  const size_t T = window_;
  std::vector<float>& scratch = w.scratch;
  float* current = w.maps.data();
  const float* saved = nullptr;
  // A buffer that is neither the current maps nor the saved ones.
  auto spare = [&] {
    for (size_t b = 0;; ++b) {
      float* p = w.maps.data() + b * activation_;
      if (p != current && p != saved) return p;
    }
  };
  for (size_t t = 0; t < T; ++t)
    for (size_t c = 0; c < C; ++c) current[t * C + c] = (window[t * C + c] - mean_[c]) / std_[c];
  size_t size = T * C;  // of the current maps
  for (size_t i = 0; i < end; ++i) {
    const LayerRecord& l = layers_[i];
    const ConvShape& s = l.shape.conv;
    float* next = spare();
    switch (l.kind) {
      case LayerKind::kDense:
        dense(s.in_channels, s.out_channels, current, l.weight.data(), l.bias.data(), out);
        return out;
      case LayerKind::kConv:
        conv_d1(s, current, l.weight.data(), l.bias.data(), l.relu, next, scratch);
        size = s.out_channels * s.out_height() * s.out_width();
        break;
      case LayerKind::kLego:
        lego_conv_d1(l.shape, current, l.weight.data(), l.selection.data(), l.coef.data(),
                     l.bias.data(), l.relu, next, scratch);
        size = s.out_channels * s.out_height() * s.out_width();
        break;
      case LayerKind::kDenseRows:
        size = size / s.in_channels * s.out_channels;
        dense_rows(size / s.out_channels, s.in_channels, s.out_channels, current, l.weight.data(),
                   l.bias.data(), l.relu, next);
        break;
      case LayerKind::kAffine: {
        const size_t dim = l.weight.size(), inner = l.axis == 0 ? size / dim : 1;
        affine(size / dim / inner, dim, inner, current, l.weight.data(), l.bias.data(), l.relu,
               next);
        break;
      }
      case LayerKind::kSave:
        saved = current;
        continue;
      case LayerKind::kAdd:
        if (l.projection) {
          conv_d1(s, saved, l.weight.data(), l.bias.data(), l.relu, next, scratch);
          add(current, next, size);
        } else {
          add(current, saved, size);
        }
        saved = nullptr;
        continue;
      case LayerKind::kLstm: {
        const LstmShape shape{s.height, s.in_channels, s.out_channels};
        const size_t gates = 4 * shape.hidden, weights = gates * (shape.inputs + shape.hidden);
        for (uint32_t d = 0; d < l.directions; ++d) {
          const float* w = l.weight.data() + d * weights;
          lstm(shape, current, w, w + gates * shape.inputs, l.bias.data() + d * gates, d == 1,
               next + d * shape.hidden, l.directions * shape.hidden, scratch);
        }
        size = shape.steps * l.directions * shape.hidden;
        break;
      }
      case LayerKind::kReadout:
        readout(s.in_channels, s.height, s.width, l.mean, current, next);
        size = s.in_channels * s.width;
        break;
    }
    current = next;
  }
  return current;
}

}  // namespace legohar::runtime
