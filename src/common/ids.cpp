#include "common/ids.hpp"

#include <fmt/format.h>

namespace stepline {

std::string format_uuid_v4(std::uint64_t hi, std::uint64_t lo) {
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  // Hex digits written directly: every execution takes one or two of these.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t pos = 0;
  auto put = [&](std::uint64_t bits, int digits) {
    for (int i = digits - 1; i >= 0; --i) out[pos++] = kHex[(bits >> (4 * i)) & 15];
  };
  put(hi >> 32, 8);
  ++pos;
  put((hi >> 16) & 0xffff, 4);
  ++pos;
  put(hi & 0xffff, 4);
  ++pos;
  put(lo >> 48, 4);
  ++pos;
  put(lo & 0xffffffffffffULL, 12);
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
