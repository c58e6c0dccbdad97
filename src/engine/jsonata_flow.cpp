// JSONata-mode states (ASL §4): `$states` bindings, the AWS additions to the function library,
// and the per-state flow Arguments → work → Output/Assign.
#include "common/digest.hpp"
#include "common/errors.hpp"
#include "engine/step_run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

namespace stepline::engine {

namespace {

using Args = std::vector<std::optional<json::Value>>;

jsonata::Error function_error(std::string message) {
  return jsonata::Error("D3137", std::move(message), -1);
}

double number_arg(const Args& args, std::size_t i, const char* fn) {
  double d = 0;
  if (i >= args.size() || !args[i] || !json::as_double(*args[i], d)) {
    throw function_error(fmt::format("Argument {} of function ${} must be a number", i + 1, fn));
  }
  return d;
}

json::Value integral(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
  return d;
}

// java.util.Random(seed).nextDouble(), which AWS's $random(seed) returns.
double java_random_double(std::int64_t seed) {
  constexpr std::uint64_t kMultiplier = 0x5DEECE66DULL;
  constexpr std::uint64_t kMask = (1ULL << 48) - 1;
  std::uint64_t state = (static_cast<std::uint64_t>(seed) ^ kMultiplier) & kMask;
  auto next = [&](int bits) {
    state = (state * kMultiplier + 0xBULL) & kMask;
    return static_cast<std::int64_t>(state >> (48 - bits));
  };
  std::int64_t high = next(26);
  std::int64_t low = next(27);
  return static_cast<double>((high << 27) + low) * 0x1.0p-53;
}

std::unique_ptr<jsonata::Environment> aws_environment(IdSource* ids) {
  auto env = std::make_unique<jsonata::Environment>();
  env->disable_eval();
  env->define("partition", "", [](const Args& args) -> std::optional<json::Value> {
    if (args.empty() || !args[0] || !args[0]->is_array()) {
      throw function_error("Argument 1 of function $partition must be an array");
    }
    double size = number_arg(args, 1, "partition");
    if (size <= 0 || std::floor(size) != size) {
      throw function_error("Argument 2 of function $partition must be a positive integer");
    }
    json::Array out;
    json::Array chunk;
    for (const auto& v : args[0]->as_array()) {
      chunk.push_back(v);
      if (static_cast<double>(chunk.size()) >= size) {
        out.emplace_back(std::move(chunk));
        chunk = json::Array{};
      }
    }
    if (!chunk.empty()) out.emplace_back(std::move(chunk));
    return json::Value(std::move(out));
  });
  env->define("range", "", [](const Args& args) -> std::optional<json::Value> {
    double first = number_arg(args, 0, "range");
    double last = number_arg(args, 1, "range");
    double step = number_arg(args, 2, "range");
    if (step == 0) throw function_error("Argument 3 of function $range must not be zero");
    json::Array out;
    for (double v = first; step > 0 ? v <= last : v >= last; v += step) {
      out.push_back(integral(v));
      if (out.size() > 1000000) throw function_error("$range produced too many elements");
    }
    if (out.size() == 1) return out[0];  // a singleton sequence is its value
    return json::Value(std::move(out));
  });
  env->define("hash", "", [](const Args& args) -> std::optional<json::Value> {
    if (args.size() < 2 || !args[0] || !args[1] || !args[1]->is_string()) {
      throw function_error("Function $hash takes a value and an algorithm name");
    }
    std::string data =
        args[0]->is_string() ? std::string(args[0]->as_string()) : json::dump(*args[0]);
    auto digest = digest::hex(std::string(args[1]->as_string()), data);
    if (!digest) throw function_error("Unsupported hash algorithm");
    return json::Value(*digest);
  });
  env->define("random", "", [ids](const Args& args) -> std::optional<json::Value> {
    if (!args.empty() && args[0]) {
      double seed = number_arg(args, 0, "random");
      return json::Value(java_random_double(static_cast<std::int64_t>(seed)));
    }
    return json::Value(ids ? ids->uniform() : 0.5);
  });
  env->define("uuid", "", [ids](const Args&) -> std::optional<json::Value> {
    return json::Value(ids ? ids->uuid() : std::string("00000000-0000-4000-8000-000000000000"));
  });
  env->define("parse", "", [](const Args& args) -> std::optional<json::Value> {
    if (args.empty() || !args[0] || !args[0]->is_string()) {
      throw function_error("Argument 1 of function $parse must be a string");
    }
    try {
      return json::parse(std::string(args[0]->as_string()));
    } catch (const json::ParseError& e) {
      throw function_error(fmt::format("$parse: {}", e.what()));
    }
  });
  return env;
}

}  // namespace

json::Object StepRun::jsonata_bindings(const Thread& t, const json::Value& input,
                                       const json::Value& context, const json::Value* result,
                                       const json::Value* error_output) const {
  json::Object bindings;
  // Outer scopes first so that inner variables shadow them.
  std::vector<const Thread*> chain;
  for (int id = t.id; id >= 0; id = frame_.threads.at(id).parent) {
    chain.push_back(&frame_.threads.at(id));
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto& [k, v] : (*it)->variables) bindings[k] = v;
  }
  json::Object states;
  states["input"] = input;
  states["context"] = context;
  if (result) states["result"] = *result;
  if (error_output) states["errorOutput"] = *error_output;
  bindings["states"] = std::move(states);
  return bindings;
}

