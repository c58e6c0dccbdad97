// The set-wise path of pg_execution_writes.hpp. One round trip reads and locks every execution
// row the batch names (in ARN order, the same on every node, so two writers cannot deadlock on
// them) and reserves row ids for the creates. The writes are then decided in memory one after
// the other against those rows, exactly as the one-by-one path decides them (creates before
// commits within a call, calls in batch order). What the accepted writes change is reduced to
// its net effect per row and queued as one multi-row statement per table, to travel with the
// COMMIT: a batch costs two round trips and at most a dozen statements whatever its size.
#include "store/postgres/pg_execution_writes.hpp"
#include "store/step_rules.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace stepline::store::postgres {

namespace {

long long millis(TimePoint t) {
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

void SetWrite::read_rows() {
  std::vector<std::string> arns, create_arns;
  std::unordered_set<std::string> seen, seen_create;
  long long creates = 0;
  for (const auto* w : writes_) {
    for (const auto* create : w->creates) {
      ++creates;
      const auto& arn = create->summary.arn;
      if (seen_create.insert(arn).second) create_arns.push_back(arn);
      if (seen.insert(arn).second) arns.push_back(arn);
    }
    for (const auto* commit : w->commits) {
      for (const auto& step : commit->steps) {
        if (seen.insert(step.execution_arn).second) arns.push_back(step.execution_arn);
      }
    }
  }
  if (arns.empty()) return;
  db_.send(
      "SELECT seq, arn, owner, version, status FROM executions WHERE arn = ANY($1::text[]) "
      "ORDER BY arn FOR UPDATE",
      Params().add(text_array(arns)));
  std::size_t ours = 1;
  if (!create_arns.empty()) {
    db_.send(
        "SELECT arn, state_machine_arn, name, status, start_ms, stop_ms, attributes, input "
        "FROM executions WHERE arn = ANY($1::text[])",
        Params().add(text_array(create_arns)));
    ++ours;
  }
  if (creates > 0) {
    db_.send(
        "SELECT nextval(pg_get_serial_sequence('executions', 'seq')) "
        "FROM generate_series(1, $1::integer)",
        Params().add(creates));
    ++ours;
  }
  // Results of statements queued before ours (BEGIN, savepoints) come first.
  const auto results = db_.finish();
  if (results.size() < ours) throw StoreError("postgres: a set-wise read lost its results");
  std::size_t next = results.size() - ours;

  const auto& locked = results[next++];
  for (int r = 0; r < locked.rows(); ++r) {
    Row row;
    row.seq = locked.integer(r, 0);
    row.owner = locked.text(r, 2);
    row.version = locked.integer(r, 3);
    row.status = locked.text(r, 4);
    rows_.emplace(locked.text(r, 1), std::move(row));
  }
  if (!create_arns.empty()) {
    const auto& found = results[next++];
    for (int r = 0; r < found.rows(); ++r) {
      auto it = rows_.find(found.text(r, 0));
      if (it == rows_.end()) continue;
      ExecutionSummary s;
      s.arn = found.text(r, 0);
      s.state_machine_arn = found.text(r, 1);
      s.name = found.text(r, 2);
      s.status = found.text(r, 3);
      s.start_date = TimePoint(Millis(found.integer(r, 4)));
      if (!found.is_null(r, 5)) s.stop_date = TimePoint(Millis(found.integer(r, 5)));
      s.attributes = json::parse(found.text(r, 6)).as_object();
      read_summaries_.push_back(std::move(s));
      read_inputs_.push_back(found.text(r, 7));
      it->second.base = &read_summaries_.back();
      it->second.input = &read_inputs_.back();
    }
  }
  if (creates > 0) {
    const auto& seqs = results[next++];
    for (int r = 0; r < seqs.rows(); ++r) reserved_seqs_.push_back(seqs.integer(r, 0));
  }
}

void SetWrite::decide(ExecutionWrites& w) {
  w.result = {};  // a retried transaction starts over
  w.error = nullptr;
  const auto journal_mark = journal_.size();
  const auto ops_mark = ops_.size();
  try {
    for (const auto* create : w.creates) w.result.creates.push_back(decide_create(*create));
    for (const auto* commit : w.commits) w.result.commits.push_back(decide_commit(*commit));
  } catch (...) {
    w.error = std::current_exception();
    w.result = {};
    undo(journal_mark, ops_mark);
  }
}

CreateResult SetWrite::decide_create(const NewExecution& create) {
  for (const auto& event : create.first_step.events) event_id(event);  // refuses a bad event
  const auto& arn = create.summary.arn;
  if (auto it = rows_.find(arn); it != rows_.end()) {
    const Row& row = it->second;
    if (row.input == nullptr) throw StoreError("postgres: no summary read for " + arn);
    const bool retry = row.status == "RUNNING" && *row.input == create.input;
    return {retry ? CreateStatus::AlreadyRunning : CreateStatus::AlreadyExists, summary_of(row)};
  }
  if (next_seq_ >= reserved_seqs_.size()) throw StoreError("postgres: no row id reserved");
  remember(arn);
  Row& row = rows_[arn];
  row.seq = reserved_seqs_[next_seq_++];
  row.owner = create.owner;
  row.version = 0;
  row.status = create.summary.status;
  row.input = &create.input;
  row.base = &create.summary;
  accept(row, &create, create.first_step);
  return {CreateStatus::Created, create.summary};
}

CommitResult SetWrite::decide_commit(const Commit& commit) {
  const auto journal_mark = journal_.size();
  const auto ops_mark = ops_.size();
  for (std::size_t i = 0; i < commit.steps.size(); ++i) {
    const auto& step = commit.steps[i];
    auto it = rows_.find(step.execution_arn);
    std::optional<CommitResult> refused;
    if (it == rows_.end()) {
      refused = CommitResult{CommitStatus::NotFound, i};
    } else if (!it->second.owner.empty() && it->second.owner != commit.lease) {
      refused = CommitResult{CommitStatus::LeaseLost, i};
    } else if (it->second.version != step.expected_version) {
      refused = CommitResult{CommitStatus::VersionConflict, i};
    }
    if (refused) {
      undo(journal_mark, ops_mark);  // all steps or none
      return *refused;
    }
    for (const auto& event : step.events) event_id(event);
    remember(step.execution_arn);
    accept(rows_.at(step.execution_arn), nullptr, step);
  }
  return {};
}

void SetWrite::accept(Row& row, const NewExecution* create, const ExecutionStep& step) {
  row.version += 1;
  if (step.status) row.status = *step.status;
  if (step.stop_date) {
    row.stop_date = step.stop_date;
    row.stop_changed = true;
  }
  if (step.attributes) row.attributes = &*step.attributes;
  ops_.push_back({create, &step, row.seq, row.status, row.version});
}

void SetWrite::remember(const std::string& arn) {
  auto it = rows_.find(arn);
  journal_.emplace_back(arn, it == rows_.end() ? std::nullopt : std::optional<Row>(it->second));
}

void SetWrite::undo(std::size_t journal_mark, std::size_t ops_mark) {
  while (journal_.size() > journal_mark) {
    auto& [arn, before] = journal_.back();
    if (before) {
      rows_[arn] = std::move(*before);
    } else {
      rows_.erase(arn);
    }
    journal_.pop_back();
  }
  ops_.resize(ops_mark);
}

ExecutionSummary SetWrite::summary_of(const Row& row) const {
  ExecutionSummary s = *row.base;
  s.status = row.status;
  if (row.stop_changed) s.stop_date = row.stop_date;
  if (row.attributes != nullptr) s.attributes = *row.attributes;
  return s;
}

void SetWrite::queue_statements() {
  if (ops_.empty()) return;
  queue_executions();
  queue_history();
  queue_timers();
  queue_tasks();
}

void SetWrite::queue_executions() {
  // The net change of each row: the last frame, status and version, the last stop date and
  // attributes a step set, the events added.
  struct Final {
    const NewExecution* create = nullptr;
    const json::Value* frame = nullptr;
    const std::string* status = nullptr;
    Version version = 0;
    std::optional<TimePoint> stop_date;
    const json::Object* attributes = nullptr;
    long long added = 0;
  };
  std::unordered_map<long long, Final> finals;
  std::vector<long long> order;
  for (const auto& op : ops_) {
    auto [it, first] = finals.try_emplace(op.seq);
    Final& f = it->second;
    if (first) order.push_back(op.seq);
    if (op.create != nullptr) {
      f.create = op.create;
      f.stop_date = op.create->summary.stop_date;
      f.attributes = &op.create->summary.attributes;
    }
    f.frame = &op.step->frame;
    f.status = &op.status;
    f.version = op.version;
    if (op.step->stop_date) f.stop_date = op.step->stop_date;
    if (op.step->attributes) f.attributes = &*op.step->attributes;
    f.added += static_cast<long long>(op.step->events.size());
  }

  std::vector<long long> new_seqs, starts, versions, lengths;
  std::vector<std::optional<long long>> stops;
  std::vector<std::string> arns, machines, names, statuses, attributes, inputs, owners, frames;
  std::vector<long long> up_seqs, up_versions, up_added;
  std::vector<std::optional<long long>> up_stops;
  std::vector<std::string> up_frames, up_statuses;
  std::vector<std::optional<std::string>> up_attributes;
  for (long long seq : order) {
    const Final& f = finals.at(seq);
    std::optional<long long> stop;
    if (f.stop_date) stop = millis(*f.stop_date);
    if (f.create != nullptr) {
      const auto& s = f.create->summary;
      new_seqs.push_back(seq);
      arns.push_back(s.arn);
      machines.push_back(s.state_machine_arn);
      names.push_back(s.name);
      statuses.push_back(*f.status);
      starts.push_back(millis(s.start_date));
      stops.push_back(stop);
      attributes.push_back(json::dump(*f.attributes));
      inputs.push_back(f.create->input);
      owners.push_back(f.create->owner);
      frames.push_back(json::dump(*f.frame));
      versions.push_back(f.version);
      lengths.push_back(f.added);
    } else {
      up_seqs.push_back(seq);
      up_frames.push_back(json::dump(*f.frame));
      up_versions.push_back(f.version);
      up_statuses.push_back(*f.status);
      up_stops.push_back(stop);
      up_attributes.push_back(f.attributes != nullptr
                                  ? std::optional<std::string>(json::dump(*f.attributes))
                                  : std::nullopt);
      up_added.push_back(f.added);
    }
  }
  if (!new_seqs.empty()) {
    // Plain INSERT: a row another node added since our read fails the set (the fallback then
    // reports AlreadyExists/AlreadyRunning for it).
    db_.send(
        "INSERT INTO executions (seq, arn, state_machine_arn, name, status, start_ms, stop_ms, "
        "attributes, input, owner, frame, version, history_length) "
        "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], "
        "$6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], "
        "$12::bigint[], $13::bigint[])",
        Params()
            .add(integer_array(new_seqs))
            .add(text_array(arns))
            .add(text_array(machines))
            .add(text_array(names))
            .add(text_array(statuses))
            .add(integer_array(starts))
            .add(nullable_integer_array(stops))
            .add(text_array(attributes))
            .add(text_array(inputs))
            .add(text_array(owners))
            .add(text_array(frames))
            .add(integer_array(versions))
            .add(integer_array(lengths)));
  }
  if (!up_seqs.empty()) {
    db_.send(
        "UPDATE executions e SET frame = u.frame, version = u.version, status = u.status, "
        "stop_ms = COALESCE(u.stop, e.stop_ms), attributes = COALESCE(u.attributes, "
        "e.attributes), history_length = e.history_length + u.added "
        "FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], "
        "$6::text[], $7::bigint[]) AS u(seq, frame, version, status, stop, attributes, added) "
        "WHERE e.seq = u.seq",
        Params()
            .add(integer_array(up_seqs))
            .add(text_array(up_frames))
            .add(integer_array(up_versions))
            .add(text_array(up_statuses))
            .add(nullable_integer_array(up_stops))
            .add(nullable_text_array(up_attributes))
            .add(integer_array(up_added)));
  }
}

void SetWrite::queue_history() {
  std::vector<long long> seqs, ids;
  std::vector<std::string> events;
  for (const auto& op : ops_) {
    for (const auto& event : op.step->events) {
      seqs.push_back(op.seq);
      ids.push_back(event_id(event));
      events.push_back(json::dump(event));
    }
  }
  if (seqs.empty()) return;
  db_.send(
      "INSERT INTO history (execution_seq, event_id, event) "
      "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])",
      Params().add(integer_array(seqs)).add(integer_array(ids)).add(text_array(events)));
}

void SetWrite::queue_timers() {
  // Per execution: whether a close dropped every timer it had, then each id's last fate
  // (armed with a record, or cleared: nullptr).
  struct Net {
    bool wiped = false;
    std::map<long long, const TimerRecord*> timers;
  };
  std::unordered_map<long long, Net> nets;
  std::vector<long long> order;
  for (const auto& op : ops_) {
    const auto& step = *op.step;
    const bool closed = is_closed_status(op.status);
    if (step.clear_timers.empty() && step.arm_timers.empty() && !closed) continue;
    auto [it, first] = nets.try_emplace(op.seq);
    if (first) order.push_back(op.seq);
    Net& net = it->second;
    for (long long id : step.clear_timers) net.timers[id] = nullptr;
    for (const auto& timer : step.arm_timers) net.timers[timer.id] = &timer;
    if (closed) {
      net.wiped = true;
      net.timers.clear();
    }
  }
  std::vector<long long> wiped, clear_seqs, clear_ids, arm_seqs, arm_ids, arm_due;
  std::vector<std::string> arm_payloads;
  for (long long seq : order) {
    const Net& net = nets.at(seq);
    if (net.wiped) wiped.push_back(seq);
    for (const auto& [id, timer] : net.timers) {
      if (timer == nullptr) {
        clear_seqs.push_back(seq);
        clear_ids.push_back(id);
      } else {
        arm_seqs.push_back(seq);
        arm_ids.push_back(id);
        arm_due.push_back(millis(timer->due));
        arm_payloads.push_back(json::dump(timer->payload));
      }
    }
  }
  if (!wiped.empty()) {
    db_.send("DELETE FROM timers WHERE execution_seq = ANY($1::bigint[])",
             Params().add(integer_array(wiped)));
  }
  if (!clear_seqs.empty()) {
    db_.send(
        "DELETE FROM timers t USING unnest($1::bigint[], $2::bigint[]) AS u(seq, id) "
        "WHERE t.execution_seq = u.seq AND t.id = u.id",
        Params().add(integer_array(clear_seqs)).add(integer_array(clear_ids)));
  }
  if (!arm_seqs.empty()) {
    db_.send(
        "INSERT INTO timers (execution_seq, id, due_ms, payload) "
        "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) "
        "ON CONFLICT (execution_seq, id) DO UPDATE SET due_ms = EXCLUDED.due_ms, "
        "payload = EXCLUDED.payload",
        Params()
            .add(integer_array(arm_seqs))
            .add(integer_array(arm_ids))
            .add(integer_array(arm_due))
            .add(text_array(arm_payloads)));
  }
}

void SetWrite::queue_tasks() {
  // Tokens are unique across executions, so tasks net out by token, in batch order: its last
  // fate (added by an execution at some point of the batch, or gone: task == nullptr). A close
  // drops the tasks its execution had when it closed: those in the table (deleted first) and
  // those added earlier in the batch.
  struct Net {
    const TaskRecord* task = nullptr;
    long long seq = 0;
    std::size_t added_at = 0;
  };
  std::unordered_map<std::string, Net> nets;
  std::vector<std::string> touched;
  std::unordered_map<long long, std::vector<std::string>> added_by;
  std::vector<long long> wiped;
  std::unordered_set<long long> wiped_set;
  std::size_t clock = 0;
  auto fate = [&](const std::string& token) -> Net& {
    auto [it, first] = nets.try_emplace(token);
    if (first) touched.push_back(token);
    return it->second;
  };
  for (const auto& op : ops_) {
    const auto& step = *op.step;
    for (const auto& token : step.finish_tasks) fate(token) = {};
    for (const auto& task : step.add_tasks) {
      fate(task.token) = {&task, op.seq, clock++};
      added_by[op.seq].push_back(task.token);
    }
    if (is_closed_status(op.status)) {
      if (wiped_set.insert(op.seq).second) wiped.push_back(op.seq);
      if (auto it = added_by.find(op.seq); it != added_by.end()) {
        for (const auto& token : it->second) {
          Net& net = nets.at(token);
          if (net.task != nullptr && net.seq == op.seq) net = {};
        }
        it->second.clear();
      }
    }
  }
  std::vector<const Net*> added;
  for (const auto& token : touched) {
    const Net& net = nets.at(token);
    if (net.task != nullptr) added.push_back(&net);
  }
  // Re-added tokens get a new row (and a new place in their activity's queue), as one by one.
  std::sort(added.begin(), added.end(),
            [](const Net* a, const Net* b) { return a->added_at < b->added_at; });
  if (!wiped.empty()) {
    db_.send("DELETE FROM tasks WHERE execution_seq = ANY($1::bigint[])",
             Params().add(integer_array(wiped)));
  }
  if (!touched.empty()) {
    db_.send("DELETE FROM tasks WHERE token = ANY($1::text[])", Params().add(text_array(touched)));
  }
  if (added.empty()) return;
  std::vector<std::string> tokens, activities, payloads;
  std::vector<long long> seqs, ids;
  for (const auto* net : added) {
    tokens.push_back(net->task->token);
    seqs.push_back(net->seq);
    ids.push_back(net->task->id);
    activities.push_back(net->task->activity_arn);
    payloads.push_back(json::dump(net->task->payload));
  }
  db_.send(
      "INSERT INTO tasks (token, execution_seq, id, activity_arn, claimed_by, payload) "
      "SELECT u.token, u.seq, u.id, u.activity, '', u.payload FROM unnest($1::text[], "
      "$2::bigint[], $3::bigint[], $4::text[], $5::text[]) WITH ORDINALITY "
      "AS u(token, seq, id, activity, payload, n) ORDER BY u.n",
      Params()
          .add(text_array(tokens))
          .add(integer_array(seqs))
          .add(integer_array(ids))
          .add(text_array(activities))
          .add(text_array(payloads)));
}

}  // namespace

void write_set_wise(Connection& db, const std::vector<ExecutionWrites*>& writes) {
  SetWrite(db, writes).run();
}

}  // namespace stepline::store::postgres
