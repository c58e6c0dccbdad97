#include "common/json.hpp"
#include "common/json_number.hpp"
#include "common/json_text.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <system_error>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace stepline::json {

ParseError::ParseError(std::string message, std::size_t line, std::size_t column)
    : std::runtime_error(std::move(message)), line_(line), column_(column) {}

namespace {

// Builds a value through a value_stack, re-parsing every floating point literal with
// std::from_chars because Boost.JSON 1.81's own conversion is not always correctly rounded.
class Builder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  boost::json::value_stack stack;
  std::string number;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_object_begin(boost::json::error_code&) { return true; }
  bool on_object_end(std::size_t n, boost::json::error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_string_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_number_part(boost::json::string_view s, boost::json::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, boost::json::string_view, boost::json::error_code&) {
    number.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, boost::json::error_code&) {
    number.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view s, boost::json::error_code&) {
    number.append(s.data(), s.size());
    double exact = d;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), exact);
    if (ec == std::errc::result_out_of_range) {
      exact = number.find_first_of("eE") != std::string::npos &&
                      number.find("e-") == std::string::npos &&
                      number.find("E-") == std::string::npos
                  ? (number[0] == '-' ? -HUGE_VAL : HUGE_VAL)
                  : 0.0;
    }
    (void)ptr;
    number.clear();
    stack.push_double(exact);
    return true;
  }
  bool on_bool(bool b, boost::json::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(boost::json::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }
};

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// n bytes, W <= n <= 2W, as two overlapping W-byte words (both loaded before either is stored).
template <std::size_t W>
inline void copy_overlapping(char* dst, const char* src, std::size_t n) {
  char head[W], tail[W];
  std::memcpy(head, src, W);
  std::memcpy(tail, src + n - W, W);
  std::memcpy(dst, head, W);
  std::memcpy(dst + n - W, tail, W);
}

// memcpy for the short keys and values state data is made of, without the call: at most two
// overlapping loads and stores, all within [dst, dst + n).
inline void copy_short(char* dst, const char* src, std::size_t n) {
  if (n > 16) {
    std::memcpy(dst, src, n);
  } else if (n >= 8) {
    copy_overlapping<8>(dst, src, n);
  } else if (n >= 4) {
    copy_overlapping<4>(dst, src, n);
  } else if (n > 0) {
    const char first = src[0], middle = src[n / 2], last = src[n - 1];
    dst[0] = first;
    dst[n / 2] = middle;
    dst[n - 1] = last;
  }
}

// Writes JSON text into a sink: either a string (dump) or a byte counter (dumped_size), so the
// two can never disagree.
// The writing half of the text sinks: a raw cursor into room made ahead (the history serialises
// every state's data, and std::string's per-append capacity checks and out-of-line calls cost
// more than the characters). Derived::grow(n) makes room for n more bytes and moves p_/end_.
template <class Derived>
class CursorSink {
 public:
  void reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) static_cast<Derived*>(this)->grow(n);
  }
  void put(char c) {
    reserve(1);
    *p_++ = c;
  }
  void put(std::string_view s) {
    reserve(s.size());
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  // Unchecked: the caller reserved room.
  void put_unchecked(char c) { *p_++ = c; }
  void put_unchecked(const char* s, std::size_t n) {
    copy_short(p_, s, n);
    p_ += n;
  }
  // '"' s '"', room reserved for it.
  void put_quoted_unchecked(const char* s, std::size_t n) {
    *p_ = '"';
    copy_short(p_ + 1, s, n);
    p_[n + 1] = '"';
    p_ += n + 2;
  }

 protected:
  char* p_ = nullptr;
  char* end_ = nullptr;
};

// Writes into `out` from `pos` on. The string is grown ahead (zero-filled once) and cut to the
// written length by finish().
class StringSink : public CursorSink<StringSink> {
 public:
  StringSink(std::string& out, std::size_t pos) : out_(out) {
    if (out_.size() < pos + 256) out_.resize(std::max(pos + 256, out_.size() * 2));
    base_ = out_.data();
    p_ = base_ + pos;
    end_ = base_ + out_.size();
  }
  // The written length; the string keeps its spare bytes until the caller resizes it.
  std::size_t length() const { return static_cast<std::size_t>(p_ - base_); }
  void finish() { out_.resize(length()); }

 private:
  friend class CursorSink<StringSink>;
  void grow(std::size_t n) {
    const std::size_t used = length();
    out_.resize(std::max(used + n, out_.size() * 2));
    base_ = out_.data();
    p_ = base_ + used;
    end_ = base_ + out_.size();
  }
  std::string& out_;
  char* base_;
};

