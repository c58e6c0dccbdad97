// The set-wise group commit of pg_execution_writes.hpp, shared by its two halves:
// pg_set_writes.cpp decides every write of the batch in memory against the rows it read and
// locked, pg_set_statements.cpp turns what was accepted into one statement per table.
#pragma once

#include "store/postgres/pg_execution_writes.hpp"
#include "store/step_rules.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace stepline::store::postgres::set_wise {

inline long long millis(TimePoint t) {
  return t.time_since_epoch().count();
}

// An execution row as the batch sees it: as read, then as the writes accepted so far leave it.
struct Row {
  long long seq = 0;
  std::string owner;
  Version version = 0;
  std::string status;
  // Known for rows a create names (read, or the create's own): what a refused create compares
  // and reports. The summary is `base` with the changes of the accepted steps since.
  const std::string* input = nullptr;
  const ExecutionSummary* base = nullptr;
  std::optional<TimePoint> stop_date;
  bool stop_changed = false;
  const json::Object* attributes = nullptr;  // the last a step set
};

// One accepted create or step, in the order it was decided.
struct Op {
  const NewExecution* create = nullptr;  // the step is its first step
  const ExecutionStep* step = nullptr;
  long long seq = 0;
  std::string status;   // the row's status after it
  Version version = 0;  // the row's version after it
};

class SetWrite {
 public:
  SetWrite(Connection& db, const std::vector<ExecutionWrites*>& writes)
      : db_(db), writes_(writes) {}

  void run() {
    read_rows();
    for (auto* w : writes_) decide(*w);
    queue_statements();
  }

 private:
  void read_rows();
  void decide(ExecutionWrites& w);
  CreateResult decide_create(const NewExecution& create);
  CommitResult decide_commit(const Commit& commit);
  void accept(Row& row, const NewExecution* create, const ExecutionStep& step);
  void remember(const std::string& arn);
  void undo(std::size_t journal_mark, std::size_t ops_mark);
  ExecutionSummary summary_of(const Row& row) const;
  void queue_statements();
  void queue_executions();
  void queue_history();
  void queue_timers();
  void queue_tasks();

  Connection& db_;
  const std::vector<ExecutionWrites*>& writes_;
  std::unordered_map<std::string, Row> rows_;  // by ARN; absent: no such execution
  std::deque<ExecutionSummary> read_summaries_;
  std::deque<std::string> read_inputs_;
  std::vector<long long> reserved_seqs_;
  std::size_t next_seq_ = 0;
  // Undo log of rows_ for a refused commit or a failed call: the ARN and its row before.
  std::vector<std::pair<std::string, std::optional<Row>>> journal_;
  std::vector<Op> ops_;
};

}  // namespace stepline::store::postgres::set_wise
