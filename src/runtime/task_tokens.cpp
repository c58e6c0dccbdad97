#include "runtime/task_tokens.hpp"

#include "common/digest.hpp"

namespace stepline::runtime {

namespace {

constexpr std::string_view kPrefix = "sltk1.";

bool is_token_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '_';
}

}  // namespace

std::string make_task_token(std::string_view execution_arn, IdSource& ids) {
  std::string token(kPrefix);
  token += digest::base64_encode(execution_arn);
  token += '.';
  token += ids.task_token();
  return token;
}

std::optional<std::string> token_execution(std::string_view token) {
  if (token.size() > 2048 || token.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  token.remove_prefix(kPrefix.size());
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot + 1 == token.size()) return std::nullopt;
  for (char c : token.substr(dot + 1)) {
    if (!is_token_char(c)) return std::nullopt;
  }
  auto arn = digest::base64_decode(token.substr(0, dot));
  if (!arn || arn->rfind("arn:", 0) != 0) return std::nullopt;
  return arn;
}

}  // namespace stepline::runtime
