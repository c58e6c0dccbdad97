#include "store/step_rules.hpp"

#include <stdexcept>

namespace stepline::store {

long long event_id(const json::Value& event) {
  if (const auto* object = event.if_object()) {
    if (const auto* id = object->if_contains("id")) {
      if (id->is_int64()) return id->as_int64();
      if (id->is_uint64()) return static_cast<long long>(id->as_uint64());
    }
  }
  throw std::invalid_argument("a history event has no integer \"id\"");
}

bool is_closed_status(std::string_view status) {
  return status != "RUNNING";
}

}  // namespace stepline::store
