// Feeds arbitrary bytes to the definition validator as definition text (the first byte picks
// STANDARD or EXPRESS). Every input must produce diagnostics: no exception may escape, and
// crashes, leaks and sanitizer reports are bugs.
#include "asl/validator/validate.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using namespace stepline::asl;
  ValidateOptions options;
  options.type = (data[0] & 1) ? MachineType::Express : MachineType::Standard;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto diagnostics = validate_text(text, options);
  if (has_errors(diagnostics)) (void)invalid_definition_message(diagnostics);
  return 0;
}
