// Task tokens as the runtime issues them: "<prefix>.<base64 execution ARN>.<random>". Carrying
// the execution lets SendTask* tell a token whose task has closed (TaskTimedOut) from one that
// never existed (TaskDoesNotExist) without keeping every closed token, and a token that is not of
// this form at all (InvalidToken).
#pragma once

#include "common/ids.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace stepline::runtime {

std::string make_task_token(std::string_view execution_arn, IdSource& ids);

// The execution ARN a well-formed token names; nullopt for a malformed token.
std::optional<std::string> token_execution(std::string_view token);

// The IdSource the interpreter of one execution uses: its `.waitForTaskToken` tokens name the
// execution; UUIDs and randomness come from the runtime's source.
class ExecutionIds final : public IdSource {
 public:
  ExecutionIds(IdSource& base, std::string execution_arn)
      : base_(base), execution_arn_(std::move(execution_arn)) {}
  std::string uuid() override { return base_.uuid(); }
  std::string task_token() override { return make_task_token(execution_arn_, base_); }
  double uniform() override { return base_.uniform(); }

 private:
  IdSource& base_;
  std::string execution_arn_;
};

}  // namespace stepline::runtime
