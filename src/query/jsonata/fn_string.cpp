// String built-ins: $string $substring $substringBefore $substringAfter $lowercase $uppercase
// $length $trim $pad $join $base64encode/decode and the URL encoders.
#include "query/jsonata/builtins.hpp"
#include "query/jsonata/lexer.hpp"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>

#include <cmath>

namespace stepline::jsonata {

namespace {

Value fn_string(CallContext&, std::vector<Value>& args) {
  return to_jsonata_string(arg(args, 0), boolize(arg(args, 1)));
}

std::string join_points(const std::vector<std::string>& pts, long from, long to) {
  std::string out;
  long n = static_cast<long>(pts.size());
  if (from < 0) from = std::max(0L, n + from);
  if (to < 0) to = std::max(0L, n + to);
  from = std::min(from, n);
  to = std::min(to, n);
  for (long i = from; i < to; ++i) out += pts[static_cast<std::size_t>(i)];
  return out;
}

Value fn_substring(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  auto pts = code_points(s.str());
  long len = static_cast<long>(pts.size());
  double start = std::trunc(arg(args, 1).as_number());
  if (len + start < 0) start = 0;
  if (!arg(args, 2).undefined()) {
    double length = arg(args, 2).as_number();
    if (length <= 0) return Value::string("");
    double end = start >= 0 ? start + length : len + start + length;
    return Value::string(
        join_points(pts, static_cast<long>(start), static_cast<long>(std::trunc(end))));
  }
  return Value::string(join_points(pts, static_cast<long>(start), len));
}

Value fn_substring_before(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  auto pos = s.str().find(arg(args, 1).str());
  return pos == std::string::npos ? s : Value::string(s.str().substr(0, pos));
}

Value fn_substring_after(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  const std::string& chars = arg(args, 1).str();
  auto pos = s.str().find(chars);
  return pos == std::string::npos ? s : Value::string(s.str().substr(pos + chars.size()));
}

Value change_case(const Value& s, bool upper) {
  if (s.undefined()) return {};
  const std::string& in = s.str();
  // ASCII maps letter for letter in every locale; only other scripts need ICU's full mapping
  // (German sharp s, final sigma...).
  if (std::all_of(in.begin(), in.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string out = in;
    for (char& c : out) {
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return Value::string(std::move(out));
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s.str());
  if (upper)
    u.toUpper(icu::Locale::getRoot());
  else
    u.toLower(icu::Locale::getRoot());
  std::string out;
  u.toUTF8String(out);
  return Value::string(std::move(out));
}
Value fn_lowercase(CallContext&, std::vector<Value>& args) {
  return change_case(arg(args, 0), false);
}
Value fn_uppercase(CallContext&, std::vector<Value>& args) {
  return change_case(arg(args, 0), true);
}

Value fn_length(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  return Value::number(static_cast<double>(code_points(s.str()).size()));
}

Value fn_trim(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  std::string out;
  bool in_ws = false;
  for (char c : s.str()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_ws) out += ' ';
      in_ws = true;
    } else {
      out += c;
      in_ws = false;
    }
  }
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return Value::string(std::move(out));
}

Value fn_pad(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  double width = arg(args, 1).as_number();
  std::string ch =
      arg(args, 2).is_string() && !arg(args, 2).str().empty() ? arg(args, 2).str() : " ";
  long pad_length =
      static_cast<long>(std::fabs(width)) - static_cast<long>(code_points(s.str()).size());
  if (pad_length <= 0) return s;
  std::string padding;
  for (long i = 0; i < pad_length; ++i) padding += ch;
  auto pts = code_points(padding);
  if (pts.size() > static_cast<std::size_t>(pad_length)) padding = join_points(pts, 0, pad_length);
  return Value::string(width > 0 ? s.str() + padding : padding + s.str());
}

Value fn_join(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  std::string sep = arg(args, 1).undefined() ? "" : arg(args, 1).str();
  std::string out;
  bool first = true;
  for (const auto& s : a.arr().items) {
    if (!first) out += sep;
    first = false;
    out += s.str();
  }
  return Value::string(std::move(out));
}

const char* kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Value fn_base64encode(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  std::string bytes;
  for (char16_t u : to_utf16(s.str())) bytes += static_cast<char>(u & 0xFF);
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return Value::string(std::move(out));
}

Value fn_base64decode(CallContext&, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : s.str()) {
    const char* p = std::strchr(kBase64, c);
    if (c == '=' || !p || c == '\0') continue;
    buffer = (buffer << 6) | static_cast<unsigned>(p - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      append_utf8(out, (buffer >> bits) & 0xFF);
    }
  }
  return Value::string(std::move(out));
}

Value url_failure(const std::string& name, const Value& value) {
  Failure f("D3140");
  f.with_value(value);
  f.function_name = name;
  f.message = "Malformed URL passed to $" + name + "(): " + stringify(value, false);
  throw f;
}

Value encode(const std::string& name, const Value& s, const char* keep) {
  if (s.undefined()) return {};
  const std::string& in = s.str();
  // lone surrogates cannot be encoded (URIError in JavaScript)
  for (std::size_t i = 0; i + 2 < in.size() + 0; ++i)
    if (static_cast<unsigned char>(in[i]) == 0xED &&
        (static_cast<unsigned char>(in[i + 1]) & 0xE0) == 0xA0)
      url_failure(name, s);
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || (c < 0x80 && std::strchr(keep, c) && c != 0)) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return Value::string(std::move(out));
}

