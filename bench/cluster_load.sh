#!/usr/bin/env bash
# Durable throughput of a cluster: 1, 2 and 3 `stepline serve` nodes on one throwaway PostgreSQL
# database (scripts/pg_cluster, fsync on), StartExecution driven by one wrk per node for a fixed
# time, then the time until every started execution has closed. Prints per node count:
#   nodes  StartExecution req/s  executions  transitions/s (4 per execution, start to drained)
# (requests still in flight when wrk stops start executions too: `executions` may exceed
# req/s x duration)
#
#   bench/cluster_load.sh [--duration S] [--connections N] [NODES ...]   (default: 1 2 3)
#
# Environment: STEPLINE (default build/release/src/stepline). Everything listens on 127.0.0.1.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
stepline="${STEPLINE:-$repo/build/release/src/stepline}"
duration=10 connections=32 counts=()
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) counts+=("$1"); shift ;;
  esac
done
((${#counts[@]})) || counts=(1 2 3)
[[ -x "$stepline" ]] || { echo "cluster_load: no stepline binary at $stepline" >&2; exit 2; }
command -v wrk >/dev/null || { echo "cluster_load: wrk is not installed (scripts/setup)" >&2; exit 2; }

work="$(mktemp -d)"
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$repo/scripts/pg_cluster" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_node() {  # start_node INDEX DB_URL -> the node's URL on stdout
  local log="$work/node$1.log"
  "$stepline" serve --host 127.0.0.1 --port 0 --db "$2" --node-id "node$1" --lease-seconds 5 \
    --data-dir "$work/data$1" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    local port
    port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")"
    if [[ -n "$port" ]]; then echo "http://127.0.0.1:$port/"; return; fi
    sleep 0.1
  done
  cat "$log" >&2
  exit 1
}

definition='{"StartAt":"Init","States":{
 "Init":{"Type":"Pass","Parameters":{"id.$":"$.orderId","amount.$":"$.amount"},"ResultPath":"$.order","Next":"Route"},
 "Route":{"Type":"Choice","Choices":[{"Variable":"$.order.amount","NumericGreaterThanEquals":1000,"Next":"High"}],"Default":"Low"},
 "High":{"Type":"Pass","Result":{"lane":"manual"},"ResultPath":"$.routing","Next":"Done"},
 "Low":{"Type":"Pass","Result":{"lane":"auto"},"ResultPath":"$.routing","Next":"Done"},
 "Done":{"Type":"Succeed"}}}'
definition_text="$(printf '%s' "$definition" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')"
input='"{\"orderId\":\"o-1\",\"amount\":250}"'

printf '%-6s %22s %11s %15s\n' nodes 'StartExecution req/s' executions 'transitions/s'
for n in "${counts[@]}"; do
  "$repo/scripts/pg_cluster" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work/pg"
  db="$("$repo/scripts/pg_cluster" start "$work/pg" | tail -1)"
  urls=()
  for i in $(seq 1 "$n"); do urls+=("$(start_node "$i" "$db")"); done
  arn="$(curl -sS -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: AWSStepFunctions.CreateStateMachine' --data \
    "{\"name\":\"load\",\"roleArn\":\"arn:aws:iam::123456789012:role/bench\",\"definition\":$definition_text}" \
    "${urls[0]}" | sed -n 's/.*"stateMachineArn":"\([^"]*\)".*/\1/p')"
  [[ -n "$arn" ]] || { echo "cluster_load: CreateStateMachine failed" >&2; exit 1; }

  began=$(date +%s.%N)
  outs=()
  for i in $(seq 1 "$n"); do
    OPERATION=StartExecution EXPECT='"executionArn"' \
      BODY="{\"stateMachineArn\":\"$arn\",\"name\":\"n$i-{n}\",\"input\":$input}" \
      wrk -t1 -c"$connections" -d"${duration}s" --timeout 30s -s "$here/http/aws_json.lua" \
      "${urls[$((i - 1))]}" >"$work/wrk$i.out" 2>&1 &
    outs+=($!)
  done
  wait "${outs[@]}"
  started=0 failures=0
  for i in $(seq 1 "$n"); do
    started=$((started + $(sed -n 's/^RESULT ok=\([0-9]*\).*/\1/p' "$work/wrk$i.out")))
    failures=$((failures + $(sed -n 's/^RESULT .*failures=\([0-9]*\).*/\1/p' "$work/wrk$i.out")))
  done
  # Drained: no execution RUNNING any more (asked of the database, not of the nodes).
  for _ in $(seq 1 600); do
    running="$(psql -tA "$db" -c "SELECT count(*) FROM executions WHERE status = 'RUNNING'")"
    [[ "$running" == 0 ]] && break
    sleep 0.1
  done
  ended=$(date +%s.%N)
  closed="$(psql -tA "$db" -c "SELECT count(*) FROM executions WHERE status = 'SUCCEEDED'")"
  awk -v n="$n" -v s="$started" -v c="$closed" -v f="$failures" -v d="$duration" -v b="$began" \
    -v e="$ended" 'BEGIN { printf "%-6d %22.0f %11d %15.0f%s\n", n, s / d, c, 4 * c / (e - b),
      (f > 0 || c < s) ? sprintf("  (%d failed requests, %d started, %d succeeded)", f, s, c) : "" }'
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
done
