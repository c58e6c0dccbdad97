#include "store/page_token.hpp"

#include <charconv>

namespace stepline::store {

namespace {
constexpr std::string_view kPrefix = "stp1.";
}

std::string encode_page_token(long long position) {
  // Hex of the decimal text: opaque enough that nobody builds tokens by hand.
  std::string decimal = std::to_string(position);
  std::string out(kPrefix);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : decimal) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

long long decode_page_token(const std::string& token) {
  auto invalid = [&] { return InvalidPageToken("Invalid Token: '" + token + "'"); };
  if (token.size() <= kPrefix.size() || token.compare(0, kPrefix.size(), kPrefix) != 0 ||
      (token.size() - kPrefix.size()) % 2 != 0) {
    throw invalid();
  }
  std::string decimal;
  for (std::size_t i = kPrefix.size(); i < token.size(); i += 2) {
    auto nibble = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      throw invalid();
    };
    decimal.push_back(static_cast<char>(nibble(token[i]) * 16 + nibble(token[i + 1])));
  }
  long long position = 0;
  auto [end, ec] = std::from_chars(decimal.data(), decimal.data() + decimal.size(), position);
  if (ec != std::errc() || end != decimal.data() + decimal.size() || position < 0) throw invalid();
  return position;
}

std::size_t page_limit(const PageRequest& page) {
  if (page.limit == 0) return 100;
  return page.limit > 1000 ? 1000 : page.limit;
}

}  // namespace stepline::store
