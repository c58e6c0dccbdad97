// Reading records out of result rows.
#include "store/postgres/pg_store.hpp"

namespace stepline::store::postgres {

const char* const kResourceColumns = "kind, arn, parent_arn, name, document, tags, version";

Resource resource_from_row(const Result& rows, int row) {
  Resource r;
  r.kind = static_cast<ResourceKind>(rows.integer(row, 0));
  r.arn = rows.text(row, 1);
  r.parent_arn = rows.text(row, 2);
  r.name = rows.text(row, 3);
  r.document = json::parse(rows.text(row, 4));
  r.tags = json::parse(rows.text(row, 5)).as_object();
  r.version = rows.integer(row, 6);
  return r;
}

const char* const kExecutionColumns =
    "arn, state_machine_arn, name, status, start_ms, stop_ms, attributes, input, owner, frame, "
    "version, history_length";

ExecutionRecord execution_from_row(const Result& rows, int row) {
  ExecutionRecord r;
  r.summary.arn = rows.text(row, 0);
  r.summary.state_machine_arn = rows.text(row, 1);
  r.summary.name = rows.text(row, 2);
  r.summary.status = rows.text(row, 3);
  r.summary.start_date = TimePoint(Millis(rows.integer(row, 4)));
  if (!rows.is_null(row, 5)) r.summary.stop_date = TimePoint(Millis(rows.integer(row, 5)));
  r.summary.attributes = json::parse(rows.text(row, 6)).as_object();
  r.input = rows.text(row, 7);
  r.owner = rows.text(row, 8);
  r.frame = json::parse(rows.text(row, 9));
  r.version = rows.integer(row, 10);
  r.history_length = rows.integer(row, 11);
  return r;
}

const char* const kTaskColumns = "t.token, e.arn, t.id, t.activity_arn, t.claimed_by, t.payload";

TaskRecord task_from_row(const Result& rows, int row) {
  TaskRecord t;
  t.token = rows.text(row, 0);
  t.execution_arn = rows.text(row, 1);
  t.id = rows.integer(row, 2);
  t.activity_arn = rows.text(row, 3);
  t.claimed_by = rows.text(row, 4);
  t.payload = json::parse(rows.text(row, 5));
  return t;
}

TimerRecord timer_from_row(const Result& rows, int row) {
  return {rows.text(row, 0), rows.integer(row, 1), TimePoint(Millis(rows.integer(row, 2))),
          json::parse(rows.text(row, 3))};
}

}  // namespace stepline::store::postgres
