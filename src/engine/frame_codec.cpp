#include "engine/frame_codec.hpp"

#include <string>

namespace stepline::engine {

namespace {

constexpr int kFormatVersion = 1;

const char* status_name(ThreadStatus s) {
  switch (s) {
    case ThreadStatus::Running:
      return "Running";
    case ThreadStatus::AwaitingTask:
      return "AwaitingTask";
    case ThreadStatus::AwaitingTimer:
      return "AwaitingTimer";
    case ThreadStatus::AwaitingChildren:
      return "AwaitingChildren";
    case ThreadStatus::Succeeded:
      return "Succeeded";
    case ThreadStatus::Failed:
      return "Failed";
    case ThreadStatus::Aborted:
      return "Aborted";
  }
  return "Running";
}

ThreadStatus status_from(std::string_view s) {
  for (auto st : {ThreadStatus::Running, ThreadStatus::AwaitingTask, ThreadStatus::AwaitingTimer,
                  ThreadStatus::AwaitingChildren, ThreadStatus::Succeeded, ThreadStatus::Failed,
                  ThreadStatus::Aborted}) {
    if (s == status_name(st)) return st;
  }
  throw FrameFormatError("unknown thread status: " + std::string(s));
}

json::Value optional_string(const std::optional<std::string>& s) {
  return s ? json::Value(*s) : json::Value(nullptr);
}

json::Value error_to_json(const StatesError& e) {
  return json::Object{{"error", optional_string(e.error)}, {"cause", optional_string(e.cause)}};
}

// Typed reads that turn any shape mismatch into FrameFormatError.
class Reader {
 public:
  explicit Reader(const json::Value& v) {
    if (!v.is_object()) throw FrameFormatError("frame: expected an object");
    o_ = &v.as_object();
  }
  const json::Value& at(std::string_view k) const {
    const auto* v = o_->if_contains(k);
    if (!v) throw FrameFormatError("frame: missing '" + std::string(k) + "'");
    return *v;
  }
  long long integer(std::string_view k) const {
    const auto& v = at(k);
    if (!v.is_int64()) throw FrameFormatError("frame: '" + std::string(k) + "' not an integer");
    return v.as_int64();
  }
  bool boolean(std::string_view k) const {
    const auto& v = at(k);
    if (!v.is_bool()) throw FrameFormatError("frame: '" + std::string(k) + "' not a boolean");
    return v.as_bool();
  }
  std::string string(std::string_view k) const {
    const auto& v = at(k);
    if (!v.is_string()) throw FrameFormatError("frame: '" + std::string(k) + "' not a string");
    return std::string(v.as_string());
  }
  std::optional<std::string> optional_string(std::string_view k) const {
    const auto& v = at(k);
    if (v.is_null()) return std::nullopt;
    return string(k);
  }
  std::optional<long long> optional_integer(std::string_view k) const {
    if (at(k).is_null()) return std::nullopt;
    return integer(k);
  }
  const json::Array& array(std::string_view k) const {
    const auto& v = at(k);
    if (!v.is_array()) throw FrameFormatError("frame: '" + std::string(k) + "' not an array");
    return v.as_array();
  }
  const json::Object& object(std::string_view k) const {
    const auto& v = at(k);
    if (!v.is_object()) throw FrameFormatError("frame: '" + std::string(k) + "' not an object");
    return v.as_object();
  }
  StatesError error(std::string_view k) const {
    Reader r(at(k));
    return {r.optional_string("error"), r.optional_string("cause")};
  }

