#include "query/jsonata/helpers.hpp"

#include "query/jsonata/failure.hpp"
#include "query/jsonata/lexer.hpp"

#include <cmath>
#include <cstdio>

namespace stepline::jsonata {

bool is_sequence(const Value& v) {
  return v.is_array() && v.arr().sequence;
}

bool is_numeric(const Value& v) {
  if (!v.is_number()) return false;
  double d = v.as_number();
  if (std::isnan(d)) return false;
  if (!std::isfinite(d)) throw Failure("D1001").with_value(v);
  return true;
}

bool is_array_of_numbers(const Value& v) {
  if (!v.is_array()) return false;
  for (const auto& item : v.arr().items)
    if (!is_numeric(item)) return false;
  return true;
}

bool is_array_of_strings(const Value& v) {
  if (!v.is_array()) return false;
  for (const auto& item : v.arr().items)
    if (!item.is_string()) return false;
  return true;
}

bool is_integer(const Value& v) {
  return v.is_number() && std::isfinite(v.as_number()) &&
         v.as_number() == std::floor(v.as_number());
}

std::optional<bool> effective_boolean(const Value& v) {
  switch (v.type()) {
    case Type::Undefined:
      return std::nullopt;
    case Type::Array: {
      const auto& items = v.arr().items;
      if (items.size() == 1) return effective_boolean(items[0]);
      for (const auto& item : items)
        if (effective_boolean(item).value_or(false)) return true;
      return false;
    }
    case Type::String:
      return !v.str().empty();
    case Type::Number:
      return is_numeric(v) && v.as_number() != 0;
    case Type::Object:
      return v.obj().size() > 0;
    case Type::Function:
      return false;
    case Type::Bool:
      return v.as_bool();
    case Type::Null:
      return false;
  }
  return false;
}

void quote_json_string(std::string& out, const std::string& s) {
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else if (c == 0xED && i + 2 < s.size() &&
                   (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0) {
          // a lone surrogate (WTF-8): JSON.stringify escapes it
          unsigned cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", cp);
          out += buf;
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

namespace {

void stringify_into(std::string& out, const Value& v, bool pretty, int indent) {
  auto newline = [&](int level) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
      out += "null";
      return;
    case Type::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Type::Number: {
      double d = v.as_number();
      if (!std::isfinite(d)) throw Failure("D1001").with_value(v);
      // the reference rounds non-integers to 15 significant digits (0.1+0.2 prints as 0.3)
      out += js_number_to_string(d == std::floor(d) ? d : round_to_15(d));
      return;
    }
    case Type::String:
      quote_json_string(out, v.str());
      return;
    case Type::Function:
      out += "\"\"";
      return;
    case Type::Array: {
      const auto& items = v.arr().items;
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& item : items) {
        if (!first) out += ',';
        first = false;
        newline(indent + 1);
        stringify_into(out, item, pretty, indent + 1);
      }
      newline(indent);
      out += ']';
      return;
    }
    case Type::Object: {
      bool first = true;
      out += '{';
      for (const auto& [k, item] : v.obj().entries) {
        if (item.undefined()) continue;
        if (!first) out += ',';
        first = false;
        newline(indent + 1);
        quote_json_string(out, k);
        out += pretty ? ": " : ":";
        stringify_into(out, item, pretty, indent + 1);
      }
      if (!first) newline(indent);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string stringify(const Value& v, bool pretty) {
  std::string out;
  stringify_into(out, v, pretty, 0);
  return out;
}

Value to_jsonata_string(const Value& v, bool pretty) {
  if (v.undefined()) return {};
  if (v.is_string()) return v;
  if (v.is_function()) return Value::string("");
  if (v.is_number() && !std::isfinite(v.as_number())) throw Failure("D3001").with_value(v);
  if (v.is_array() && v.arr().outer_wrapper && !v.arr().items.empty())
    return Value::string(stringify(v.arr().items[0], pretty));
  return Value::string(stringify(v, pretty));
}

bool deep_equal(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::Undefined:
    case Type::Null:
      return true;
    case Type::Bool:
      return a.as_bool() == b.as_bool();
    case Type::Number:
      return a.as_number() == b.as_number();
    case Type::String:
      return a.str() == b.str();
    case Type::Function:
      return a.identity() == b.identity();
    case Type::Array: {
      const auto& x = a.arr().items;
      const auto& y = b.arr().items;
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!deep_equal(x[i], y[i])) return false;
      return true;
    }
    case Type::Object: {
      const auto& x = a.obj();
      const auto& y = b.obj();
      if (x.size() != y.size()) return false;
      for (const auto& [k, val] : x.entries) {
        const Value* other = y.find(k);
        if (!other || !deep_equal(val, *other)) return false;
      }
      return true;
    }
  }
  return false;
}

Value append_values(const Value& a, const Value& b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  auto out = std::make_shared<ArrayData>();
  if (a.is_array()) {
    out->items = a.arr().items;
  } else {
    out->items.push_back(a);
  }
  if (b.is_array())
    out->items.insert(out->items.end(), b.arr().items.begin(), b.arr().items.end());
  else
    out->items.push_back(b);
  return Value::array(std::move(out));
}

void push_flat(ArrayData& target, const Value& v) {
  if (v.undefined()) return;
  if (v.is_array()) {
    target.items.insert(target.items.end(), v.arr().items.begin(), v.arr().items.end());
  } else {
    target.items.push_back(v);
  }
}

void flatten_into(const Value& v, std::vector<Value>& out) {
  if (v.is_array()) {
    for (const auto& item : v.arr().items) flatten_into(item, out);
  } else {
    out.push_back(v);
  }
}

std::u16string to_utf16(const std::string& s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    unsigned cp;
    std::size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      len = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && i + 3 < s.size()) {
      cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
           (s[i + 3] & 0x3F);
      len = 4;
    } else {
      cp = 0xFFFD;
      len = 1;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

std::string from_utf16(const std::u16string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned cp = s[i];
    if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < s.size() && s[i + 1] >= 0xDC00 &&
        s[i + 1] < 0xE000) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    }
    append_utf8(out, cp);
  }
  return out;
}

std::size_t utf16_length(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

std::size_t utf16_index(const std::string& s, std::size_t byte_offset) {
  return utf16_length(s.substr(0, byte_offset));
}

}  // namespace stepline::jsonata
