// History events as the interpreter writes them: JSON events on the events' storage, or compact
// records when the driver keeps HistoryRecords; a state's data serialised once for both of its
// events.
#include "engine/step_run.hpp"

#include <array>
#include <cstring>
#include <string>
#include <utility>

namespace stepline::engine {

std::string_view state_event_type(asl::StateType type, bool entered) {
  // By asl::StateType, as asl::type_name spells the types; a constant table, no guard.
  static constexpr std::string_view kNames[8][2] = {
      {"PassStateExited", "PassStateEntered"},         {"TaskStateExited", "TaskStateEntered"},
      {"ChoiceStateExited", "ChoiceStateEntered"},     {"WaitStateExited", "WaitStateEntered"},
      {"SucceedStateExited", "SucceedStateEntered"},   {"FailStateExited", "FailStateEntered"},
      {"ParallelStateExited", "ParallelStateEntered"}, {"MapStateExited", "MapStateEntered"},
  };
  return kNames[static_cast<std::size_t>(type)][entered ? 1 : 0];
}

json::Object StepRun::event_details(std::size_t members) const {
  json::Object details(event_storage_);
  details.reserve(members);
  return details;
}

json::Object StepRun::not_truncated() const {
  json::Object o(event_storage_);
  o.reserve(1);
  o.emplace("truncated", false);
  return o;
}

long long StepRun::emit_after(const Thread& t, long long prev, std::string_view type,
                              std::string_view details_key, json::Object details) {
  if (t.silent) return 0;
  long long id = frame_.next_event_id++;
  if (records_) {
    HistoryRecord& r = records_->add();
    r.timestamp = now_;
    r.id = id;
    r.previous_event_id = prev;
    // Types and keys may be temporaries here (e.g. "<Type>StateAborted").
    r.type = records_->keep(type);
    r.details_key = records_->keep(details_key);
    // Moved when built on the history's storage (event_details), else copied onto it.
    if (!details_key.empty()) r.details.emplace(std::move(details), event_storage_);
    return id;
  }
  // Members go in directly (reserved, no lookups by key): an event is built for every state
  // entered and exited.
  json::Object e(event_storage_);
  e.reserve(details_key.empty() ? 4 : 5);
  e.emplace("timestamp", to_epoch_seconds(now_));
  e.emplace("type", type);
  e.emplace("id", id);
  e.emplace("previousEventId", prev);
  if (!details_key.empty()) e.emplace(details_key, std::move(details));
  events_.emplace_back(std::move(e));
  return id;
}

long long StepRun::emit_data(const Thread& t, long long prev, std::string_view type,
                             std::string_view details_key, const std::string* name,
                             std::string_view field, std::string_view text) {
  if (t.silent) return 0;
  if (records_) {
    const long long id = frame_.next_event_id++;
    HistoryRecord& r = records_->add();
    r.timestamp = now_;
    r.id = id;
    r.previous_event_id = prev;
    // The callers pass static texts and the machine's state names (the records retain it).
    r.type = type;
    r.details_key = details_key;
    r.has_name = name != nullptr;
    if (name) r.name = *name;
    r.data_field = field;
    r.data = text;  // already on the records' storage
    return id;
  }
  json::Object details = event_details(3);
  if (name) details.emplace("name", *name);
  details.emplace(field, json::String(text, event_storage_));
  details.emplace(
      field == "input" ? std::string_view("inputDetails") : std::string_view("outputDetails"),
      not_truncated());
  return emit_after(t, prev, type, details_key, std::move(details));
}

std::string_view StepRun::event_text(const json::Value& value) {
  if (records_) return records_->keep_dump(value);
  std::string_view text = json::dump_scratch(value);
  if (text.empty()) return {};
  auto* bytes = static_cast<char*>(text_arena_.allocate(text.size(), 1));
  std::memcpy(bytes, text.data(), text.size());
  return {bytes, text.size()};
}

std::string_view StepRun::take_input_text(const Thread& t) {
  const auto i = static_cast<std::size_t>(t.id);
  if (i >= input_texts_.size()) return {};
  return std::exchange(input_texts_[i], {});
}

void StepRun::set_input_text(const Thread& t, std::string_view text) {
  const auto i = static_cast<std::size_t>(t.id);
  if (i >= input_texts_.size()) input_texts_.resize(i + 1);
  input_texts_[i] = text;
}

long long StepRun::emit(Thread& t, std::string_view type, std::string_view details_key,
                        json::Object details) {
  long long id = emit_after(t, t.last_event, type, details_key, std::move(details));
  if (!t.silent) t.last_event = id;
  return id;
}

}  // namespace stepline::engine