Value decode(const std::string& name, const Value& s, const char* reserved) {
  if (s.undefined()) return {};
  const std::string& in = s.str();
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    auto hex = [&](std::size_t at, int& v) {
      if (at + 2 >= in.size() + 0 && at + 2 > in.size()) return false;
      if (at + 2 > in.size()) return false;
      v = 0;
      for (std::size_t k = at; k < at + 2; ++k) {
        char h = in[k];
        v <<= 4;
        if (h >= '0' && h <= '9')
          v |= h - '0';
        else if (h >= 'a' && h <= 'f')
          v |= h - 'a' + 10;
        else if (h >= 'A' && h <= 'F')
          v |= h - 'A' + 10;
        else
          return false;
      }
      return true;
    };
    int b = 0;
    if (!hex(i + 1, b)) url_failure(name, s);
    int len = b < 0x80             ? 1
              : (b & 0xE0) == 0xC0 ? 2
              : (b & 0xF0) == 0xE0 ? 3
              : (b & 0xF8) == 0xF0 ? 4
                                   : 0;
    if (len == 0) url_failure(name, s);
    if (len == 1) {
      if (std::strchr(reserved, b) && b != 0)
        out += in.substr(i, 3);
      else
        out += static_cast<char>(b);
      i += 2;
      continue;
    }
    std::string bytes(1, static_cast<char>(b));
    std::size_t j = i + 3;
    for (int k = 1; k < len; ++k, j += 3) {
      int c = 0;
      if (j >= in.size() || in[j] != '%' || !hex(j + 1, c) || (c & 0xC0) != 0x80)
        url_failure(name, s);
      bytes += static_cast<char>(c);
    }
    out += bytes;
    i = j - 1;
  }
  return Value::string(std::move(out));
}

Value fn_encode_url_component(CallContext&, std::vector<Value>& args) {
  return encode("encodeUrlComponent", arg(args, 0), "-_.!~*'()");
}
Value fn_encode_url(CallContext&, std::vector<Value>& args) {
  return encode("encodeUrl", arg(args, 0), "-_.!~*'();/?:@&=+$,#");
}
Value fn_decode_url_component(CallContext&, std::vector<Value>& args) {
  return decode("decodeUrlComponent", arg(args, 0), "");
}
Value fn_decode_url(CallContext&, std::vector<Value>& args) {
  return decode("decodeUrl", arg(args, 0), ";/?:@&=+$,#");
}

}  // namespace

std::vector<BuiltinSpec> string_functions() {
  return {
      {"string", "<x-b?:s>", fn_string, 1},
      {"substring", "<s-nn?:s>", fn_substring, 3},
      {"substringBefore", "<s-s:s>", fn_substring_before, 2},
      {"substringAfter", "<s-s:s>", fn_substring_after, 2},
      {"lowercase", "<s-:s>", fn_lowercase, 1},
      {"uppercase", "<s-:s>", fn_uppercase, 1},
      {"length", "<s-:n>", fn_length, 1},
      {"trim", "<s-:s>", fn_trim, 1},
      {"pad", "<s-ns?:s>", fn_pad, 3},
      {"join", "<a<s>s?:s>", fn_join, 2},
      {"base64encode", "<s-:s>", fn_base64encode, 1},
      {"base64decode", "<s-:s>", fn_base64decode, 1},
      {"encodeUrlComponent", "<s-:s>", fn_encode_url_component, 1},
      {"encodeUrl", "<s-:s>", fn_encode_url, 1},
      {"decodeUrlComponent", "<s-:s>", fn_decode_url_component, 1},
      {"decodeUrl", "<s-:s>", fn_decode_url, 1},
  };
}

}  // namespace stepline::jsonata
