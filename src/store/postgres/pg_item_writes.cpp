// The fallback of the set-wise writes (pg_execution_writes.hpp): each create and each commit
// on its own inside a savepoint, its statements pipelined (one round trip to read the row, one to
// write), so a statement that fails belongs to exactly one call.
#include "store/postgres/pg_execution_writes.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/step_rules.hpp"

#include <set>
#include <string>

namespace stepline::store::postgres {

namespace {

long long millis(TimePoint t) {
  return t.time_since_epoch().count();
}

// Later entries win, as when they are written one after the other; order of the last
// occurrences is kept.
template <typename T, typename Key>
std::vector<const T*> last_of_each(const std::vector<T>& items, Key key) {
  std::vector<const T*> out;
  std::set<decltype(key(items.front()))> seen;
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (seen.insert(key(*it)).second) out.push_back(&*it);
  }
  return {out.rbegin(), out.rend()};
}

// Queues the statements of one step on the execution with row id `seq` whose status is
// `status` (the caller runs them with finish()).
void send_step(Connection& db, long long seq, const std::string& status,
               const ExecutionStep& step) {
  std::vector<long long> ids;
  std::vector<std::string> events;
  ids.reserve(step.events.size());
  events.reserve(step.events.size());
  for (const auto& event : step.events) {
    ids.push_back(event_id(event));  // refuses before anything is sent
    events.push_back(json::dump(event));
  }
  const std::string new_status = step.status.value_or(status);
  Params update;
  update.add(seq).add(json::dump(step.frame)).add(new_status);
  if (step.stop_date) {
    update.add(millis(*step.stop_date));
  } else {
    update.add_null();
  }
  if (step.attributes) {
    update.add(json::dump(*step.attributes));
  } else {
    update.add_null();
  }
  update.add(static_cast<long long>(step.events.size()));
  db.send(
      "UPDATE executions SET frame = $2, version = version + 1, status = $3, "
      "stop_ms = COALESCE($4::bigint, stop_ms), attributes = COALESCE($5::text, attributes), "
      "history_length = history_length + $6 WHERE seq = $1",
      update);

  if (!ids.empty()) {
    db.send(
        "INSERT INTO history (execution_seq, event_id, event) "
        "SELECT $1, u.id, u.event FROM unnest($2::bigint[], $3::text[]) AS u(id, event)",
        Params().add(seq).add(integer_array(ids)).add(text_array(events)));
  }
  if (!step.clear_timers.empty()) {
    db.send("DELETE FROM timers WHERE execution_seq = $1 AND id = ANY($2::bigint[])",
            Params().add(seq).add(integer_array(step.clear_timers)));
  }
  if (!step.arm_timers.empty()) {
    std::vector<long long> timer_ids, due;
    std::vector<std::string> payloads;
    for (const auto* timer :
         last_of_each(step.arm_timers, [](const TimerRecord& t) { return t.id; })) {
      timer_ids.push_back(timer->id);
      due.push_back(millis(timer->due));
      payloads.push_back(json::dump(timer->payload));
    }
    db.send(
        "INSERT INTO timers (execution_seq, id, due_ms, payload) "
        "SELECT $1, u.id, u.due, u.payload FROM unnest($2::bigint[], $3::bigint[], $4::text[]) "
        "AS u(id, due, payload) "
        "ON CONFLICT (execution_seq, id) DO UPDATE SET due_ms = EXCLUDED.due_ms, "
        "payload = EXCLUDED.payload",
        Params()
            .add(seq)
            .add(integer_array(timer_ids))
            .add(integer_array(due))
            .add(text_array(payloads)));
  }
  // Finished tokens and re-added ones go first: an added task replaces one of the same token.
  std::vector<std::string> gone = step.finish_tasks;
  for (const auto& task : step.add_tasks) gone.push_back(task.token);
  if (!gone.empty()) {
    db.send("DELETE FROM tasks WHERE token = ANY($1::text[])", Params().add(text_array(gone)));
  }
  if (!step.add_tasks.empty()) {
    std::vector<std::string> tokens, activities, payloads;
    std::vector<long long> task_ids;
    for (const auto* task :
         last_of_each(step.add_tasks, [](const TaskRecord& t) { return t.token; })) {
      tokens.push_back(task->token);
      task_ids.push_back(task->id);
      activities.push_back(task->activity_arn);
      payloads.push_back(json::dump(task->payload));
    }
    db.send(
        "INSERT INTO tasks (token, execution_seq, id, activity_arn, claimed_by, payload) "
        "SELECT u.token, $1, u.id, u.activity, '', u.payload FROM unnest($2::text[], "
        "$3::bigint[], $4::text[], $5::text[]) WITH ORDINALITY AS u(token, id, activity, payload, "
        "n) "
        "ORDER BY u.n",
        Params()
            .add(seq)
            .add(text_array(tokens))
            .add(integer_array(task_ids))
            .add(text_array(activities))
            .add(text_array(payloads)));
  }
  if (is_closed_status(new_status)) {
    db.send("DELETE FROM timers WHERE execution_seq = $1", Params().add(seq));
    db.send("DELETE FROM tasks WHERE execution_seq = $1", Params().add(seq));
  }
}

// The body of create_execution inside the writer's transaction.
CreateResult create_in(Connection& db, const NewExecution& execution) {
  for (const auto& event : execution.first_step.events) event_id(event);
  const auto& s = execution.summary;
  Params insert;
  insert.add(s.arn).add(s.state_machine_arn).add(s.name).add(s.status).add(millis(s.start_date));
  if (s.stop_date) {
    insert.add(millis(*s.stop_date));
  } else {
    insert.add_null();
  }
  insert.add(json::dump(s.attributes)).add(execution.input).add(execution.owner);
  // Another node creating the same ARN at once: the conflict waits for it, then finds its row.
  const auto inserted = db.query(
      "INSERT INTO executions (arn, state_machine_arn, name, status, start_ms, stop_ms, "
      "attributes, input, owner, frame, version, history_length) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'null', 0, 0) "
      "ON CONFLICT (arn) DO NOTHING RETURNING seq",
      insert);
  if (inserted.empty()) {
    const auto existing =
        db.query(std::string("SELECT ") + kExecutionColumns + " FROM executions WHERE arn = $1",
                 Params().add(s.arn));
    auto record = execution_from_row(existing, 0);
    const bool retry = record.summary.status == "RUNNING" && record.input == execution.input;
    return {retry ? CreateStatus::AlreadyRunning : CreateStatus::AlreadyExists, record.summary};
  }
  send_step(db, inserted.integer(0, 0), s.status, execution.first_step);
  db.finish();  // errors (a duplicate event id) belong to this create
  return {CreateStatus::Created, s};
}

// The body of commit inside the writer's transaction; the caller rolls back unless Committed.
CommitResult commit_in(Connection& db, const Commit& commit) {
  for (std::size_t i = 0; i < commit.steps.size(); ++i) {
    const auto& step = commit.steps[i];
    // The row lock keeps another node's commit of the same execution out until ours is done.
    const auto rows =
        db.query("SELECT seq, owner, version, status FROM executions WHERE arn = $1 FOR UPDATE",
                 Params().add(step.execution_arn));
    if (rows.empty()) return {CommitStatus::NotFound, i};
    const auto owner = rows.text(0, 1);
    if (!owner.empty() && owner != commit.lease) return {CommitStatus::LeaseLost, i};
    if (rows.integer(0, 2) != step.expected_version) return {CommitStatus::VersionConflict, i};
    send_step(db, rows.integer(0, 0), rows.text(0, 3), step);
    db.finish();
  }
  return {};
}

// Runs `body` inside a savepoint of its own, rolled back when it returns false or throws.
template <typename Body>
void in_savepoint(Connection& db, Body body) {
  // Queued: they travel with the item's first and the next item's statements.
  db.send("SAVEPOINT item");
  bool keep = false;
  try {
    keep = body();
  } catch (const PgError& e) {
    if (e.retryable() || !db.healthy()) throw;  // the whole transaction is lost
    db.send("ROLLBACK TO SAVEPOINT item");
    db.send("RELEASE SAVEPOINT item");
    throw;
  } catch (...) {
    db.send("ROLLBACK TO SAVEPOINT item");
    db.send("RELEASE SAVEPOINT item");
    throw;
  }
  if (!keep) db.send("ROLLBACK TO SAVEPOINT item");
  db.send("RELEASE SAVEPOINT item");
}

}  // namespace

void write_one_by_one(Connection& db, ExecutionWrites& writes) {
  writes.result = {};  // a retried transaction starts over
  auto& result = writes.result;
  for (const auto* create : writes.creates) {
    in_savepoint(db, [&] {
      result.creates.push_back(create_in(db, *create));
      return true;
    });
  }
  for (const auto* commit : writes.commits) {
    in_savepoint(db, [&] {
      result.commits.push_back(commit_in(db, *commit));
      return result.commits.back().status == CommitStatus::Committed;
    });
  }
}

}  // namespace stepline::store::postgres
