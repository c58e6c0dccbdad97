#!/usr/bin/env python3
"""The README quickstart with the unmodified AWS CLI against a real `stepline serve`, then bad
requests (malformed JSON, unknown operation, oversized fields, invalid ARNs, definitions that do
not validate): each must get AWS's error shape and message, and the server must keep running.

Exits non-zero if any case failed. The CLI loads the model Stepline embeds (AWS_DATA_PATH),
as in api_e2e.py.
"""
import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "api_conformance"))
import server as serve  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/DummyRole"
HELLO = json.dumps({
    "Comment": "Quickstart", "StartAt": "Greet",
    "States": {
        "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('Hello, {}!', $.who)"},
                  "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
        "Done": {"Type": "Succeed"}}})


class Cases:
    def __init__(self, aws, server, env):
        self.aws_binary, self.server, self.env = aws, server, env
        self.passed, self.failures = 0, []

    def expect(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failures.append(name)
            print(f"FAIL {name}: {str(detail)[:1500]}")
        return condition

    def aws(self, *argv):
        cmd = [self.aws_binary, "stepfunctions", *argv, "--endpoint-url", self.server.endpoint,
               "--output", "json", "--cli-read-timeout", "30", "--cli-connect-timeout", "10"]
        r = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        out = None
        if r.returncode == 0 and r.stdout.strip():
            try:
                out = json.loads(r.stdout)
            except ValueError:
                pass
        return r, out

    def cli_error(self, name, r, code, message):
        """The CLI's rendering of an AWS error: `An error occurred (Code) when calling ...: msg`."""
        ok = r.returncode != 0 and f"({code})" in r.stderr and (message is None or
                                                               message in r.stderr)
        return self.expect(name, ok, r.stderr or r.stdout)

    def raw(self, target, body, content_type="application/x-amz-json-1.0"):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        headers = {"Content-Type": content_type}
        if target is not None:
            headers["X-Amz-Target"] = target
        conn.request("POST", "/", body=body, headers=headers)
        response = conn.getresponse()
        status, text = response.status, response.read().decode("utf-8", "replace")
        conn.close()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, {"unparsed": text}

    def still_serving(self, name):
        r, out = self.aws("validate-state-machine-definition", "--definition", HELLO)
        self.expect(f"{name}: server still answers", self.server.alive() and out is not None
                    and out.get("result") == "OK", r.stderr or self.server.log_tail())

    # --- the quickstart ----------------------------------------------------------------------
    def quickstart(self):
        r, created = self.aws("create-state-machine", "--name", "HelloWorld", "--definition",
                              HELLO, "--role-arn", ROLE)
        if not self.expect("quickstart: create-state-machine", created is not None and
                           created.get("stateMachineArn", "").endswith(":stateMachine:HelloWorld")
                           and "creationDate" in created, r.stderr or r.stdout):
            return
        machine = created["stateMachineArn"]
        r, started = self.aws("start-execution", "--state-machine-arn", machine, "--name",
                              "first-run", "--input", json.dumps({"who": "world"}))
        if not self.expect("quickstart: start-execution", started is not None and
                           started.get("executionArn", "").endswith(":HelloWorld:first-run"),
                           r.stderr or r.stdout):
            return
        execution = started["executionArn"]
        described, deadline = None, time.monotonic() + 30
        while time.monotonic() < deadline:
            r, described = self.aws("describe-execution", "--execution-arn", execution)
            if described is None or described.get("status") != "RUNNING":
                break
            time.sleep(0.5)
        self.expect("quickstart: describe-execution SUCCEEDED", described is not None and
                    described.get("status") == "SUCCEEDED" and
                    json.loads(described.get("output", "null")) == {"greeting": "Hello, world!"}
                    and described.get("stateMachineArn") == machine and
                    json.loads(described.get("input", "null")) == {"who": "world"},
                    described or r.stderr)
        r, history = self.aws("get-execution-history", "--execution-arn", execution)
        types = [e.get("type") for e in (history or {}).get("events", [])]
        self.expect("quickstart: get-execution-history", types == [
            "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered",
            "WaitStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]
            and [e["id"] for e in history["events"]] == list(range(1, len(types) + 1)),
            types or r.stderr)
        r, listed = self.aws("list-executions", "--state-machine-arn", machine)
        self.expect("quickstart: list-executions", listed is not None and
                    [e.get("executionArn") for e in listed.get("executions", [])] == [execution],
                    listed or r.stderr)
        r, machines = self.aws("list-state-machines")
        self.expect("quickstart: list-state-machines", machines is not None and
                    [m.get("name") for m in machines.get("stateMachines", [])] == ["HelloWorld"],
                    machines or r.stderr)
        r, _ = self.aws("create-state-machine", "--name", "HelloWorld", "--definition",
                        HELLO.replace("Quickstart", "Other"), "--role-arn", ROLE)
        self.cli_error("quickstart: same name, other definition", r,
                       "StateMachineAlreadyExists", "State Machine Already Exists: '" + machine)

    # --- bad requests --------------------------------------------------------------------------
    def bad_requests(self):
        status, body = self.raw("AWSStepFunctions.CreateStateMachine", "{not json")
        self.expect("bad: malformed JSON", status == 400 and
                    str(body.get("__type", "")).endswith("SerializationException"), body)
        status, body = self.raw("AWSStepFunctions.DescribeStateMachine", "[1, 2]")
        self.expect("bad: JSON that is not an object", status == 400 and
                    str(body.get("__type", "")).endswith("SerializationException"), body)
        status, body = self.raw("AWSStepFunctions.NoSuchOperation", "{}")
        self.expect("bad: unknown operation", status == 400 and
                    str(body.get("__type", "")).endswith("UnknownOperationException"), body)
        status, body = self.raw(None, "{}")
        self.expect("bad: no X-Amz-Target", status == 400 and "__type" in body, body)
        self.still_serving("bad: after malformed requests")

        long_name = "n" * 81
        r, _ = self.aws("create-state-machine", "--name", long_name, "--definition", HELLO,
                        "--role-arn", ROLE)
        self.cli_error("bad: name of 81 characters", r, "ValidationException",
                       f"1 validation error detected: Value '{long_name}' at 'name' failed to "
                       "satisfy constraint: Member must have length less than or equal to 80")
        r, _ = self.aws("create-state-machine", "--name", "has space", "--definition", HELLO,
                        "--role-arn", ROLE)
        self.cli_error("bad: invalid name", r, "InvalidName", "Invalid Name: 'has space'")
        big = os.path.join(os.environ["HOME"], "big-definition.json")
        with open(big, "w") as f:  # too long for a command line: the CLI reads file://
            json.dump({"StartAt": "P", "States": {"P": {
                "Type": "Pass", "Result": "x" * (1024 * 1024 + 10), "End": True}}}, f)
        r, _ = self.aws("create-state-machine", "--name", "big", "--role-arn", ROLE,
                        "--definition", "file://" + big)
        self.cli_error("bad: definition over 1 MiB", r, "ValidationException",
                       "at 'definition' failed to satisfy constraint: Member must have length "
                       "less than or equal to 1048576")
        self.still_serving("bad: after oversized fields")

        r, _ = self.aws("describe-state-machine", "--state-machine-arn", "not-an-arn")
        self.cli_error("bad: invalid ARN", r, "InvalidArn",
                       "Invalid Arn: 'Invalid ARN prefix: not-an-arn'")
        unknown = "arn:aws:states:us-east-1:123456789012:stateMachine:NoSuchMachine"
        r, _ = self.aws("describe-state-machine", "--state-machine-arn", unknown)
        self.cli_error("bad: unknown state machine", r, "StateMachineDoesNotExist",
                       f"State Machine Does Not Exist: '{unknown}'")
        r, _ = self.aws("describe-execution", "--execution-arn", "arn:aws:nothing")
        self.cli_error("bad: invalid execution ARN", r, "InvalidArn", "Invalid Arn: ")

        r, _ = self.aws("create-state-machine", "--name", "NoStates", "--role-arn", ROLE,
                        "--definition", json.dumps({"StartAt": "S"}))
        self.cli_error("bad: definition without States", r, "InvalidDefinition",
                       "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These "
                       "fields are required: [States] at /'")
        r, _ = self.aws("create-state-machine", "--name", "NotJson", "--role-arn", ROLE,
                        "--definition", "{\"StartAt\": ")
        self.cli_error("bad: definition that is not JSON", r, "InvalidDefinition",
                       "Invalid State Machine Definition: ")
        r, _ = self.aws("create-state-machine", "--name", "BadRole", "--role-arn", "not-a-role",
                        "--definition", HELLO)
        self.cli_error("bad: invalid role ARN", r, "InvalidArn", "Invalid Arn: ")
        self.still_serving("bad: after invalid ARNs and definitions")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stepline", required=True)
    parser.add_argument("--aws", default=shutil.which("aws"))
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="stepline-quickstart-")
    env = dict(os.environ, HOME=home, **serve.client_environment(args.model, home))
    os.environ["HOME"] = home
    server = serve.Server(args.stepline, account="123456789012")  # Local's default account
    server.start()
    cases = Cases(args.aws, server, env)
    try:
        cases.quickstart()
        cases.bad_requests()
    finally:
        code = server.stop()
        cases.expect("server stops cleanly on SIGTERM", code == 0,
                     f"exit {code}: {server.log_tail()}")
        server.close()
        shutil.rmtree(home, ignore_errors=True)
    print(f"{cases.passed} passed, {len(cases.failures)} failed")
    return 1 if cases.failures else 0


if __name__ == "__main__":
    sys.exit(main())
