// One step of the interpreter in progress: the frame being advanced, the history events and
// effects produced so far, and the threads that still have work to do in this step. Internal to
// the engine; Interpreter::step is the public face.
#pragma once

#include "asl/state_machine.hpp"
#include "common/json_text.hpp"
#include "engine/frame.hpp"
#include "engine/history_records.hpp"
#include "engine/interpreter.hpp"
#include "engine/map_prerun.hpp"
#include "engine/state_context.hpp"
#include "query/eval_context.hpp"
#include "query/jsonata/jsonata.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stepline::engine {

// Variables visible from a thread: its own scope, then the scopes of the threads running the
// enclosing Map/Parallel states.
class ScopeLookup final : public query::VariableLookup {
 public:
  ScopeLookup(const Frame& frame, int thread) : frame_(frame), thread_(thread) {}
  const json::Value* find(std::string_view name) const override;

 private:
  const Frame& frame_;
  int thread_;
};

class StepRun {
 public:
  StepRun(const Interpreter& interpreter, IdSource* ids, Frame frame, TimePoint now);
  // A run of Map iterations ahead of the interpreter (MapPrerun): `scopes` holds the threads
  // above the Map (for their variables), events go to `records`, `$$.Execution.Input` is read
  // from `execution_input`.
  StepRun(const Interpreter& interpreter, IdSource* ids, Frame scopes, TimePoint now,
          HistoryRecords& records, const json::Value& execution_input);
  ~StepRun();
  StepRun(const StepRun&) = delete;
  StepRun& operator=(const StepRun&) = delete;

  void start(json::Value input);
  void task_completed(int thread, long long effect_id, const integrations::TaskOutcome& outcome);
  void timer_fired(int thread, long long effect_id);
  void task_started(int thread, long long effect_id, const std::optional<std::string>& worker);
  void heartbeat(int thread, long long effect_id);
  void stop(const StatesError& error);
  void timed_out();
  // Runs every runnable thread until all wait or the execution ends.
  void run();
  Step finish() &&;
  // Runs iteration `index` of the Map thread `parent` runs, from the first state of `block` to
  // its end, its events numbered from MapPrerun::kFirstId (a run made by the constructor above).
  RanAheadIteration run_ahead(int parent, int block, long long index, json::Value input);

  // ---- used by the state implementations ----
  Thread& thread(int id) { return frame_.threads.at(id); }
  const Frame& frame() const { return frame_; }
  const json::Value& execution_input() const {
    return shared_input_ ? *shared_input_ : frame_.execution_input;
  }
  const asl::State& state_of(const Thread& t) const;
  const asl::StatesBlock& block_of(const Thread& t) const;

  // Appends a history event after `prev`; returns its id (0 when the thread is silent).
  long long emit_after(const Thread& t, long long prev, std::string_view type,
                       std::string_view details_key, json::Object details);
  // Appends an event after the thread's last one and makes it the thread's last one.
  long long emit(Thread& t, std::string_view type, std::string_view details_key = {},
                 json::Object details = {});
  // An event with the common details shape {["name": *name,] <field>: text,
  // <field>Details: {"truncated": false}}: state Entered/Exited and ExecutionSucceeded, written
  // for every state, kept as a compact record when the driver keeps records. `type`,
  // `details_key` and `field` must be static texts, `name` a state name of the machine.
  long long emit_data(const Thread& t, long long prev, std::string_view type,
                      std::string_view details_key, const std::string* name, std::string_view field,
                      std::string_view text);
  // A MapIterationStarted/Succeeded/Failed event: details {"name": *name, "index": index}.
  // `type` and `details_key` must be static texts, `name` a state name of the machine.
  long long emit_iteration(const Thread& t, long long prev, std::string_view type,
                           std::string_view details_key, const std::string* name, long long index);
  // The JSON text of `value` for history events, kept until the step (or, with records, the
  // execution) ends: a state's output text is the next state's input text, dumped once.
  std::string_view event_text(const json::Value& value);
  // An empty details object on the events' storage, room made for `members`; details built
  // elsewhere are copied onto that storage when emitted.
  json::Object event_details(std::size_t members) const;
  // {"truncated": false}, the inputDetails/outputDetails AWS writes.
  json::Object not_truncated() const;

  // `with_execution_input` false leaves out `$$.Execution.Input` (see StateContext).
  json::Value context_object(const Thread& t, const asl::State& s,
                             const json::Value* map_item_value = nullptr,
                             long long map_item_index = 0, bool with_execution_input = true) const;
  query::EvalContext eval_context(const Thread& t, const json::Value& input,
                                  const json::Value& context, const ScopeLookup& vars) const;
  // `context` must outlive the returned EvalContext.
  query::EvalContext eval_context(const Thread& t, const json::Value& input,
                                  const StateContext& context, const ScopeLookup& vars) const;

