#!/usr/bin/env python3
"""Crash test of `stepline serve`: Standard executions waiting on Wait-state timers, activities and
`.waitForTaskToken` callbacks survive kill -9 of the server at several points and end with
exactly the history an uninterrupted run has.

Kinds (round robin over --executions):
  timer     Pass -> Wait (a few seconds) -> Pass
  activity  Pass -> activity Task (a worker thread here polls GetActivityTask) -> Pass
  callback  Pass -> lambda:invoke.waitForTaskToken -> Pass; the Lambda endpoint is this script
            (serve --lambda-endpoint), or a local Python function (serve --functions) writing
            the token to a folder; the test answers later with SendTaskSuccess. Skipped, and
            said so, when serve has neither option.

Kill points: during the starts, while everything waits, while callbacks are being answered.
After each kill the server restarts on the same data directory; unanswered starts are retried
with the same name and input (idempotent), callbacks whose answer was lost are re-sent.
Every execution must end SUCCEEDED with the reference history of its kind (same event types in
order, ids 1..n, same previousEventIds), the reference being executions run without kills.
"""
import argparse
import http.server
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "api_conformance"))
import server as serve  # noqa: E402

ROLE = f"arn:aws:iam::{serve.ACCOUNT}:role/stepline-crash"
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def definition(kind, activity_arn, wait_seconds):
    if kind == "timer":
        middle = {"Type": "Wait", "Seconds": wait_seconds, "Next": "After"}
    elif kind == "activity":
        middle = {"Type": "Task", "Resource": activity_arn, "Next": "After"}
    else:
        middle = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {"FunctionName": "crash-callback",
                                 "Payload": {"token.$": "$$.Task.Token", "n.$": "$.n"}},
                  "Next": "After"}
    return json.dumps({"StartAt": "Before", "States": {
        "Before": {"Type": "Pass", "Next": "Middle"},
        "Middle": middle,
        "After": {"Type": "Pass", "End": True}}})


class FakeLambda:
    """The Lambda Invoke API the server calls for the callback Tasks: keeps each token."""

    def __init__(self):
        self.tokens = {}  # token -> payload
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    payload = json.loads(body or b"{}")
                    with outer.lock:
                        outer.tokens[payload["token"]] = payload
                except (ValueError, KeyError, TypeError):
                    pass
                answer = b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def pending(self):
        with self.lock:
            return dict(self.tokens)


HANDLER = """import hashlib, json, os


def handler(event, context):
    # Keeps the task token where the crash test reads it; answers nothing itself.
    directory = os.environ["TOKEN_DIR"]
    name = hashlib.sha256(event["token"].encode()).hexdigest()
    with open(os.path.join(directory, name + ".tmp"), "w") as f:
        json.dump(event, f)
    os.replace(os.path.join(directory, name + ".tmp"), os.path.join(directory, name + ".json"))
    return {}
"""


class LocalFunction:
    """The same, as a local Python function (serve --functions) writing tokens to a folder."""

    def __init__(self, directory):
        self.code = os.path.join(directory, "code")
        self.token_dir = os.path.join(directory, "tokens")
        os.makedirs(self.code, exist_ok=True)
        os.makedirs(self.token_dir, exist_ok=True)
        with open(os.path.join(self.code, "callback.py"), "w") as f:
            f.write(HANDLER)
        self.functions_file = os.path.join(directory, "functions.json")
        with open(self.functions_file, "w") as f:
            json.dump({"functions": {"crash-callback": {
                "runtime": "python3", "handler": "callback.handler", "code": self.code,
                "environment": {"TOKEN_DIR": self.token_dir}, "timeout": 30}}}, f)
        self.directory = directory

    def pending(self):
        tokens = {}
        for name in os.listdir(self.token_dir):
            if name.endswith(".json"):
                try:
                    with open(os.path.join(self.token_dir, name)) as f:
                        payload = json.load(f)
                    tokens[payload["token"]] = payload
                except (OSError, ValueError, KeyError):
                    pass
        return tokens

    def close(self):
        shutil.rmtree(self.directory, ignore_errors=True)