// Writes into a TextArena's current chunk, moving the text to a new chunk when it outgrows it.
class ArenaSink : public CursorSink<ArenaSink> {
 public:
  explicit ArenaSink(TextArena& arena) : arena_(arena), start_(arena.cursor()) {
    p_ = start_;
    end_ = arena.end();
  }
  std::string_view finish() {
    arena_.commit(p_);
    return {start_, static_cast<std::size_t>(p_ - start_)};
  }

 private:
  friend class CursorSink<ArenaSink>;
  void grow(std::size_t n) {
    const auto used = static_cast<std::size_t>(p_ - start_);
    start_ = arena_.make_room(start_, used, n);
    p_ = start_ + used;
    end_ = arena_.end();
  }
  TextArena& arena_;
  char* start_;
};

struct CountingSink {
  std::size_t n = 0;
  void reserve(std::size_t) {}
  void put(char) { ++n; }
  void put(std::string_view s) { n += s.size(); }
  void put_unchecked(char) { ++n; }
  void put_unchecked(const char*, std::size_t len) { n += len; }
  void put_quoted_unchecked(const char*, std::size_t len) { n += len + 2; }
};

// Bytes a JSON string must escape: the quote, the backslash and the control characters.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

// Whether one of the eight bytes of `word` is a control character, '"' or '\\' (bit tricks from
// "Bit Twiddling Hacks": a byte below n, a zero byte after an XOR).
constexpr bool needs_escape_in(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  const bool below_space = ((word - kOnes * 0x20) & ~word & kHighs) != 0;
  return below_space || has_zero(word ^ (kOnes * '"')) || has_zero(word ^ (kOnes * '\\'));
}

std::uint64_t load64(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}
std::uint64_t load32(const char* p) {
  std::uint32_t word;
  std::memcpy(&word, p, 4);
  return word;
}

// Whether one of the n <= 16 bytes at `p` must be escaped, without a byte loop: most keys and
// values in state data are that short. The bytes are read as (at most) two overlapping words
// within the string; for n < 4 its first, middle and last byte, padded with 'a' (which needs no
// escape). With SSE2 both words are checked at once.
[[gnu::always_inline]] inline bool short_needs_escape(const char* p, std::size_t n) {
  std::uint64_t lo, hi;
  if (n >= 8) {
    lo = load64(p);
    hi = load64(p + n - 8);
  } else if (n >= 4) {
    lo = hi = load32(p) | (load32(p + n - 4) << 32);
  } else {
    if (n == 0) return false;
    const auto byte = [&](std::size_t i) {
      return std::uint64_t(static_cast<unsigned char>(p[i]));
    };
    constexpr std::uint64_t kPadding = 0x6161616161000000ULL;
    lo = hi = kPadding | byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16);
  }
#if defined(__SSE2__)
  const __m128i bytes = _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, _mm_set1_epi8(0x1f)),
                                         _mm_set1_epi8(0x1f));  // bytes <= 0x1f
  const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  return _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) != 0;
#else
  return needs_escape_in(lo) || needs_escape_in(hi);
#endif
}

// The first byte at or after `i` that must be escaped, or `n`: eight bytes at a time, most text
// having no escapes at all.
std::size_t find_escape(const char* data, std::size_t i, std::size_t n) {
  while (i + 8 <= n) {
    if (needs_escape_in(load64(data + i))) break;
    i += 8;
  }
  for (; i < n; ++i) {
    if (kNeedsEscape[static_cast<unsigned char>(data[i])]) return i;
  }
  return n;
}

template <class Sink>
void write_string(Sink& sink, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* data = s.data();
  const std::size_t n = s.size();
  // Room for the plain case at once; an escape reserves its own.
  sink.reserve(n + 2);
  if (n <= 16 && !short_needs_escape(data, n)) {
    sink.put_quoted_unchecked(data, n);
    return;
  }
  sink.put_unchecked('"');
  std::size_t run = 0;
  for (std::size_t i = find_escape(data, 0, n); i < n; i = find_escape(data, run, n)) {
    const auto c = static_cast<unsigned char>(data[i]);
    const char* esc = nullptr;
    switch (c) {
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      case '\b':
        esc = "\\b";
        break;
      case '\f':
        esc = "\\f";
        break;
      default:
        break;
    }
    sink.put(std::string_view(data + run, i - run));
    run = i + 1;
    if (esc != nullptr) {
      sink.put(std::string_view(esc, 2));
    } else {
      char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      sink.put(std::string_view(u, 6));
    }
    // The rest of the string, its closing quote included, fits again.
    sink.reserve(n - run + 1);
  }
  sink.put_unchecked(data + run, n - run);
  sink.put_unchecked('"');
}

