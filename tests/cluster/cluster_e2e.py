#!/usr/bin/env python3
"""Three `stepline serve` nodes on one database; N Standard executions with a Wait, an activity
task and a `.waitForTaskToken` callback spread over all nodes; one node killed with SIGKILL
mid-way. Checks that every execution finishes exactly once with the reference history shape
(event ids 1..n without gap or repeat) and that the dead node's executions resume within
lease + a bound. Usage:
  cluster_e2e.py --stepline BIN [--pg-script scripts/pg_cluster] [--executions 1000] [--lease 3]
Without --pg-script the nodes share one SQLite file."""
import argparse, collections, http.server, json, os, queue, random, shutil, signal, socket
import subprocess, sys, tempfile, threading, time

import boto3
from botocore.config import Config

ACCOUNT = "123456789012"
DEFINITION = {
    "StartAt": "Wait",
    "States": {
        "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Activity"},
        # A worker whose GetActivityTask answer died with its node never gets the task (as on
        # AWS): the task times out and is tried again.
        "Activity": {"Type": "Task", "Resource": None, "TimeoutSeconds": 10,
                     "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1,
                                "MaxAttempts": 3}],
                     "Next": "Callback"},
        "Callback": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "cb", "Payload": {"token.$": "$$.Task.Token"}},
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}
SHAPE = ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "TaskStateEntered",
         "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
         "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
         "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(port):
    return boto3.client("stepfunctions", endpoint_url=f"http://127.0.0.1:{port}",
                        region_name="us-east-1", aws_access_key_id="x",
                        aws_secret_access_key="x",
                        config=Config(retries={"max_attempts": 0}, read_timeout=90,
                                      max_pool_connections=64))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stepline", required=True)
    ap.add_argument("--pg-script")
    ap.add_argument("--executions", type=int, default=1000)
    ap.add_argument("--lease", type=float, default=3.0)
    ap.add_argument("--bound", type=float, default=5.0, help="seconds allowed past the lease")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="stepline-cluster-e2e-")
    procs, pg_dir, failures = {}, None, []
    tokens = queue.Queue()

    class Lambda(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
            tokens.put(body["token"])
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")
            except OSError:
                pass  # the calling node was killed

        def log_message(self, *a):
            pass

    # Hundreds of invocations arrive at once: the default listen backlog (5) would drop
    # connections, and a Task's Lambda call would fail on its connect timeout.
    class LambdaServer(http.server.ThreadingHTTPServer):
        request_queue_size = 1024

    lam = LambdaServer(("127.0.0.1", 0), Lambda)
    threading.Thread(target=lam.serve_forever, daemon=True).start()
    try:
        db = []
        if args.pg_script:
            pg_dir = os.path.join(work, "pg")
            url = subprocess.check_output([args.pg_script, "start", pg_dir, "--no-fsync"],
                                          text=True).strip().splitlines()[-1]
            db = ["--db", url]
        ports = {}
        for i in range(3):
            node = f"node-{i}"
            ports[node] = free_port()
            cmd = [args.stepline, "serve", "--port", str(ports[node]), "--node-id", node,
                   "--lease-seconds", str(args.lease), "--data-dir", os.path.join(work, "data"),
                   "--lambda-endpoint", f"http://127.0.0.1:{lam.server_port}"] + db
            procs[node] = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                           stderr=open(os.path.join(work, node + ".log"), "w"),
                                           text=True)
            line = procs[node].stdout.readline()
            if "listening" not in line:
                raise SystemExit(f"{node} did not start: {line}")
        alive = list(procs)
        clients = {n: client(p) for n, p in ports.items()}

        def any_client():
            return clients[random.choice(alive)]

        c0 = clients["node-0"]
        activity = c0.create_activity(name="work")["activityArn"]
        definition = json.loads(json.dumps(DEFINITION))
        definition["States"]["Activity"]["Resource"] = activity
        machine = c0.create_state_machine(name="m", definition=json.dumps(definition),
                                          roleArn=f"arn:aws:iam::{ACCOUNT}:role/r")
        machine_arn = machine["stateMachineArn"]
        stop = threading.Event()

        def call(fn):  # a node may die under the call: try another
            for _ in range(20):
                try:
                    return fn(any_client())
                except Exception:
                    time.sleep(0.1)
            raise RuntimeError("no node answered")

        def worker():
            while not stop.is_set():
                try:
                    task = any_client().get_activity_task(activityArn=activity, workerName="w")
                except Exception:
                    time.sleep(0.1)
                    continue
                if task.get("taskToken"):
                    call(lambda c: c.send_task_success(taskToken=task["taskToken"], output="{}"))

        def callbacks():
            while not stop.is_set():
                try:
                    token = tokens.get(timeout=0.2)
                except queue.Empty:
                    continue
                try:
                    call(lambda c: c.send_task_success(taskToken=token, output='{"ok":1}'))
                except Exception:
                    pass  # TaskTimedOut for a dispatch repeated after takeover: already answered

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(16)]
        threads += [threading.Thread(target=callbacks, daemon=True) for _ in range(4)]
        for t in threads:
            t.start()

        arns = []
        t0 = time.time()
        nodes = list(procs)
        lock = threading.Lock()

        def starter(k):
            for i in range(k, args.executions, 8):
                c = clients[nodes[i % 3]]
                arn = c.start_execution(stateMachineArn=machine_arn, name=f"e{i}")["executionArn"]
                with lock:
                    arns.append(arn)

        starters = [threading.Thread(target=starter, args=(k,)) for k in range(8)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        start_s = time.time() - t0
        # Mid-way: kill one node hard.
        time.sleep(1.0)
        victim = "node-2"
        kill_time = time.time()
        procs[victim].send_signal(signal.SIGKILL)
        procs[victim].wait()
        alive.remove(victim)

        deadline = time.time() + 60
        while time.time() < deadline:
            running = c0.list_executions(stateMachineArn=machine_arn, statusFilter="RUNNING",
                                         maxResults=1)["executions"]
            if not running:
                break
            time.sleep(0.5)
        done_s = time.time() - t0
        stop.set()

        worst_gap, spanning, retried = 0.0, 0, 0
        statuses = collections.Counter()
        for arn in arns:
            d = c0.describe_execution(executionArn=arn)
            statuses[d["status"]] += 1
            if d["status"] != "SUCCEEDED":
                failures.append(f"{arn}: {d['status']} {d.get('error')}: {d.get('cause')}")
            events, token = [], None
            while True:
                kw = {"executionArn": arn, "maxResults": 1000}
                if token:
                    kw["nextToken"] = token
                page = c0.get_execution_history(**kw)
                events += page["events"]
                token = page.get("nextToken")
                if not token:
                    break
            ids = [e["id"] for e in events]
            types = [e["type"] for e in events]
            if ids != list(range(1, len(ids) + 1)):
                failures.append(f"{arn}: event ids {ids}")
            # TaskSubmitted (the Lambda call's answer) races with the callback the fake Lambda
            # triggers at once: when SendTaskSuccess wins, there is none (one node or many).
            types = [t for t in types if t != "TaskSubmitted"]
            # Each lost activity answer adds one timed-out attempt.
            # (or, under load, one that waited in the queue past its timeout).
            for lost in (["ActivityStarted", "ActivityTimedOut", "ActivityScheduled"],
                         ["ActivityTimedOut", "ActivityScheduled"]):
                while any(types[i:i + len(lost)] == lost for i in range(len(types))):
                    i = next(i for i in range(len(types)) if types[i:i + len(lost)] == lost)
                    types = types[:i] + types[i + len(lost):]
                    retried += 1
            if types != SHAPE:
                failures.append(f"{arn}: history {types}")
            times = [e["timestamp"].timestamp() for e in events]
            before = [t for t in times if t < kill_time]
            after = [t for t in times if t >= kill_time]
            if before and after:
                spanning += 1
                worst_gap = max(worst_gap, min(after) - kill_time)
        if statuses != collections.Counter({"SUCCEEDED": len(arns)}):
            failures.append(f"statuses: {dict(statuses)}")
        if len(arns) != args.executions:
            failures.append(f"started {len(arns)} of {args.executions}")
        if worst_gap > args.lease + args.bound:
            failures.append(f"an execution waited {worst_gap:.1f} s after the kill "
                            f"(lease {args.lease} s + bound {args.bound} s)")
        print(f"cluster e2e: {len(arns)} executions started in {start_s:.1f} s, all closed after "
              f"{done_s:.1f} s; {dict(statuses)}; {retried} activity attempts timed out (answer lost "
              f"with the node, or queued too long); {spanning} ran across the kill, the longest "
              f"pause after it {worst_gap:.2f} s (lease {args.lease} s)")
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        lam.shutdown()
        if pg_dir:
            subprocess.call([args.pg_script, "stop", pg_dir])
        if failures:
            print(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in failures[:20]:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
