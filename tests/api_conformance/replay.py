#!/usr/bin/env python3
"""Replays the AWS-recorded API scripts (`kind: "api"` in shared/conformance/aws-recorded.jsonl)
through boto3 against a real `stepline serve`, one fresh server and data directory per script,
and compares every recorded response or error with ours, loosely where the recording is loose.

A script passes when every step with a recording matches and no other step fails unexpectedly.
Scripts that call another AWS service (logs, cloudformation, s3) are skipped and counted apart.
Prints per-area counts and `N passed / M run`, writes the failing ids with a one-line reason, and
exits 1 when fewer pass than the baseline file says.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loose  # noqa: E402
import server as serve  # noqa: E402

TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
_EXECUTION_ARN = re.compile(
    r"arn:aws:states:([a-z0-9-]+):(\d{12}):execution:([^:\"\\\s]+):([^:\"\\\s]+)")
_UNRESOLVED = re.compile(r"<UNRESOLVED:stepfunctions\.([a-z_]+)((?:\[[^\]]+\])+)>?")
# The recorder's words for values it replaced (`activity_arn`, `snf_role_arn_t0`,
# `state_machine_alias_name`), inside a longer text (a message, an ARN).
_RECORDER_WORD = re.compile(
    r"(?<![A-Za-z0-9_.<-])[a-z][a-z0-9_]*_(?:arn|name)(?:_[a-z0-9]+)?(?![A-Za-z0-9_.>-])")
_WHOLE_WORD = re.compile(r"[a-z][a-z0-9_]*_(arn|name)(_[a-z0-9]+)?")
_GENERATED = re.compile(r"<UNRESOLVED:(arns\.[a-z_]+|md5|sqs_get_queue_arn)\(\)>")
# The recorded tests' helpers that made up well-formed values nobody looks up: any value of the
# same form does.
GENERATED_VALUES = {
    "arns.stepfunctions_state_machine_arn":
        f"arn:aws:states:{serve.REGION}:{serve.ACCOUNT}:stateMachine:generated-machine",
    "arns.stepfunctions_standard_execution_arn":
        f"arn:aws:states:{serve.REGION}:{serve.ACCOUNT}:execution:generated-machine:generated",
    "arns.apigateway_invocations_arn":
        f"arn:aws:apigateway:{serve.REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:"
        f"{serve.REGION}:{serve.ACCOUNT}:function:generated/invocations",
    "sqs_get_queue_arn": f"arn:aws:sqs:{serve.REGION}:{serve.ACCOUNT}:generated-queue",
    "md5": "d41d8cd98f00b204e9800998ecf8427e",
}


def load_scripts(corpus):
    with open(corpus) as f:
        for line in f:
            if line.strip():
                case = json.loads(line)
                if case.get("kind") == "api":
                    yield case


def plain(value):
    """boto3's response as JSON values: datetimes as ISO text, bytes as text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def loosen_message_words(value):
    """The recorder replaced ARNs and names by words ('activity_arn'): make those tokens.
    A whole-value word stays a word: loose.py checks it (an `*_arn` must be an ARN)."""
    if isinstance(value, str):
        m = _WHOLE_WORD.fullmatch(value)
        if m:
            return "<recorded-word>" if m.group(2) and m.group(1) == "name" else (
                value if not m.group(2) else "arn:<recorded-word>")
        return _RECORDER_WORD.sub("<recorded-word>", value)
    if isinstance(value, dict):
        return {k: loosen_message_words(v) for k, v in value.items()}
    if isinstance(value, list):
        return [loosen_message_words(v) for v in value]
    return value


# Fields AWS added to responses after some of the scripts were recorded (newer recordings of
# the same operations have them, older ones do not): accepted where the recording predates them,
# but only with the value a resource that never used the feature has.
LATER_FIELDS = {"encryptionConfiguration": {"type": "AWS_OWNED_KEY"}, "redriveCount": 0}


def drop_later_fields(expected, actual):
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {k: drop_later_fields(expected.get(k), v) for k, v in actual.items()
                if k in expected or LATER_FIELDS.get(k, object()) != v}
    if isinstance(expected, list) and isinstance(actual, list):
        return [drop_later_fields(e, a) for e, a in zip(expected, actual)] + actual[len(expected):]
    return actual