template <class Sink>
void write_value(Sink& sink, const Value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      sink.put(std::string_view("null"));
      break;
    case boost::json::kind::bool_:
      sink.put(std::string_view(v.get_bool() ? "true" : "false"));
      break;
    case boost::json::kind::int64: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_int64());
      sink.put(std::string_view(buf, r.ptr - buf));
      break;
    }
    case boost::json::kind::uint64: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_uint64());
      sink.put(std::string_view(buf, r.ptr - buf));
      break;
    }
    case boost::json::kind::double_: {
      char buf[64];
      sink.put(std::string_view(buf, detail::format_double_chars(buf, v.get_double())));
      break;
    }
    case boost::json::kind::string:
      write_string(sink, v.get_string());
      break;
    case boost::json::kind::array: {
      sink.put('[');
      bool first = true;
      for (const Value& e : v.get_array()) {
        if (!first) sink.put(',');
        first = false;
        write_value(sink, e);
      }
      sink.put(']');
      break;
    }
    case boost::json::kind::object: {
      sink.put('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        const std::string_view key = kv.key();
        // `,"key":` in one reservation for the usual short plain key.
        if (key.size() <= 16 && !short_needs_escape(key.data(), key.size())) {
          sink.reserve(key.size() + 4);
          if (!first) sink.put_unchecked(',');
          sink.put_quoted_unchecked(key.data(), key.size());
          sink.put_unchecked(':');
        } else {
          if (!first) sink.put(',');
          write_string(sink, key);
          sink.put(':');
        }
        first = false;
        write_value(sink, kv.value());
      }
      sink.put('}');
      break;
    }
  }
}

}  // namespace

Value parse(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::json::basic_parser<Builder> parser(options);
  parser.handler().stack.reset();
  boost::json::error_code ec;
  std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = boost::json::error::extra_data;
  if (ec) {
    auto [line, column] = line_and_column(text, used);
    throw ParseError(ec.message(), line, column);
  }
  return parser.handler().stack.release();
}

std::string dump(const Value& value) {
  std::string out;
  dump_to(out, value);
  return out;
}

void dump_to(std::string& out, const Value& value) {
  StringSink sink(out, out.size());
  write_value(sink, value);
  sink.finish();
}

std::string_view dump_scratch(const Value& value) {
  // Reused and never shrunk: after the first few values nothing is allocated or zero-filled.
  thread_local std::string buffer;
  StringSink sink(buffer, 0);
  write_value(sink, value);
  return std::string_view(buffer.data(), sink.length());
}

std::string_view TextArena::dump(const Value& value) {
  ArenaSink sink(*this);
  write_value(sink, value);
  return sink.finish();
}

char* TextArena::make_room(char* start, std::size_t used, std::size_t n) {
  // Chunks double (a long history takes few of them); one text may need more than that.
  const std::size_t size = std::max(next_chunk_, 2 * (used + n));
  next_chunk_ = std::min<std::size_t>(next_chunk_ * 2, std::size_t(1) << 20);
  auto* chunk = static_cast<char*>(storage_->allocate(size, 1));
  if (used > 0) std::memcpy(chunk, start, used);
  pos_ = chunk;
  end_ = chunk + size;
  return chunk;
}

void dump_to(String& out, const Value& value) {
  // Written into a reused buffer first (json::string's appends do not inline) and copied over
  // in one allocation.
  out.append(dump_scratch(value));
}

std::size_t dumped_size(const Value& value) {
  CountingSink sink;
  write_value(sink, value);
  return sink.n;
}

bool as_double(const Value& v, double& out) {
  switch (v.kind()) {
    case boost::json::kind::int64:
      out = static_cast<double>(v.get_int64());
      return true;
    case boost::json::kind::uint64:
      out = static_cast<double>(v.get_uint64());
      return true;
    case boost::json::kind::double_:
      out = v.get_double();
      return true;
    default:
      return false;
  }
}

bool equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    double x = 0, y = 0;
    as_double(a, x);
    as_double(b, y);
    return x == y;
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case boost::json::kind::array: {
      const Array& x = a.get_array();
      const Array& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!equal(x[i], y[i])) return false;
      }
      return true;
    }
    case boost::json::kind::object: {
      const Object& x = a.get_object();
      const Object& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& kv : x) {
        const Value* other = y.if_contains(kv.key());
        if (other == nullptr || !equal(kv.value(), *other)) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

}  // namespace stepline::json
