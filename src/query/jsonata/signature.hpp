// Function signatures (`<s-n?:s>`): parsed once, then used to check and coerce arguments the way
// jsonata-js does (context substitution for `-`, singleton-to-array for `a`).
#pragma once

#include <string>
#include <vector>

namespace stepline::jsonata {

class Value;

struct SignatureParam {
  std::string allowed;   // type symbols accepted, 'm' (missing) included where the reference does
  char quantifier = 0;   // 0, '?' or '+'
  char type = 0;         // s n b l o a f j x, or '(' for a choice
  bool context = false;  // `-`: the focus value stands in when the argument is missing
  std::string subtype;   // a<n>: item type
};

struct Signature {
  std::string definition;
  std::vector<SignatureParam> params;
};

// Throws Failure S0401/S0402 with `index` holding the offset within the text.
Signature parse_signature(const std::string& text);

// Returns the validated argument list; throws T0410, T0411, T0412.
std::vector<Value> validate_arguments(const Signature& sig, const std::vector<Value>& args,
                                      const Value& context);

// The common case without building anything: every argument fills its own parameter unchanged
// and only optional plain parameters are left over. Then pads `args` with undefined for those,
// which is exactly what validate_arguments would return, and returns true.
bool arguments_fit_directly(const Signature& sig, std::vector<Value>& args);

char type_symbol(const Value& v);

}  // namespace stepline::jsonata
