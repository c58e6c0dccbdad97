// What happened to each state of one execution, derived from GetExecutionHistory alone: events
// are attributed to states through previousEventId chains (each *StateEntered names its state,
// later events of the same state point back to it), so interleaved Parallel branches and Map
// iterations are told apart. State names are unique in a whole definition, so the name is the key.

import type { HistoryEvent } from "./api";

export type StateStatus = "succeeded" | "failed" | "caught" | "retried" | "in-progress" | "not-reached";

export interface StateRun {
  name: string;
  status: StateStatus;
  entered: number; // how many times (Map iterations and loops enter a state again)
  retries: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  enteredAt?: number;
  exitedAt?: number;
  iterations: { index: number; status: string }[]; // Map states: one per item
}

const failureTypes = new Set([
  "TaskFailed",
  "TaskTimedOut",
  "TaskStartFailed",
  "TaskSubmitFailed",
  "LambdaFunctionFailed",
  "LambdaFunctionTimedOut",
  "LambdaFunctionStartFailed",
  "LambdaFunctionScheduleFailed",
  "ActivityFailed",
  "ActivityTimedOut",
  "ActivityScheduleFailed",
  "ParallelStateFailed",
  "MapStateFailed",
  "EvaluationFailed",
]);

const attemptTypes = new Set(["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled", "ParallelStateStarted", "MapStateStarted"]);

export function eventDetails(event: HistoryEvent): Record<string, unknown> {
  for (const [key, value] of Object.entries(event))
    if (key.endsWith("EventDetails") && typeof value === "object" && value !== null) return value as Record<string, unknown>;
  return {};
}

// `enclosing`: for each state name, the Parallel or Map state whose branch holds it (from the
// definition graph), to attribute a Parallel/Map's own events that follow its branches' events.
// `stateOfEvent`, when given, receives the state each event was attributed to.
export function analyseHistory(
  events: HistoryEvent[],
  executionStatus: string,
  enclosing: Map<string, string> = new Map(),
  stateOfEvent: Map<number, string> = new Map(),
): Map<string, StateRun> {
  const runs = new Map<string, StateRun>();
  const stateOf = stateOfEvent; // event id -> state it belongs to
  const pendingFailure = new Map<number, string>(); // failure event id -> state
  const unresolved = new Set<string>(); // states whose latest failure has no sequel yet
  const open = new Map<string, number>(); // state -> entries not yet exited
  const run = (name: string): StateRun => {
    let r = runs.get(name);
    if (!r) {
      r = { name, status: "not-reached", entered: 0, retries: 0, iterations: [] };
      runs.set(name, r);
    }
    return r;
  };
  const failed = new Set<string>();
  const caught = new Set<string>();

  const byId = new Map<number, HistoryEvent>();
  const typeOf = new Map<string, string>(); // state -> "Parallel" | "Map" | ... from its Entered
  // The Parallel/Map a ParallelState*/MapState* event belongs to. Its predecessor is either that
  // state's own event, or the last event of one of its branches/iterations (or, on a retry, of the
  // failed attempt): then the owner is the nearest enclosing state of that family.
  const ownerOf = (prev: HistoryEvent | undefined, type: string): string | undefined => {
    if (!prev) return undefined;
    const family = type.startsWith("Map") ? "Map" : "Parallel";
    let candidate = stateOf.get(prev.id);
    const ended = prev.type.endsWith("StateExited") || (/State(Failed|Aborted|Succeeded)$/.test(prev.type) && !type.endsWith("StateStarted"));
    if (candidate !== undefined && typeOf.get(candidate) === family && !ended) return candidate;
    for (let guard = 0; candidate !== undefined && guard < 100; guard++) {
      candidate = enclosing.get(candidate);
      if (candidate !== undefined && typeOf.get(candidate) === family) return candidate;
    }
    return undefined;
  };
  const attempts = new Map<string, number>(); // state -> attempts in the current visit

  for (const event of events) {
    byId.set(event.id, event);
    const details = eventDetails(event);
    const prev = event.previousEventId ?? 0;
    let state: string | undefined;
    if (event.type.endsWith("StateEntered") || event.type.endsWith("StateExited")) state = String(details.name);
    else if (event.type.startsWith("MapIteration")) state = String(details.name);
    else if (/^(Parallel|Map)State(Started|Succeeded|Failed|Aborted)$/.test(event.type)) state = ownerOf(byId.get(prev), event.type);
    else if (!event.type.startsWith("Execution")) state = stateOf.get(prev);
    // What followed a failure decides whether it was retried, caught or final.
    const failureState = pendingFailure.get(prev);
    if (failureState !== undefined) {
      pendingFailure.delete(prev);
      if (attemptTypes.has(event.type)) {
        unresolved.delete(failureState);
      } else if (event.type.endsWith("StateExited")) {
        caught.add(failureState);
        unresolved.delete(failureState);
      } else {
        failed.add(failureState);
        unresolved.delete(failureState);
      }
    }
    if (state === undefined) {
      // A Fail state's error and cause are only in the ExecutionFailed that follows it.
      const culprit = stateOf.get(prev);
      if (culprit !== undefined && event.type === "ExecutionFailed") {
        const r = run(culprit);
        r.error ??= details.error as string | undefined;
        r.cause ??= details.cause as string | undefined;
      }
      if (event.type === "ExecutionFailed" || event.type === "ExecutionTimedOut") {
        // An uncaught error ends the execution: whatever state failed last failed for good.
        for (const name of unresolved) failed.add(name);
        unresolved.clear();
      }
      continue;
    }
    stateOf.set(event.id, state);
    const r = run(state);
    if (attemptTypes.has(event.type)) {
      // Every attempt after the first of one visit is a retry (failed attempts of a Parallel or
      // Map leave no failure event of their own).
      const count = (attempts.get(state) ?? 0) + 1;
      attempts.set(state, count);
      if (count > 1) r.retries++;
    }
    if (event.type.endsWith("StateEntered")) {
      r.entered++;
      typeOf.set(state, event.type.slice(0, -"StateEntered".length));
      attempts.set(state, 0);
      r.input = details.input as string | undefined;
      r.enteredAt = event.timestamp;
      open.set(state, (open.get(state) ?? 0) + 1);
      if (event.type === "FailStateEntered") failed.add(state);
    } else if (event.type.endsWith("StateExited")) {
      r.output = details.output as string | undefined;
      r.exitedAt = event.timestamp;
      open.set(state, Math.max(0, (open.get(state) ?? 1) - 1));
    } else if (event.type.startsWith("MapIteration")) {
      const index = Number(details.index);
      const status = event.type.slice("MapIteration".length).toLowerCase(); // started, succeeded...
      const existing = r.iterations.find((it) => it.index === index);
      if (existing) existing.status = status;
      else r.iterations.push({ index, status });
    } else if (failureTypes.has(event.type)) {
      if (typeof details.error === "string") r.error = details.error;
      if (typeof details.cause === "string") r.cause = details.cause;
      pendingFailure.set(event.id, state);
      unresolved.add(state);
    } else if (event.type.endsWith("StateAborted")) {
      failed.add(state);
      open.set(state, 0);
    }
  }

  const running = executionStatus === "RUNNING";
  for (const r of runs.values()) {
    r.iterations.sort((a, b) => a.index - b.index);
    if (failed.has(r.name)) r.status = "failed";
    else if (caught.has(r.name)) r.status = "caught";
    else if ((open.get(r.name) ?? 0) > 0) r.status = running ? "in-progress" : "failed";
    else if (r.entered > 0) r.status = r.retries > 0 ? "retried" : "succeeded";
  }
  return runs;
}