class Crash:
    def __init__(self, args):
        self.args = args
        self.data_dir = tempfile.mkdtemp(prefix="stepline-crash-")
        self.kinds = ["timer", "activity"]
        extra = []
        self.fake_lambda = None
        if serve.supports(args.stepline, "--lambda-endpoint"):
            self.fake_lambda = FakeLambda()
            extra = ["--lambda-endpoint", self.fake_lambda.endpoint]
            self.kinds.append("callback")
        elif serve.supports(args.stepline, "--functions"):
            self.fake_lambda = LocalFunction(self.data_dir + "-function")
            extra = ["--functions", self.fake_lambda.functions_file]
            self.kinds.append("callback")
        else:
            print("note: serve has neither --lambda-endpoint nor --functions: the callback "
                  "kind is not covered")
        self.server = serve.Server(args.stepline, data_dir=self.data_dir, extra_args=extra)
        self.client = None
        self.lock = threading.Lock()
        self.arns = {}         # execution name -> ARN (once the server acknowledged it)
        self.answered = set()  # tokens whose SendTaskSuccess was acknowledged (or was moot)
        self.activity_tokens = {}  # token -> input, handed out by GetActivityTask
        self.polling = threading.Event()
        self.stopping = threading.Event()
        self.kills = 0
        self.problems = []

    # --- server lifecycle --------------------------------------------------------------------
    def start_server(self):
        try:
            self.server.start()  # on the port of the first start: clients keep their endpoint
        except RuntimeError:
            self.server.port = 0  # that port is not free yet: take another
            self.server.start()
        self.client = serve.make_client(self.server.endpoint, read_timeout=70)

    def kill_and_restart(self, label):
        self.kills += 1
        self.server.kill()
        print(f"kill -9 #{self.kills} ({label}); restarting on the same data directory")
        self.start_server()

    def call(self, fn, *args, attempts=40, **kwargs):
        """Calls the API, retrying while the server is down (connection errors only)."""
        import botocore.exceptions
        for _ in range(attempts):
            try:
                return fn(self.client)(*args, **kwargs)
            except (botocore.exceptions.EndpointConnectionError,
                    botocore.exceptions.ConnectionClosedError,
                    botocore.exceptions.ReadTimeoutError):
                time.sleep(0.25)
        raise RuntimeError("the server stayed unreachable")

    # --- setup -------------------------------------------------------------------------------
    def create_machines(self, prefix):
        activity = self.client.create_activity(name=f"{prefix}-activity")["activityArn"]
        machines = {}
        for kind in self.kinds:
            machines[kind] = self.client.create_state_machine(
                name=f"{prefix}-{kind}", roleArn=ROLE, type="STANDARD",
                definition=definition(kind, activity, self.args.wait_seconds))["stateMachineArn"]
        return activity, machines

    def start_one(self, machine, name, n):
        import botocore.exceptions
        try:
            r = self.call(lambda c: c.start_execution, stateMachineArn=machine, name=name,
                          input=json.dumps({"n": n}), attempts=1)
            arn = r["executionArn"]
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] != "ExecutionAlreadyExists":
                raise
            # Started before a kill whose answer was lost, and already closed since.
            arn = machine.replace(":stateMachine:", ":execution:") + ":" + name
        except RuntimeError:
            return None
        with self.lock:
            self.arns[name] = arn
        return arn

    # --- workers -----------------------------------------------------------------------------
    def activity_worker(self, activity_arn):
        import botocore.exceptions
        client = None
        while not self.stopping.is_set():
            if not self.polling.is_set():
                time.sleep(0.05)
                continue
            try:
                client = serve.make_client(self.server.endpoint, read_timeout=70)
                task = client.get_activity_task(activityArn=activity_arn, workerName="crash")
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                time.sleep(0.2)
                continue
            token = task.get("taskToken")
            if token:
                with self.lock:
                    self.activity_tokens[token] = task.get("input", "{}")

    def unanswered(self):
        with self.lock:
            tokens = dict(self.activity_tokens)
        if self.fake_lambda:
            tokens.update({t: json.dumps(p) for t, p in self.fake_lambda.pending().items()})
        return {t: v for t, v in tokens.items() if t not in self.answered}

    def answer(self, token, output):
        import botocore.exceptions
        try:
            self.call(lambda c: c.send_task_success, taskToken=token, output=output, attempts=1)
        except botocore.exceptions.ClientError as e:
            code = e.response["Error"]["Code"]
            if code not in ("TaskDoesNotExist", "InvalidToken", "TaskTimedOut"):
                self.problems.append(f"SendTaskSuccess: {code}: {e.response['Error']}")
                return
            # The answer reached the server before a kill and was committed: nothing to do.
        except RuntimeError:
            return  # server down: answered again after the restart
        with self.lock:
            self.answered.add(token)

    def answer_all(self, limit=None, pool=None):
        pending = list(self.unanswered().items())
        if limit is not None:
            pending = pending[:limit]
        list(pool.map(lambda kv: self.answer(kv[0], json.dumps({"answered": True})), pending))
        return len(pending)

    # --- checks ------------------------------------------------------------------------------
    def history(self, arn):
        events, token = [], None
        while True:
            kwargs = {"executionArn": arn, "maxResults": 1000}
            if token:
                kwargs["nextToken"] = token
            page = self.call(lambda c: c.get_execution_history, **kwargs)
            events += page["events"]
            token = page.get("nextToken")
            if not token:
                return [(e["type"], e["id"], e["previousEventId"]) for e in events]

    def wait_closed(self, arns, timeout, pool):
        deadline = time.monotonic() + timeout
        open_arns = list(arns)
        while open_arns and time.monotonic() < deadline:
            statuses = list(pool.map(
                lambda a: self.call(lambda c: c.describe_execution, executionArn=a)["status"],
                open_arns))
            open_arns = [a for a, s in zip(open_arns, statuses) if s == "RUNNING"]
            if open_arns:
                self.answer_all(pool=pool)
                time.sleep(0.3)
        return open_arns

    # --- the run -----------------------------------------------------------------------------
    def reference(self, pool, activity, machines):
        """Histories of executions that ran without kills, per kind."""
        names = {kind: f"reference-{kind}" for kind in self.kinds}
        for kind, name in names.items():
            self.start_one(machines[kind], name, -1)
        self.polling.set()
        left = self.wait_closed([self.arns[n] for n in names.values()], 60, pool)
        self.polling.clear()
        if left:
            raise RuntimeError(f"reference executions did not finish: {left}")
        refs = {}
        for kind, name in names.items():
            status = self.call(lambda c: c.describe_execution,
                               executionArn=self.arns[name])["status"]
            if status != "SUCCEEDED":
                raise RuntimeError(f"reference {kind} execution ended {status}")
            refs[kind] = self.history(self.arns[name])
        return refs

    def run(self):
        total = self.args.executions
        started_at = time.monotonic()
        self.start_server()
        pool = ThreadPoolExecutor(max_workers=8)
        activity, machines = self.create_machines("crash")
        workers = [threading.Thread(target=self.activity_worker, args=(activity,), daemon=True)
                   for _ in range(4)]
        for w in workers:
            w.start()
        refs = self.reference(pool, activity, machines)
        for kind, events in refs.items():
            print(f"reference {kind}: {' '.join(t for t, _, _ in events)}")

        plan = [(f"crash-{i:04d}", self.kinds[i % len(self.kinds)], i) for i in range(total)]
        rng = random.Random(7)

        # 1. kill -9 during the starts, once 40% have been acknowledged.
        before = len(self.arns)
        futures = [pool.submit(self.start_one, machines[kind], name, n) for name, kind, n in plan]
        deadline = time.monotonic() + 60
        while len(self.arns) - before < total * 2 // 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.1))
        self.kill_and_restart("during starts")
        for f in futures:
            f.result()
        for name, kind, n in plan:  # answers lost in the kill: start again, same name and input
            if name not in self.arns:
                self.start_one(machines[kind], name, n)
        missing = [name for name, _, _ in plan if name not in self.arns]
        if missing:
            self.problems.append(f"{len(missing)} executions could not be started: {missing[:5]}")
        print(f"{len(self.arns) - len(refs)} executions started "
              f"({time.monotonic() - started_at:.1f} s)")

        # 2. kill -9 while everything waits: timers armed, activity tasks partly handed out,
        # callbacks dispatched. Workers stop polling first, so no task is in a worker's hands
        # at the kill but not yet recorded here.
        self.polling.set()
        time.sleep(1.0)
        self.polling.clear()
        time.sleep(0.5)
        print(f"holding {len(self.unanswered())} unanswered tokens")
        self.kill_and_restart("while waiting")

        # 3. kill -9 while callbacks are being answered.
        pending = self.unanswered()
        half = max(1, len(pending) // 2)
        answering = pool.submit(self.answer_all, None, pool=ThreadPoolExecutor(max_workers=8))
        deadline = time.monotonic() + 10
        while len(self.answered) < half and time.monotonic() < deadline and not answering.done():
            time.sleep(0.01)
        self.kill_and_restart("while answering callbacks")
        answering.result()

        # 4. finish: answer everything left, let the workers drain the activity queue.
        self.polling.set()
        arns = [self.arns[name] for name, _, _ in plan if name in self.arns]
        left = self.wait_closed(arns, self.args.finish_timeout, pool)
        self.polling.clear()
        self.stopping.set()

        failures = {}
        kinds = {self.arns[name]: kind for name, kind, _ in plan if name in self.arns}

        def check(arn):
            d = self.call(lambda c: c.describe_execution, executionArn=arn)
            if d["status"] != "SUCCEEDED":
                return f"{d['status']} {d.get('error', '')} {d.get('cause', '')[:100]}"
            events = self.history(arn)
            ids = [i for _, i, _ in events]
            if ids != list(range(1, len(events) + 1)):
                return f"event ids not consecutive: {ids}"
            if events != refs[kinds[arn]]:
                return (f"history differs from the uninterrupted run: "
                        f"{[t for t, _, _ in events]} prev {[p for _, _, p in events]}")
            return None
        for arn, why in zip(arns, pool.map(check, arns)):
            if why:
                failures[arn] = why
        for arn in left:
            failures.setdefault(arn, "still RUNNING")
        elapsed = time.monotonic() - started_at
        ok = len(arns) - len(failures)
        print(f"{ok} of {total} executions SUCCEEDED with the reference history after "
              f"{self.kills} kills ({elapsed:.0f} s)")
        for arn, why in list(failures.items())[:10]:
            print(f"FAIL {arn}: {why}")
        for p in self.problems[:10]:
            print(f"PROBLEM {p}")
        return 0 if ok == total and not self.problems else 1

    def close(self):
        self.stopping.set()
        self.server.stop(10)
        if isinstance(self.fake_lambda, FakeLambda):
            self.fake_lambda.httpd.shutdown()
        elif self.fake_lambda:
            self.fake_lambda.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stepline", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--executions", type=int, default=500)
    parser.add_argument("--wait-seconds", type=int, default=4)
    parser.add_argument("--finish-timeout", type=float, default=60)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="stepline-crash-home-")
    serve.client_environment(args.model, home)
    crash = Crash(args)
    try:
        return crash.run()
    except Exception as e:  # noqa: BLE001 - report, then fail
        print(f"FAIL: {type(e).__name__}: {e}\nserver output: {crash.server.log_tail()}")
        return 1
    finally:
        crash.close()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
