#!/usr/bin/env python3
"""Runs the AWS-recorded execution cases that need Lambda functions, nested executions
(`states`) or activities through the API of real `stepline serve` processes, and prints
`N passed / M cases` for that whole set (issue 5's measure).

The set: every `kind: "execution"` case whose needs are only `lambda:*`, `states`, `activity`
and `iam:assumable-role(...)` (a Credentials role, which the local run accepts). Nothing in the
set is skipped: a case that fails for lack of something we cannot provide counts as failed.

What the harness provides, as the recorded tests did:
- Lambda: a functions file (`serve --functions`) whose functions are local Python workers
  running the shared handler of each case's `lambdas` member (tests/conformance does the same
  in-process). Function names recur across cases with different handlers, so cases are grouped
  by their function set and each group gets its own server.
- `other_state_machines`: created under their recorded names before the case runs (the child
  machines a `states:startExecution` Task starts, the activity workers' machines).
- AWS services: an in-memory SQS (fake_sqs.py, `--service-endpoint sqs=URL`) and the server's
  own API as the `sfn` endpoint, for the machines that call them.
- `other_executions`: started before the case (not awaited), as the recorded test did, except
  the activity consumers (machines looping on `aws-sdk:sfn:getActivityTask`): their work is done
  by an ActivityWorker thread of the harness (see its comment). The activities named in their
  inputs are created first; a case without a worker has no activity (the recording deleted it).
Cases with activities or child machines get a server of their own (their names are fixed);
the others share as few servers as their functions allow (a function name recurs across cases
with different handlers).

Compared as executions.py (and tests/conformance) compare: status, output or error/cause, the
history events. Exit 1 when fewer pass than the baseline.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import executions  # noqa: E402
import fake_sqs  # noqa: E402
import server as serve  # noqa: E402
from replay import loosen_message_words, read_baseline  # noqa: E402

_ACTIVITY_ARN = re.compile(r"arn:aws:states:[^:\"]*:\d+:activity:([A-Za-z0-9_.-]+)")
_FUNCTION_WORD = re.compile(r"(?<!<)lambda_function_name(?!>)")


def need_kinds(case):
    """The integration kinds a case needs ({'lambda', 'states', 'activity'}), or None when it
    needs something outside this set (another service)."""
    kinds = set()
    for need in case.get("needs") or []:
        if need.startswith("lambda:") or need == "lambda":
            kinds.add("lambda")
        elif need in ("states", "activity"):
            kinds.add(need)
        elif not need.startswith("iam:assumable-role"):
            return None
    return kinds or None


def load_cases(corpus):
    cases = []
    with open(corpus) as f:
        for line in f:
            if line.strip():
                c = json.loads(line)
                if c.get("kind") == "execution" and need_kinds(c):
                    cases.append(c)
    return cases


def tokenise_function_names(value):
    """The recorder wrote function names both as `<lambda_function_name>` and as the bare word
    (tests/conformance/recorded_case.cpp does the same)."""
    if isinstance(value, str):
        return _FUNCTION_WORD.sub("<lambda_function_name>", value)
    if isinstance(value, dict):
        return {k: tokenise_function_names(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tokenise_function_names(v) for v in value]
    return value


def prepared(case):
    """The case with the recorder's words made tokens where it wrote names inside texts."""
    case = dict(case)
    for key in ("expected", "expected_events"):
        if key in case:
            value = tokenise_function_names(case[key])
            if isinstance(value, dict):
                value = {k: (loosen_message_words(v) if k == "cause" else v)
                         for k, v in value.items()}
            case[key] = value
    events = case.get("expected_events")
    if isinstance(events, list):
        case["expected_events"] = [_loosen_event_causes(e) for e in events]
    return case


def _loosen_event_causes(event):
    if not isinstance(event, dict):
        return event
    out = {}
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict) and \
                isinstance(value.get("cause"), str):
            value = dict(value, cause=loosen_message_words(value["cause"]))
        out[key] = value
    return out


_SERVICE_RESOURCE = re.compile(r"arn:aws:states:::(?:aws-sdk:)?([a-z0-9]+)[:.]")
_FUNCTION_ARN = re.compile(r":function:([A-Za-z0-9_-]+)")