def project_metadata(expected, actual):
    """Keep only the ResponseMetadata fields the recorder kept (it blanked the headers)."""
    if not isinstance(expected, dict) or not isinstance(actual, dict):
        return actual
    out = dict(actual)
    if "ResponseMetadata" in out:
        em = expected.get("ResponseMetadata", {})
        am = out["ResponseMetadata"]
        kept = {k: am.get(k) for k in em if k != "HTTPHeaders"}
        if "HTTPHeaders" in em:
            headers = {k.lower(): v for k, v in am.get("HTTPHeaders", {}).items()}
            kept["HTTPHeaders"] = {k: headers.get(k.lower()) for k in em["HTTPHeaders"]}
        if "ResponseMetadata" in expected:
            out["ResponseMetadata"] = kept
        else:
            del out["ResponseMetadata"]
    return out


class ScriptFailure(Exception):
    def __init__(self, message, op=None):
        super().__init__(message)
        self.op = op


RESOURCE_OPS = {"create_state_machine", "describe_state_machine", "list_state_machines",
                "update_state_machine", "delete_state_machine", "publish_state_machine_version",
                "list_state_machine_versions", "delete_state_machine_version",
                "create_state_machine_alias", "describe_state_machine_alias",
                "list_state_machine_aliases", "update_state_machine_alias",
                "delete_state_machine_alias", "tag_resource", "untag_resource",
                "list_tags_for_resource", "create_activity", "describe_activity",
                "list_activities", "delete_activity", "get_paginator"}


def owner_of(op, reason):
    """Who a failure goes to (the team's ownership): a guess from the operation and the diff."""
    if op is None:
        return "harness/other service"
    if op == "test_state":
        return "teststate"
    if op in RESOURCE_OPS:
        return "resources"
    if op == "get_execution_history" or re.search(r"\$\.(output|status|error|cause)\b", reason):
        return "runtime"
    return "executions"


