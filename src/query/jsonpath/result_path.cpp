// ResultPath application: the result is written into (a copy of) the raw state input.
#include "query/jsonpath/result_path.hpp"

#include "common/errors.hpp"
#include "query/jsonpath/path_ast.hpp"
#include "query/syntax_error.hpp"

#include <string>

namespace stepline::query::jsonpath {
namespace {

std::string step_name(const Segment& segment) {
  return segment.kind == Segment::Kind::Member ? segment.names.front()
                                               : std::to_string(segment.indexes.front());
}

[[noreturn]] void match_failure(const Segment& segment, const json::Value& node) {
  throw StatesException(
      errors::kResultPathMatchFailure,
      "Unable to apply step \"" + step_name(segment) + "\" to input " + json::dump(node));
}

}  // namespace

ResultPath ResultPath::compile(const json::Value& definition) {
  if (definition.is_null()) return discard();
  if (!definition.is_string()) throw SyntaxError("ResultPath must be a string or null");
  Path path = Path::compile(std::string_view(definition.get_string()));
  if (!path.is_reference() || path.root() != Root::Input)
    throw SyntaxError("ResultPath '" + path.text() + "' is not a Reference Path into '$'");
  ResultPath result;
  result.path_ = std::move(path);
  return result;
}

ResultPath ResultPath::discard() {
  return ResultPath();
}

ResultPath ResultPath::replace() {
  ResultPath result;
  result.path_ = Path::compile("$");
  return result;
}

bool ResultPath::replaces_input() const {
  return path_ && path_->compiled().segments.empty();
}

json::Value ResultPath::apply(json::Value raw_input, json::Value result) const {
  if (!path_) return raw_input;
  const auto& segments = path_->compiled().segments;
  if (segments.empty()) return result;
  json::Value* node = &raw_input;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    bool last = i + 1 == segments.size();
    json::Value* child = nullptr;
    if (segment.kind == Segment::Kind::Member) {
      auto* object = node->if_object();
      if (!object) match_failure(segment, *node);
      const std::string& name = segment.names.front();
      if (last) {
        // One lookup, and the result moves straight into a new member.
        object->insert_or_assign(name, std::move(result));
        break;
      }
      child = object->if_contains(name);
      if (!child) child = &object->emplace(name, json::Object()).first->value();
    } else {
      auto* array = node->if_array();
      if (!array) match_failure(segment, *node);
      auto size = static_cast<std::int64_t>(array->size());
      std::int64_t index = segment.indexes.front();
      if (index < 0) index += size;
      if (index < 0 || index >= size) match_failure(segment, *node);
      child = &(*array)[static_cast<std::size_t>(index)];
    }
    if (last) {
      *child = std::move(result);
      break;
    }
    node = child;
  }
  return raw_input;
}

}  // namespace stepline::query::jsonpath