# Services the harness provides besides Lambda and nested executions: an in-memory SQS
# (fake_sqs.py) and the server's own API as the `sfn` endpoint (aws-sdk:sfn:* Tasks).
_PROVIDED_SERVICES = {"lambda", "states", "sqs", "sfn"}


def services_of(case):
    """The AWS services the case's machines call (`arn:aws:states:::[aws-sdk:]NAME:...`)."""
    text = json.dumps([case.get("definition"),
                       [m.get("definition") for m in case.get("other_state_machines") or []]])
    return set(_SERVICE_RESOURCE.findall(text))


def unprovided(case):
    """What the case's recorded test used that this harness does not provide: services its
    machines call other than those of _PROVIDED_SERVICES, and functions the recording does not
    describe. Named in the failure reason."""
    text = json.dumps([case.get("definition"),
                       [m.get("definition") for m in case.get("other_state_machines") or []]])
    services = services_of(case) - _PROVIDED_SERVICES
    functions = set(_FUNCTION_ARN.findall(text)) - set(functions_of(case))
    return sorted(services) + [f"function {f} (no handler recorded)" for f in sorted(functions)]


def functions_of(case):
    """{function name: handler file base name} of the case's `lambdas`."""
    out = {}
    for spec in (case.get("lambdas") or {}).values():
        arn, handler = spec.get("arn", ""), spec.get("handler_file", "")
        if ":function:" in arn and handler:
            out[arn.split(":function:")[1].split(":")[0]] = os.path.basename(handler)
    return out


def activity_names(case):
    names = set()
    for run in case.get("other_executions") or []:
        names.update(_ACTIVITY_ARN.findall(run.get("input") or ""))
    return sorted(names)


def assign_groups(cases):
    """Each case's server, as few servers as the cases allow: cases whose functions agree
    (a name recurs with different handlers across cases) share one; a case with child
    machines or activities gets its own (the recorded child executions and activities have
    fixed names that would clash)."""
    groups, of_case = [], {}
    for index, case in cases:
        functions = functions_of(case)
        alone = "activity" in need_kinds(case) or bool(case.get("other_state_machines"))
        group = None
        if not alone:
            group = next((g for g in groups if not g.alone and all(
                g.functions.get(n, h) == h for n, h in functions.items())), None)
        if group is None:
            group = Group(len(groups) + 1, alone)
            groups.append(group)
        group.functions.update(functions)
        group.services.update(services_of(case))
        of_case[index] = group
    return groups, of_case


