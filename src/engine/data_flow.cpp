// JSONPath-mode data flow shared by the state types: InputPath/OutputPath, Assign, the context
// object and the payload size limit.
#include "common/errors.hpp"
#include "engine/step_run.hpp"

#include <fmt/format.h>

namespace stepline::engine {

namespace {

constexpr std::size_t kMaxPayloadBytes = 262144;

[[noreturn]] void throw_data_limit(std::string_view who) {
  throw StatesException(errors::kDataLimitExceeded,
                        fmt::format("The state/task '{}' returned a result with a size "
                                    "exceeding the maximum number of bytes service limit.",
                                    who));
}

}  // namespace

query::EvalContext StepRun::eval_context(const Thread&, const json::Value& input,
                                         const json::Value& context,
                                         const ScopeLookup& vars) const {
  query::EvalContext ctx;
  ctx.input = &input;
  ctx.context = &context;
  ctx.variables = &vars;
  ctx.ids = ids_;
  return ctx;
}

query::EvalContext StepRun::eval_context(const Thread&, const json::Value& input,
                                         const StateContext& context,
                                         const ScopeLookup& vars) const {
  query::EvalContext ctx;
  ctx.input = &input;
  ctx.context_source = &context;
  ctx.variables = &vars;
  ctx.ids = ids_;
  return ctx;
}

json::Value StepRun::apply_data_path(const Thread& t, const asl::DataPath& p,
                                     const json::Value& value, const StateContext& context) {
  json::Value storage;
  const json::Value& selected = select_data_path(t, p, value, context, storage);
  if (&selected == &storage) return storage;
  return selected;
}

const json::Value& StepRun::select_data_path(const Thread& t, const asl::DataPath& p,
                                             const json::Value& value, const StateContext& context,
                                             json::Value& storage) {
  switch (p.kind) {
    case asl::DataPath::Kind::Identity:
      return value;
    case asl::DataPath::Kind::Empty:
      storage = json::Object{};
      return storage;
    case asl::DataPath::Kind::Select:
      break;
  }
  ScopeLookup vars(frame_, t.id);
  auto ctx = eval_context(t, value, context, vars);
  // A reference path reaching its node: copied at once, no PathResult built.
  if (const json::Value* node = p.path->find(ctx)) {
    storage = *node;
    return storage;
  }
  auto r = p.path->evaluate(ctx);
  if (!r.found()) {
    throw StatesException(errors::kRuntime,
                          fmt::format("Invalid path '{}' : {}", p.path->text(), r.failure));
  }
  // A definite path points into `value` (or the context object, which dies with `context`):
  // copy the node; an indefinite one owns its matches already.
  if (r.node) {
    storage = *r.node;
  } else {
    storage = std::move(r.matches);
  }
  return storage;
}

json::Object StepRun::evaluate_assign(const Thread& t,
                                      const std::optional<query::PayloadTemplate>& assign,
                                      const json::Value& input, const StateContext& context) {
  if (!assign) return {};
  ScopeLookup vars(frame_, t.id);
  auto ctx = eval_context(t, input, context, vars);
  json::Value out = assign->evaluate(ctx);
  if (!out.is_object()) return {};
  return std::move(out.as_object());
}

void StepRun::check_size(const Thread&, const json::Value& value, std::string_view who) {
  if (json::dumped_size(value) > kMaxPayloadBytes) throw_data_limit(who);
}

void StepRun::check_text_size(std::string_view text, std::string_view who) const {
  if (text.size() > kMaxPayloadBytes) throw_data_limit(who);
}

json::String StepRun::dump_for_event(const json::Value& value) const {
  json::String text(event_storage_);
  json::dump_to(text, value);
  return text;
}

json::Value StepRun::context_object(const Thread& t, const asl::State& s,
                                    const json::Value* map_item_value, long long map_item_index,
                                    bool with_execution_input) const {
  const ExecutionInfo& info = interpreter_.info();
  json::Object execution;
  execution["Id"] = info.execution_arn;
  if (with_execution_input) execution["Input"] = execution_input();
  execution["StartTime"] = format_iso8601(frame_.start_time);
  execution["Name"] = info.execution_name;
  execution["RoleArn"] = info.role_arn;
  // Observed: present (0) for StartExecution, Express included; absent for StartSyncExecution.
  if (!info.started_sync) execution["RedriveCount"] = 0;
  json::Object machine;
  machine["Id"] = info.state_machine_arn;
  machine["Name"] = info.state_machine_name;
  json::Object state;
  state["Name"] = s.name;
  state["EnteredTime"] = format_iso8601(t.entered_time);
  if (s.type == asl::StateType::Task || s.type == asl::StateType::Parallel ||
      s.type == asl::StateType::Map) {
    state["RetryCount"] = t.retry_count;
  }
  json::Object ctx;
  ctx["Execution"] = std::move(execution);
  ctx["StateMachine"] = std::move(machine);
  ctx["State"] = std::move(state);
  if (t.task_token) ctx["Task"] = json::Object{{"Token", *t.task_token}};
  if (map_item_value) {
    json::Object item;
    item["Index"] = map_item_index;
    item["Value"] = *map_item_value;
    ctx["Map"] = json::Object{{"Item", std::move(item)}};
  }
  return ctx;
}

}  // namespace stepline::engine
