#include "api/resources/variable_references.hpp"

#include "asl/builder.hpp"
#include "asl/state_machine.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace stepline::api::resources {

namespace {

using Names = std::vector<std::string>;

void add(const std::optional<query::jsonpath::Path>& path, Names& out) {
  if (path) path->add_variable_references(out);
}

void add(const std::optional<query::PayloadTemplate>& payload, Names& out) {
  if (payload) payload->add_variable_references(out);
}

template <typename T>
void add(const asl::NumberOrPath<T>& number, Names& out) {
  add(number.path, out);
}

void add_state(const asl::State& state, Names& out) {
  add(state.flow.input_path.path, out);
  add(state.flow.output_path.path, out);
  add(state.flow.parameters, out);
  add(state.flow.result_selector, out);
  add(state.flow.assign, out);
  for (const asl::Catcher& catcher : state.catchers) add(catcher.assign, out);
  if (const auto* choice = std::get_if<asl::ChoiceState>(&state.spec)) {
    for (const asl::ChoiceBranch& branch : choice->choices) {
      if (branch.rule) branch.rule->add_variable_references(out);
      add(branch.assign, out);
    }
  } else if (const auto* wait = std::get_if<asl::WaitState>(&state.spec)) {
    add(wait->seconds_path, out);
    add(wait->timestamp_path, out);
  } else if (const auto* task = std::get_if<asl::TaskState>(&state.spec)) {
    add(task->timeout_seconds_path, out);
    add(task->heartbeat_seconds_path, out);
    add(task->credentials, out);
  } else if (const auto* map = std::get_if<asl::MapState>(&state.spec)) {
    add(map->items_path, out);
    add(map->item_selector, out);
    add(map->max_concurrency, out);
    add(map->tolerated_failure_count, out);
    add(map->tolerated_failure_percentage, out);
    if (map->item_batcher) {
      add(map->item_batcher->max_items_per_batch, out);
      add(map->item_batcher->max_input_bytes_per_batch, out);
      add(map->item_batcher->batch_input, out);
    }
  } else if (const auto* fail = std::get_if<asl::FailState>(&state.spec)) {
    if (fail->error_path) fail->error_path->add_variable_references(out);
    if (fail->cause_path) fail->cause_path->add_variable_references(out);
  }
}

}  // namespace

json::Object variable_references(std::string_view definition) {
  json::Object out;
  std::shared_ptr<const asl::StateMachine> machine;
  try {
    machine = asl::build(json::parse(definition));
  } catch (const std::exception&) {
    return out;  // validation reports the problem; Describe then simply has no references
  }
  std::vector<std::pair<std::string, Names>> found;
  for (const asl::StatesBlock* block : machine->blocks) {
    if (block == nullptr) continue;
    for (const auto& [name, state] : block->states) {
      Names names;
      add_state(state, names);
      if (names.empty()) continue;
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      found.emplace_back(name, std::move(names));
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [name, names] : found) {
    json::Array list;
    for (std::string& n : names) list.emplace_back(std::move(n));
    out[name] = std::move(list);
  }
  return out;
}

}  // namespace stepline::api::resources
