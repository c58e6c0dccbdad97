#include "asl/validator/query_syntax.hpp"

#include "query/intrinsics/intrinsic_call.hpp"
#include "query/jsonpath/path.hpp"
#include "query/syntax_error.hpp"
#include "query/template/expression.hpp"

namespace stepline::asl::validation {

void check_path(std::string_view text) {
  query::jsonpath::Path::compile(text);
}

void check_reference_path(std::string_view text, bool allow_context, bool allow_variables) {
  const auto path = query::jsonpath::Path::compile(text);
  if (!path.is_reference()) throw query::SyntaxError("Not a reference path");
  if (path.root() == query::jsonpath::Root::Context && !allow_context)
    throw query::SyntaxError("The context object cannot be referenced here");
  if (path.root() == query::jsonpath::Root::Variable && !allow_variables)
    throw query::SyntaxError("Variables cannot be referenced here");
}

void check_intrinsic(std::string_view text) {
  query::intrinsics::IntrinsicCall::compile(text);
}

void check_dynamic_value(std::string_view text) {
  query::Expression::compile(text);
}

bool looks_like_intrinsic(std::string_view text) {
  return query::intrinsics::IntrinsicCall::looks_like_call(text);
}

}  // namespace stepline::asl::validation
