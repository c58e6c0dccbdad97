// The interpreter's side of Map iterations run ahead (map_prerun.hpp): running one iteration
// detached from its Map, and splicing its events and outcome in when the Map reaches it.
#include "engine/step_run.hpp"

#include <utility>

namespace stepline::engine {

StepRun::StepRun(const Interpreter& interpreter, IdSource* ids, Frame scopes, TimePoint now,
                 HistoryRecords& records, const json::Value& execution_input)
    : interpreter_(interpreter),
      ids_(ids),
      frame_(std::move(scopes)),
      now_(now),
      records_(&records),
      event_storage_(records.storage()),
      events_(event_storage_),
      shared_input_(&execution_input) {}

RanAheadIteration StepRun::run_ahead(int parent, int block, long long index, json::Value input) {
  Thread child;
  child.id = frame_.next_thread;
  child.parent = parent;
  child.block = block;
  child.index = index;
  child.state = interpreter_.machine().blocks.at(static_cast<std::size_t>(block))->start_at;
  child.input = std::move(input);
  child.last_event = MapPrerun::kFirstId - 1;
  const int id = child.id;
  ran_ahead_root_ = id;
  frame_.threads.insert_or_assign(id, std::move(child));
  frame_.next_event_id = MapPrerun::kFirstId;

  RanAheadIteration out;
  out.first_record = records_->size();
  // The iteration's states are synchronous: it ends within this call (see MapPrerun).
  runnable_.push_back(id);
  while (!runnable_.empty()) {
    int next = runnable_.front();
    runnable_.pop_front();
    run_thread(next);
  }
  Thread& t = frame_.threads.at(id);
  out.succeeded = t.status == ThreadStatus::Succeeded;
  out.output = std::move(t.output);
  out.end_record = records_->size();
  out.last_event = t.last_event;
  frame_.threads.erase(id);
  return out;
}

bool StepRun::splice_ran_ahead(Thread& t) {
  t.ran_ahead = false;
  auto prerun = preruns_.find(t.parent);
  if (prerun == preruns_.end()) return false;
  RanAheadIteration& r = prerun->second->await(t.index);
  if (!r.succeeded) {
    t.input = prerun->second->input(t.index);
    return false;
  }
  const long long base = frame_.next_event_id;
  const long long anchor = t.last_event;
  auto renumber = [&](long long id) {
    if (id >= MapPrerun::kFirstId) return id - MapPrerun::kFirstId + base;
    return id == MapPrerun::kFirstId - 1 ? anchor : id;
  };
  // Records move over as they are, their texts and details left on the storage they were
  // written to (the history adopts it); JSON events are built from them.
  if (records_ && r.first_of_records) records_->adopt(r.records->storage());
  for (std::size_t i = r.first_record; i < r.end_record; ++i) {
    HistoryRecord& source = r.records->at(i);
    source.id = renumber(source.id);
    source.previous_event_id = renumber(source.previous_event_id);
    if (records_) {
      records_->append(std::move(source));
    } else {
      events_.emplace_back(json::Object(r.records->to_json(source), event_storage_));
    }
  }
  frame_.next_event_id = base + static_cast<long long>(r.end_record - r.first_record);
  t.last_event = renumber(r.last_event);
  succeed_thread(t, std::move(r.output));
  return true;
}

}  // namespace stepline::engine
