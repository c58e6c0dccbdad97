// An execution's history kept as native records (type, ids, state name, the state data as JSON
// text) and turned into GetExecutionHistory's JSON only when read. A driver that does not need
// JSON events at every step (the in-memory benchmark runner, Express executions) hands one to
// Interpreter::set_history_records; the events then go here instead of Step::events.
#pragma once

#include "common/json.hpp"
#include "common/json_text.hpp"
#include "common/time.hpp"

#include <boost/json/storage_ptr.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace stepline::engine {

struct HistoryRecord {
  TimePoint timestamp{};
  long long id = 0;
  long long previous_event_id = 0;
  std::string_view type;         // e.g. "PassStateEntered"; static text or on the storage
  std::string_view details_key;  // e.g. "stateEnteredEventDetails"; empty: no details
  // The common shape {["name": name,] <data_field>: data, <data_field>Details: {truncated:false}}
  // when data_field is set (state Entered/Exited, ExecutionSucceeded); else `details`.
  bool has_name = false;
  std::string_view name;        // the state's name in the machine, kept alive by the records
  std::string_view data_field;  // "input" | "output" | empty
  std::string_view data;        // JSON text
  // One more string member after those (ExecutionStarted: "roleArn"), when last_key is set.
  std::string_view last_key;
  std::string_view last_value;
  // MapIteration* events: details {"name": name, "index": index} when index >= 0.
  long long index = -1;
  // Any other event's details, on the history's storage. Absent in the compact shapes above,
  // i.e. in most records: no object constructed and destroyed per state entered or exited.
  std::optional<json::Object> details;
};

class HistoryRecords {
 public:
  HistoryRecords();
  HistoryRecords(const HistoryRecords&) = delete;
  HistoryRecords& operator=(const HistoryRecords&) = delete;

  // Where the records' texts and details live; released with the records, not one by one.
  const boost::json::storage_ptr& storage() const { return storage_; }
  // A copy of `text` on that storage.
  std::string_view keep(std::string_view text);
  // dump(value) written straight onto that storage (a state's data, for its events).
  std::string_view keep_dump(const json::Value& value) { return texts_.dump(value); }
  // Keeps `owner` (the state machine whose state names records point to) alive with the records.
  void retain(std::shared_ptr<const void> owner) { owner_ = std::move(owner); }
  // Keeps another storage alive with the records, so that records may point to texts on it
  // (Map iterations run ahead: their texts stay where they were written).
  void adopt(boost::json::storage_ptr storage) { adopted_.push_back(std::move(storage)); }

  void append(HistoryRecord&& record) { records_.push_back(std::move(record)); }
  // A new default record at the end, filled in place: the state Entered/Exited records are
  // written for every state and are not worth a move.
  HistoryRecord& add() { return records_.emplace_back(); }
  const std::vector<HistoryRecord>& records() const { return records_; }
  // Record `i`, e.g. to move it into a history that adopted this storage.
  HistoryRecord& at(std::size_t i) { return records_[i]; }
  std::size_t size() const { return records_.size(); }

  // The event as GetExecutionHistory returns it (and as Step::events would have held it).
  json::Object to_json(const HistoryRecord& record) const;
  json::Array to_json() const;

 private:
  boost::json::storage_ptr storage_;
  json::TextArena texts_{storage_};
  std::shared_ptr<const void> owner_;
  std::vector<boost::json::storage_ptr> adopted_;
  std::vector<HistoryRecord> records_;
};

}  // namespace stepline::engine