  // ---- data flow helpers (data_flow.cpp) ----
  json::Value apply_data_path(const Thread& t, const asl::DataPath& p, const json::Value& value,
                              const StateContext& context);
  // The same without copying: `value` itself for an identity path, else the selection, stored in
  // `storage`.
  const json::Value& select_data_path(const Thread& t, const asl::DataPath& p,
                                      const json::Value& value, const StateContext& context,
                                      json::Value& storage);
  json::Object evaluate_assign(const Thread& t, const std::optional<query::PayloadTemplate>& a,
                               const json::Value& input, const StateContext& context);
  void check_size(const Thread& t, const json::Value& value, std::string_view who);
  // Throws like check_size when the serialised data `text` is over the limit.
  void check_text_size(std::string_view text, std::string_view who) const;
  // json::dump onto the events' storage.
  json::String dump_for_event(const json::Value& value) const;

  // ---- state transitions (step_run.cpp) ----
  // Writes <Type>StateExited, applies the assignments and moves on (Next or End).
  // `output_text`: dump(output) when the caller knows it already (e.g. a Choice handing on its
  // input unchanged: entered_text()).
  void exit_state(Thread& t, json::Value output, json::Object assigned,
                  std::optional<long long> exited_prev = std::nullopt,
                  const std::string* next = nullptr, std::string_view output_text = {});
  // The text the running state's Entered event wrote, while its work runs in this step (empty
  // for silent threads and for work resumed after a retry back-off).
  std::string_view entered_text() const { return entered_text_; }
  // A state's work failed: retry, catch, or fail the thread. `failed_event` (e.g.
  // "MapStateFailed") is written when the error is not retried. `task_result`: the error is
  // what a task's invocation reported (TaskFailed, or a result over the size limit); AWS lets
  // Retry/Catch handle States.DataLimitExceeded then, while the same error raised by a state's
  // own data stays terminal.
  void handle_error(Thread& t, StatesError error, std::string_view failed_event = {},
                    bool heartbeat = false, bool task_result = false);
  void fail_thread(Thread& t, StatesError error);
  // `output_text`: dump(output) when the caller has it already.
  void succeed_thread(Thread& t, json::Value output, std::string_view output_text = {});
  void arm_timer(Thread& t, TimePoint due, TimerPurpose purpose);
  // A timer racing the thread's outstanding task (TimeoutSeconds, HeartbeatSeconds): the id the
  // thread remembers it by; the thread keeps awaiting its task.
  long long arm_task_timer(const Thread& t, long long seconds);
  long long next_effect_id() { return frame_.next_effect_id++; }
  void add_effect(Effect e) { effects_.push_back(std::move(e)); }
  // Stops a thread and everything below it, writing the Aborted events AWS writes; they point
  // at `cause_event`, the event that made the parent give up (observed).
  void abort_thread(Thread& t, long long cause_event);
  int spawn(Thread& parent, int block, long long index, json::Value input, bool silent_child);
  void make_runnable(int id) { runnable_.push_back(id); }

  // An exception escaped a state's processing: EvaluationFailed for JSONata failures, then
  // retry/catch/fail.
  void on_exception(Thread& t, const StatesException& e);

  // ---- JSONata (jsonata_flow.cpp) ----
  json::Object jsonata_bindings(const Thread& t, const json::Value& input,
                                const json::Value& context, const json::Value* result = nullptr,
                                const json::Value* error_output = nullptr) const;
  json::Value eval_jsonata(const asl::JsonataValue& v, std::string_view field,
                           const json::Object& bindings);
  // Evaluates the field when present, else returns `fallback`.
  json::Value jsonata_or(const asl::State& s, std::string_view field, const json::Object& bindings,
                         const json::Value& fallback);
  json::Object jsonata_assign(const asl::JsonataValue* assign, const json::Object& bindings);
  void execute_jsonata(Thread& t, const asl::State& s);
  // The taskCredentials of a JSONata Task's Scheduled event, if it has Credentials.
  std::optional<json::Value> jsonata_credentials(const Thread& t, const asl::TaskState& task,
                                                 const json::Value& context,
                                                 const json::Object& bindings);