 private:
  const json::Object* o_ = nullptr;
};

json::Value thread_to_json(const Thread& t) {
  json::Object o;
  o["id"] = t.id;
  o["parent"] = t.parent;
  o["block"] = t.block;
  o["silent"] = t.silent;
  o["index"] = t.index;
  o["state"] = t.state;
  o["entered"] = t.entered;
  o["input"] = t.input;
  o["effective"] = t.effective;
  o["entered_event_id"] = t.entered_event_id;
  o["entered_prev"] = t.entered_prev;
  o["entered_time"] = t.entered_time.time_since_epoch().count();
  o["last_event"] = t.last_event;
  json::Array retries;
  for (long long c : t.retry_counts) retries.push_back(c);
  o["retry_counts"] = std::move(retries);
  o["retry_count"] = t.retry_count;
  o["status"] = status_name(t.status);
  o["timer"] = static_cast<long long>(t.timer);
  o["timer_id"] = t.timer_id;
  o["task_id"] = t.task_id;
  o["task_timer_id"] = t.task_timer_id;
  o["task_started"] = t.task_started;
  o["task_submitted"] = t.task_submitted;
  o["heartbeat_timer_id"] = t.heartbeat_timer_id;
  o["variables"] = t.variables;
  o["task_token"] = optional_string(t.task_token);
  o["timeout_seconds"] = t.timeout_seconds ? json::Value(*t.timeout_seconds) : nullptr;
  o["heartbeat_seconds"] = t.heartbeat_seconds ? json::Value(*t.heartbeat_seconds) : nullptr;
  o["credentials"] = t.credentials ? *t.credentials : json::Value(nullptr);
  json::Array children;
  for (int c : t.children) children.push_back(c);
  o["children"] = std::move(children);
  o["items"] = t.items;
  o["results"] = t.results;
  o["next_item"] = t.next_item;
  o["failures"] = t.failures;
  o["max_concurrency"] = t.max_concurrency;
  o["tolerated_count"] = t.tolerated_count ? json::Value(*t.tolerated_count) : nullptr;
  o["tolerated_percentage"] =
      t.tolerated_percentage ? json::Value(*t.tolerated_percentage) : nullptr;
  o["iteration_anchor"] = t.iteration_anchor;
  o["map_run_started"] = t.map_run_started;
  o["output"] = t.output;
  o["error"] = error_to_json(t.error);
  return o;
}

Thread thread_from_json(const json::Value& v) {
  Reader r(v);
  Thread t;
  t.id = static_cast<int>(r.integer("id"));
  t.parent = static_cast<int>(r.integer("parent"));
  t.block = static_cast<int>(r.integer("block"));
  t.silent = r.boolean("silent");
  t.index = r.integer("index");
  t.state = r.string("state");
  t.entered = r.boolean("entered");
  t.input = r.at("input");
  t.effective = r.at("effective");
  t.entered_event_id = r.integer("entered_event_id");
  t.entered_prev = r.integer("entered_prev");
  t.entered_time = TimePoint(Millis(r.integer("entered_time")));
  t.last_event = r.integer("last_event");
  for (const auto& c : r.array("retry_counts")) {
    if (!c.is_int64()) throw FrameFormatError("frame: retry count not an integer");
    t.retry_counts.push_back(c.as_int64());
  }
  t.retry_count = r.integer("retry_count");
  t.status = status_from(r.string("status"));
  long long timer = r.integer("timer");
  if (timer < 0 || timer > static_cast<long long>(TimerPurpose::Retry)) {
    throw FrameFormatError("frame: unknown timer purpose");
  }
  t.timer = static_cast<TimerPurpose>(timer);
  t.timer_id = r.integer("timer_id");
  t.task_id = r.integer("task_id");
  t.task_timer_id = r.integer("task_timer_id");
  t.task_started = r.boolean("task_started");
  t.task_submitted = r.boolean("task_submitted");
  t.heartbeat_timer_id = r.integer("heartbeat_timer_id");
  t.variables = r.object("variables");
  t.task_token = r.optional_string("task_token");
  t.timeout_seconds = r.optional_integer("timeout_seconds");
  t.heartbeat_seconds = r.optional_integer("heartbeat_seconds");
  if (const auto& c = r.at("credentials"); !c.is_null()) t.credentials = c;
  for (const auto& c : r.array("children")) {
    if (!c.is_int64()) throw FrameFormatError("frame: child id not an integer");
    t.children.push_back(static_cast<int>(c.as_int64()));
  }
  t.items = r.array("items");
  t.results = r.array("results");
  t.next_item = r.integer("next_item");
  t.failures = r.integer("failures");
  t.max_concurrency = r.integer("max_concurrency");
  t.tolerated_count = r.optional_integer("tolerated_count");
  if (const auto& p = r.at("tolerated_percentage"); !p.is_null()) {
    double d = 0;
    if (!json::as_double(p, d)) throw FrameFormatError("frame: bad tolerated_percentage");
    t.tolerated_percentage = d;
  }
  t.iteration_anchor = r.integer("iteration_anchor");
  t.map_run_started = r.integer("map_run_started");
  t.output = r.at("output");
  t.error = r.error("error");
  return t;
}

}  // namespace

json::Value frame_to_json(const Frame& frame) {
  json::Object o;
  o["format"] = kFormatVersion;
  json::Array threads;
  for (const auto& [id, t] : frame.threads) threads.push_back(thread_to_json(t));
  o["threads"] = std::move(threads);
  o["next_thread"] = frame.next_thread;
  o["next_event_id"] = frame.next_event_id;
  o["next_effect_id"] = frame.next_effect_id;
  o["execution_input"] = frame.execution_input;
  o["start_time"] = frame.start_time.time_since_epoch().count();
  o["status"] = frame.status;
  o["output"] = frame.output ? json::Value(json::Object{{"value", *frame.output}}) : nullptr;
  o["error"] = error_to_json(frame.error);
  return o;
}

Frame frame_from_json(const json::Value& document) {
  Reader r(document);
  if (r.integer("format") != kFormatVersion) throw FrameFormatError("frame: unknown format");
  Frame f;
  for (const auto& tv : r.array("threads")) {
    Thread t = thread_from_json(tv);
    int id = t.id;
    f.threads.emplace(id, std::move(t));
  }
  f.next_thread = static_cast<int>(r.integer("next_thread"));
  f.next_event_id = r.integer("next_event_id");
  f.next_effect_id = r.integer("next_effect_id");
  f.execution_input = r.at("execution_input");
  f.start_time = TimePoint(Millis(r.integer("start_time")));
  f.status = r.string("status");
  if (const auto& out = r.at("output"); !out.is_null()) {
    if (!out.is_object() || !out.as_object().contains("value")) {
      throw FrameFormatError("frame: bad output");
    }
    f.output = out.as_object().at("value");
  }
  f.error = r.error("error");
  return f;
}

}  // namespace stepline::engine
