#include "common/ids.hpp"

#include <fmt/format.h>

#include <array>
#include <cstring>

namespace stepline {

namespace {

// The two lowercase hex digits of every byte: a UUID is written a byte (two digits) at a time.
constexpr std::array<char, 512> kHexPairs = [] {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 512> pairs{};
  for (std::size_t b = 0; b < 256; ++b) {
    pairs[2 * b] = kHex[b >> 4];
    pairs[2 * b + 1] = kHex[b & 15];
  }
  return pairs;
}();

// The `bytes` low bytes of `bits`, most significant first, as hex at `out`; returns the end.
char* put_hex(char* out, std::uint64_t bits, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    std::memcpy(out, &kHexPairs[2 * ((bits >> (8 * i)) & 0xff)], 2);
    out += 2;
  }
  return out;
}

}  // namespace

std::string format_uuid_v4(std::uint64_t hi, std::uint64_t lo) {
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  // Every execution takes one or two of these.
  std::string out(36, '-');
  char* p = out.data();
  p = put_hex(p, hi >> 32, 4) + 1;
  p = put_hex(p, hi >> 16, 2) + 1;
  p = put_hex(p, hi, 2) + 1;
  p = put_hex(p, lo >> 48, 2) + 1;
  put_hex(p, lo, 6);
  return out;
}

RandomIdSource::RandomIdSource()
    : engine_(std::random_device{}() ^ (std::uint64_t(std::random_device{}()) << 32)) {}

RandomIdSource::RandomIdSource(std::uint64_t seed) : engine_(seed) {}

std::string RandomIdSource::uuid() {
  std::lock_guard lock(mutex_);
  std::uint64_t hi = engine_();
  std::uint64_t lo = engine_();
  return format_uuid_v4(hi, lo);
}

std::string RandomIdSource::task_token() {
  std::lock_guard lock(mutex_);
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:016x}", engine_());
  return token;
}

double RandomIdSource::uniform() {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

}  // namespace stepline
