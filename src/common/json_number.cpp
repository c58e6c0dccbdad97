// Doubles written as JSON numbers (json::format_double and the serialiser's allocation-free form).
#include "common/json_number.hpp"
#include "common/json.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>

namespace stepline::json {

namespace detail {

std::size_t format_double_chars(char* out, double value) {
  char* p = out;
  auto put = [&](std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  if (!std::isfinite(value)) {
    put("null");
    return static_cast<std::size_t>(p - out);
  }
  if (value == 0) {
    put(std::signbit(value) ? "-0.0" : "0.0");
    return static_cast<std::size_t>(p - out);
  }
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // Few decimals (prices, ratios): m / 10^k with the least k that reads back as `value` is its
    // shortest round-trip form (|value| * 10^k stays far below 2^53, so no nearer k-digit
    // decimal exists); cheaper than the general algorithm.
    static constexpr double kScale[] = {1, 10, 100, 1000};
    for (int k = 0; k < 4; ++k) {
      const double scaled = magnitude * kScale[k];
      const double m = std::nearbyint(scaled);
      if (m != scaled || m / kScale[k] != magnitude) continue;
      // 0.3 * 100 may miss 30 where 0.3 * 1000 hits 300: the same decimal, trailing zeros off.
      auto mantissa = static_cast<long long>(m);
      int decimals = k;
      while (decimals > 0 && mantissa % 10 == 0) {
        mantissa /= 10;
        --decimals;
      }
      if (value < 0) *p++ = '-';
      char digits[24];
      char* end = std::to_chars(digits, digits + sizeof digits, mantissa).ptr;
      const auto n = static_cast<int>(end - digits);
      if (decimals == 0) {
        put(std::string_view(digits, static_cast<std::size_t>(n)));
        put(".0");
      } else if (n > decimals) {
        put(std::string_view(digits, static_cast<std::size_t>(n - decimals)));
        *p++ = '.';
        put(std::string_view(digits + n - decimals, static_cast<std::size_t>(decimals)));
      } else {
        put("0.");
        for (int i = n; i < decimals; ++i) *p++ = '0';
        put(std::string_view(digits, static_cast<std::size_t>(n)));
      }
      return static_cast<std::size_t>(p - out);
    }
    // Plain notation: the shortest round-trip digits laid out in fixed form are Java's, with
    // ".0" added to integral values.
    char* end = std::to_chars(p, out + 64, value, std::chars_format::fixed).ptr;
    if (!std::memchr(p, '.', static_cast<std::size_t>(end - p))) {
      *end++ = '.';
      *end++ = '0';
    }
    return static_cast<std::size_t>(end - out);
  }
  // Shortest digits that round-trip, then laid out the way Java's Double.toString does.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  if (sci[0] == '-') {
    *p++ = '-';
    sci.remove_prefix(1);
  }
  std::size_t e = sci.find('e');
  char digits[32];
  std::size_t n_digits = 0;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits[n_digits++] = c;
  }
  std::string_view exponent_text = sci.substr(e + 1);
  if (!exponent_text.empty() && exponent_text[0] == '+') exponent_text.remove_prefix(1);
  int exponent = 0;
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  std::string_view all(digits, n_digits);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      std::size_t int_len = static_cast<std::size_t>(exponent) + 1;
      if (n_digits <= int_len) {
        put(all);
        for (std::size_t i = n_digits; i < int_len; ++i) *p++ = '0';
        put(".0");
      } else {
        put(all.substr(0, int_len));
        *p++ = '.';
        put(all.substr(int_len));
      }
    } else {
      put("0.");
      for (int i = 0; i < -exponent - 1; ++i) *p++ = '0';
      put(all);
    }
    return static_cast<std::size_t>(p - out);
  }
  put(all.substr(0, 1));
  *p++ = '.';
  put(n_digits > 1 ? all.substr(1) : std::string_view("0"));
  *p++ = 'E';
  p = std::to_chars(p, out + 64, exponent).ptr;
  return static_cast<std::size_t>(p - out);
}

}  // namespace detail

std::string format_double(double value) {
  char out[64];
  return std::string(out, detail::format_double_chars(out, value));
}

}  // namespace stepline::json
