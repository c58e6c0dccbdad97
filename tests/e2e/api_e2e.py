#!/usr/bin/env python3
"""End-to-end test of `stepline serve` with the unmodified AWS CLI and boto3.

Starts the server on a free 127.0.0.1 port, runs the cases, stops it with SIGTERM (checking it
exits cleanly) and exits non-zero if any case failed. Debian's awscli/botocore predate
ValidateStateMachineDefinition and TestState, so the clients load the service model Stepline
embeds through AWS_DATA_PATH, as anyone would to use a newer API with an older client.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading

PASS_MACHINE = json.dumps({"StartAt": "S", "States": {"S": {"Type": "Pass", "End": True}}})
NO_START_AT = json.dumps({"States": {"S": {"Type": "Pass", "End": True}}})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, port):
        self.port = port
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready = threading.Event()
        self.output = []

        def pump():
            for line in self.process.stdout:
                self.output.append(line)
                if "listening on" in line:
                    ready.set()
        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(60):
            self.kill()
            raise RuntimeError("server did not start: " + "".join(self.output))

    def stop(self):
        """SIGTERM, then the exit code (None if it had to be killed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Cases:
    def __init__(self, args, port, env):
        self.args, self.port, self.env = args, port, env
        self.endpoint = f"http://127.0.0.1:{port}"
        self.failures = []
        self.passed = 0

    def expect(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failures.append(name)
            print(f"FAIL {name}: {detail}")

    def aws(self, *argv):
        cmd = [self.args.aws, "stepfunctions", *argv, "--endpoint-url", self.endpoint,
               "--output", "json", "--cli-read-timeout", "30", "--cli-connect-timeout", "10"]
        return subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)

    def raw(self, headers, body, host=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers)
        if host:
            headers["Host"] = host
        conn.request("POST", "/", body=body, headers=headers)
        response = conn.getresponse()
        result = (response.status, dict(response.getheaders()), response.read().decode())
        conn.close()
        return result

    def cli_cases(self):
        r = self.aws("validate-state-machine-definition", "--definition", PASS_MACHINE)
        self.expect("cli: valid definition", r.returncode == 0 and json.loads(r.stdout) ==
                    {"result": "OK", "diagnostics": [], "truncated": False}, r.stdout + r.stderr)

        r = self.aws("validate-state-machine-definition", "--definition", NO_START_AT,
                     "--type", "EXPRESS")
        out = json.loads(r.stdout) if r.returncode == 0 else {}
        self.expect("cli: invalid definition", out.get("result") == "FAIL" and
                    out["diagnostics"][0]["message"] == "These fields are required: [StartAt]",
                    r.stdout + r.stderr)

        r = self.aws("validate-state-machine-definition", "--definition", PASS_MACHINE,
                     "--max-results", "101")
        self.expect("cli: validation error", r.returncode != 0 and
                    "(ValidationException)" in r.stderr and
                    "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
                    "constraint: Member must have value less than or equal to 100" in r.stderr,
                    r.stderr)

        # Model validation comes before the handler, whatever the handler does today.
        r = self.aws("list-state-machines", "--max-results", "1001")
        self.expect("cli: validation before the handler", r.returncode != 0 and
                    "(ValidationException)" in r.stderr and
                    "1 validation error detected: Value '1001' at 'maxResults' failed to "
                    "satisfy constraint: Member must have value less than or equal to 1000"
                    in r.stderr, r.stderr)

    def boto3_cases(self):
        import boto3
        import botocore.config
        import botocore.exceptions

        def client(**config):
            return boto3.session.Session(
                aws_access_key_id="test", aws_secret_access_key="test",
                region_name="us-east-1").client(
                    "stepfunctions", endpoint_url=self.endpoint,
                    config=botocore.config.Config(retries={"max_attempts": 1},
                                                  connect_timeout=10, read_timeout=30, **config))
        sfn = client()

        r = sfn.validate_state_machine_definition(definition=PASS_MACHINE)
        self.expect("boto3: valid definition", r["result"] == "OK" and r["diagnostics"] == []
                    and r["truncated"] is False and len(r["ResponseMetadata"]["RequestId"]) == 36,
                    r)

        r = sfn.validate_state_machine_definition(definition="not a definition")
        self.expect("boto3: invalid definition", r["result"] == "FAIL" and
                    r["diagnostics"][0]["code"] == "INVALID_JSON_DESCRIPTION", r)

        try:
            sfn.list_executions(stateMachineArn="arn:aws:states:us-east-1:123456789012:"
                                "stateMachine:x", statusFilter="succeeded")
            self.expect("boto3: validation error", False, "no error raised")
        except botocore.exceptions.ClientError as e:
            error = e.response["Error"]
            self.expect("boto3: validation error", error["Code"] == "ValidationException" and
                        e.response["ResponseMetadata"]["HTTPStatusCode"] == 400 and
                        error["Message"].startswith(
                            "1 validation error detected: Value 'succeeded' at 'statusFilter' "
                            "failed to satisfy constraint: Member must satisfy enum value set: ["),
                        e.response)

        # botocore sends TestState to `sync-<host>`: make that name resolve to the server and
        # check the request is still routed (by X-Amz-Target) to TestState.
        real_getaddrinfo = socket.getaddrinfo

        def resolve_sync_prefix(host, *rest, **kw):
            if isinstance(host, str) and host.startswith("sync-"):
                host = host[len("sync-"):]
            return real_getaddrinfo(host, *rest, **kw)
        socket.getaddrinfo = resolve_sync_prefix
        # Routed to TestState whether TestState is implemented yet or not.
        try:
            r = client().test_state(definition=json.dumps({"Type": "Pass", "End": True}))
            self.expect("boto3: sync- host prefix", r.get("status") == "SUCCEEDED", r)
        except botocore.exceptions.ClientError as e:
            self.expect("boto3: sync- host prefix",
                        e.response["Error"]["Code"] == "UnsupportedOperation" and
                        "TestState" in e.response["Error"]["Message"], e.response)
        finally:
            socket.getaddrinfo = real_getaddrinfo
        try:
            client(inject_host_prefix=False).start_sync_execution(
                stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:x")
            self.expect("boto3: no host prefix", False, "no error raised")
        except botocore.exceptions.ClientError as e:
            error = e.response["Error"]
            self.expect("boto3: no host prefix",
                        "StartSyncExecution" in error["Message"] or
                        error["Code"] == "StateMachineDoesNotExist", e.response)

    def raw_cases(self):
        headers = {"Content-Type": "application/x-amz-json-1.0",
                   "X-Amz-Target": "AWSStepFunctions.NoSuchOperation"}
        status, h, body = self.raw(headers, "{}")
        self.expect("http: unknown operation", status == 400 and
                    json.loads(body)["__type"].endswith("#UnknownOperationException") and
                    "x-amzn-RequestId" in h, (status, h, body))

        headers["X-Amz-Target"] = "AWSStepFunctions.ValidateStateMachineDefinition"
        status, _, body = self.raw(headers, "{not json")
        self.expect("http: malformed JSON", status == 400 and
                    json.loads(body)["__type"].endswith("#SerializationException"), body)

        payload = json.dumps({"definition": PASS_MACHINE})
        plain = self.raw(headers, payload)
        prefixed = self.raw(headers, payload, host=f"sync-127.0.0.1:{self.port}")
        self.expect("http: Host header is not used for routing",
                    plain[0] == prefixed[0] == 200 and plain[2] == prefixed[2], (plain, prefixed))

        # Several requests on one keep-alive connection.
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        statuses = []
        for _ in range(3):
            conn.request("POST", "/", body=payload, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        conn.close()
        self.expect("http: keep-alive", statuses == [200, 200, 200], statuses)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stepline", required=True)
    parser.add_argument("--aws", default=shutil.which("aws"))
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="stepline-e2e-")
    model_dir = os.path.join(home, "models", "stepfunctions", "2016-11-23")
    os.makedirs(model_dir)
    shutil.copy(args.model, os.path.join(model_dir, "service-2.json"))
    env = dict(os.environ, HOME=home, AWS_DATA_PATH=os.path.join(home, "models"),
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_MAX_ATTEMPTS="1",
               AWS_CONFIG_FILE=os.path.join(home, "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "credentials"),
               AWS_EC2_METADATA_DISABLED="true")
    os.environ.update({k: env[k] for k in ("AWS_DATA_PATH", "AWS_CONFIG_FILE",
                                            "AWS_SHARED_CREDENTIALS_FILE",
                                            "AWS_EC2_METADATA_DISABLED")})

    server = Server(args.stepline, free_port())
    cases = Cases(args, server.port, env)
    try:
        cases.cli_cases()
        cases.boto3_cases()
        cases.raw_cases()
    finally:
        code = server.stop()
        cases.expect("server stops cleanly on SIGTERM", code == 0,
                     f"exit {code}: {''.join(server.output)}")
        shutil.rmtree(home, ignore_errors=True)
    print(f"{cases.passed} passed, {len(cases.failures)} failed")
    return 1 if cases.failures else 0


if __name__ == "__main__":
    sys.exit(main())
