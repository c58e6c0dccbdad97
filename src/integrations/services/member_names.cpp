#include "integrations/services/member_names.hpp"

#include <cctype>

namespace stepline::integrations::services {

namespace {

std::string with_first(std::string_view name, bool upper) {
  std::string out(name);
  if (!out.empty()) {
    const auto c = static_cast<unsigned char>(out[0]);
    out[0] = static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
  }
  return out;
}

json::Value recase(const json::Value& value, const MemberNaming& naming, bool upper) {
  if (const json::Array* a = value.if_array()) {
    json::Array out;
    out.reserve(a->size());
    for (const auto& item : *a) out.push_back(recase(item, naming, upper));
    return out;
  }
  const json::Object* o = value.if_object();
  if (!o) return value;
  json::Object out;
  for (const auto& [key, inner] : *o) {
    const std::string api_name = with_first(key, false);
    if (naming.user_keyed_maps.count(api_name) && inner.is_object()) {
      // The map's keys are the user's (state names, variable names); its values are not
      // structures either in the API models that have such maps.
      out[with_first(key, upper)] = inner;
      continue;
    }
    out[with_first(key, upper)] = recase(inner, naming, upper);
  }
  return out;
}

}  // namespace

std::string pascal_case(std::string_view name) {
  return with_first(name, true);
}

json::Value to_api_members(const json::Value& parameters, const MemberNaming& naming) {
  return naming.camel_case ? recase(parameters, naming, false) : parameters;
}

json::Value to_pascal_members(const json::Value& response, const MemberNaming& naming) {
  return naming.camel_case ? recase(response, naming, true) : response;
}

}  // namespace stepline::integrations::services
