// Parallel and Map states: spawning branch/iteration threads, collecting their outcomes, the
// Map/Parallel history events with AWS's previousEventId quirks, concurrency and tolerated
// failures.
#include "common/errors.hpp"
#include "engine/parallel_for.hpp"
#include "engine/step_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace stepline::engine {

namespace {

std::string show(const json::Value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return json::dump(v);
}

// Map numbers may be given as numbers or as strings holding one (observed: "1" is accepted).
std::optional<double> numeric(const json::Value& v) {
  double d = 0;
  if (json::as_double(v, d)) return d;
  if (v.is_string()) {
    std::string s(v.as_string());
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0' && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

const char* json_type_name(const json::Value& v) {
  if (v.is_string()) return "string";
  if (v.is_bool()) return "boolean";
  if (v.is_null()) return "null";
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  return "number";
}

}  // namespace

int StepRun::spawn(Thread& parent, int block, long long index, json::Value input,
                   bool silent_child) {
  Thread child;
  child.id = frame_.next_thread++;
  child.parent = parent.id;
  child.block = block;
  child.index = index;
  child.silent = silent_child || parent.silent;
  child.state = interpreter_.machine().blocks.at(static_cast<std::size_t>(block))->start_at;
  child.input = std::move(input);
  child.last_event = parent.last_event;
  int id = child.id;
  parent.children.push_back(id);
  frame_.threads.emplace(id, std::move(child));
  make_runnable(id);
  return id;
}

void StepRun::child_finished(Thread& parent, Thread& child) {
  const asl::State& s = state_of(parent);
  // Found at once near the front (a Map of 10,000 items used to scan the whole list per child).
  parent.children.remove(child.id);
  if (parent.status != ThreadStatus::AwaitingChildren) {
    frame_.threads.erase(child.id);
    return;
  }
  if (s.type == asl::StateType::Parallel) {
    parallel_child_finished(parent, s, child);
  } else {
    map_child_finished(parent, s, child);
  }
}

void StepRun::abort_thread(Thread& t, long long cause_event) {
  abort_thread_children(t, cause_event);
  if (t.status == ThreadStatus::AwaitingTask || t.status == ThreadStatus::AwaitingChildren ||
      (t.status == ThreadStatus::AwaitingTimer && t.entered)) {
    const asl::State& s = state_of(t);
    if (s.type == asl::StateType::Task || s.type == asl::StateType::Wait ||
        s.type == asl::StateType::Map || s.type == asl::StateType::Parallel) {
      emit_after(t, cause_event, std::string(asl::type_name(s.type)) + "StateAborted", {}, {});
    }
  }
  t.status = ThreadStatus::Aborted;
}

void StepRun::abort_thread_children(Thread& t, long long cause_event) {
  const asl::State& s = state_of(t);
  preruns_.erase(t.id);
  for (int id : std::vector<int>(t.children.begin(), t.children.end())) {
    auto it = frame_.threads.find(id);
    if (it == frame_.threads.end()) continue;
    Thread& child = it->second;
    // Observed order: an iteration's MapIterationAborted, then its state's Aborted event.
    if (s.type == asl::StateType::Map && !child.silent) {
      json::Object d;
      d["name"] = s.name;
      d["index"] = child.index;
      emit_after(t, cause_event, "MapIterationAborted", "mapIterationAbortedEventDetails",
                 std::move(d));
    }
    abort_thread(child, cause_event);
    frame_.threads.erase(id);
  }
  t.children.clear();
}

void StepRun::abort_failed_task(const Thread& parent, const Thread& child, long long cause_event) {
  if (child.silent || !child.entered) return;
  const asl::State& s = state_of(child);
  if (s.type != asl::StateType::Task) return;
  emit_after(parent, cause_event, "TaskStateAborted", {}, {});
}

// ---- Parallel ----

void StepRun::execute_parallel(Thread& t, const asl::State& s) {
  StateContext context(*this, t, s);
  json::Value effective = apply_data_path(t, s.flow.input_path, t.input, context);
  if (s.flow.parameters) {
    ScopeLookup vars(frame_, t.id);
    effective = s.flow.parameters->evaluate(eval_context(t, effective, context, vars));
  }
  t.effective = std::move(effective);
  start_parallel(t, s);
}

void StepRun::start_parallel(Thread& t, const asl::State& s) {
  const auto& parallel = std::get<asl::ParallelState>(s.spec);
  emit(t, "ParallelStateStarted");
  t.results = json::Array(parallel.branches.size(), nullptr);
  t.status = ThreadStatus::AwaitingChildren;
  long long i = 0;
  for (const auto& branch : parallel.branches) spawn(t, branch->id, i++, t.effective, false);
}

void StepRun::parallel_child_finished(Thread& parent, const asl::State& s, Thread& child) {
  if (!child.silent) parent.last_event = child.last_event;
  if (child.status == ThreadStatus::Succeeded) {
    parent.results[static_cast<std::size_t>(child.index)] = std::move(child.output);
    frame_.threads.erase(child.id);
    if (!parent.children.empty()) return;
    json::Value result(std::move(parent.results));
    parent.results = {};
    long long before = parent.last_event;
    emit(parent, "ParallelStateSucceeded");
    try {
      complete_work(parent, s, std::move(result), before);
    } catch (const StatesException& e) {
      parent.status = ThreadStatus::Running;
      on_exception(parent, e);
    }
    return;
  }
  StatesError error = child.error;
  long long cause_event = child.last_event;
  abort_failed_task(parent, child, cause_event);
  frame_.threads.erase(child.id);
  abort_thread_children(parent, cause_event);
  parent.status = ThreadStatus::Running;
  handle_error(parent, std::move(error), "ParallelStateFailed");
}

// ---- Map ----

void StepRun::execute_map(Thread& t, const asl::State& s) {
  StateContext context(*this, t, s);
  t.effective = apply_data_path(t, s.flow.input_path, t.input, context);
  start_map(t, s);
}

void StepRun::start_map(Thread& t, const asl::State& s) {
  const auto& map = std::get<asl::MapState>(s.spec);
  StateContext context(*this, t, s);
  ScopeLookup vars(frame_, t.id);
  auto ctx = eval_context(t, t.effective, context, vars);

  const bool jsonata_mode = s.query_language == asl::QueryLanguage::JSONata;
  json::Object bindings;
  if (jsonata_mode) bindings = jsonata_bindings(t, t.input, context.value());
  // The items are read in place (the effective input or the context object, both alive until
  // the iterations' inputs are built) unless they had to be computed.
  json::Value computed_items;
  const json::Value* items_node = &t.effective;
  if (const auto* items_expr = jsonata_mode ? s.jsonata_field("Items") : nullptr) {
    computed_items = eval_jsonata(*items_expr, "Items", bindings);
    items_node = &computed_items;
    const json::Value& items_value = computed_items;
    if (!items_value.is_array()) {
      throw asl::JsonataFailure(
          fmt::format("The JSONata expression '{}' specified for the field 'Items' returned an "
                      "unexpected result type. Expected 'array', but was '{}' for value: {}",
                      items_expr->source(), json_type_name(items_value), json::dump(items_value)),
          "Items");
    }
  } else if (map.items_path) {
    auto r = map.items_path->evaluate(ctx);
    if (!r.found()) {
      throw StatesException(errors::kRuntime, fmt::format("Invalid path '{}' : {}",
                                                          map.items_path->text(), r.failure));
    }
    if (r.node) {
      items_node = r.node;
    } else {
      computed_items = std::move(r.matches);
      items_node = &computed_items;
    }
  }
  const json::Value& items_value = *items_node;
  if (!items_value.is_array()) {
    std::string cause =
        fmt::format("Map state input must be an array but was: {}", json::dump(items_value));
    if (jsonata_mode) throw asl::JsonataFailure(std::move(cause), std::nullopt);
    throw StatesException(errors::kRuntime, std::move(cause));
  }
  const json::Array& items = items_value.as_array();

  auto path_number = [&](const query::jsonpath::Path& p, bool integral,
                         std::string_view field) -> double {
    auto r = p.evaluate(ctx);
    if (!r.found()) {
      throw StatesException(errors::kRuntime,
                            fmt::format("Invalid path '{}' : {}", p.text(), r.failure));
    }
    auto n = numeric(r.value());
    if (!n || (integral && std::floor(*n) != *n)) {
      throw StatesException(
          errors::kRuntime,
          fmt::format("The {} field refers to value \"{}\" which is not a valid {}: {}", field,
                      show(r.value()), integral ? "integer" : "float", p.text()));
    }
    return *n;
  };

  auto jsonata_number = [&](std::string_view field) -> std::optional<double> {
    const auto* v = jsonata_mode ? s.jsonata_field(field) : nullptr;
    if (!v) return std::nullopt;
    json::Value r = eval_jsonata(*v, field, bindings);
    auto n = numeric(r);
    if (!n) {
      throw asl::JsonataFailure(
          fmt::format("The {} field must be a number but was: {}", field, json::dump(r)),
          std::string(field));
    }
    return n;
  };
  t.max_concurrency = map.max_concurrency.value.value_or(0);
  if (auto n = jsonata_number("MaxConcurrency")) t.max_concurrency = static_cast<long long>(*n);
  if (map.max_concurrency.path) {
    t.max_concurrency =
        static_cast<long long>(path_number(*map.max_concurrency.path, true, "MaxConcurrencyPath"));
  }
  if (t.max_concurrency < 0) t.max_concurrency = 0;

  // The items each iteration receives (ItemSelector, then batching).
  json::Array inputs;
  inputs.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (const auto* selector = jsonata_mode ? s.jsonata_field("ItemSelector") : nullptr) {
      json::Value item_context = context_object(t, s, &items[i], static_cast<long long>(i));
      json::Object item_bindings = jsonata_bindings(t, t.input, item_context);
      inputs.push_back(eval_jsonata(*selector, "ItemSelector", item_bindings));
    } else if (map.item_selector) {
      if (i == 0 && items.size() >= 2 * MapPrerun::kChunk && interpreter_.iteration_helpers()) {
        inputs = select_items(t, s, items, vars);
        break;
      }
      StateContext item_context(*this, t, s, &items[i], static_cast<long long>(i));
      inputs.push_back(
          map.item_selector->evaluate(eval_context(t, t.effective, item_context, vars)));
    } else {
      inputs.push_back(items[i]);
    }
  }
  if (map.item_batcher) inputs = batch(t, s, std::move(inputs), ctx);

  json::Object started;
  started["length"] = static_cast<long long>(inputs.size());
  emit(t, "MapStateStarted", "mapStateStartedEventDetails", std::move(started));

  t.tolerated_count.reset();
  t.tolerated_percentage.reset();
  if (auto n = jsonata_number("ToleratedFailureCount")) {
    if (*n < 0)
      throw StatesException(errors::kRuntime, "ToleratedFailureCount cannot be negative.");
    t.tolerated_count = static_cast<long long>(*n);
  }
  if (auto n = jsonata_number("ToleratedFailurePercentage")) {
    if (*n < 0 || *n > 100) {
      throw StatesException(errors::kRuntime,
                            "ToleratedFailurePercentage must be between 0 and 100.");
    }
    t.tolerated_percentage = *n;
  }
  if (map.tolerated_failure_count.present()) {
    double c =
        map.tolerated_failure_count.path
            ? path_number(*map.tolerated_failure_count.path, true, "ToleratedFailureCountPath")
            : static_cast<double>(*map.tolerated_failure_count.value);
    if (c < 0) throw StatesException(errors::kRuntime, "ToleratedFailureCount cannot be negative.");
    t.tolerated_count = static_cast<long long>(c);
  }
  if (map.tolerated_failure_percentage.present()) {
    double p = map.tolerated_failure_percentage.path
                   ? path_number(*map.tolerated_failure_percentage.path, false,
                                 "ToleratedFailurePercentagePath")
                   : *map.tolerated_failure_percentage.value;
    if (p < 0 || p > 100) {
      throw StatesException(errors::kRuntime,
                            "ToleratedFailurePercentage must be between 0 and 100.");
    }
    t.tolerated_percentage = p;
  }

  if (map.distributed) {
    const ExecutionInfo& info = interpreter_.info();
    std::string run_name = map.label ? *map.label : s.name;
    json::Object d;
    d["mapRunArn"] =
        fmt::format("arn:aws:states:{}:{}:mapRun:{}/{}:{}", info.region, info.account,
                    info.state_machine_name, run_name, ids_ ? ids_->uuid() : std::string("0"));
    t.map_run_started = emit(t, "MapRunStarted", "mapRunStartedEventDetails", std::move(d));
  }
  // Synchronous iterations of a large Map run ahead on helper threads (map_prerun.hpp); the
  // prerun then holds the items and t.items only their count.
  preruns_.erase(t.id);
  const std::size_t count = inputs.size();
  if (auto* helpers = interpreter_.iteration_helpers(); helpers && !map.distributed && !t.silent &&
                                                        count >= 2 * MapPrerun::kChunk &&
                                                        MapPrerun::qualifies(*map.processor)) {
    preruns_.emplace(t.id, std::make_unique<MapPrerun>(*this, t, std::move(inputs), *helpers));
    inputs = json::Array(count, nullptr);
  }
  t.items = std::move(inputs);
  t.results = json::Array(t.items.size(), nullptr);
  t.next_item = 0;
  t.failures = 0;
  t.iteration_anchor = t.last_event;
  t.status = ThreadStatus::AwaitingChildren;
  if (t.items.empty()) {
    finish_map(t, s);
    return;
  }
  fill_map(t, s);
}

long long StepRun::emit_iteration(const Thread& t, long long prev, std::string_view type,
                                  std::string_view details_key, const std::string* name,
                                  long long index) {
  if (t.silent) return 0;
  if (records_) {
    // A compact record: an iteration's Started and Succeeded events are written for every item.
    const long long id = frame_.next_event_id++;
    HistoryRecord r;
    r.timestamp = now_;
    r.id = id;
    r.previous_event_id = prev;
    r.type = type;
    r.details_key = details_key;
    r.name = *name;
    r.index = index;
    records_->append(std::move(r));
    return id;
  }
  json::Object d = event_details(2);
  d.emplace("name", *name);
  d.emplace("index", index);
  return emit_after(t, prev, type, details_key, std::move(d));
}

json::Array StepRun::select_items(const Thread& t, const asl::State& s, const json::Array& items,
                                  const ScopeLookup& vars) const {
  // Each item's selection reads only the item, the Map's input and context, and the scopes, none
  // of which changes meanwhile: chunks of items are selected on every core. What a plain loop
  // throws (the failure of the first item that fails) is thrown here too.
  const auto& selector = *std::get<asl::MapState>(s.spec).item_selector;
  json::Array inputs(items.size(), nullptr);
  // Per chunk, the failure of its first failing item: the first one of all is a plain loop's.
  std::vector<std::exception_ptr> failures((items.size() + MapPrerun::kChunk - 1) /
                                           MapPrerun::kChunk);
  parallel_for(interpreter_.iteration_helpers(), items.size(), MapPrerun::kChunk,
               [&](std::size_t begin, std::size_t end) {
                 for (std::size_t i = begin; i < end; ++i) {
                   try {
                     StateContext item_context(*this, t, s, &items[i], static_cast<long long>(i));
                     inputs[i] =
                         selector.evaluate(eval_context(t, t.effective, item_context, vars));
                   } catch (...) {
                     failures[begin / MapPrerun::kChunk] = std::current_exception();
                     return;
                   }
                 }
               });
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  return inputs;
}

json::Array StepRun::batch(const Thread& t, const asl::State& s, json::Array inputs,
                           const query::EvalContext& ctx) {
  const auto& batcher = *std::get<asl::MapState>(s.spec).item_batcher;
  auto limit = [&](const asl::NumberOrPath<long long>& n, std::string_view field) {
    if (n.value) return *n.value;
    if (!n.path) return 0LL;
    auto r = n.path->evaluate(ctx);
    auto v = r.found() ? numeric(r.value()) : std::nullopt;
    if (!v || std::floor(*v) != *v || *v < 0) {
      throw StatesException(errors::kRuntime,
                            fmt::format("The {}Path field refers to value \"{}\" which is not a "
                                        "valid integer: {}",
                                        field, r.found() ? show(r.value()) : "", n.path->text()));
    }
    return static_cast<long long>(*v);
  };
  long long max_items = limit(batcher.max_items_per_batch, "MaxItemsPerBatch");
  long long max_bytes = limit(batcher.max_input_bytes_per_batch, "MaxInputBytesPerBatch");
  std::optional<json::Value> batch_input;
  if (batcher.batch_input) batch_input = batcher.batch_input->evaluate(ctx);
  (void)t;
  json::Array batches;
  json::Array current;
  std::size_t bytes = 0;
  auto flush = [&] {
    if (current.empty()) return;
    json::Object b;
    if (batch_input) b["BatchInput"] = *batch_input;
    b["Items"] = std::move(current);
    batches.emplace_back(std::move(b));
    current = json::Array{};
    bytes = 0;
  };
  for (auto& item : inputs) {
    std::size_t size = json::dumped_size(item);
    bool full =
        (max_items > 0 && static_cast<long long>(current.size()) >= max_items) ||
        (max_bytes > 0 && !current.empty() && static_cast<long long>(bytes + size) > max_bytes);
    if (full) flush();
    bytes += size;
    current.push_back(std::move(item));
  }
  flush();
  return batches;
}

void StepRun::fill_map(Thread& t, const asl::State& s) {
  const auto& map = std::get<asl::MapState>(s.spec);
  long long total = static_cast<long long>(t.items.size());
  const bool ahead = preruns_.count(t.id) != 0;
  while (t.next_item < total && (t.max_concurrency == 0 ||
                                 static_cast<long long>(t.children.size()) < t.max_concurrency)) {
    long long index = t.next_item++;
    // The item moves to its iteration (only the count of items is read afterwards; a retry of
    // the Map builds them again).
    json::Value input = ahead ? json::Value() : std::move(t.items[static_cast<std::size_t>(index)]);
    long long prev = t.iteration_anchor;
    if (!map.distributed) {
      prev = emit_iteration(t, t.iteration_anchor, "MapIterationStarted",
                            "mapIterationStartedEventDetails", &s.name, index);
    }
    int id = spawn(t, map.processor->id, index, std::move(input), map.distributed);
    Thread& child = thread(id);
    child.last_event = prev;
    child.ran_ahead = ahead;
  }
}

void StepRun::map_child_finished(Thread& parent, const asl::State& s, Thread& child) {
  const auto& map = std::get<asl::MapState>(s.spec);
  long long total = static_cast<long long>(parent.items.size());
  bool succeeded = child.status == ThreadStatus::Succeeded;
  if (!child.silent) {
    long long id = emit_iteration(
        parent, child.last_event, succeeded ? "MapIterationSucceeded" : "MapIterationFailed",
        succeeded ? "mapIterationSucceededEventDetails" : "mapIterationFailedEventDetails", &s.name,
        child.index);
    parent.iteration_anchor = child.last_event;
    parent.last_event = succeeded ? id : child.last_event;
  }
  std::size_t index = static_cast<std::size_t>(child.index);
  if (succeeded) {
    parent.results[index] = std::move(child.output);
    frame_.threads.erase(child.id);
  } else {
    ++parent.failures;
    StatesError error = child.error;
    long long cause_event = child.last_event;
    json::Object failure;
    failure["Error"] = error.error ? json::Value(*error.error) : json::Value(nullptr);
    failure["Cause"] = error.cause ? json::Value(*error.cause) : json::Value(nullptr);
    parent.results[index] = std::move(failure);
    bool uncatchable = error.error && (*error.error == errors::kRuntime ||
                                       *error.error == errors::kDataLimitExceeded);
    bool tolerance = parent.tolerated_count || parent.tolerated_percentage;
    bool tolerated = false;
    if (!uncatchable) {
      if (parent.tolerated_count && parent.failures <= *parent.tolerated_count) tolerated = true;
      if (parent.tolerated_percentage &&
          static_cast<double>(parent.failures) * 100.0 / static_cast<double>(total) <=
              *parent.tolerated_percentage) {
        tolerated = true;
      }
    }
    if (!tolerated) {
      if (tolerance && !uncatchable) {
        error = {std::string(errors::kExceedToleratedFailureThreshold),
                 std::string("The specified tolerated failure threshold was exceeded")};
      }
      abort_failed_task(parent, child, cause_event);
      frame_.threads.erase(child.id);
      abort_thread_children(parent, cause_event);
      parent.status = ThreadStatus::Running;
      if (map.distributed) {
        json::Object d;
        if (error.error) d["error"] = *error.error;
        if (error.cause) d["cause"] = *error.cause;
        emit(parent, "MapRunFailed", "mapRunFailedEventDetails", std::move(d));
      }
      handle_error(parent, std::move(error), "MapStateFailed");
      return;
    }
    frame_.threads.erase(child.id);
  }
  fill_map(parent, s);
  if (parent.children.empty() && parent.next_item >= total) finish_map(parent, s);
}

void StepRun::finish_map(Thread& t, const asl::State& s) {
  const auto& map = std::get<asl::MapState>(s.spec);
  preruns_.erase(t.id);
  json::Value result(std::move(t.results));
  t.results = {};
  t.items = {};
  if (map.distributed) emit(t, "MapRunSucceeded");
  // MapStateSucceeded and MapStateExited both follow the last iteration (or Map Run) event.
  long long exited_prev = t.last_event;
  emit(t, "MapStateSucceeded");
  try {
    complete_work(t, s, std::move(result), exited_prev);
  } catch (const StatesException& e) {
    t.status = ThreadStatus::Running;
    on_exception(t, e);
  }
}

}  // namespace stepline::engine
