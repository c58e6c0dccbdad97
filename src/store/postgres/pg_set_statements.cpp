// The statements of a set-wise group commit (pg_set_write.hpp): the net effect of the accepted
// writes per row and per table, each table's rows as arrays in one multi-row statement queued to
// travel with the COMMIT.
#include "store/postgres/pg_set_write.hpp"

namespace stepline::store::postgres::set_wise {

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

}  // namespace stepline::store::postgres::set_wise
