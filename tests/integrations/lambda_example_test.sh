#!/bin/sh
# Runs examples/lambda-greeter as its README says and checks both outcomes.
set -eu
stepline="$1"
example="$2"
out=$("$stepline" run "$example/greeter.asl.json" --functions "$example/functions.json" \
  --input '{"name": " Ada "}' --json)
printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["status"] == "SUCCEEDED", r
assert r["output"]["greeting"] == "Hello, Ada!", r["output"]
assert len(r["output"]["requestId"]) == 36, r["output"]
types = [e["type"] for e in r["history"]]
assert "LambdaFunctionSucceeded" in types and "TaskSucceeded" in types, types
'
out=$("$stepline" run "$example/greeter.asl.json" --functions "$example/functions.json" \
  --input '{}' --json)
printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["status"] == "SUCCEEDED", r
assert r["output"] == {"rejected": True, "reason": "ValidationError"}, r["output"]
'
echo "lambda example: ok"
