#include "api/resources/names.hpp"

#include "api/resources/api_failure.hpp"

#include <fmt/format.h>

#include <optional>

namespace stepline::api::resources {

namespace {

// Decodes one UTF-8 code point at `i` (advancing it); nullopt for malformed input, including
// encoded surrogates and overlong forms.
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  int extra = 0;
  char32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + extra >= s.size()) return std::nullopt;
  for (int k = 1; k <= extra; ++k) {
    const unsigned char c = byte(i + k);
    if ((c & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += extra + 1;
  return cp;
}

bool is_whitespace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

bool is_forbidden(char32_t c) {
  if (c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF) return true;
  if (is_whitespace(c)) return true;
  constexpr std::u32string_view kPunctuation = U"<>{}[]?*\"#%\\^|~`$&,;:/";
  return kPunctuation.find(c) != std::u32string_view::npos;
}

// Unicode letters/digits are approximated by "not ASCII punctuation and not a control or
// separator": tags reach AWS's own checks only through this rule, which concerns ASCII symbols.
bool is_allowed_tag_char(char32_t c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return true;
    return std::string_view("_.:/=+-@").find(static_cast<char>(c)) != std::string_view::npos;
  }
  return !(c >= 0x80 && c <= 0x9F) && c != 0xFFFE && c != 0xFFFF;
}

bool valid_tag_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::optional<char32_t> c = next_code_point(text, i);
    if (!c || !is_allowed_tag_char(*c)) return false;
  }
  return true;
}

}  // namespace

bool is_valid_resource_name(std::string_view name) {
  if (name.empty()) return false;
  std::size_t count = 0;
  for (std::size_t i = 0; i < name.size();) {
    std::optional<char32_t> c = next_code_point(name, i);
    if (!c || is_forbidden(*c)) return false;
    count += *c >= 0x10000 ? 2 : 1;  // the model counts UTF-16 units
  }
  return count <= 80;
}

void require_valid_name(std::string_view name) {
  if (!is_valid_resource_name(name)) throw ApiFailure(invalid_name(name));
}

json::Object tags_from_request(const json::Value* tags) {
  json::Object out;
  if (tags == nullptr || !tags->is_array()) return out;
  for (const json::Value& tag : tags->get_array()) {
    if (!tag.is_object()) continue;
    const json::Value* key = tag.as_object().if_contains("key");
    const json::Value* value = tag.as_object().if_contains("value");
    if (key == nullptr || !key->is_string()) {
      throw ApiFailure(validation("Tag keys must be non-empty strings"));
    }
    const std::string_view k = key->get_string();
    const std::string_view v =
        value && value->is_string() ? std::string_view(value->get_string()) : std::string_view();
    if (!valid_tag_text(k) || !valid_tag_text(v)) {
      throw ApiFailure(validation(fmt::format(
          "Tags may only contain Unicode letters, digits, white space, or these symbols: "
          "_ . : / = + - @. Received: '{}'",
          valid_tag_text(k) ? v : k)));
    }
    if (k.substr(0, 4) == "aws:") {
      throw ApiFailure(validation("Tag keys may not start with the reserved prefix 'aws:'"));
    }
    out[k] = std::string(v);
  }
  return out;
}

void merge_tags(json::Object& tags, const json::Object& added, std::string_view resource_arn) {
  json::Object merged = tags;
  for (const auto& tag : added) merged[tag.key()] = tag.value();
  if (merged.size() > kMaxTags) throw ApiFailure(too_many_tags(resource_arn));
  tags = std::move(merged);
}

json::Array tags_to_list(const json::Object& tags) {
  json::Array out;
  for (const auto& tag : tags) {
    json::Object item;
    item["key"] = tag.key();
    item["value"] = tag.value();
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace stepline::api::resources
