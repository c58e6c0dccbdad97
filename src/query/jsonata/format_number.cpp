#include "query/jsonata/format_number.hpp"

#include "query/jsonata/failure.hpp"
#include "query/jsonata/integer_picture.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <vector>

namespace stepline::jsonata {

double round_half_even(double x, int precision);

namespace {

using U = std::u32string;
constexpr std::size_t npos = U::npos;

struct Parts {
  U prefix, suffix, active, mantissa, integer, fractional, subpicture;
  std::optional<U> exponent;
};

struct Analysis {
  std::vector<int> integer_grouping;
  int regular_grouping = 0;
  int min_integer = 0;
  int scaling_factor = 0;
  U prefix, suffix, picture;
  std::vector<int> fractional_grouping;
  int min_fraction = 0;
  int max_fraction = 0;
  int min_exponent = 0;
};

}  // namespace

std::string format_number(double value, const std::string& picture_utf8,
                          const std::map<std::string, std::string>& options) {
  std::map<std::string, U> props = {{"decimal-separator", U"."},
                                    {"grouping-separator", U","},
                                    {"exponent-separator", U"e"},
                                    {"infinity", U"Infinity"},
                                    {"minus-sign", U"-"},
                                    {"NaN", U"NaN"},
                                    {"percent", U"%"},
                                    {"per-mille", U"\u2030"},
                                    {"zero-digit", U"0"},
                                    {"digit", U"#"},
                                    {"pattern-separator", U";"}};
  for (const auto& [k, v] : options) props[k] = to_u32(v);
  auto first = [&](const char* key) { return props[key].empty() ? U'\0' : props[key][0]; };
  const char32_t zero = first("zero-digit");
  const char32_t decimal_sep = first("decimal-separator");
  const char32_t exponent_sep = first("exponent-separator");
  const char32_t grouping_sep = first("grouping-separator");
  const char32_t digit = first("digit");
  const char32_t pattern_sep = first("pattern-separator");
  const char32_t percent = first("percent");
  const char32_t permille = first("per-mille");
  auto is_family = [&](char32_t c) { return c >= zero && c < zero + 10; };
  auto is_active = [&](char32_t c) {
    return is_family(c) || c == decimal_sep || c == exponent_sep || c == grouping_sep ||
           c == digit || c == pattern_sep;
  };
  U picture = to_u32(picture_utf8);
  std::vector<U> subs;
  {
    U cur;
    for (char32_t c : picture) {
      if (c == pattern_sep) {
        subs.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    subs.push_back(cur);
  }
  if (subs.size() > 2) throw Failure("D3080");

  auto split_parts = [&](const U& sub) {
    Parts p;
    p.subpicture = sub;
    std::size_t pre = 0;
    for (std::size_t i = 0; i < sub.size(); ++i)
      if (is_active(sub[i]) && sub[i] != exponent_sep) {
        pre = i;
        break;
      }
    p.prefix = sub.substr(0, pre);
    std::size_t suf_start = sub.size();
    for (std::size_t i = sub.size(); i-- > 0;)
      if (is_active(sub[i]) && sub[i] != exponent_sep) {
        suf_start = i + 1;
        break;
      }
    bool any_active = false;
    for (char32_t c : sub)
      if (is_active(c) && c != exponent_sep) any_active = true;
    if (!any_active) suf_start = sub.size();  // no active character: no prefix, no suffix
    if (suf_start < p.prefix.size()) suf_start = p.prefix.size();
    p.suffix = sub.substr(suf_start);
    p.active = sub.substr(p.prefix.size(), sub.size() - p.prefix.size() - p.suffix.size());
    std::size_t exp_pos = sub.find(exponent_sep, p.prefix.size());
    if (exp_pos == npos || exp_pos > sub.size() - p.suffix.size()) {
      p.mantissa = p.active;
    } else {
      p.mantissa = p.active.substr(0, exp_pos);
      p.exponent = exp_pos + 1 <= p.active.size() ? p.active.substr(exp_pos + 1) : U();
    }
    std::size_t dp = p.mantissa.find(decimal_sep);
    if (dp == npos) {
      p.integer = p.mantissa;
      p.fractional = p.suffix;
    } else {
      p.integer = p.mantissa.substr(0, dp);
      p.fractional = p.mantissa.substr(dp + 1);
    }
    return p;
  };

  auto validate = [&](const Parts& p) {
    const U& sub = p.subpicture;
    const char* error = nullptr;
    std::size_t dp = sub.find(decimal_sep);
    if (dp != sub.rfind(decimal_sep)) error = "D3081";
    if (sub.find(percent) != sub.rfind(percent)) error = "D3082";
    if (sub.find(permille) != sub.rfind(permille)) error = "D3083";
    if (sub.find(percent) != npos && sub.find(permille) != npos) error = "D3084";
    bool valid = false;
    for (char32_t c : p.mantissa)
      if (is_family(c) || c == digit) {
        valid = true;
        break;
      }
    if (!valid) error = "D3085";
    for (char32_t c : p.active)
      if (!is_active(c)) error = "D3086";
    if (dp != npos) {
      if ((dp > 0 && sub[dp - 1] == grouping_sep) ||
          (dp + 1 < sub.size() && sub[dp + 1] == grouping_sep))
        error = "D3087";
    } else if (!p.integer.empty() && p.integer.back() == grouping_sep) {
      error = "D3088";
    }
    if (sub.find(U(2, grouping_sep)) != npos) error = "D3089";
    std::size_t opt = p.integer.find(digit);
    if (opt != npos)
      for (std::size_t i = 0; i < opt; ++i)
        if (is_family(p.integer[i])) error = "D3090";
    opt = p.fractional.rfind(digit);
    if (opt != npos)
      for (std::size_t i = opt; i < p.fractional.size(); ++i)
        if (is_family(p.fractional[i])) error = "D3091";
    if (p.exponent && !p.exponent->empty() &&
        (sub.find(percent) != npos || sub.find(permille) != npos))
      error = "D3092";
    if (p.exponent) {
      bool bad = p.exponent->empty();
      for (char32_t c : *p.exponent)
        if (!is_family(c)) bad = true;
      if (bad) error = "D3093";
    }
    if (error) throw Failure(error);
  };

  auto analyse = [&](const Parts& p) {
    Analysis a;
    auto grouping_positions = [&](const U& part, bool to_left) {
      std::vector<int> positions;
      std::size_t g = part.find(grouping_sep);
      while (g != npos) {
        U side = to_left ? part.substr(0, g) : part.substr(g);
        int count = 0;
        for (char32_t c : side)
          if (is_family(c) || c == digit) ++count;
        positions.push_back(count);
        g = p.integer.find(grouping_sep, g + 1);
      }
      return positions;
    };
    a.integer_grouping = grouping_positions(p.integer, false);
    if (!a.integer_grouping.empty()) {
      int factor = 0;
      for (int x : a.integer_grouping) factor = std::gcd(factor, x);
      bool regular = true;
      for (std::size_t i = 1; i <= a.integer_grouping.size(); ++i) {
        bool found = false;
        for (int x : a.integer_grouping)
          if (x == static_cast<int>(i) * factor) found = true;
        if (!found) regular = false;
      }
      a.regular_grouping = regular ? factor : 0;
    }
    a.fractional_grouping = grouping_positions(p.fractional, true);
    for (char32_t c : p.integer)
      if (is_family(c)) ++a.min_integer;
    a.scaling_factor = a.min_integer;
    for (char32_t c : p.fractional) {
      if (is_family(c)) ++a.min_fraction;
      if (is_family(c) || c == digit) ++a.max_fraction;
    }
    bool exp = p.exponent.has_value();
    if (a.min_integer == 0 && a.max_fraction == 0) {
      if (exp) {
        a.min_fraction = 1;
        a.max_fraction = 1;
      } else {
        a.min_integer = 1;
      }
    }
    if (exp && a.min_integer == 0 && p.integer.find(digit) != npos) a.min_integer = 1;
    if (a.min_integer == 0 && a.min_fraction == 0) a.min_fraction = 1;
    if (exp)
      for (char32_t c : *p.exponent)
        if (is_family(c)) ++a.min_exponent;
    a.prefix = p.prefix;
    a.suffix = p.suffix;
    a.picture = p.subpicture;
    return a;
  };

  std::vector<Parts> parts;
  for (const auto& s : subs) parts.push_back(split_parts(s));
  for (const auto& p : parts) validate(p);
  std::vector<Analysis> variables;
  for (const auto& p : parts) variables.push_back(analyse(p));
  const U minus = props["minus-sign"];
  if (variables.size() == 1) {
    variables.push_back(variables[0]);
    variables[1].prefix = minus + variables[1].prefix;
  }
  const Analysis& pic = value >= 0 ? variables[0] : variables[1];
  double adjusted = value;
  if (pic.picture.find(percent) != npos)
    adjusted = value * 100;
  else if (pic.picture.find(permille) != npos)
    adjusted = value * 1000;
  double mantissa = adjusted;
  std::optional<int> exponent;
  if (pic.min_exponent != 0) {
    double max_m = std::pow(10, pic.scaling_factor);
    double min_m = std::pow(10, pic.scaling_factor - 1);
    int e = 0;
    if (mantissa != 0) {
      while (std::fabs(mantissa) < min_m) {
        mantissa *= 10;
        e -= 1;
      }
      while (std::fabs(mantissa) > max_m) {
        mantissa /= 10;
        e += 1;
      }
    }
    exponent = e;
  }
  double rounded = round_half_even(mantissa, pic.max_fraction);
  auto make_string = [&](double v, int dp) {
    std::vector<char> buf(400);
    std::snprintf(buf.data(), buf.size(), "%.*f", dp, std::fabs(v));
    U out;
    for (char c : std::string(buf.data()))
      out += (c >= '0' && c <= '9') ? static_cast<char32_t>(zero + (c - '0'))
                                    : static_cast<char32_t>(c);
    return out;
  };
  U s = make_string(rounded, pic.max_fraction);
  std::size_t dpos = s.find(U'.');
  if (dpos == npos)
    s += decimal_sep;
  else
    s[dpos] = decimal_sep;
  while (!s.empty() && s[0] == zero) s.erase(0, 1);
  while (!s.empty() && s.back() == zero) s.pop_back();
  long dp = static_cast<long>(s.find(decimal_sep));
  long pad_left = pic.min_integer - dp;
  long pad_right = pic.min_fraction - (static_cast<long>(s.size()) - dp - 1);
  if (pad_left > 0) s = U(static_cast<std::size_t>(pad_left), zero) + s;
  if (pad_right > 0) s += U(static_cast<std::size_t>(pad_right), zero);
  dp = static_cast<long>(s.find(decimal_sep));
  if (pic.regular_grouping > 0) {
    long groups = (dp - 1) / pic.regular_grouping;
    for (long g = 1; g <= groups; ++g)
      s.insert(static_cast<std::size_t>(dp - g * pic.regular_grouping), 1, grouping_sep);
  } else {
    for (int pos : pic.integer_grouping) {
      long at = dp - pos;
      if (at >= 0 && at <= static_cast<long>(s.size()))
        s.insert(static_cast<std::size_t>(at), 1, grouping_sep);
      ++dp;
    }
  }
  dp = static_cast<long>(s.find(decimal_sep));
  for (int pos : pic.fractional_grouping) {
    long at = pos + dp + 1;
    if (at <= static_cast<long>(s.size())) s.insert(static_cast<std::size_t>(at), 1, grouping_sep);
  }
  dp = static_cast<long>(s.find(decimal_sep));
  if (pic.min_fraction == 0 && dp == static_cast<long>(s.size()) - 1) s.pop_back();
  if (exponent) {
    U e = make_string(*exponent, 0);
    long pad = pic.min_exponent - static_cast<long>(e.size());
    if (pad > 0) e = U(static_cast<std::size_t>(pad), zero) + e;
    s += props["exponent-separator"] + (*exponent < 0 ? minus : U()) + e;
  }
  return from_u32(pic.prefix + s + pic.suffix);
}

}  // namespace stepline::jsonata
