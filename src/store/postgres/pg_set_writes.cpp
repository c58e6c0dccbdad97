// The set-wise path of pg_execution_writes.hpp. One round trip reads and locks every execution
// row the batch names (in ARN order, the same on every node, so two writers cannot deadlock on
// them) and reserves row ids for the creates. The writes are then decided in memory one after
// the other against those rows, exactly as the one-by-one path decides them (creates before
// commits within a call, calls in batch order). What the accepted writes change is reduced to
// its net effect per row and queued as one multi-row statement per table, to travel with the
// COMMIT: a batch costs two round trips and at most a dozen statements whatever its size.
#include "store/postgres/pg_set_write.hpp"

namespace stepline::store::postgres {

namespace set_wise {

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

}  // namespace set_wise

void write_set_wise(Connection& db, const std::vector<ExecutionWrites*>& writes) {
  set_wise::SetWrite(db, writes).run();
}

}  // namespace stepline::store::postgres
