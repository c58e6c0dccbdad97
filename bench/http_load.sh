#!/usr/bin/env bash
# HTTP load against `stepline serve` on 127.0.0.1 with wrk (bounded in time; traffic only to the
# loopback server this script starts and stops):
#   sync      StartSyncExecution of a 5-state Express workflow (the answer must say SUCCEEDED)
#   start     StartExecution of the same workflow as Standard (durable: SQLite, synchronous=FULL)
#   activity  StartExecution + GetActivityTask + SendTaskSuccess round trips on an activity
#             (driven by http/activity_client.py, up to 16 worker processes)
#
#   bench/http_load.sh [--duration S] [--connections N] [--wrk-threads N] [--server-threads N]
#                      [SCENARIO ...]          (default: sync start activity)
#
# Environment: STEPLINE (default build/release/src/stepline); VERBOSE=1 also prints wrk's counts
# (the activity scenario's empty polls). Prints one line per scenario:
#   scenario  req/s  ok  failures  p50_ms  p99_ms  cpu_us/req (activity: round trips/s instead of
#   req/s; cpu_us/req: the server's CPU time, user + system, per answer)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
stepline="${STEPLINE:-$repo/build/release/src/stepline}"
duration=10 connections=64 wrk_threads=2 server_threads=0 scenarios=()
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --wrk-threads) wrk_threads="$2"; shift 2 ;;
    --server-threads) server_threads="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) scenarios+=("$1"); shift ;;
  esac
done
((${#scenarios[@]})) || scenarios=(sync start activity)
[[ -x "$stepline" ]] || { echo "http_load: no stepline binary at $stepline (set STEPLINE)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "http_load: wrk is not installed (scripts/setup)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

: >"$work/serve.log"  # exists before the first look for the port, whoever runs first
"$stepline" serve --host 127.0.0.1 --port 0 --threads "$server_threads" --data-dir "$work/data" \
  >"$work/serve.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.log")"
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "http_load: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
url="http://127.0.0.1:$port/"

call() {  # call OPERATION JSON -> the answer's body
  curl -sS --max-time 10 -H 'Content-Type: application/x-amz-json-1.0' \
    -H "X-Amz-Target: AWSStepFunctions.$1" --data "$2" "$url"
}
json_string() { python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'; }
arn_of() { sed -n 's/.*"\(stateMachineArn\|activityArn\)":"\([^"]*\)".*/\2/p'; }

role="arn:aws:iam::123456789012:role/bench"
small='{"StartAt":"Init","States":{
 "Init":{"Type":"Pass","Parameters":{"id.$":"$.orderId","amount.$":"$.amount"},"ResultPath":"$.order","Next":"Route"},
 "Route":{"Type":"Choice","Choices":[{"Variable":"$.order.amount","NumericGreaterThanEquals":1000,"Next":"High"}],"Default":"Low"},
 "High":{"Type":"Pass","Result":{"lane":"manual"},"ResultPath":"$.routing","Next":"Done"},
 "Low":{"Type":"Pass","Result":{"lane":"auto"},"ResultPath":"$.routing","Next":"Done"},
 "Done":{"Type":"Succeed"}}}'
small_text="$(printf '%s' "$small" | json_string)"
express_arn="$(call CreateStateMachine "{\"name\":\"load-express\",\"type\":\"EXPRESS\",\"roleArn\":\"$role\",\"definition\":$small_text}" | arn_of)"
standard_arn="$(call CreateStateMachine "{\"name\":\"load-standard\",\"roleArn\":\"$role\",\"definition\":$small_text}" | arn_of)"
activity_arn="$(call CreateActivity '{"name":"load-activity"}' | arn_of)"
worker="{\"StartAt\":\"Work\",\"States\":{\"Work\":{\"Type\":\"Task\",\"Resource\":\"$activity_arn\",\"End\":true}}}"
worker_arn="$(call CreateStateMachine "{\"name\":\"load-activity\",\"roleArn\":\"$role\",\"definition\":$(printf '%s' "$worker" | json_string)}" | arn_of)"
[[ -n "$express_arn" && -n "$standard_arn" && -n "$activity_arn" && -n "$worker_arn" ]] ||
  { echo "http_load: creating the state machines failed" >&2; exit 1; }

input='"{\"orderId\":\"o-1\",\"amount\":250}"'
# The server's CPU time so far (user + system, in clock ticks): divided by the answers of a
# scenario it gives CPU per request, which the machine's other load does not change.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
ticks_per_s="$(getconf CLK_TCK)"

printf '%-10s %12s %10s %9s %8s %8s %12s\n' scenario 'per second' ok failures p50_ms p99_ms 'cpu_us/req'
for scenario in "${scenarios[@]}"; do
  ticks_before="$(server_ticks)"
  case "$scenario" in
    sync)
      out="$(OPERATION=StartSyncExecution EXPECT='"status":"SUCCEEDED"' \
        BODY="{\"stateMachineArn\":\"$express_arn\",\"input\":$input}" \
        wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --timeout 30s \
        -s "$here/http/aws_json.lua" "$url" 2>&1)" ;;
    start)
      out="$(OPERATION=StartExecution EXPECT='"executionArn"' \
        BODY="{\"stateMachineArn\":\"$standard_arn\",\"name\":\"s{n}\",\"input\":$input}" \
        wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --timeout 30s \
        -s "$here/http/aws_json.lua" "$url" 2>&1)" ;;
    activity)
      # Our own client (http/activity_client.py: one process and connection per worker): wrk's
      # Lua scripts cannot tell an empty poll's answer from SendTaskSuccess's by content, and
      # their in-order bookkeeping stalled after a few hundred round trips.
      workers=$((connections < 16 ? connections : 16))
      out="$(python3 "$here/http/activity_client.py" "$url" "$worker_arn" "$activity_arn" \
        --workers "$workers" --duration "$duration" 2>&1)" ;;
    *) echo "http_load: unknown scenario '$scenario'" >&2; exit 2 ;;
  esac
  result="$(grep '^RESULT' <<<"$out" || true)"
  if [[ -z "$result" ]]; then echo "$out" >&2; echo "http_load: wrk failed on $scenario" >&2; exit 1; fi
  [[ -n "${VERBOSE:-}" ]] && echo "$result" >&2
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" ${result#RESULT}"; }
  count="$(get ok)"; [[ -n "$count" ]] || count="$(get roundtrips)"
  rate="$(awk -v n="$count" -v s="$(get seconds)" 'BEGIN { printf "%.0f", n / s }')"
  cpu_us="$(awk -v t="$(($(server_ticks) - ticks_before))" -v hz="$ticks_per_s" -v n="$count" \
    'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }')"
  printf '%-10s %12s %10s %9s %8s %8s %12s\n' "$scenario" "$rate" "$count" "$(get failures)" \
    "$(get p50_ms)" "$(get p99_ms)" "$cpu_us"
  grep -v '^RESULT' <<<"$out" | grep -i 'unexpected\|answered\|error' | head -3 >&2 || true
done
