#!/bin/sh
# Instructions per execution of one benchmark workload through the in-memory runner, counted by
# callgrind (load on the machine does not change it). Usage:
#   bench/micro/instructions.sh BUILD_DIR WORKLOAD [MIN_TIME]
# e.g. bench/micro/instructions.sh build/perf-engine small_execs
# Needs a -DSTEPLINE_BENCH=ON build and valgrind; STEPLINE_WORKLOADS defaults to the shared set.
set -eu
build=$1
workload=$2
min_time=${3:-0.05}
: "${STEPLINE_WORKLOADS:=/work/shared/bench/workloads}"
export STEPLINE_WORKLOADS
out=$(mktemp /tmp/callgrind.XXXXXX)
trap 'rm -f "$out" "$out.log"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" \
  --toggle-collect='stepline::engine::WorkloadRunner::run*' \
  "$build/bench/stepline_micro_bench" --benchmark_filter="^BM_Workload/$workload\$" \
  --benchmark_min_time="$min_time" >"$out.log" 2>&1 || { cat "$out.log"; exit 1; }
total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
calls=$(callgrind_annotate --tree=caller --inclusive=yes "$out" 2>/dev/null |
  grep -B1 '\*  .*WorkloadRunner::run(' | sed -n 's/.*(\([0-9,]*\)x).*/\1/p' | tr -d , |
  awk '{s += $1} END {print s}')
echo "$workload: $total instructions over $calls executions = $((total / calls)) per execution"
