#include "asl/builder.hpp"

#include "query/syntax_error.hpp"
#include "query/template/expression.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stepline::asl {

const char* type_name(StateType type) {
  switch (type) {
    case StateType::Pass:
      return "Pass";
    case StateType::Task:
      return "Task";
    case StateType::Choice:
      return "Choice";
    case StateType::Wait:
      return "Wait";
    case StateType::Succeed:
      return "Succeed";
    case StateType::Fail:
      return "Fail";
    case StateType::Parallel:
      return "Parallel";
    case StateType::Map:
      return "Map";
  }
  return "Pass";
}

namespace {

using query::jsonpath::Path;
using query::jsonpath::ResultPath;

class Builder {
 public:
  std::shared_ptr<const StateMachine> build(const json::Value& definition) {
    const auto& top = object(definition, "definition");
    if (const auto* ql = top.if_contains("QueryLanguage");
        ql && ql->is_string() && ql->as_string() == "JSONata") {
      machine_->query_language = QueryLanguage::JSONata;
    }
    if (const auto* t = top.if_contains("TimeoutSeconds")) {
      machine_->timeout_seconds = integer(*t, "TimeoutSeconds");
    }
    machine_->root = block(top);
    return machine_;
  }

 private:
  std::shared_ptr<StateMachine> machine_ = std::make_shared<StateMachine>();

  [[noreturn]] static void fail(const std::string& what) { throw BuildError(what); }

  static const json::Object& object(const json::Value& v, std::string_view what) {
    if (!v.is_object()) fail(fmt::format("'{}' must be an object", what));
    return v.as_object();
  }
  static std::string string(const json::Value& v, std::string_view what) {
    if (!v.is_string()) fail(fmt::format("'{}' must be a string", what));
    return std::string(v.as_string());
  }
  static long long integer(const json::Value& v, std::string_view what) {
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<long long>(v.as_uint64());
    }
    double d = 0;
    if (json::as_double(v, d) && std::floor(d) == d && std::fabs(d) < 9e18) {
      return static_cast<long long>(d);
    }
    fail(fmt::format("'{}' must be an integer", what));
  }
  static double number(const json::Value& v, std::string_view what) {
    double d = 0;
    if (!json::as_double(v, d)) fail(fmt::format("'{}' must be a number", what));
    return d;
  }

