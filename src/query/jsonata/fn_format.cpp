// Picture-driven number formatting: $formatNumber, $formatInteger, $parseInteger.
#include "query/jsonata/builtins.hpp"

namespace stepline::jsonata {

std::vector<BuiltinSpec> format_functions() {
  return {};
}

}  // namespace stepline::jsonata
