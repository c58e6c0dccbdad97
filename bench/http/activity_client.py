#!/usr/bin/env python3
"""Activity round trips against `stepline serve`: each of N worker processes (one keep-alive
connection each) loops StartExecution -> GetActivityTask -> SendTaskSuccess for a fixed time.
A poll may hand out another worker's task (any task of the activity will do); a poll that comes
back empty is counted and the worker polls again. One round trip = one SendTaskSuccess answered
200. Processes, not threads, so the client is not bound by one interpreter lock.

    activity_client.py URL MACHINE_ARN ACTIVITY_ARN [--workers N] [--duration S]

Prints `RESULT roundtrips=.. failures=.. empty_polls=.. seconds=.. p50_ms=.. p99_ms=..`
(latencies over every request), the line bench/http_load.sh reads.
"""
import argparse
import http.client
import json
import multiprocessing
import time
import urllib.parse


def post(conn, operation, body):
    conn.request("POST", "/", json.dumps(body), {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AWSStepFunctions." + operation})
    response = conn.getresponse()
    text = response.read()
    return response.status, (json.loads(text) if text else {})


def worker(index, args, deadline, results):
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=70)
    trips = failures = empty = 0
    latencies = []

    def timed(operation, body):
        nonlocal failures
        start = time.perf_counter()
        status, answer = post(conn, operation, body)
        latencies.append(time.perf_counter() - start)
        if status != 200:
            failures += 1
        return status, answer

    n = 0
    while time.time() < deadline:
        n += 1
        status, _ = timed("StartExecution", {"stateMachineArn": args.machine,
                                             "name": f"w{index}-{n}", "input": json.dumps({"n": n})})
        if status != 200:
            continue
        while True:  # the task is queued once StartExecution has answered; an empty poll repeats
            status, task = timed("GetActivityTask", {"activityArn": args.activity,
                                                     "workerName": f"w{index}"})
            if status != 200 or "taskToken" in task or time.time() >= deadline + 60:
                break
            empty += 1
        if "taskToken" not in task:
            continue
        status, _ = timed("SendTaskSuccess", {"taskToken": task["taskToken"],
                                              "output": json.dumps({"ok": True})})
        if status == 200:
            trips += 1
    results.put((trips, failures, empty, latencies))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("machine")
    parser.add_argument("activity")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10)
    args = parser.parse_args()
    results = multiprocessing.Queue()
    start = time.time()
    deadline = start + args.duration
    procs = [multiprocessing.Process(target=worker, args=(i, args, deadline, results))
             for i in range(args.workers)]
    for p in procs:
        p.start()
    collected = [results.get() for _ in procs]
    for p in procs:
        p.join()
    seconds = time.time() - start
    latencies = sorted(x for r in collected for x in r[3])

    def percentile(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0

    print("RESULT roundtrips=%d failures=%d empty_polls=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f" % (
        sum(r[0] for r in collected), sum(r[1] for r in collected), sum(r[2] for r in collected),
        seconds, percentile(0.5), percentile(0.99)))


if __name__ == "__main__":
    main()