json::Value StepRun::eval_jsonata(const asl::JsonataValue& v, std::string_view field,
                                  const json::Object& bindings) {
  if (!jsonata_env_) jsonata_env_ = aws_environment(ids_);
  jsonata::EvaluateOptions options;
  options.environment = jsonata_env_.get();
  options.now_millis = now_.time_since_epoch().count();
  return v.evaluate(bindings, options, field);
}

json::Value StepRun::jsonata_or(const asl::State& s, std::string_view field,
                                const json::Object& bindings, const json::Value& fallback) {
  if (const auto* v = s.jsonata_field(field)) return eval_jsonata(*v, field, bindings);
  return fallback;
}

json::Object StepRun::jsonata_assign(const asl::JsonataValue* assign,
                                     const json::Object& bindings) {
  if (!assign) return {};
  json::Value out = eval_jsonata(*assign, "Assign", bindings);
  if (!out.is_object()) return {};
  return std::move(out.as_object());
}

namespace {

long long whole_number(const json::Value& v, std::string_view field, const std::string& what) {
  double d = 0;
  if (!json::as_double(v, d) || std::floor(d) != d || std::fabs(d) > 9e15) {
    throw asl::JsonataFailure(
        fmt::format("The {} field must be an integer but was: {}", what, json::dump(v)),
        std::string(field));
  }
  return static_cast<long long>(d);
}

}  // namespace

std::optional<json::Value> StepRun::jsonata_credentials(const Thread& t, const asl::TaskState& task,
                                                        const json::Value& context,
                                                        const json::Object& bindings) {
  if (!task.credentials) return std::nullopt;
  // The definition's Credentials is kept as a JSONPath template, which hands back the JSONata
  // text (`{% ... %}` strings) untouched; evaluate that as JSONata.
  ScopeLookup vars(frame_, t.id);
  json::Value written = task.credentials->evaluate(eval_context(t, t.input, context, vars));
  std::optional<asl::JsonataValue> compiled;
  try {
    compiled = asl::JsonataValue::compile(written);
  } catch (const jsonata::Error& e) {
    throw asl::JsonataFailure(e.what(), "Credentials");
  }
  json::Value credentials = eval_jsonata(*compiled, "Credentials", bindings);
  const auto* role =
      credentials.is_object() ? credentials.as_object().if_contains("RoleArn") : nullptr;
  if (!role) return std::nullopt;
  return json::Value(json::Object{{"roleArn", *role}});
}

