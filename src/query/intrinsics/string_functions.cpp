// Intrinsics on strings: Format, StringToJson, JsonToString, StringSplit, Base64, Hash.
#include "common/digest.hpp"
#include "query/intrinsics/call_ast.hpp"

#include <string>

namespace stepline::query::intrinsics {
namespace {

constexpr std::size_t kMaxEncodedInput = 10000;

// How Java prints a value inside a Map or List (AWS formats object arguments that way).
void append_java_style(std::string& out, const json::Value& v, bool top_level) {
  if (const auto* s = v.if_string()) {
    out.append(s->data(), s->size());
  } else if (const auto* object = v.if_object()) {
    out += '{';
    bool first = true;
    for (const auto& entry : *object) {
      if (!first) out += ", ";
      first = false;
      out.append(entry.key().data(), entry.key().size());
      out += '=';
      append_java_style(out, entry.value(), false);
    }
    out += '}';
  } else if (const auto* array = v.if_array()) {
    if (top_level) {
      json::dump_to(out, v);
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& item : *array) {
      if (!first) out += ", ";
      first = false;
      append_java_style(out, item, false);
    }
    out += ']';
  } else {
    json::dump_to(out, v);
  }
}

// Counts UTF-8 code points, the unit of AWS's 10,000-character limits.
std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Splits UTF-8 text into its code points (as byte strings).
std::vector<std::string_view> code_points(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

// Decoded bytes as Java's `new String(bytes, UTF_8)` reads them: each malformed sequence (its
// longest valid prefix) becomes U+FFFD, so the result is always valid JSON text.
std::string valid_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto b = static_cast<unsigned char>(bytes[i]);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      if (b == 0xE0) low = 0xA0;
      if (b == 0xED) high = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      if (b == 0xF0) low = 0x90;
      if (b == 0xF4) high = 0x8F;
    }
    std::size_t valid = length ? 1 : 0;
    while (valid && valid < length && i + valid < bytes.size()) {
      auto c = static_cast<unsigned char>(bytes[i + valid]);
      bool ok = valid == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
      if (!ok) break;
      ++valid;
    }
    if (length && valid == length) {
      out.append(bytes.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      i += valid ? valid : 1;
    }
  }
  return out;
}

}  // namespace

json::Value format(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.Format";
  const json::String& pattern = string_arg(kName, args, 0);
  // Escapes (`\{`) only exist in literals; a template read from a path is taken as it is.
  std::string_view source =
      args[0].raw_string ? std::string_view(*args[0].raw_string) : std::string_view(pattern);
  bool escapes = args[0].raw_string != nullptr;
  std::string out;
  std::size_t next_arg = 1;
  for (std::size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    if (escapes && c == '\\' && i + 1 < source.size()) {
      out += source[++i];
    } else if (c == '{' && i + 1 < source.size() && source[i + 1] == '}') {
      if (next_arg >= args.size())
        fail(kName, "the number of arguments does not match the number of '{}' placeholders");
      append_java_style(out, args[next_arg++].value(), true);
      ++i;
    } else {
      out += c;
    }
  }
  if (next_arg != args.size())
    fail(kName, "the number of arguments does not match the number of '{}' placeholders");
  return json::String(out);
}

json::Value string_to_json(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.StringToJson";
  std::string_view text = string_arg(kName, args, 0);
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return nullptr;
  try {
    json::Value parsed = json::parse(text);
    // Java's parser reads "-0" as the integer 0; keep doubles' sign otherwise.
    if (parsed.is_double() && parsed.get_double() == 0.0 &&
        text.find_first_of(".eE") == std::string_view::npos)
      parsed = 0;
    return parsed;
  } catch (const json::ParseError& e) {
    fail(kName, "the string is not valid JSON: " + std::string(e.what()));
  }
}

json::Value json_to_string(std::span<const ArgValue> args, const EvalContext&) {
  return json::String(json::dump(args[0].value()));
}

json::Value string_split(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.StringSplit";
  std::string_view text = string_arg(kName, args, 0);
  std::string_view delimiters = string_arg(kName, args, 1);
  auto delimiter_chars = code_points(delimiters);
  json::Array out;
  std::string token;
  for (std::string_view ch : code_points(text)) {
    bool is_delimiter = false;
    for (auto d : delimiter_chars) is_delimiter = is_delimiter || d == ch;
    if (!is_delimiter) {
      token += ch;
    } else if (!token.empty()) {
      out.emplace_back(json::String(token));
      token.clear();
    }
  }
  if (!token.empty()) out.emplace_back(json::String(token));
  return out;
}

json::Value base64_encode(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.Base64Encode";
  std::string_view text = string_arg(kName, args, 0);
  if (char_count(text) > kMaxEncodedInput) fail(kName, "the input string exceeds 10000 characters");
  return json::String(digest::base64_encode(text));
}

json::Value base64_decode(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.Base64Decode";
  std::string_view text = string_arg(kName, args, 0);
  if (char_count(text) > kMaxEncodedInput) fail(kName, "the input string exceeds 10000 characters");
  auto decoded = digest::base64_decode(text);
  if (!decoded) fail(kName, "the input is not valid Base64");
  return json::String(valid_utf8(*decoded));
}

json::Value hash(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.Hash";
  const json::Value& data = args[0].value();
  std::string text = data.is_string() ? std::string(data.get_string()) : json::dump(data);
  if (char_count(text) > kMaxEncodedInput) fail(kName, "the input data exceeds 10000 characters");
  std::string_view algorithm = string_arg(kName, args, 1);
  auto digest = digest::hex(algorithm, text);
  if (!digest)
    fail(kName, "the hashing algorithm '" + std::string(algorithm) +
                    "' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
  return json::String(*digest);
}

}  // namespace stepline::query::intrinsics