class Replay:
    """One script against one server: binds recorded names to ours and compares each step."""

    def __init__(self, case, client, verbose=False, account=serve.ACCOUNT):
        self.case = serve.retarget(case, account)
        self.client = client
        self.verbose = verbose
        self.responses = {}          # op -> its latest response (for <UNRESOLVED:...> params)
        self.executions = {}         # state machine name -> our execution ARNs, in start order
        self.bound = {}              # recorded execution ARN -> ours
        self.known = set()           # every execution ARN the server gave us
        self.account = account

    # --- binding recorded values to ours ---------------------------------------------------
    def resolve(self, value):
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, str):
            return value
        m = _UNRESOLVED.fullmatch(value)
        if m:
            return self.unresolved(m.group(1), m.group(2), value)
        value = _GENERATED.sub(lambda g: serve.retarget(
            GENERATED_VALUES.get(g.group(1), g.group(0)), self.account), value)
        if "<UNRESOLVED:" in value:
            raise ScriptFailure(f"cannot bind {value[:100]}")
        value = _EXECUTION_ARN.sub(self.bind_execution, value)
        return value

    def unresolved(self, op, path, text):
        if op not in self.responses:
            raise ScriptFailure(f"cannot bind {text}: no {op} response")
        value = self.responses[op]
        for key in re.findall(r"\[([^\]]+)\]", path):
            try:
                value = value[int(key)] if re.fullmatch(r"-?\d+", key) else value[key.strip("'\"")]
            except (KeyError, IndexError, TypeError):
                raise ScriptFailure(f"cannot bind {text}: not in the {op} response")
        return value

    def bind_execution(self, m):
        recorded = m.group(0)
        if recorded in self.known or recorded in self.bound:
            return self.bound.get(recorded, recorded)
        machine, name = m.group(3), m.group(4)
        # The recorder numbered generated names from 1; a literal made-up name stays as it is.
        if re.fullmatch(r"[0-9a-f]{8}", name) and int(name, 16) > 0:
            taken = set(self.bound.values())
            for ours in self.executions.get(machine, []):
                if ours not in taken:
                    self.bound[recorded] = ours
                    return ours
        return recorded

    def learn(self, op, response):
        self.responses[op] = response
        text = json.dumps(response)
        for m in _EXECUTION_ARN.finditer(text):
            self.known.add(m.group(0))
        arn = response.get("executionArn") if isinstance(response, dict) else None
        if op in ("start_execution", "start_sync_execution") and isinstance(arn, str):
            m = _EXECUTION_ARN.fullmatch(arn)
            if m:
                self.executions.setdefault(m.group(3), []).append(arn)

    # --- waiting where the recorded test waited ---------------------------------------------
    def wait_for_executions(self, arns, timeout=30):
        deadline = time.monotonic() + timeout
        for arn in arns:
            while time.monotonic() < deadline:
                try:
                    if self.client.describe_execution(executionArn=arn)["status"] != "RUNNING":
                        break
                except Exception:  # noqa: BLE001 - the step itself will report the error
                    break
                time.sleep(0.1)

    def settle(self, op, params, expected):
        """The recorded tests polled until executions ended before reading them: do the same."""
        values = [v for v in expected.values()]
        if op in ("describe_execution", "get_execution_history") and "executionArn" in params:
            for v in values:
                status = v.get("status") if isinstance(v, dict) else None
                events = v.get("events") if isinstance(v, dict) else None
                last = events[-1].get("type", "") if events else ""
                if status in TERMINAL or re.match(r"Execution(Succeeded|Failed|Aborted|TimedOut)$",
                                                  last):
                    self.wait_for_executions([params["executionArn"]])
        if op == "list_executions":
            listed = [x for v in values if isinstance(v, dict)
                      for x in v.get("executions", [])]
            if listed and all(x.get("status") in TERMINAL for x in listed):
                self.wait_for_executions([a for arns in self.executions.values() for a in arns])

    # --- one step ----------------------------------------------------------------------------
    def call(self, op, params, expected):
        import botocore.exceptions
        try:
            if op == "get_paginator":
                return self.paginate(expected), None
            return plain(getattr(self.client, op)(**params)), None
        except (botocore.exceptions.ClientError, botocore.exceptions.ParamValidationError) as e:
            return None, e
        except botocore.exceptions.BotoCoreError as e:
            return None, e

    def paginate(self, expected):
        """get_paginator: the recording kept the pages, not the call: the page key names the
        operation (`list-state-machines-page-1`) and page 1's length is the page size."""
        pages = sorted(expected)
        op = re.sub(r"-page-\d+$", "", pages[0]).replace("-", "_")
        size = len(expected[pages[0]]) if len(pages) > 1 else None
        config = {"PageSize": size} if size else {}
        out = {}
        for n, page in enumerate(self.client.get_paginator(op).paginate(PaginationConfig=config)):
            lists = [v for k, v in plain(page).items() if isinstance(v, list)]
            out[f"{op.replace('_', '-')}-page-{n + 1}"] = lists[0] if lists else []
        return out

    def check_step(self, step, response, error):
        op, expected = step["op"], step.get("expect")
        where = f"step {step['i']} {op}"
        if not expected:
            if step.get("expect_error"):
                if error is None:  # the recording kept no details, only that it failed
                    raise ScriptFailure(f"{where}: expected an error, got success", op)
                return
            if error is not None:
                raise ScriptFailure(f"{where}: unexpected error {describe_error(error)}", op)
            return
        if step.get("expect_error"):
            if error is None:
                raise ScriptFailure(f"{where}: expected an error, got success "
                                    f"{loose.brief(response, 150)}", op)
            for key, value in expected.items():
                d = compare_error(value, error)
                if d:
                    raise ScriptFailure(f"{where} [{key}]: {d}", op)
            return
        if error is not None:
            raise ScriptFailure(f"{where}: unexpected error {describe_error(error)}", op)
        if op == "get_paginator":
            d = loose.diff(expected, response, "$")
            if d:
                raise ScriptFailure(f"{where}: {d}", op)
            return
        for key, value in expected.items():
            actual = response
            if isinstance(value, list):
                # The test kept one list of the response (its own machines, a page).
                lists = [v for v in response.values() if isinstance(v, list)]
                actual = lists[0] if len(lists) == 1 else response
            else:
                actual = project_metadata(value, response)
            d = loose.diff(loosen_message_words(value), drop_later_fields(value, actual), "$")
            if d:
                raise ScriptFailure(f"{where} [{key}]: {d}", op)

    def run(self):
        if not any(s.get("expect") or s.get("expect_error") for s in self.case["steps"]):
            raise ScriptFailure("the recording kept no call to compare: "
                                + "; ".join(map(str, self.case.get("unresolved") or [])))
        for step in self.case["steps"]:
            params = self.resolve(step.get("params") or {})
            expected = step.get("expect") or {}
            if expected and not step.get("expect_error"):
                self.settle(step["op"], params, expected)
            response, error = self.call(step["op"], params, expected)
            if self.verbose:
                shown = response if error is None else describe_error(error)
                print(f"   {step['i']:>2} {step['op']} -> {loose.brief(shown, 300)}")
            if response is not None:
                self.learn(step["op"], response)
            self.check_step(step, response, error)