  template <typename F>
  static auto compiling(std::string_view what, F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const query::SyntaxError& e) {
      fail(fmt::format("{}: {}", what, e.what()));
    }
  }

  static Path path(const json::Value& v, std::string_view what) {
    std::string text = string(v, what);
    return compiling(what, [&] { return Path::compile(text); });
  }
  static query::PayloadTemplate payload(const json::Value& v, std::string_view what) {
    return compiling(what, [&] { return query::PayloadTemplate::compile(v); });
  }
  static JsonataValue jsonata(const json::Value& v, std::string_view what) {
    try {
      return JsonataValue::compile(v);
    } catch (const jsonata::Error& e) {
      fail(fmt::format("{}: {}", what, e.what()));
    }
  }

  static DataPath data_path(const json::Object& s, std::string_view field) {
    DataPath out;
    const auto* v = s.if_contains(field);
    if (!v) return out;
    if (v->is_null()) {
      out.kind = DataPath::Kind::Empty;
      return out;
    }
    out.kind = DataPath::Kind::Select;
    out.path = path(*v, field);
    return out;
  }

  static ResultPath result_path(const json::Object& s) {
    const auto* v = s.if_contains("ResultPath");
    if (!v) return ResultPath::replace();
    return compiling("ResultPath", [&] { return ResultPath::compile(*v); });
  }

  static std::vector<std::string> error_equals(const json::Object& o) {
    std::vector<std::string> out;
    const auto* v = o.if_contains("ErrorEquals");
    if (!v || !v->is_array()) fail("ErrorEquals must be an array");
    for (const auto& e : v->as_array()) out.push_back(string(e, "ErrorEquals"));
    return out;
  }

  std::shared_ptr<const StatesBlock> block(const json::Object& o) {
    auto b = std::make_shared<StatesBlock>();
    b->id = static_cast<int>(machine_->blocks.size());
    machine_->blocks.push_back(b.get());
    const auto* start = o.if_contains("StartAt");
    if (!start) fail("StartAt is required");
    b->start_at = string(*start, "StartAt");
    const auto* states = o.if_contains("States");
    if (!states) fail("States is required");
    for (const auto& [name, def] : object(*states, "States")) {
      b->states.emplace(std::string(name), state(std::string(name), def));
    }
    if (!b->find(b->start_at)) fail(fmt::format("StartAt names no state: {}", b->start_at));
    return b;
  }

  State state(std::string name, const json::Value& def) {
    const auto& s = object(def, name);
    State st;
    st.name = std::move(name);
    st.query_language = machine_->query_language;
    if (const auto* ql = s.if_contains("QueryLanguage"); ql && ql->is_string()) {
      st.query_language =
          ql->as_string() == "JSONata" ? QueryLanguage::JSONata : QueryLanguage::JSONPath;
    }
    const auto* type_v = s.if_contains("Type");
    if (!type_v) fail(fmt::format("State '{}' has no Type", st.name));
    std::string type = string(*type_v, "Type");
    if (const auto* n = s.if_contains("Next")) st.next = string(*n, "Next");
    if (const auto* e = s.if_contains("End"); e && e->is_bool()) st.end = e->as_bool();

    if (st.query_language == QueryLanguage::JSONPath) {
      st.flow.input_path = data_path(s, "InputPath");
      st.flow.output_path = data_path(s, "OutputPath");
      if (const auto* p = s.if_contains("Parameters"); p && type != "Map") {
        st.flow.parameters = payload(*p, "Parameters");
      }
      if (const auto* p = s.if_contains("ResultSelector")) {
        st.flow.result_selector = payload(*p, "ResultSelector");
      }
      st.flow.result_path = result_path(s);
      if (const auto* a = s.if_contains("Assign")) st.flow.assign = payload(*a, "Assign");
    }
    if (st.query_language == QueryLanguage::JSONata) {
      for (const char* field :
           {"Arguments", "Output", "Assign", "Items", "ItemSelector", "Seconds", "Timestamp",
            "Error", "Cause", "MaxConcurrency", "ToleratedFailureCount",
            "ToleratedFailurePercentage", "TimeoutSeconds", "HeartbeatSeconds"}) {
        if (const auto* v = s.if_contains(field)) st.jsonata.emplace(field, jsonata(*v, field));
      }
    }
    if (const auto* r = s.if_contains("Retry")) {
      if (!r->is_array()) fail("Retry must be an array");
      for (const auto& rv : r->as_array()) st.retry.push_back(retrier(object(rv, "Retry")));
    }
    if (const auto* c = s.if_contains("Catch")) {
      if (!c->is_array()) fail("Catch must be an array");
      for (const auto& cv : c->as_array())
        st.catchers.push_back(
            catcher(object(cv, "Catch"), st.query_language == QueryLanguage::JSONata));
    }

    if (type == "Pass") {
      st.type = StateType::Pass;
      PassState p;
      if (const auto* r = s.if_contains("Result")) p.result = *r;
      st.spec = std::move(p);
    } else if (type == "Task") {
      st.type = StateType::Task;
      st.spec = task(s);
    } else if (type == "Choice") {
      st.type = StateType::Choice;
      st.spec = choice(s);
    } else if (type == "Wait") {
      st.type = StateType::Wait;
      st.spec = wait(s);
    } else if (type == "Succeed") {
      st.type = StateType::Succeed;
      st.spec = SucceedState{};
    } else if (type == "Fail") {
      st.type = StateType::Fail;
      st.spec = fail_state(s);
    } else if (type == "Parallel") {
      st.type = StateType::Parallel;
      ParallelState p;
      const auto* br = s.if_contains("Branches");
      if (!br || !br->is_array() || br->as_array().empty()) fail("Branches must be non-empty");
      for (const auto& b : br->as_array()) p.branches.push_back(block(object(b, "Branches")));
      st.spec = std::move(p);
    } else if (type == "Map") {
      st.type = StateType::Map;
      st.spec = map(s);
    } else {
      fail(fmt::format("Unknown state type '{}'", type));
    }
    return st;
  }

  static Retrier retrier(const json::Object& o) {
    Retrier r;
    r.error_equals = error_equals(o);
    if (const auto* v = o.if_contains("IntervalSeconds")) {
      r.interval_seconds = integer(*v, "IntervalSeconds");
    }
    if (const auto* v = o.if_contains("MaxAttempts")) r.max_attempts = integer(*v, "MaxAttempts");
    if (const auto* v = o.if_contains("BackoffRate")) r.backoff_rate = number(*v, "BackoffRate");
    if (const auto* v = o.if_contains("MaxDelaySeconds")) {
      r.max_delay_seconds = integer(*v, "MaxDelaySeconds");
    }
    if (const auto* v = o.if_contains("JitterStrategy")) {
      r.full_jitter = string(*v, "JitterStrategy") == "FULL";
    }
    return r;
  }

  static Catcher catcher(const json::Object& o, bool jsonata_mode) {
    Catcher c;
    c.error_equals = error_equals(o);
    const auto* n = o.if_contains("Next");
    if (!n) fail("Catch needs Next");
    c.next = string(*n, "Next");
    if (jsonata_mode) {
      if (const auto* v = o.if_contains("Output")) c.output = jsonata(*v, "Output");
      if (const auto* a = o.if_contains("Assign")) c.jsonata_assign = jsonata(*a, "Assign");
      return c;
    }
    c.result_path = result_path(o);
    if (const auto* a = o.if_contains("Assign")) c.assign = payload(*a, "Assign");
    return c;
  }

  static void number_or_path(const json::Object& s, std::string_view field,
                             NumberOrPath<long long>& out) {
    if (const auto* v = s.if_contains(field); v && !v->is_string()) out.value = integer(*v, field);
    std::string pf = std::string(field) + "Path";
    if (const auto* v = s.if_contains(pf)) out.path = path(*v, pf);
  }

  static TaskState task(const json::Object& s) {
    TaskState t;
    const auto* r = s.if_contains("Resource");
    if (!r) fail("Task needs a Resource");
    t.resource = string(*r, "Resource");
    classify_resource(t);
    NumberOrPath<long long> timeout, heartbeat;
    number_or_path(s, "TimeoutSeconds", timeout);
    number_or_path(s, "HeartbeatSeconds", heartbeat);
    t.timeout_seconds = timeout.value;
    t.timeout_seconds_path = timeout.path;
    t.heartbeat_seconds = heartbeat.value;
    t.heartbeat_seconds_path = heartbeat.path;
    if (const auto* c = s.if_contains("Credentials")) t.credentials = payload(*c, "Credentials");
    return t;
  }

  // arn:aws:lambda:<region>:<account>:function:<name>   → LambdaFunction* events
  // arn:aws:states:<region>:<account>:activity:<name>   → Activity* events
  // arn:aws:states:::<service>:<action>[.<pattern>]      → Task* events
  static void classify_resource(TaskState& t) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (int i = 0; i < 5; ++i) {
      auto colon = t.resource.find(':', start);
      if (colon == std::string::npos) break;
      parts.push_back(t.resource.substr(start, colon - start));
      start = colon + 1;
    }
    std::string rest = start <= t.resource.size() ? t.resource.substr(start) : "";
    if (parts.size() == 5 && parts[0] == "arn") {
      t.region = parts[3];
      if (parts[2] == "lambda" && rest.rfind("function:", 0) == 0) {
        t.kind = ResourceKind::LambdaFunction;
        return;
      }
      if (parts[2] == "states" && rest.rfind("activity:", 0) == 0) {
        t.kind = ResourceKind::Activity;
        return;
      }
      t.kind = ResourceKind::Service;
      auto colon = rest.find(':');
      t.service = colon == std::string::npos ? rest : rest.substr(0, colon);
      t.action = colon == std::string::npos ? "" : rest.substr(colon + 1);
      if (t.service == "aws-sdk") {
        // arn:aws:states:::aws-sdk:s3:getObject → resourceType "aws-sdk:s3", resource "getObject"
        auto c2 = t.action.find(':');
        if (c2 != std::string::npos) {
          // append() rather than `":" + substr`: GCC 12 -O3 raises a false -Wrestrict on the
          // latter.
          t.service.append(":").append(t.action, 0, c2);
          t.action = t.action.substr(c2 + 1);
        }
      }
      auto suffix = t.action.find(".waitForTaskToken");
      t.wait_for_task_token = suffix != std::string::npos;
      return;
    }
    t.kind = ResourceKind::Service;
    t.service = t.resource;
  }

  static ChoiceState choice(const json::Object& s) {
    ChoiceState c;
    const auto* choices = s.if_contains("Choices");
    if (!choices || !choices->is_array()) fail("Choices must be an array");
    for (const auto& rv : choices->as_array()) {
      const auto& r = object(rv, "Choices");
      ChoiceBranch b;
      if (const auto* cond = r.if_contains("Condition")) {
        b.condition = jsonata(*cond, "Condition");
        if (const auto* o = r.if_contains("Output")) b.output = jsonata(*o, "Output");
        if (const auto* a = r.if_contains("Assign")) b.jsonata_assign = jsonata(*a, "Assign");
      } else {
        b.rule = compiling("Choices", [&] { return choice::compile_rule(rv, true); });
      }
      const auto* n = r.if_contains("Next");
      if (!n) fail("Choice rule needs Next");
      b.next = string(*n, "Next");
      if (const auto* a = r.if_contains("Assign"); a && !b.condition) {
        b.assign = payload(*a, "Assign");
      }
      c.choices.push_back(std::move(b));
    }
    if (const auto* d = s.if_contains("Default")) c.default_next = string(*d, "Default");
    return c;
  }

  static WaitState wait(const json::Object& s) {
    WaitState w;
    if (const auto* v = s.if_contains("Seconds"); v && !v->is_string()) {
      w.seconds = integer(*v, "Seconds");
    }
    if (const auto* v = s.if_contains("Timestamp")) w.timestamp = string(*v, "Timestamp");
    if (const auto* v = s.if_contains("SecondsPath")) w.seconds_path = path(*v, "SecondsPath");
    if (const auto* v = s.if_contains("TimestampPath")) {
      w.timestamp_path = path(*v, "TimestampPath");
    }
    return w;
  }

  static FailState fail_state(const json::Object& s) {
    FailState f;
    if (const auto* v = s.if_contains("Error"); v && v->is_string()) f.error = string(*v, "Error");
    if (const auto* v = s.if_contains("Cause"); v && v->is_string()) f.cause = string(*v, "Cause");
    auto expr = [](const json::Value& v, std::string_view field) {
      std::string text = string(v, field);
      return compiling(field, [&] { return query::Expression::compile(text); });
    };
    if (const auto* v = s.if_contains("ErrorPath")) f.error_path = expr(*v, "ErrorPath");
    if (const auto* v = s.if_contains("CausePath")) f.cause_path = expr(*v, "CausePath");
    return f;
  }

  MapState map(const json::Object& s) {
    MapState m;
    const json::Value* proc = s.if_contains("ItemProcessor");
    if (!proc) proc = s.if_contains("Iterator");
    if (!proc) fail("Map needs an ItemProcessor");
    const auto& po = object(*proc, "ItemProcessor");
    if (const auto* cfg = po.if_contains("ProcessorConfig"); cfg && cfg->is_object()) {
      if (const auto* mode = cfg->as_object().if_contains("Mode");
          mode && mode->is_string() && mode->as_string() == "DISTRIBUTED") {
        m.distributed = true;
      }
    }
    m.processor = block(po);
    if (const auto* v = s.if_contains("ItemsPath")) m.items_path = path(*v, "ItemsPath");
    if (const auto* ql = s.if_contains("QueryLanguage");
        (ql && ql->is_string() && ql->as_string() == "JSONata") ||
        (!ql && machine_->query_language == QueryLanguage::JSONata)) {
      // JSONata ItemSelector is compiled with the other JSONata fields.
    } else if (const auto* v = s.if_contains("ItemSelector")) {
      m.item_selector = payload(*v, "ItemSelector");
    } else if (const auto* p = s.if_contains("Parameters")) {
      m.item_selector = payload(*p, "Parameters");
    }
    number_or_path(s, "MaxConcurrency", m.max_concurrency);
    number_or_path(s, "ToleratedFailureCount", m.tolerated_failure_count);
    if (const auto* v = s.if_contains("ToleratedFailurePercentage"); v && !v->is_string()) {
      m.tolerated_failure_percentage.value = number(*v, "ToleratedFailurePercentage");
    }
    if (const auto* v = s.if_contains("ToleratedFailurePercentagePath")) {
      m.tolerated_failure_percentage.path = path(*v, "ToleratedFailurePercentagePath");
    }
    if (const auto* v = s.if_contains("ItemBatcher")) {
      const auto& b = object(*v, "ItemBatcher");
      ItemBatcher batcher;
      number_or_path(b, "MaxItemsPerBatch", batcher.max_items_per_batch);
      number_or_path(b, "MaxInputBytesPerBatch", batcher.max_input_bytes_per_batch);
      if (const auto* bi = b.if_contains("BatchInput")) {
        batcher.batch_input = payload(*bi, "BatchInput");
      }
      m.item_batcher = std::move(batcher);
    }
    if (const auto* v = s.if_contains("Label")) m.label = string(*v, "Label");
    return m;
  }
};

}  // namespace

std::shared_ptr<const StateMachine> build(const json::Value& definition) {
  return Builder().build(definition);
}

}  // namespace stepline::asl
