// Aggregates and numeric built-ins: $sum $count $max $min $average $number $floor $ceil $round
// $abs $sqrt $power $random $formatBase.
#include "query/jsonata/builtins.hpp"

#include <cmath>
#include <random>

namespace stepline::jsonata {

namespace {

Value fn_sum(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  double total = 0;
  for (const auto& n : a.arr().items) total += n.as_number();
  return Value::number(total);
}

Value fn_count(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return Value::number(0);
  return Value::number(static_cast<double>(a.arr().size()));
}

Value extreme(std::vector<Value>& args, bool max) {
  const Value& a = arg(args, 0);
  if (a.undefined() || a.arr().size() == 0) return {};
  double r = max ? -INFINITY : INFINITY;
  for (const auto& n : a.arr().items)
    r = max ? std::fmax(r, n.as_number()) : std::fmin(r, n.as_number());
  return Value::number(r);
}
Value fn_max(CallContext&, std::vector<Value>& args) {
  return extreme(args, true);
}
Value fn_min(CallContext&, std::vector<Value>& args) {
  return extreme(args, false);
}

Value fn_average(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined() || a.arr().size() == 0) return {};
  double total = 0;
  for (const auto& n : a.arr().items) total += n.as_number();
  return Value::number(total / static_cast<double>(a.arr().size()));
}

// -?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?
bool matches_decimal(const std::string& s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (!digits()) return false;
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

Value fn_number(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  if (a.is_number()) return a;
  if (a.is_string()) {
    const std::string& s = a.str();
    if (matches_decimal(s)) {
      double d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) return Value::number(d);
    }
    if (s.size() > 2 && s[0] == '0') {
      char p = static_cast<char>(std::tolower(s[1]));
      int base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
      if (base) {
        double v = 0;
        bool ok = true;
        for (std::size_t i = 2; i < s.size(); ++i) {
          int d = std::isdigit(static_cast<unsigned char>(s[i]))   ? s[i] - '0'
                  : std::isalpha(static_cast<unsigned char>(s[i])) ? std::tolower(s[i]) - 'a' + 10
                                                                   : 99;
          if (d >= base) {
            ok = false;
            break;
          }
          v = v * base + d;
        }
        if (ok) return Value::number(v);
      }
    }
  }
  if (a.is_bool()) return Value::number(a.as_bool() ? 1 : 0);
  Failure f("D3030");
  f.with_value(a);
  f.index = 1;
  throw f;
}

Value fn_floor(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  return a.undefined() ? Value() : Value::number(std::floor(a.as_number()));
}
Value fn_ceil(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  return a.undefined() ? Value() : Value::number(std::ceil(a.as_number()));
}
Value fn_abs(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  return a.undefined() ? Value() : Value::number(std::fabs(a.as_number()));
}

double shift_decimal(double x, int places) {
  // JavaScript's +(mantissa + 'e' + (exp + places)): done on the shortest decimal text so that
  // no binary multiplication error creeps in.
  std::string s = js_number_to_string(x);
  auto e = s.find('e');
  std::string mant = e == std::string::npos ? s : s.substr(0, e);
  int exp = e == std::string::npos ? 0 : std::atoi(s.c_str() + e + 1);
  std::string text = mant + "e" + std::to_string(exp + places);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

double round_half_even(double x, int precision) {
  if (precision) x = shift_decimal(x, precision);
  double result = std::floor(x + 0.5);
  double diff = result - x;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2)) == 1) result -= 1;
  if (precision) result = shift_decimal(result, -precision);
  if (result == 0) result = 0;
  return result;
}

namespace {

Value fn_round(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  int precision = arg(args, 1).is_number() ? static_cast<int>(arg(args, 1).as_number()) : 0;
  return Value::number(round_half_even(a.as_number(), precision));
}

Value fn_sqrt(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  if (a.as_number() < 0) {
    Failure f("D3060");
    f.with_value(a);
    f.index = 1;
    throw f;
  }
  return Value::number(std::sqrt(a.as_number()));
}

Value fn_power(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  double r = std::pow(a.as_number(), arg(args, 1).as_number());
  if (!std::isfinite(r)) {
    Failure f("D3061");
    f.with_value(a);
    f.index = 1;
    throw f;
  }
  return Value::number(r);
}

Value fn_random(CallContext&, std::vector<Value>&) {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  return Value::number(std::uniform_real_distribution<double>(0.0, 1.0)(gen));
}

Value fn_format_base(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  double v = round_half_even(a.as_number(), 0);
  int radix = arg(args, 1).undefined() ? 10 : static_cast<int>(arg(args, 1).as_number());
  if (radix < 2 || radix > 36) {
    Failure f("D3100");
    f.with_value(arg(args, 1));
    f.index = 2;
    throw f;
  }
  bool neg = v < 0;
  double m = std::fabs(v);
  std::string digits;
  if (m == 0) digits = "0";
  while (m >= 1) {
    int d = static_cast<int>(std::fmod(m, radix));
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[d]);
    m = std::floor(m / radix);
  }
  return Value::string((neg ? "-" : "") + digits);
}

}  // namespace

std::vector<BuiltinSpec> aggregate_functions() {
  return {
      {"sum", "<a<n>:n>", fn_sum, 1},         {"count", "<a:n>", fn_count, 1},
      {"max", "<a<n>:n>", fn_max, 1},         {"min", "<a<n>:n>", fn_min, 1},
      {"average", "<a<n>:n>", fn_average, 1},
  };
}

std::vector<BuiltinSpec> numeric_functions() {
  return {
      {"number", "<(nsb)-:n>", fn_number, 1},
      {"floor", "<n-:n>", fn_floor, 1},
      {"ceil", "<n-:n>", fn_ceil, 1},
      {"round", "<n-n?:n>", fn_round, 2},
      {"abs", "<n-:n>", fn_abs, 1},
      {"sqrt", "<n-:n>", fn_sqrt, 1},
      {"power", "<n-n:n>", fn_power, 2},
      {"random", "<:n>", fn_random, 0},
      {"formatBase", "<n-n?:s>", fn_format_base, 2},
  };
}

}  // namespace stepline::jsonata
