// Reading records out of result rows.
#include "store/sqlite/sqlite_store.hpp"

namespace stepline::store::sqlite {

const char* const kResourceColumns = "kind, arn, parent_arn, name, document, tags, version";

Resource resource_from_row(const Statement& row) {
  Resource r;
  r.kind = static_cast<ResourceKind>(row.integer(0));
  r.arn = row.text(1);
  r.parent_arn = row.text(2);
  r.name = row.text(3);
  r.document = json::parse(row.text(4));
  r.tags = json::parse(row.text(5)).as_object();
  r.version = row.integer(6);
  return r;
}

const char* const kExecutionColumns =
    "arn, state_machine_arn, name, status, start_ms, stop_ms, attributes, input, owner, frame, "
    "version, history_length";

ExecutionRecord execution_from_row(const Statement& row) {
  ExecutionRecord r;
  r.summary.arn = row.text(0);
  r.summary.state_machine_arn = row.text(1);
  r.summary.name = row.text(2);
  r.summary.status = row.text(3);
  r.summary.start_date = TimePoint(Millis(row.integer(4)));
  if (!row.is_null(5)) r.summary.stop_date = TimePoint(Millis(row.integer(5)));
  r.summary.attributes = json::parse(row.text(6)).as_object();
  r.input = row.text(7);
  r.owner = row.text(8);
  r.frame = json::parse(row.text(9));
  r.version = row.integer(10);
  r.history_length = row.integer(11);
  return r;
}

const char* const kTaskColumns = "t.token, e.arn, t.id, t.activity_arn, t.claimed_by, t.payload";

TaskRecord task_from_row(const Statement& row) {
  TaskRecord t;
  t.token = row.text(0);
  t.execution_arn = row.text(1);
  t.id = row.integer(2);
  t.activity_arn = row.text(3);
  t.claimed_by = row.text(4);
  t.payload = json::parse(row.text(5));
  return t;
}

}  // namespace stepline::store::sqlite
