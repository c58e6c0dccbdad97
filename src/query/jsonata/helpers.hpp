// Value semantics shared by the evaluator and the built-ins: truthiness, JavaScript-style
// stringification, deep equality, sequence appending, UTF-16 views of strings.
#pragma once

#include "query/jsonata/value.hpp"

#include <optional>
#include <string>

namespace stepline::jsonata {

bool is_sequence(const Value& v);
// A finite number; throws D1001 for infinities (JavaScript lets them escape arithmetic).
bool is_numeric(const Value& v);
bool is_array_of_numbers(const Value& v);
bool is_array_of_strings(const Value& v);
bool is_integer(const Value& v);

// fn.boolean: undefined for undefined, else the effective boolean value.
std::optional<bool> effective_boolean(const Value& v);
inline bool boolize(const Value& v) {
  return effective_boolean(v).value_or(false);
}

// JSON.stringify with JSONata's replacer (numbers to 15 significant digits, functions as "").
std::string stringify(const Value& v, bool pretty);
void quote_json_string(std::string& out, const std::string& s);
// fn.string: undefined stays undefined; strings unchanged; D3001 for non-finite numbers.
Value to_jsonata_string(const Value& v, bool pretty = false);

bool deep_equal(const Value& a, const Value& b);

// fn.append: concatenation that flattens one level and always yields a fresh array.
Value append_values(const Value& a, const Value& b);
// Appends `v` to `target` as a sequence member, flattening arrays one level.
void push_flat(ArrayData& target, const Value& v);
void flatten_into(const Value& v, std::vector<Value>& out);

// UTF-16 helpers for JavaScript string semantics.
std::u16string to_utf16(const std::string& s);
std::string from_utf16(const std::u16string& s);
std::size_t utf16_length(const std::string& s);
// UTF-16 index of a UTF-8 byte offset.
std::size_t utf16_index(const std::string& s, std::size_t byte_offset);

}  // namespace stepline::jsonata