  // ---- state types ----
  void execute(Thread& t, const asl::State& s);
  void execute_pass(Thread& t, const asl::State& s);
  void execute_choice(Thread& t, const asl::State& s);
  void execute_wait(Thread& t, const asl::State& s);
  void finish_wait(Thread& t, const asl::State& s);
  void execute_succeed(Thread& t, const asl::State& s);
  void execute_fail(Thread& t, const asl::State& s);
  void execute_task(Thread& t, const asl::State& s);
  void dispatch_task(Thread& t, const asl::State& s);
  // The task family's Started event (activities: `worker` is GetActivityTask's workerName).
  void write_started(Thread& t, const asl::TaskState& task,
                     const std::optional<std::string>& worker);
  void finish_task(Thread& t, const asl::State& s, const integrations::TaskOutcome& outcome);
  void execute_parallel(Thread& t, const asl::State& s);
  void start_parallel(Thread& t, const asl::State& s);
  void execute_map(Thread& t, const asl::State& s);
  void start_map(Thread& t, const asl::State& s);
  void fill_map(Thread& t, const asl::State& s);
  void finish_map(Thread& t, const asl::State& s);
  // The ItemSelector's value for every item, on the iteration helpers as well.
  json::Array select_items(const Thread& t, const asl::State& s, const json::Array& items,
                           const ScopeLookup& vars) const;
  json::Array batch(const Thread& t, const asl::State& s, json::Array inputs,
                    const query::EvalContext& ctx);
  void abort_thread_children(Thread& t, long long cause_event);
  // A branch/iteration thread failed in a Task state: AWS still writes that state's
  // TaskStateAborted when the parent gives up.
  void abort_failed_task(const Thread& parent, const Thread& child, long long cause_event);
  void child_finished(Thread& parent, Thread& child);
  void parallel_child_finished(Thread& parent, const asl::State& s, Thread& child);
  void map_child_finished(Thread& parent, const asl::State& s, Thread& child);
  // The work of a Task/Parallel/Map produced `result`: ResultSelector, ResultPath, OutputPath,
  // Assign, Exited.
  void complete_work(Thread& t, const asl::State& s, json::Value result,
                     std::optional<long long> exited_prev = std::nullopt);

  const Interpreter& interpreter() const { return interpreter_; }
  IdSource* ids() const { return ids_; }
  TimePoint now() const { return now_; }

 private:
  void run_thread(int id);
  // `t` ran ahead (MapPrerun): its events and outcome go in as if it had run here; false when
  // it failed there and must run here after all.
  bool splice_ran_ahead(Thread& t);
  void fail_execution(long long prev, const StatesError& error);

  const Interpreter& interpreter_;
  IdSource* ids_;
  Frame frame_;
  TimePoint now_;
  // The input text a thread's next Entered event reuses: the text its previous state's Exited
  // event wrote, by thread id. Only within this step (the texts may live on text_arena_).
  std::string_view take_input_text(const Thread& t);
  void set_input_text(const Thread& t, std::string_view text);

  std::string_view entered_text_;
  mutable const asl::State* last_state_ = nullptr;  // state_of's last answer, in last_block_
  mutable int last_block_ = -1;
  HistoryRecords* records_;
  boost::json::storage_ptr event_storage_;
  json::Array events_;
  boost::json::monotonic_resource text_arena_;  // event texts when there are no records
  std::vector<std::string_view> input_texts_;
  std::vector<Effect> effects_;
  std::deque<int> runnable_;
  // Tasks dispatched in this step, as (thread, task id): their Started events are written once
  // every thread has settled.
  std::vector<std::pair<int, long long>> starting_;
  std::unique_ptr<jsonata::Environment> jsonata_env_;
  // Ahead-of-time runs: the execution input they read, the iteration they run (its thread ends
  // there instead of reporting to its Map).
  const json::Value* shared_input_ = nullptr;
  int ran_ahead_root_ = -1;
  // Maps whose iterations run ahead, by the thread running the Map. Last: destroyed (their
  // helpers stopped) before anything they read.
  std::map<int, std::unique_ptr<MapPrerun>> preruns_;
};

// "<Type>StateEntered" / "<Type>StateExited", spelt once rather than concatenated per event.
std::string_view state_event_type(asl::StateType type, bool entered);

// A task's TimeoutSeconds elapsed before its outcome arrived.
void task_timed_out(StepRun& run, Thread& t, const asl::State& s, bool heartbeat);

// AWS's prefix for States.Runtime (and JSONata evaluation) causes.
std::string runtime_cause(const Thread& t, std::string_view detail);
// The error an exception raised while running `t`'s state stands for, with that prefix added.
StatesError located(const Thread& t, const StatesException& e);

}  // namespace stepline::engine
