#!/usr/bin/env python3
"""Runs the AWS-recorded execution cases (`kind: "execution"`, `needs: []`) through the API of a
real `stepline serve`: CreateStateMachine with the case's type, StartExecution with its input
(StartSyncExecution for EXPRESS), DescribeExecution polling until it ends, GetExecutionHistory;
then compares status, output or error/cause and the history exactly as tests/conformance's
in-process runner does (loose.py mirrors its rules).

Express executions have no history on the API (as on AWS): only their result is compared.
Prints per-area counts and `N passed / M run`, writes failing ids with their first difference,
and exits 1 when fewer pass than the baseline.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loose  # noqa: E402
import server as serve  # noqa: E402
from replay import plain, read_baseline  # noqa: E402

ROLE = "arn:aws:iam::{account}:role/stepline-conformance"
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")


def load_cases(corpus):
    cases = []
    with open(corpus) as f:
        for line in f:
            if not line.strip():
                continue
            c = json.loads(line)
            if c.get("kind") != "execution" or c.get("needs") != []:
                continue
            if c.get("query_language") not in ("JSONPath", "JSONata"):
                continue  # as tests/conformance: the recording names no query language
            cases.append(c)
    return cases


def parse_time(text):
    m = _TIMESTAMP.fullmatch(text)
    if not m:
        return None
    base = text[:19]
    fraction = (m.group(1) or ".0")[1:7].ljust(6, "0")
    return datetime.datetime.strptime(base + "." + fraction, "%Y-%m-%dT%H:%M:%S.%f").replace(
        tzinfo=datetime.timezone.utc)


def recording_time(cases):
    """When the time-dependent inputs were built (their earliest timestamp)."""
    times = []
    for c in cases:
        if c.get("time_dependent_input"):
            for m in _TIMESTAMP.finditer(c.get("input_raw") or ""):
                t = parse_time(m.group(0))
                if t:
                    times.append(t)
    return min(times) if times else None


def shift_times(text, delta):
    """Rebuilds a time-dependent input relative to now, keeping each timestamp's format."""
    def shifted(m):
        t = parse_time(m.group(0))
        if t is None:
            return m.group(0)
        t += delta
        digits = len(m.group(1)) - 1 if m.group(1) else 0
        out = t.strftime("%Y-%m-%dT%H:%M:%S")
        if digits:
            out += "." + t.strftime("%f")[:digits].ljust(digits, "0")
        return out + "Z"
    return _TIMESTAMP.sub(shifted, text)


def input_text(case, delta):
    raw = case.get("input_raw")
    if not isinstance(raw, str):
        value = case.get("input")
        raw = json.dumps(value if value is not None else {})
    if case.get("time_dependent_input") and delta is not None:
        raw = shift_times(raw, delta)
    return raw


def parse_json_text(text):
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def history(client, arn):
    events, token = [], None
    while True:
        kwargs = {"executionArn": arn, "maxResults": 1000}
        if token:
            kwargs["nextToken"] = token
        page = client.get_execution_history(**kwargs)
        events += plain(page["events"])
        token = page.get("nextToken")
        if not token:
            return events


def run_case(client, case, index, delta, timeout, account):
    """The case's result as {status, output, error, cause, history} (history None: Express)."""
    name = f"conformance-{index}"
    express = case.get("state_machine_type") == "EXPRESS"
    created = client.create_state_machine(
        name=name, definition=json.dumps(case["definition"]), roleArn=ROLE.format(account=account),
        type="EXPRESS" if express else "STANDARD")
    machine = created["stateMachineArn"]
    text = input_text(case, delta)
    if express:
        r = client.start_sync_execution(stateMachineArn=machine, input=text)
        return {"status": r.get("status"), "output": parse_json_text(r.get("output")),
                "error": r.get("error"), "cause": r.get("cause"), "history": None}
    arn = client.start_execution(stateMachineArn=machine, input=text)["executionArn"]
    expected_status = case["expected"].get("status")
    expected_events = case.get("expected_events") or case.get("expected_history") or []
    deadline = time.monotonic() + timeout
    while True:
        d = client.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            break
        if expected_status in ("RUNNING", "ABORTED") and \
                len(history(client, arn)) >= len(expected_events) - (expected_status == "ABORTED"):
            if expected_status == "RUNNING":
                break  # the recording read the history of a running execution
            # The recorded test stopped it there: StopExecution with the recorded error/cause.
            details = (case.get("expected_events") or [{}])[-1].get(
                "executionAbortedEventDetails") or {}
            client.stop_execution(executionArn=arn, **{k: v for k, v in details.items()
                                                       if k in ("error", "cause")})
            expected_status = None
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return {"status": d["status"], "output": parse_json_text(d.get("output")),
            "error": d.get("error"), "cause": d.get("cause"), "history": history(client, arn)}