void StepRun::execute_jsonata(Thread& t, const asl::State& s) {
  json::Value context = context_object(t, s);
  json::Object bindings = jsonata_bindings(t, t.input, context);
  switch (s.type) {
    case asl::StateType::Pass:
    case asl::StateType::Succeed: {
      json::Value output = jsonata_or(s, "Output", bindings, t.input);
      json::Object assigned = s.type == asl::StateType::Pass
                                  ? jsonata_assign(s.jsonata_field("Assign"), bindings)
                                  : json::Object{};
      exit_state(t, std::move(output), std::move(assigned));
      return;
    }
    case asl::StateType::Choice: {
      const auto& choice = std::get<asl::ChoiceState>(s.spec);
      for (const auto& branch : choice.choices) {
        if (!branch.condition) continue;
        json::Value c = eval_jsonata(*branch.condition, "Condition", bindings);
        if (!c.is_bool()) {
          throw asl::JsonataFailure(
              fmt::format("The Condition field must evaluate to a boolean but was: {}",
                          json::dump(c)),
              "Condition");
        }
        if (!c.as_bool()) continue;
        json::Value output =
            branch.output ? eval_jsonata(*branch.output, "Output", bindings) : t.input;
        json::Object assigned =
            jsonata_assign(branch.jsonata_assign ? &*branch.jsonata_assign : nullptr, bindings);
        std::string target = branch.next;
        exit_state(t, std::move(output), std::move(assigned), std::nullopt, &target);
        return;
      }
      if (!choice.default_next) throw StatesException(errors::kNoChoiceMatched, "No Matches!");
      json::Value output = jsonata_or(s, "Output", bindings, t.input);
      json::Object assigned = jsonata_assign(s.jsonata_field("Assign"), bindings);
      std::string target = *choice.default_next;
      exit_state(t, std::move(output), std::move(assigned), std::nullopt, &target);
      return;
    }
    case asl::StateType::Wait: {
      TimePoint due = now_;
      if (const auto* v = s.jsonata_field("Seconds")) {
        long long seconds =
            whole_number(eval_jsonata(*v, "Seconds", bindings), "Seconds", "Seconds");
        if (seconds < 0) {
          throw asl::JsonataFailure("The Seconds field must not be negative.", "Seconds");
        }
        if (seconds > 2147483647LL) {
          throw StatesException(errors::kRuntime, "Wait state delay is too long.");
        }
        due = now_ + std::chrono::seconds(seconds);
      } else if (const auto* ts = s.jsonata_field("Timestamp")) {
        json::Value v = eval_jsonata(*ts, "Timestamp", bindings);
        std::optional<Instant> parsed;
        if (v.is_string()) parsed = parse_rfc3339(std::string(v.as_string()));
        if (!parsed) {
          throw asl::JsonataFailure(
              fmt::format("The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                          "date-time format string: {}",
                          v.is_string() ? std::string(v.as_string()) : json::dump(v)),
              "Timestamp");
        }
        due = std::max(now_, TimePoint(std::chrono::floor<Millis>(*parsed)));
      }
      t.effective = t.input;
      arm_timer(t, due, TimerPurpose::Wait);
      return;
    }
    case asl::StateType::Fail: {
      StatesError error;
      auto text = [&](std::string_view field) -> std::optional<std::string> {
        const auto* v = s.jsonata_field(field);
        if (!v) return std::nullopt;
        json::Value r = eval_jsonata(*v, field, bindings);
        return r.is_string() ? std::string(r.as_string()) : json::dump(r);
      };
      error.error = text("Error");
      error.cause = text("Cause");
      fail_thread(t, std::move(error));
      return;
    }
    case asl::StateType::Task: {
      const auto& task = std::get<asl::TaskState>(s.spec);
      if (task.has_task_token() && ids_) {
        t.task_token = ids_->task_token();
        context = context_object(t, s);
        bindings = jsonata_bindings(t, t.input, context);
      }
      json::Value arguments = jsonata_or(s, "Arguments", bindings, t.input);
      t.timeout_seconds = task.timeout_seconds;
      t.heartbeat_seconds = task.heartbeat_seconds;
      if (const auto* v = s.jsonata_field("TimeoutSeconds")) {
        t.timeout_seconds = whole_number(eval_jsonata(*v, "TimeoutSeconds", bindings),
                                         "TimeoutSeconds", "TimeoutSeconds");
      }
      if (const auto* v = s.jsonata_field("HeartbeatSeconds")) {
        t.heartbeat_seconds = whole_number(eval_jsonata(*v, "HeartbeatSeconds", bindings),
                                           "HeartbeatSeconds", "HeartbeatSeconds");
      }
      t.credentials = jsonata_credentials(t, task, context, bindings);
      check_size(t, arguments, s.name);
      t.effective = std::move(arguments);
      dispatch_task(t, s);
      return;
    }
    case asl::StateType::Parallel:
      t.effective = jsonata_or(s, "Arguments", bindings, t.input);
      start_parallel(t, s);
      return;
    case asl::StateType::Map:
      t.effective = t.input;
      start_map(t, s);
      return;
  }
}

}  // namespace stepline::engine
