// Date/time built-ins: $now $millis $fromMillis $toMillis.
#include "query/jsonata/builtins.hpp"

namespace stepline::jsonata {

std::vector<BuiltinSpec> datetime_functions() {
  return {};
}

}  // namespace stepline::jsonata
