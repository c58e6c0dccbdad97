#!/usr/bin/env python3
"""Runs examples/order-workflow as its README says: `stepline serve` with the functions file and
the mock config, the AWS CLI for create-state-machine / start-execution / describe-execution, the
carrier worker answering the Ship state with SendTaskSuccess. Then checks the four orders of
examples/order-workflow/orders: shipped (SNS publish answered by the mock), rejected by
validation (Catch), payment declined (Catch, stock released, execution failed), and a gateway
timeout retried once by the Charge state's Retry.

To stay within a few seconds the CLI (about a second per call) runs the README's happy path;
the other orders go through boto3, the same API.

  order_workflow_test.py --stepline BIN --aws /usr/bin/aws --repo REPO_ROOT
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.config

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:order-workflow"
EXECUTION_PREFIX = "arn:aws:states:us-east-1:123456789012:execution:order-workflow:"
ROLE = "arn:aws:iam::123456789012:role/stepline"


class Serve:
    """`stepline serve` as the README starts it, on a free port."""

    def __init__(self, binary, repo, env):
        self.output = []
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--in-memory",
             "--functions", "examples/order-workflow/functions.json",
             "--mock-config", "examples/order-workflow/mock-config.json"],
            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="replace")
        listening = threading.Event()
        self.endpoint = None

        def pump():
            for line in self.process.stdout:
                self.output.append(line)
                m = re.search(r"listening on (http://[^\s]+)", line)
                if m and not listening.is_set():
                    self.endpoint = m.group(1)
                    listening.set()
            listening.set()  # exited: stop waiting

        threading.Thread(target=pump, daemon=True).start()
        if not listening.wait(60) or self.endpoint is None:
            self.stop()
            raise RuntimeError("stepline serve did not start:\n" + self.log())

    def log(self):
        return "".join(self.output)[-3000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


class Check:
    def __init__(self):
        self.failures = []
        self.started = time.monotonic()

    def __call__(self, name, condition, detail=""):
        elapsed = f" ({time.monotonic() - self.started:.1f} s)"
        print(("ok   " if condition else "FAIL ") + name + elapsed +
              ("" if condition else f": {detail}"))
        if not condition:
            self.failures.append(name)
        return condition


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stepline", required=True)
    parser.add_argument("--aws", default="/usr/bin/aws")
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)

    work = tempfile.mkdtemp(prefix="order-workflow-example-")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_MAX_ATTEMPTS="1",
               AWS_CONFIG_FILE=os.path.join(work, "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "credentials"),
               AWS_EC2_METADATA_DISABLED="true",
               SHIPMENT_REQUESTS_DIR=os.path.join(work, "shipments"))
    check = Check()
    server = None
    try:
        server = Serve(args.stepline, repo, env)
        endpoint = server.endpoint

        def aws(*argv):
            r = subprocess.run([args.aws, "stepfunctions", *argv, "--endpoint-url", endpoint],
                               cwd=repo, env=env, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise RuntimeError(f"aws {argv[0]} failed: {r.stderr}\n{server.log()}")
            return r.stdout

        # The carrier worker starts first: its Python and boto3 start-up overlaps the rest. Two
        # orders reach Ship: the happy one and the one whose charge is retried.
        worker = subprocess.Popen(
            [sys.executable, "examples/order-workflow/carrier_worker.py", "--endpoint-url",
             endpoint, "--count", "2", "--timeout", "60"],
            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

        # The README's commands (its endpoint is the default port 8083).
        aws("create-state-machine", "--name", "order-workflow", "--role-arn", ROLE,
            "--definition", "file://examples/order-workflow/order.asl.json")
        start_happy = subprocess.Popen(
            [args.aws, "stepfunctions", "start-execution", "--endpoint-url", endpoint,
             "--state-machine-arn", MACHINE + "#LocalSns",
             "--input", "file://examples/order-workflow/orders/happy.json",
             "--query", "executionArn", "--output", "text"],
            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        sfn = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test",
                           config=botocore.config.Config(retries={"max_attempts": 1}))
        others = {}
        for name in ("invalid", "declined", "gateway-timeout"):
            with open(os.path.join(repo, "examples/order-workflow/orders", name + ".json")) as f:
                others[name] = sfn.start_execution(stateMachineArn=MACHINE + "#LocalSns",
                                                   name=name, input=f.read())["executionArn"]
        happy, errors = start_happy.communicate(timeout=120)
        happy = happy.strip()
        check("start-execution returns the execution ARN", start_happy.returncode == 0 and
              happy.startswith(EXECUTION_PREFIX), happy + errors)

        worker_output, _ = worker.communicate(timeout=120)
        check("the carrier worker answered two shipments", worker.returncode == 0 and
              worker_output.count("shipped ORD-") == 2, worker_output)

        deadline = time.monotonic() + 60
        for arn in [happy, *others.values()]:
            while (sfn.describe_execution(executionArn=arn)["status"] == "RUNNING" and
                   time.monotonic() < deadline):
                time.sleep(0.05)

        described = json.loads(aws("describe-execution", "--execution-arn", happy))
        output = json.loads(described.get("output", "null"))
        check("happy path: SUCCEEDED with the shipment and the mocked SNS message id",
              described["status"] == "SUCCEEDED" and output == {
                  "orderId": "ORD-1001", "status": "SHIPPED", "total": 33.0,
                  "reservationId": "res-7a343b895c", "chargeId": "ch-7a343b895c",
                  "carrier": "Stepline Express", "trackingNumber": "SX7A343B895C",
                  "notificationId": "7f3c2a9e-5d1b-4c8e-9a40-1f2e3d4c5b6a"}, described)
        events = sfn.get_execution_history(executionArn=happy, maxResults=1000)["events"]
        types = [e["type"] for e in events]
        check("happy path: Ship waited for the token (TaskSubmitted, then SendTaskSuccess)",
              "TaskSubmitted" in types and types.count("TaskSucceeded") == 4, types)
        published = [e["taskScheduledEventDetails"] for e in events
                     if e["type"] == "TaskScheduled" and
                     e["taskScheduledEventDetails"]["resourceType"] == "sns"]
        check("happy path: Notify published the formatted message",
              len(published) == 1 and json.loads(published[0]["parameters"])["Message"] ==
              "Order ORD-1001 is on its way with Stepline Express: tracking number SX7A343B895C",
              published)

        d = sfn.describe_execution(executionArn=others["invalid"])
        check("validation failure: caught, SUCCEEDED as REJECTED with the reason",
              d["status"] == "SUCCEEDED" and json.loads(d.get("output", "null")) == {
                  "orderId": "ORD-1002", "status": "REJECTED",
                  "reason": "order ORD-1002: items must be a non-empty list"}, d)
        types = [e["type"] for e in sfn.get_execution_history(
            executionArn=others["invalid"], maxResults=1000)["events"]]
        check("validation failure: nothing reserved or charged", "ParallelStateEntered"
              not in types and types.count("LambdaFunctionFailed") == 1, types)

        d = sfn.describe_execution(executionArn=others["declined"])
        check("payment declined: FAILED with the function's error",
              d["status"] == "FAILED" and d.get("error") == "PaymentDeclined" and
              json.loads(d.get("cause", "{}")).get("errorMessage") ==
              "order ORD-1003: the card was declined", d)
        events = sfn.get_execution_history(executionArn=others["declined"],
                                           maxResults=1000)["events"]
        entered = [e["stateEnteredEventDetails"]["name"] for e in events
                   if "stateEnteredEventDetails" in e]
        check("payment declined: stock released, never shipped",
              "ReleaseStock" in entered and "Ship" not in entered and
              entered[-1] == "OrderFailed", entered)

        d = sfn.describe_execution(executionArn=others["gateway-timeout"])
        events = sfn.get_execution_history(executionArn=others["gateway-timeout"],
                                           maxResults=1000)["events"]
        charge_failures = [e["taskFailedEventDetails"]["error"] for e in events
                           if e["type"] == "TaskFailed"]
        check("gateway timeout: retried once, then SUCCEEDED and shipped",
              d["status"] == "SUCCEEDED" and charge_failures == ["PaymentGatewayTimeout"] and
              json.loads(d.get("output", "null")).get("status") == "SHIPPED",
              (d, charge_failures))
        check("no shipment request left behind",
              os.listdir(env["SHIPMENT_REQUESTS_DIR"]) == [],
              os.listdir(env["SHIPMENT_REQUESTS_DIR"]))
    except Exception as e:  # noqa: BLE001 - report and fail, with the server's log
        check("the example ran", False, f"{e}\n{server.log() if server else ''}")
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    if check.failures:
        print(f"order workflow example: {len(check.failures)} check(s) failed")
        return 1
    print("order workflow example: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