def check(case, result):
    """None when `result` matches the recording; else the first difference (recorded_case.cpp)."""
    expected = case.get("expected") or {}
    status = result["status"]
    if expected.get("status") != status:
        why = f"status: expected {expected.get('status')}, got {status}"
        if status != "SUCCEEDED":
            why += f" ({result.get('error') or 'no error'}: {result.get('cause') or ''})"
        return why[:400]
    if "output" in expected:
        d = loose.diff(expected["output"], result["output"], "output")
        if d:
            return d
    if status != "SUCCEEDED":
        for key in ("error", "cause"):
            if key not in expected:
                if result.get(key) is not None:
                    return f"{key}: expected none, got {loose.brief(result[key])}"
                continue
            d = loose.diff(expected[key], result.get(key), key)
            if d:
                return d
    events = result["history"]
    if events is None:
        return None
    if case.get("expected_events"):
        return loose.compare_events(case["expected_events"], events,
                                    bool(case.get("history_order_normalised")))
    if case.get("expected_history"):
        return loose.compare_event_types(case["expected_history"], events)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stepline", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(__file__),
                                                         "../../../shared"))
    parser.add_argument("--baseline", default=os.path.join(os.path.dirname(__file__),
                                                           "baseline_executions.txt"))
    parser.add_argument("--failures", default=os.path.join(
        tempfile.gettempdir(), "stepline_api_executions_failures.txt"))
    parser.add_argument("--filter", default="")
    parser.add_argument("--jobs", type=int, default=8, help="cases in flight at once")
    parser.add_argument("--timeout", type=float, default=90, help="seconds per execution")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="stepline-executions-")
    serve.client_environment(args.model, home)
    cases = load_cases(os.path.join(args.shared, "conformance", "aws-recorded.jsonl"))
    recorded_at = recording_time(cases)
    delta = (datetime.datetime.now(datetime.timezone.utc) - recorded_at) if recorded_at else None
    account = serve.probe_account(args.stepline)
    selected = [(i, serve.retarget(c, account)) for i, c in enumerate(cases)
                if args.filter in c["id"]]

    server = serve.Server(args.stepline).start()
    local = threading.local()

    def one(item):
        index, case = item
        if not hasattr(local, "client"):
            local.client = serve.make_client(server.endpoint, read_timeout=330)
        import botocore.exceptions
        try:
            return check(case, run_case(local.client, case, index, delta, args.timeout, account))
        except botocore.exceptions.ClientError as e:
            err = e.response.get("Error", {})
            return f"{e.operation_name}: {err.get('Code')}: {err.get('Message', '')[:250]}"
        except Exception as e:  # noqa: BLE001 - a connection or harness error fails the case
            return f"{type(e).__name__}: {str(e)[:250]}"

    started = time.monotonic()
    per_area, failures, passed = {}, [], 0
    per_language = {}
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for (index, case), why in zip(selected, pool.map(one, selected)):
                counts = per_area.setdefault(case.get("area", "(none)"), [0, 0])
                lang = per_language.setdefault(case["query_language"], [0, 0])
                if why is None:
                    passed += 1
                    counts[0] += 1
                    lang[0] += 1
                    if args.verbose:
                        print(f"ok   {case['id']}")
                else:
                    why = " ".join(why.split())
                    counts[1] += 1
                    lang[1] += 1
                    failures.append((case["id"], why))
                    if args.verbose:
                        print(f"FAIL {case['id']}\n     {why}")
    finally:
        alive = server.alive()
        server.close()
    if not alive:
        print(f"the server died: {server.log_tail()}", file=sys.stderr)
    with open(args.failures, "w") as f:
        for case_id, why in failures:
            f.write(f"{case_id}\t{why}\n")
    for area, (ok, bad) in sorted(per_area.items()):
        print(f"{area:<24} {ok:>4} passed, {bad:>4} failed")
    for lang, (ok, bad) in sorted(per_language.items()):
        print(f"{lang:<24} {ok:>4} passed, {bad:>4} failed")
    baseline = read_baseline(args.baseline)
    print(f"failures listed in {args.failures}; baseline {baseline}; "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    if passed > baseline and not args.filter:
        print(f"more cases pass than the baseline: raise {args.baseline} to {passed}",
              file=sys.stderr)
    print(f"{passed} cases passed / {len(selected)} cases run")
    return 1 if passed < baseline and not args.filter else 0


if __name__ == "__main__":
    sys.exit(main())
