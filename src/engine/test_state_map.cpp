// TestState's Map state: the items an execution would iterate over (ItemsPath/Items, reader
// data, ItemSelector, ItemBatcher), the concurrency and tolerance it would run with, and the
// failed iterations a test asks for.
#include "engine/test_state_run.hpp"

#include "common/errors.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace stepline::engine {

namespace {

std::optional<double> numeric(const json::Value& v) {
  double d = 0;
  if (json::as_double(v, d)) return d;
  if (v.is_string()) {
    std::string s(v.as_string());
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end && *end == '\0' && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

json::Value integral_or_double(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9e15) return static_cast<long long>(d);
  return d;
}
}  // namespace

void SingleStateRun::evaluate_map_items(const json::Value& effective,
                                        const json::Object* bindings) {
  const auto& map = std::get<asl::MapState>(state_.spec);
  Thread& t = run_.thread(0);
  const json::Value& context = setup_.context;
  ScopeLookup vars(run_.frame(), 0);
  auto ctx = run_.eval_context(t, effective, context, vars);

  std::optional<json::Value> items;
  if (setup_.raw->if_contains("ItemReader")) {
    // The items a reader would fetch are given by the test, or unknown.
    if (request_.map_item_reader_data) {
      try {
        items = json::parse(*request_.map_item_reader_data);
      } catch (const json::ParseError&) {
        throw TestStateRefusal("ValidationException", "Map item reader data must be valid JSON");
      }
    }
  } else if (bindings) {
    if (const auto* v = state_.jsonata_field("Items")) {
      items = run_.eval_jsonata(*v, "Items", *bindings);
      if (!items->is_array()) {
        throw asl::JsonataFailure(
            fmt::format("The JSONata expression '{}' specified for the field 'Items' returned an "
                        "unexpected result type. Expected 'array', but was '{}' for value: {}",
                        v->source(), items->is_object() ? "object" : "value", json::dump(*items)),
            "Items");
      }
    } else {
      items = effective;
      if (!items->is_array()) {
        throw asl::JsonataFailure(
            fmt::format("Map state input must be an array but was: {}", json::dump(*items)),
            std::nullopt);
      }
    }
  } else {
    items = effective;
    if (map.items_path) {
      auto r = map.items_path->evaluate(ctx);
      if (!r.found()) {
        throw StatesException(errors::kRuntime, fmt::format("Invalid path '{}' : {}",
                                                            map.items_path->text(), r.failure));
      }
      items = r.value();
    }
    std::string text = map.items_path ? map.items_path->text() : "$";
    // AWS names a context path with one `$` in this message.
    if (text.rfind("$$", 0) == 0) text.erase(0, 1);
    if (!items->is_array()) {
      throw StatesException(errors::kRuntime,
                            fmt::format("Reference path \"{}\" must point to array.", text));
    }
    inspect("afterItemsPath", *items);
  }
  if (items && items->is_array()) {
    // What each iteration would receive: ItemSelector, then batching.
    const auto* jsonata_selector = bindings ? state_.jsonata_field("ItemSelector") : nullptr;
    if (jsonata_selector || map.item_selector) {
      json::Array selected;
      long long i = 0;
      for (const auto& item : items->as_array()) {
        json::Value item_context = setup_.context;
        if (item_context.is_object()) {
          item_context.as_object()["Map"] =
              json::Object{{"Item", json::Object{{"Index", i++}, {"Value", item}}}};
        }
        if (jsonata_selector) {
          json::Object item_bindings = run_.jsonata_bindings(t, setup_.input, item_context);
          selected.push_back(run_.eval_jsonata(*jsonata_selector, "ItemSelector", item_bindings));
        } else {
          selected.push_back(evaluate(*map.item_selector, effective, item_context));
        }
      }
      items = json::Value(std::move(selected));
      inspect("afterItemSelector", *items);
    }
    if (map.item_batcher && !bindings) {
      json::Array batches = run_.batch(t, state_, items->as_array(), ctx);
      inspect("afterItemBatcher", json::Value(batches));
      map_items_ = static_cast<long long>(batches.size());
    }
  }
  if (items && items->is_array() && map_items_ < 0) {
    map_items_ = static_cast<long long>(items->as_array().size());
  }

  auto jsonata_number = [&](std::string_view field) -> std::optional<double> {
    const auto* v = bindings ? state_.jsonata_field(field) : nullptr;
    if (!v) return std::nullopt;
    json::Value r = run_.eval_jsonata(*v, field, *bindings);
    auto n = numeric(r);
    if (!n) {
      throw asl::JsonataFailure(
          fmt::format("The {} field must be a number but was: {}", field, json::dump(r)),
          std::string(field));
    }
    return n;
  };
  auto path_number = [&](const query::jsonpath::Path& p) -> std::optional<double> {
    auto r = p.evaluate(ctx);
    return r.found() ? numeric(r.value()) : std::nullopt;
  };
  // (set, value) pairs rather than std::optional<double>: GCC 12's optimiser reports the latter
  // as maybe-uninitialized here, which -Werror turns into a failed Release build.
  struct Limit {
    bool set = false;
    double value = 0;
    void assign(std::optional<double> n) {
      set = n.has_value();
      value = n.value_or(0);
    }
    void take(std::optional<double> n) {
      if (n) assign(n);
    }
  };
  Limit concurrency, count, percentage;
  if (map.max_concurrency.value)
    concurrency.assign(static_cast<double>(*map.max_concurrency.value));
  concurrency.take(jsonata_number("MaxConcurrency"));
  if (map.max_concurrency.path) concurrency.assign(path_number(*map.max_concurrency.path));
  if (map.tolerated_failure_count.value) {
    count.assign(static_cast<double>(*map.tolerated_failure_count.value));
  }
  count.take(jsonata_number("ToleratedFailureCount"));
  if (map.tolerated_failure_count.path)
    count.assign(path_number(*map.tolerated_failure_count.path));
  percentage.assign(map.tolerated_failure_percentage.value);
  percentage.take(jsonata_number("ToleratedFailurePercentage"));
  if (map.tolerated_failure_percentage.path) {
    percentage.assign(path_number(*map.tolerated_failure_percentage.path));
  }
  if (inspecting_) {
    inspection_["maxConcurrency"] = integral_or_double(concurrency.set ? concurrency.value : 0);
    if (count.set) inspection_["toleratedFailureCount"] = integral_or_double(count.value);
    if (percentage.set) inspection_["toleratedFailurePercentage"] = percentage.value;
  }

  // The failed iterations the test asks for, against the tolerated failures.
  if (request_.map_iteration_failure_count && !setup_.mock_error) {
    long long failures = *request_.map_iteration_failure_count;
    if (map_items_ >= 0 && failures > map_items_) {
      throw TestStateRefusal(
          "ValidationException",
          "Map iteration failure count must be less than or equal to the number of Map "
          "iterations");
    }
    if (failures > 0) {
      bool tolerated = (count.set && static_cast<double>(failures) <= count.value) ||
                       (percentage.set && map_items_ > 0 &&
                        static_cast<double>(failures) * 100.0 / static_cast<double>(map_items_) <=
                            percentage.value);
      if (!tolerated) {
        throw StatesException(errors::kExceedToleratedFailureThreshold,
                              "The specified tolerated failure threshold was exceeded");
      }
    }
  }
}

}  // namespace stepline::engine
