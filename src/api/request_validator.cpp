#include "api/request_validator.hpp"

#include "api/shape_pattern.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace stepline::api {

namespace {

// Thrown on the first value whose JSON type does not fit its shape: AWS rejects the whole
// request as unreadable before checking any constraint.
struct TypeMismatch {
  std::string message;
};

std::string text_of(const json::Value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return json::dump(v);
}

// Java's String.length(): UTF-16 code units, which is what AWS's length constraints count.
std::int64_t utf16_length(std::string_view s) {
  std::int64_t units = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += c >= 0xF0 ? 2 : 1;        // 4-byte sequences are surrogate pairs
  }
  return units;
}

const char* kRedacted = "*** Sensitive Data Redacted ***";

class Validator {
 public:
  explicit Validator(const ServiceModel& model) : model_(model) {}

  // Renders a value the way AWS's Java model objects print in messages: strings bare,
  // structures as `Shape(member=value, ...)`, lists as `[a, b]`.
  std::string render(const json::Object& shape, std::string_view shape_name,
                     const json::Value& v) const {
    if (shape.if_contains("sensitive") && shape.at("sensitive").is_bool() &&
        shape.at("sensitive").get_bool())
      return kRedacted;
    const std::string_view type = string_member(shape, "type");
    if (type == "structure" && v.is_object()) {
      std::string out = std::string(shape_name) + "(";
      bool first = true;
      for (const auto& m : members(shape)) {
        const json::Value* value = v.get_object().if_contains(m.key());
        if (!value || value->is_null()) continue;
        const std::string_view target = member_shape_name(m.value());
        const json::Object* member_shape = model_.shape(target);
        out += first ? "" : ", ";
        out += std::string(m.key()) + "=" +
               (member_shape ? render(*member_shape, target, *value) : text_of(*value));
        first = false;
      }
      return out + ")";
    }
    if (type == "list" && v.is_array()) {
      const std::string_view target = member_shape_name(shape.at("member"));
      const json::Object* item_shape = model_.shape(target);
      std::string out = "[";
      for (std::size_t i = 0; i < v.get_array().size(); ++i) {
        if (i) out += ", ";
        const json::Value& item = v.get_array()[i];
        out += item_shape ? render(*item_shape, target, item) : text_of(item);
      }
      return out + "]";
    }
    return text_of(v);
  }

  void check(const json::Object& shape, std::string_view shape_name, const json::Value& v,
             const std::string& path) {
    const std::string_view type = string_member(shape, "type");
    if (type == "structure") return check_structure(shape, v, path);
    if (type == "list") return check_list(shape, shape_name, v, path);
    if (type == "map") return check_map(shape, v, path);
    if (type == "string") return check_string(shape, shape_name, v, path);
    if (type == "integer" || type == "long") return check_integer(shape, shape_name, v, path);
    if (type == "float" || type == "double") {
      if (!v.is_number()) mismatch(path, "a number");
      double d = 0;
      json::as_double(v, d);
      check_range(shape, shape_name, v, d, path);
      return;
    }
    if (type == "boolean") {
      if (!v.is_bool()) mismatch(path, "a boolean");
      return;
    }
    if (type == "timestamp") {
      if (!v.is_number() && !v.is_string()) mismatch(path, "a timestamp");
      return;
    }
    if (type == "blob" && !v.is_string()) mismatch(path, "a blob");
  }

  std::vector<std::string> errors;

 private:
  // Views into the model, which outlives every validation.
  static std::string_view string_member(const json::Object& o, std::string_view key) {
    const json::Value* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
  }
  static std::string_view member_shape_name(const json::Value& member) {
    return member.is_object() ? string_member(member.get_object(), "shape") : std::string_view();
  }
  static const json::Object& members(const json::Object& shape) {
    static const json::Object kNone;
    const json::Value* m = shape.if_contains("members");
    return m && m->is_object() ? m->get_object() : kNone;
  }
  static bool limit(const json::Object& shape, std::string_view key, std::int64_t& out) {
    const json::Value* v = shape.if_contains(key);
    if (!v || !v->is_number()) return false;
    double d = 0;
    json::as_double(*v, d);
    out = static_cast<std::int64_t>(d);
    return true;
  }

  [[noreturn]] static void mismatch(const std::string& path, std::string_view expected) {
    throw TypeMismatch{fmt::format("Expected {} at '{}'", expected, path)};
  }

  void fail(const json::Object& shape, std::string_view shape_name, const json::Value& v,
            const std::string& path, const std::string& constraint) {
    errors.push_back(fmt::format("Value '{}' at '{}' failed to satisfy constraint: {}",
                                 render(shape, shape_name, v), path, constraint));
  }