def free_port():
    """A port nothing listens on now, for a server that must know its own URL at start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Group:
    """One server for the cases assigned to it, started on first use."""

    def __init__(self, number, alone):
        self.number, self.alone = number, alone
        self.functions = {}  # function name -> handler file base name
        self.services = set()  # the AWS services its cases' machines call
        self.lock = threading.Lock()
        self.server = None
        self.sqs = None
        self.error = None
        self.created = set()

    def _functions_file(self, args, folder):
        functions = {}
        for name, handler in self.functions.items():
            source = os.path.join(args.shared, "conformance", "lambdas", handler)
            code = os.path.join(folder, "code", os.path.splitext(handler)[0])
            os.makedirs(code, exist_ok=True)
            shutil.copy(source, os.path.join(code, "handler.py"))  # /var/task/handler.py
            # The recorded functions outlived their Tasks' TimeoutSeconds.
            functions[name] = {"runtime": "python3", "handler": "handler.handler", "code": code,
                               "timeout": 300}
        path = os.path.join(folder, "functions.json")
        with open(path, "w") as f:
            json.dump({"functions": functions}, f)
        return path

    def start(self, args, work_dir):
        with self.lock:
            if self.server is None and self.error is None:
                try:
                    folder = os.path.join(work_dir, f"group{self.number}")
                    os.makedirs(folder, exist_ok=True)
                    extra = ["--functions", self._functions_file(args, folder)]
                    port = 0
                    if "sqs" in self.services:
                        self.sqs = fake_sqs.FakeSqs().start()
                        extra += ["--service-endpoint", f"sqs={self.sqs.endpoint}"]
                    if "sfn" in self.services:
                        # aws-sdk:sfn Tasks call the server's own API.
                        port = free_port()
                        extra += ["--service-endpoint", f"sfn=http://127.0.0.1:{port}"]
                    self.server = serve.Server(args.stepline, extra_args=extra,
                                               port=port).start()
                except Exception as e:  # noqa: BLE001 - every case of the group fails with it
                    self.error = f"server: {type(e).__name__}: {str(e)[:300]}"
            if self.error:
                raise RuntimeError(self.error)
            return self.server

    def create_machine(self, client, machine, role):
        with self.lock:
            if machine["name"] in self.created:
                return
            self.created.add(machine["name"])
        client.create_state_machine(name=machine["name"], roleArn=role,
                                    definition=json.dumps(machine["definition"]),
                                    type=machine.get("type") or "STANDARD")

    def close(self):
        if self.sqs is not None:
            self.sqs.close()
        if self.server is not None:
            alive = self.server.alive()
            tail = self.server.log_tail()
            self.server.close()
            return None if alive else tail
        return None


class ActivityWorker:
    """Does what a recorded activity consumer machine did, through boto3: the recordings' consumers
    loop on `aws-sdk:sfn:getActivityTask` (with their WorkerName, if any) and, once a task
    arrives, run one state: `sfn:sendTaskSuccess` (Output = the task's input), `sfn:sendTaskFailure`
    (the state's Error, Cause = the task's input), or a Pass state (keep the task and never answer
    it). Run by the harness: the server could run the consumer machines itself (its aws-sdk:sfn
    Tasks reach its own API with `--service-endpoint sfn=URL`, as test_sync_with_task_token's
    consumer does), but each of their getActivityTask long polls would hold one of the server's
    task dispatch threads calling back into the same server for up to a minute."""

    def __init__(self, endpoint, activity_arn, worker_name, answer):
        self.endpoint, self.activity_arn = endpoint, activity_arn
        self.worker_name, self.answer = worker_name, answer
        self.done = threading.Event()
        self.thread = None
        self.error = None

    @staticmethod
    def of(case, run, endpoint):
        machine = next((m for m in case.get("other_state_machines") or []
                        if m["name"] == run["state_machine"]), None)
        states = ((machine or {}).get("definition") or {}).get("States") or {}
        poll = next((s for s in states.values()
                     if s.get("Resource", "").endswith(":sfn:getActivityTask")), None)
        if poll is None:
            return None
        activity_arn = json.loads(run.get("input") or "{}").get("ActivityArn")
        worker_name = (poll.get("Parameters") or {}).get("WorkerName")
        # The state the consumer's Choice sends a received task to.
        received = None
        for s in states.values():
            for choice in s.get("Choices") or []:
                if "TaskToken" in choice.get("Variable", ""):
                    received = states.get(choice.get("Next"))
        if received is None or not activity_arn:
            return None
        return ActivityWorker(endpoint, activity_arn, worker_name, received)

    def start(self):
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()
        return self

    def _work(self):
        client = serve.make_client(self.endpoint, read_timeout=75)
        try:
            while not self.done.is_set():
                kwargs = {"activityArn": self.activity_arn}
                if self.worker_name:
                    kwargs["workerName"] = self.worker_name
                task = client.get_activity_task(**kwargs)
                if task.get("taskToken"):
                    break
            else:
                return
            resource = self.answer.get("Resource", "")
            params = self.answer.get("Parameters") or {}
            if resource.endswith(":sfn:sendTaskSuccess"):
                client.send_task_success(taskToken=task["taskToken"], output=task["input"])
            elif resource.endswith(":sfn:sendTaskFailure"):
                client.send_task_failure(taskToken=task["taskToken"], error=params.get("Error"),
                                         cause=task["input"])
            # Any other state (Pass): the worker keeps the task without answering.
        except Exception as e:  # noqa: BLE001 - the case then fails on its history
            self.error = e

    def stop(self):
        self.done.set()


def run_one(group, case, index, delta, args, account, clients, work_dir):
    server = group.start(args, work_dir)
    client = clients.get(server.endpoint)
    if client is None:
        client = clients[server.endpoint] = serve.make_client(server.endpoint, read_timeout=330)
    role = executions.ROLE.format(account=account)
    for machine in case.get("other_state_machines") or []:
        group.create_machine(client, machine, role)
    for name in activity_names(case):
        client.create_activity(name=name)
    workers = []
    for run in case.get("other_executions") or []:
        worker = ActivityWorker.of(case, run, server.endpoint)
        if worker:
            workers.append(worker.start())
            continue
        arn = f"arn:aws:states:{serve.REGION}:{account}:stateMachine:{run['state_machine']}"
        client.start_execution(stateMachineArn=arn, input=run.get("input") or "{}")
    if case.get("start_via") == "start_sync_execution" and \
            case.get("state_machine_type") != "EXPRESS":
        case = dict(case, state_machine_type="EXPRESS")  # AWS offers StartSync on Express only
    try:
        return executions.run_case(client, case, index, delta, args.timeout, account)
    finally:
        for worker in workers:
            worker.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stepline", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(__file__),
                                                         "../../../shared"))
    parser.add_argument("--baseline", default=os.path.join(os.path.dirname(__file__),
                                                           "baseline_integrations.txt"))
    parser.add_argument("--failures", default=os.path.join(
        tempfile.gettempdir(), "stepline_api_integrations_failures.txt"))
    parser.add_argument("--filter", default="")
    parser.add_argument("--jobs", type=int, default=8, help="cases in flight at once")
    parser.add_argument("--timeout", type=float, default=90, help="seconds per execution")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    args.shared = os.path.abspath(args.shared)

    work_dir = tempfile.mkdtemp(prefix="stepline-integrations-")
    serve.client_environment(args.model, work_dir)
    corpus = os.path.join(args.shared, "conformance", "aws-recorded.jsonl")
    cases = load_cases(corpus)
    recorded_at = executions.recording_time(cases)
    delta = (datetime.datetime.now(datetime.timezone.utc) - recorded_at) if recorded_at else None
    account = serve.probe_account(args.stepline)
    selected = [(i, prepared(serve.retarget(c, account))) for i, c in enumerate(cases)
                if args.filter in c["id"]]

    groups, group_of = assign_groups(selected)
    local = threading.local()

    def one(item):
        index, case = item
        if not hasattr(local, "clients"):
            local.clients = {}
        import botocore.exceptions
        began = time.monotonic()
        try:
            result = run_one(group_of[index], case, index, delta, args, account,
                             local.clients, work_dir)
            if args.verbose:
                print(f"{time.monotonic() - began:6.1f} s  {case['id']}", file=sys.stderr)
            return executions.check(case, result)
        except botocore.exceptions.ClientError as e:
            err = e.response.get("Error", {})
            return f"{e.operation_name}: {err.get('Code')}: {err.get('Message', '')[:250]}"
        except Exception as e:  # noqa: BLE001 - a connection or harness error fails the case
            return f"{type(e).__name__}: {str(e)[:250]}"

    started = time.monotonic()
    per_kind, failures, passed = {}, [], 0
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for (index, case), why in zip(selected, pool.map(one, selected)):
                kind = "+".join(sorted(need_kinds(case)))
                counts = per_kind.setdefault(kind, [0, 0])
                if why is None:
                    passed += 1
                    counts[0] += 1
                    if args.verbose:
                        print(f"ok   {case['id']}")
                else:
                    why = " ".join(why.split())
                    missing = unprovided(case)
                    if missing:
                        why = f"[uses {', '.join(missing)}: not provided] {why}"
                    counts[1] += 1
                    failures.append((case["id"], why))
                    if args.verbose:
                        print(f"FAIL {case['id']}\n     {why}")
    finally:
        for group in groups:
            tail = group.close()
            if tail:
                print(f"a server died: {tail}", file=sys.stderr)
        shutil.rmtree(work_dir, ignore_errors=True)
    with open(args.failures, "w") as f:
        for case_id, why in failures:
            f.write(f"{case_id}\t{why}\n")
    for kind, (ok, bad) in sorted(per_kind.items()):
        print(f"{kind:<24} {ok:>4} passed, {bad:>4} failed")
    baseline = read_baseline(args.baseline)
    print(f"failures listed in {args.failures}; baseline {baseline}; {len(groups)} servers; "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    if passed > baseline and not args.filter:
        print(f"more cases pass than the baseline: raise {args.baseline} to {passed}",
              file=sys.stderr)
    print(f"{passed} cases passed / {len(selected)} cases run")
    return 1 if passed < baseline and not args.filter else 0


if __name__ == "__main__":
    sys.exit(main())
