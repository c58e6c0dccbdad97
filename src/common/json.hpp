// The JSON layer: Boost.JSON values, with our own number parsing and printing so that numbers
// round-trip exactly and print the way AWS prints them (no `1E0`, no `Infinity`).
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stepline::json {

using Value = boost::json::value;
using Object = boost::json::object;
using Array = boost::json::array;
using String = boost::json::string;

// Thrown by parse(); `message` is human readable, line/column are 1-based.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string message, std::size_t line, std::size_t column);
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }

 private:
  std::size_t line_;
  std::size_t column_;
};

// Deepest nesting parse() accepts; far beyond Boost.JSON's default of 32.
inline constexpr std::size_t kMaxDepth = 10000;

// Parses one JSON document (surrounding whitespace allowed). Integers that fit stay int64/uint64,
// everything else is a double parsed with correct rounding.
Value parse(std::string_view text);

// Compact serialisation as AWS emits it: no spaces, keys in insertion order, non-ASCII kept as
// UTF-8, doubles in Java's Double.toString form (1.0, 0.1, 1.0E21). Non-finite doubles, which
// JSON cannot hold, print as null.
std::string dump(const Value& value);
void dump_to(std::string& out, const Value& value);

// The number alone, as dump() would print it.
std::string format_double(double value);

// Deep equality with numbers compared by value (1 == 1.0), objects compared as unordered maps.
bool equal(const Value& a, const Value& b);

// Numeric value of a number (int64, uint64 or double); false when `v` is not a number.
bool as_double(const Value& v, double& out);

// Size in bytes of dump(value), computed without building the string.
std::size_t dumped_size(const Value& value);

}  // namespace stepline::json