  void check_structure(const json::Object& shape, const json::Value& v, const std::string& path) {
    if (!v.is_object()) mismatch(path.empty() ? "/" : path, "an object");
    const json::Object& body = v.get_object();
    const json::Value* required = shape.if_contains("required");
    auto is_required = [&](std::string_view name) {
      if (!required || !required->is_array()) return false;
      for (const auto& r : required->get_array())
        if (r.is_string() && std::string_view(r.get_string()) == name) return true;
      return false;
    };
    for (const auto& m : members(shape)) {
      const std::string_view name = m.key();
      const json::Value* value = body.if_contains(name);
      if (value && value->is_null()) value = nullptr;
      if (!value && !is_required(name)) continue;  // the common case: no path to build
      const std::string child_path =
          path.empty() ? std::string(name) : path + "." + std::string(name);
      if (!value) {
        errors.push_back(
            fmt::format("Value null at '{}' failed to satisfy constraint: Member must not be null",
                        child_path));
        continue;
      }
      const std::string_view target = member_shape_name(m.value());
      if (const json::Object* member_shape = model_.shape(target))
        check(*member_shape, target, *value, child_path);
    }
  }

  void check_list(const json::Object& shape, std::string_view shape_name, const json::Value& v,
                  const std::string& path) {
    if (!v.is_array()) mismatch(path, "a list");
    const auto& items = v.get_array();
    check_count(shape, shape_name, v, static_cast<std::int64_t>(items.size()), path);
    const std::string_view target = member_shape_name(shape.at("member"));
    const json::Object* item_shape = model_.shape(target);
    if (!item_shape) return;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].is_null()) continue;
      check(*item_shape, target, items[i], fmt::format("{}.{}.member", path, i + 1));
    }
  }

  void check_map(const json::Object& shape, const json::Value& v, const std::string& path) {
    if (!v.is_object()) mismatch(path, "a map");
    const std::string_view value_target = member_shape_name(shape.at("value"));
    const json::Object* value_shape = model_.shape(value_target);
    if (!value_shape) return;
    for (const auto& entry : v.get_object()) {
      if (entry.value().is_null()) continue;
      check(*value_shape, value_target, entry.value(),
            fmt::format("{}.{}", path, std::string_view(entry.key())));
    }
  }

  void check_count(const json::Object& shape, std::string_view shape_name, const json::Value& v,
                   std::int64_t count, const std::string& path) {
    std::int64_t bound = 0;
    if (limit(shape, "min", bound) && count < bound)
      fail(shape, shape_name, v, path,
           fmt::format("Member must have length greater than or equal to {}", bound));
    if (limit(shape, "max", bound) && count > bound)
      fail(shape, shape_name, v, path,
           fmt::format("Member must have length less than or equal to {}", bound));
  }

  void check_range(const json::Object& shape, std::string_view shape_name, const json::Value& v,
                   double value, const std::string& path) {
    std::int64_t bound = 0;
    if (limit(shape, "min", bound) && value < static_cast<double>(bound))
      fail(shape, shape_name, v, path,
           fmt::format("Member must have value greater than or equal to {}", bound));
    if (limit(shape, "max", bound) && value > static_cast<double>(bound))
      fail(shape, shape_name, v, path,
           fmt::format("Member must have value less than or equal to {}", bound));
  }

  void check_integer(const json::Object& shape, std::string_view shape_name, const json::Value& v,
                     const std::string& path) {
    if (!v.is_int64() && !v.is_uint64()) mismatch(path, "an integer");
    double d = 0;
    json::as_double(v, d);
    check_range(shape, shape_name, v, d, path);
  }

  void check_string(const json::Object& shape, std::string_view shape_name, const json::Value& v,
                    const std::string& path) {
    if (!v.is_string()) mismatch(path, "a string");
    const std::string_view text = v.get_string();
    check_count(shape, shape_name, v, utf16_length(text), path);
    if (const json::Value* pattern = shape.if_contains("pattern");
        pattern && pattern->is_string() && !matches_shape_pattern(pattern->get_string(), text))
      fail(shape, shape_name, v, path,
           fmt::format("Member must satisfy regular expression pattern: {}",
                       std::string_view(pattern->get_string())));
    if (const json::Value* values = shape.if_contains("enum"); values && values->is_array()) {
      std::string listed;
      bool found = false;
      for (const auto& e : values->get_array()) {
        if (!e.is_string()) continue;
        if (e.get_string() == text) found = true;
        listed += (listed.empty() ? "" : ", ") + std::string(e.get_string());
      }
      if (!found)
        fail(shape, shape_name, v, path,
             fmt::format("Member must satisfy enum value set: [{}]", listed));
    }
  }

  const ServiceModel& model_;
};

}  // namespace

std::optional<ApiError> validate_request(const ServiceModel& model, std::string_view input_shape,
                                         const json::Value& body) {
  const json::Object* shape = model.shape(input_shape);
  if (!shape) return std::nullopt;
  Validator validator(model);
  try {
    validator.check(*shape, input_shape, body, "");
  } catch (const TypeMismatch& e) {
    return serialization_error(e.message);
  }
  const auto& errors = validator.errors;
  if (errors.empty()) return std::nullopt;
  std::string message =
      fmt::format("{} validation error{} detected: ", errors.size(), errors.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < errors.size(); ++i) message += (i ? "; " : "") + errors[i];
  return validation_error(std::move(message));
}

}  // namespace stepline::api
