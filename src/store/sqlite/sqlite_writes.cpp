// Every change goes through the group-commit writer: each call below is one savepoint in a
// batched transaction and returns once that transaction is durable.
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/step_rules.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepline::store::sqlite {

namespace {

long long millis(TimePoint t) {
  return t.time_since_epoch().count();
}

std::optional<Resource> read_resource(Connection& db, ResourceKind kind, const std::string& arn) {
  auto q = db.prepare(std::string("SELECT ") + kResourceColumns +
                      " FROM resources WHERE kind = ?1 AND arn = ?2");
  q.bind(1, static_cast<long long>(kind)).bind(2, arn);
  if (!q.step()) return std::nullopt;
  return resource_from_row(q);
}

// The statements every step runs, prepared once per connection (Connection::prepare_static).
constexpr const char* kUpdateExecution =
    "UPDATE executions SET frame = ?2, version = version + 1, status = ?3, "
    "stop_ms = COALESCE(?4, stop_ms), attributes = COALESCE(?5, attributes), "
    "history_length = history_length + ?6 WHERE seq = ?1";
constexpr const char* kInsertChunk =
    "INSERT INTO history_chunks (execution_seq, first_event_id, last_event_id, events) "
    "VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kDeleteTimer = "DELETE FROM timers WHERE execution_seq = ?1 AND id = ?2";
constexpr const char* kArmTimer =
    "INSERT OR REPLACE INTO timers (execution_seq, id, due_ms, payload) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kFinishTask = "DELETE FROM tasks WHERE token = ?1";
constexpr const char* kAddTask =
    "INSERT OR REPLACE INTO tasks (token, execution_seq, id, activity_arn, claimed_by, payload) "
    "VALUES (?1, ?2, ?3, ?4, '', ?5)";
constexpr const char* kDeleteTimers = "DELETE FROM timers WHERE execution_seq = ?1";
constexpr const char* kDeleteTasks = "DELETE FROM tasks WHERE execution_seq = ?1";
constexpr const char* kFindExecution =
    "SELECT seq, owner, version, status FROM executions WHERE arn = ?1";
// A new execution's row holds its first step already (frame, status, history length): one
// insert, no update. An existing ARN leaves the table as it is (changes() == 0).
constexpr const char* kInsertExecution =
    "INSERT INTO executions (arn, state_machine_arn, name, status, start_ms, stop_ms, "
    "attributes, input, owner, frame, version, history_length) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11) ON CONFLICT (arn) DO NOTHING";
constexpr const char* kSavepoint = "SAVEPOINT item";
constexpr const char* kRollbackSavepoint = "ROLLBACK TO item";
constexpr const char* kReleaseSavepoint = "RELEASE item";

// A step's JSON documents as the text its rows hold. Rendered before the step enters the group
// writer, on the caller's thread: the writer thread is the one every step waits for, so it only
// binds and inserts.
struct StepText {
  std::size_t event_count = 0;
  std::string frame;
  std::optional<std::string> attributes;
  long long first_event_id = 0;  // the history chunk, when the step has events
  long long last_event_id = 0;
  std::string events;                       // a JSON array, in id order
  std::vector<std::string> timer_payloads;  // one per arm_timers
  std::vector<std::string> task_payloads;   // one per add_tasks
};

// Throws std::invalid_argument (an event without an id, or ids out of order) before anything is
// written.
StepText render(const ExecutionStep& step) {
  StepText t;
  t.frame = json::dump(step.frame);
  if (step.attributes) t.attributes = json::dump(*step.attributes);
  t.event_count = step.events.size();
  if (!step.events.empty()) {
    long long previous = 0;
    for (std::size_t i = 0; i < step.events.size(); ++i) {
      const long long id = event_id(step.events[i]);
      if (i > 0 && id <= previous) {
        throw std::invalid_argument("the history events of a step are not in id order");
      }
      previous = id;
    }
    t.first_event_id = event_id(step.events.front());
    t.last_event_id = previous;
    json::dump_to(t.events, step.events);
  }
  for (const auto& timer : step.arm_timers) t.timer_payloads.push_back(json::dump(timer.payload));
  for (const auto& task : step.add_tasks) t.task_payloads.push_back(json::dump(task.payload));
  return t;
}

// What SqliteStore::prepare leaves in ExecutionStep::prepared.
struct PreparedText final : PreparedStep {
  explicit PreparedText(StepText t) : text(std::move(t)) {}
  StepText text;
};

// The texts of the steps of one write: prepared ones as they are, the others rendered here.
class Texts {
 public:
  const StepText& of(const ExecutionStep& step) {
    if (const auto* prepared = dynamic_cast<const PreparedText*>(step.prepared.get())) {
      return prepared->text;
    }
    return owned_.emplace_back(render(step));  // a deque: references stay valid
  }
  std::vector<const StepText*> of(const std::vector<ExecutionStep>& steps) {
    std::vector<const StepText*> texts;
    texts.reserve(steps.size());
    for (const auto& step : steps) texts.push_back(&of(step));
    return texts;
  }

 private:
  std::deque<StepText> owned_;
};

// A create's texts: its first step's, and the summary attributes its row starts with when that
// step does not replace them.
struct CreateText {
  const StepText* step = nullptr;
  std::string attributes;
};

CreateText render(const NewExecution& execution, Texts& texts) {
  CreateText t{&texts.of(execution.first_step), {}};
  t.attributes =
      t.step->attributes ? *t.step->attributes : json::dump(execution.summary.attributes);
  return t;
}

// Everything of a step but the execution's own row: its history chunk, timers and tasks.
// `created`: the execution's row was inserted just now (it has no timers or tasks but this
// step's).
void apply_effects(Connection& db, long long seq, const std::string& status,
                   const ExecutionStep& step, const StepText& text, bool created) {
  if (text.event_count != 0) {
    db.prepare_static(kInsertChunk)
        .bind(1, seq)
        .bind(2, text.first_event_id)
        .bind(3, text.last_event_id)
        .bind_view(4, text.events)
        .run();
  }
  for (long long id : step.clear_timers) {
    db.prepare_static(kDeleteTimer).bind(1, seq).bind(2, id).run();
  }
  for (std::size_t i = 0; i < step.arm_timers.size(); ++i) {
    const auto& timer = step.arm_timers[i];
    db.prepare_static(kArmTimer)
        .bind(1, seq)
        .bind(2, timer.id)
        .bind(3, millis(timer.due))
        .bind_view(4, text.timer_payloads[i])
        .run();
  }
  for (const auto& token : step.finish_tasks) {
    db.prepare_static(kFinishTask).bind_view(1, token).run();
  }
  for (std::size_t i = 0; i < step.add_tasks.size(); ++i) {
    const auto& task = step.add_tasks[i];
    db.prepare_static(kAddTask)
        .bind_view(1, task.token)
        .bind(2, seq)
        .bind(3, task.id)
        .bind_view(4, task.activity_arn)
        .bind_view(5, text.task_payloads[i])
        .run();
  }
  if (is_closed_status(step.status.value_or(status))) {
    // An execution that closes in its first step without timers or tasks has none to sweep.
    if (!created || !step.arm_timers.empty() || !step.add_tasks.empty()) {
      db.prepare_static(kDeleteTimers).bind(1, seq).run();
      db.prepare_static(kDeleteTasks).bind(1, seq).run();
    }
  }
}

// Applies one step to the existing execution with row id `seq` whose status is `status`.
void apply_step(Connection& db, long long seq, const std::string& status, const ExecutionStep& step,
                const StepText& text) {
  auto update = db.prepare_static(kUpdateExecution);
  update.bind(1, seq).bind_view(2, text.frame).bind(3, step.status.value_or(status));
  if (step.stop_date) {
    update.bind(4, millis(*step.stop_date));
  } else {
    update.bind_null(4);
  }
  if (text.attributes) {
    update.bind_view(5, *text.attributes);
  } else {
    update.bind_null(5);
  }
  update.bind(6, static_cast<long long>(text.event_count)).run();
  apply_effects(db, seq, status, step, text, /*created=*/false);
}

// The body of create_execution inside the writer's transaction. Nothing it writes can be refused
// after its first write (the insert either happens or finds the ARN taken), so it needs no
// savepoint of its own.
CreateResult create_in(Connection& db, const NewExecution& execution, const CreateText& text) {
  const auto& s = execution.summary;
  const auto& step = execution.first_step;
  const std::string& status = step.status ? *step.status : s.status;
  const auto stop_date = step.stop_date ? step.stop_date : s.stop_date;
  auto insert = db.prepare_static(kInsertExecution);
  insert.bind_view(1, s.arn).bind_view(2, s.state_machine_arn).bind_view(3, s.name);
  insert.bind_view(4, status).bind(5, millis(s.start_date));
  if (stop_date) {
    insert.bind(6, millis(*stop_date));
  } else {
    insert.bind_null(6);
  }
  insert.bind_view(7, text.attributes).bind_view(8, execution.input).bind_view(9, execution.owner);
  insert.bind_view(10, text.step->frame).bind(11, static_cast<long long>(text.step->event_count));
  insert.run();
  if (db.changes() == 0) {
    auto existing =
        db.prepare(std::string("SELECT ") + kExecutionColumns + " FROM executions WHERE arn = ?1");
    existing.bind(1, s.arn);
    if (!existing.step()) throw StoreError("sqlite: an execution neither inserted nor found");
    auto record = execution_from_row(existing);
    const bool retry = record.summary.status == "RUNNING" && record.input == execution.input;
    return {retry ? CreateStatus::AlreadyRunning : CreateStatus::AlreadyExists, record.summary};
  }
  apply_effects(db, db.last_insert_rowid(), status, step, *text.step, /*created=*/true);
  CreateResult result{CreateStatus::Created, s};
  return result;
}

// The body of commit inside the writer's transaction; the caller rolls back unless Committed.
CommitResult commit_in(Connection& db, const Commit& commit,
                       const std::vector<const StepText*>& texts) {
  for (std::size_t i = 0; i < commit.steps.size(); ++i) {
    const auto& step = commit.steps[i];
    long long seq = 0;
    std::string status;
    {
      auto q = db.prepare_static(kFindExecution);
      q.bind_view(1, step.execution_arn);
      if (!q.step()) return {CommitStatus::NotFound, i};
      const auto owner = q.text(1);
      if (!owner.empty() && owner != commit.lease) return {CommitStatus::LeaseLost, i};
      if (q.integer(2) != step.expected_version) return {CommitStatus::VersionConflict, i};
      seq = q.integer(0);
      status = q.text(3);
    }
    apply_step(db, seq, status, step, *texts[i]);
  }
  return {};
}

// Runs `body` inside a savepoint of its own, rolled back when it returns false or throws.
template <typename Body>
void in_savepoint(Connection& db, Body body) {
  db.prepare_static(kSavepoint).run();
  bool keep = false;
  try {
    keep = body();
  } catch (...) {
    db.prepare_static(kRollbackSavepoint).run();
    db.prepare_static(kReleaseSavepoint).run();
    throw;
  }
  if (!keep) db.prepare_static(kRollbackSavepoint).run();
  db.prepare_static(kReleaseSavepoint).run();
}

}  // namespace

SqliteStore::SqliteStore(const SqliteOptions& options) {
  write_db_ = std::make_unique<Connection>(options.path);
  write_db_->exec("PRAGMA journal_mode = WAL");
  write_db_->exec(options.synchronous_full ? "PRAGMA synchronous = FULL"
                                           : "PRAGMA synchronous = NORMAL");
  // Group commits write megabytes at a time: keep more of the B-tree pages in memory, and
  // checkpoint the WAL on a thread of its own every 16 MiB (the writer itself only past 64 MiB).
  write_db_->exec("PRAGMA cache_size = -16384");
  // Deleted content (finished tasks and timers, rewritten frames) need not be zeroed on disk,
  // only where that costs no extra write.
  write_db_->exec("PRAGMA secure_delete = FAST");
  migrate(*write_db_);
  read_db_ = std::make_unique<Connection>(options.path);
  checkpointer_ = std::make_unique<Checkpointer>(options.path, *write_db_, 4096, 16384);
  writer_ = std::make_unique<GroupWriter>(*write_db_, options.group_max_commits,
                                          options.group_window_micros);
}

WriteResult SqliteStore::write_resources(const std::vector<ResourceWrite>& writes) {
  WriteResult result;
  writer_->run([&](Connection& db) {
    for (std::size_t i = 0; i < writes.size(); ++i) {
      const auto& w = writes[i];
      auto current = read_resource(db, w.resource.kind, w.resource.arn);
      if ((current ? current->version : 0) != w.expected_version) {
        result = {false, i, std::nullopt};
        return false;
      }
      if (w.erase) {
        db.prepare("DELETE FROM resources WHERE kind = ?1 AND arn = ?2")
            .bind(1, static_cast<long long>(w.resource.kind))
            .bind(2, w.resource.arn)
            .run();
      } else if (!current) {
        db.prepare(
              "INSERT INTO resources (kind, arn, parent_arn, name, document, tags, version) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)")
            .bind(1, static_cast<long long>(w.resource.kind))
            .bind(2, w.resource.arn)
            .bind(3, w.resource.parent_arn)
            .bind(4, w.resource.name)
            .bind(5, json::dump(w.resource.document))
            .bind(6, json::dump(w.resource.tags))
            .run();
      } else {
        db.prepare(
              "UPDATE resources SET parent_arn = ?3, name = ?4, document = ?5, tags = ?6, "
              "version = version + 1 WHERE kind = ?1 AND arn = ?2")
            .bind(1, static_cast<long long>(w.resource.kind))
            .bind(2, w.resource.arn)
            .bind(3, w.resource.parent_arn)
            .bind(4, w.resource.name)
            .bind(5, json::dump(w.resource.document))
            .bind(6, json::dump(w.resource.tags))
            .run();
      }
    }
    return true;
  });
  if (!result.ok) {
    // Report what a reader sees now that the refused batch is rolled back.
    const auto& w = writes[result.failed_index];
    result.current = get_resource(w.resource.kind, w.resource.arn);
  }
  return result;
}

CreateResult SqliteStore::create_execution(const NewExecution& execution) {
  CreateResult result;
  Texts texts;
  const CreateText text = render(execution, texts);
  writer_->run([&](Connection& db) {
    result = create_in(db, execution, text);
    return true;
  });
  return result;
}

CommitResult SqliteStore::commit(const Commit& commit) {
  CommitResult result;
  Texts owned;
  const auto texts = owned.of(commit.steps);
  writer_->run([&](Connection& db) {
    result = commit_in(db, commit, texts);
    return result.status == CommitStatus::Committed;
  });
  return result;
}

BatchResult SqliteStore::write_batch(const WriteBatch& batch) {
  BatchResult result;
  Texts texts;
  std::vector<CreateText> create_texts;
  create_texts.reserve(batch.creates.size());
  for (const auto& create : batch.creates) create_texts.push_back(render(create, texts));
  std::vector<std::vector<const StepText*>> commit_texts;
  commit_texts.reserve(batch.commits.size());
  for (const auto& commit : batch.commits) commit_texts.push_back(texts.of(commit.steps));
  // The batch is a group already: it runs at once, on this thread.
  writer_->run_now([&](Connection& db) {
    // A retried run (the writer never retries today) must not append twice.
    result = {};
    result.creates.reserve(batch.creates.size());
    result.commits.reserve(batch.commits.size());
    // A failure (exception) rolls the whole batch back (the writer's savepoint), so a write
    // needs a savepoint of its own only when it can be refused after it has written something:
    // a commit of several steps. A create or a one-step commit is refused before its first write.
    for (std::size_t i = 0; i < batch.creates.size(); ++i) {
      result.creates.push_back(create_in(db, batch.creates[i], create_texts[i]));
    }
    for (std::size_t i = 0; i < batch.commits.size(); ++i) {
      if (batch.commits[i].steps.size() <= 1) {
        result.commits.push_back(commit_in(db, batch.commits[i], commit_texts[i]));
        continue;
      }
      in_savepoint(db, [&] {
        result.commits.push_back(commit_in(db, batch.commits[i], commit_texts[i]));
        return result.commits.back().status == CommitStatus::Committed;
      });
    }
    return true;
  });
  return result;
}

void SqliteStore::prepare(ExecutionStep& step) {
  if (step.prepared) return;
  step.prepared = std::make_shared<PreparedText>(render(step));
  // Released here, on the caller's thread, rather than with the batch on the writer's.
  step.frame = nullptr;
  json::Array().swap(step.events);
}

std::optional<TaskRecord> SqliteStore::claim_activity_task(const std::string& activity_arn,
                                                           const std::string& worker) {
  std::optional<TaskRecord> claimed;
  writer_->run([&](Connection& db) {
    {
      auto q = db.prepare(std::string("SELECT ") + kTaskColumns +
                          " FROM tasks t JOIN executions e ON e.seq = t.execution_seq "
                          "WHERE t.activity_arn = ?1 AND t.claimed_by = '' ORDER BY t.seq LIMIT 1");
      q.bind(1, activity_arn);
      if (!q.step()) return true;
      claimed = task_from_row(q);
    }
    db.prepare("UPDATE tasks SET claimed_by = ?2 WHERE token = ?1")
        .bind(1, claimed->token)
        .bind(2, worker)
        .run();
    claimed->claimed_by = worker;
    return true;
  });
  return claimed;
}

}  // namespace stepline::store::sqlite

namespace stepline::store {

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
  return std::make_unique<sqlite::SqliteStore>(options);
}

}  // namespace stepline::store