def describe_error(error):
    response = getattr(error, "response", None)
    if response and "Error" in response:
        return f"{response['Error'].get('Code')}: {response['Error'].get('Message', '')[:200]}"
    return f"{type(error).__name__}: {str(error)[:200]}"


def compare_error(expected, error):
    expected = loosen_message_words(expected)
    if isinstance(expected, str):
        return loose.diff(expected, str(error), "error")
    if isinstance(expected, dict) and "exception_typename" in expected:
        return (loose.diff(expected["exception_typename"], type(error).__name__, "exception type")
                or loose.diff(expected["exception_value"], str(error), "exception"))
    response = getattr(error, "response", None)
    if response is None:
        return f"expected a service error, got {type(error).__name__}: {str(error)[:200]}"
    return loose.diff(expected, project_metadata(expected, plain(response)), "$")


def needs_other_service(case):
    return any(step.get("service", "stepfunctions") != "stepfunctions" for step in case["steps"])


def read_baseline(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stepline", required=True, help="the stepline binary")
    parser.add_argument("--model", required=True, help="the embedded service-2.json")
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(__file__),
                                                         "../../../shared"))
    parser.add_argument("--baseline", default=os.path.join(os.path.dirname(__file__),
                                                           "baseline.txt"))
    parser.add_argument("--failures", default=os.path.join(tempfile.gettempdir(),
                                                           "stepline_api_replay_failures.txt"))
    parser.add_argument("--filter", default="", help="only ids containing this text")
    parser.add_argument("--jobs", type=int, default=2, help="scripts replayed at once")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="stepline-replay-")
    serve.client_environment(args.model, home)
    corpus = os.path.join(args.shared, "conformance", "aws-recorded.jsonl")
    per_area, failures, skipped = {}, [], 0
    passed = 0
    started = time.monotonic()
    account = serve.probe_account(args.stepline)
    if account != serve.ACCOUNT:
        print(f"note: the server builds ARNs in account {account}, not the recording's "
              f"{serve.ACCOUNT}: recorded ARNs are retargeted", file=sys.stderr)
    selected = []
    for case in load_scripts(corpus):
        if args.filter and args.filter not in case["id"]:
            continue
        if needs_other_service(case):
            skipped += 1
            continue
        selected.append(case)
    run = len(selected)

    def replay_one(case):
        """(reason, op): reason None when the script passed. One fresh server per script."""
        server = serve.Server(args.stepline)
        reason, op = None, None
        try:
            server.start()
            Replay(case, serve.make_client(server.endpoint), args.verbose, account).run()
        except ScriptFailure as e:
            reason, op = str(e), e.op
        except Exception as e:  # noqa: BLE001 - a harness or connection error fails the script
            reason = f"{type(e).__name__}: {str(e)[:300]}"
        finally:
            if server.process is not None and not server.alive():
                reason = reason or "the server died"
                reason += f" (server exited {server.process.returncode}: " \
                          f"{server.log_tail(300)!r})"
            server.close()
        return reason, op

    serve.make_client("http://127.0.0.1:1")  # load the model once, before the threads
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(replay_one, selected))
    for case, (reason, op) in zip(selected, outcomes):
        counts = per_area.setdefault(case.get("area", "(none)"), [0, 0])
        if reason is None:
            passed += 1
            counts[0] += 1
            if args.verbose:
                print(f"ok   {case['id']}")
        else:
            counts[1] += 1
            reason = " ".join(reason.split())
            failures.append((case["id"], reason, owner_of(op, reason)))
            if args.verbose:
                print(f"FAIL {case['id']}\n     {reason}")
    with open(args.failures, "w") as f:
        for case_id, reason, owner in failures:
            f.write(f"{case_id}\t{owner}\t{reason}\n")
    for area, (ok, bad) in sorted(per_area.items()):
        print(f"{area:<24} {ok:>4} passed, {bad:>4} failed")
    owners = {}
    for _, _, owner in failures:
        owners[owner] = owners.get(owner, 0) + 1
    print("failures by owner: " + ", ".join(f"{o} {n}" for o, n in sorted(owners.items())))
    baseline = read_baseline(args.baseline)
    print(f"skipped (needs another AWS service): {skipped}")
    print(f"failures listed in {args.failures}; baseline {baseline}; "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    if passed > baseline and not args.filter:
        print(f"more scripts pass than the baseline: raise {args.baseline} to {passed}",
              file=sys.stderr)
    print(f"{passed} scripts passed / {run} scripts run")
    return 1 if passed < baseline and not args.filter else 0


if __name__ == "__main__":
    sys.exit(main())
