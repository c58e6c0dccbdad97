#!/usr/bin/env bash
# Load-independent figures of the PostgreSQL group commit, for runtime_throughput runs against a
# cluster started with `scripts/pg_cluster start DIR --stats`:
# - run 1 (plain): CPU seconds of the client and of the server (the postmaster and all its
#   processes, exited backends included), and per 1,000 transitions;
# - run 2 (under strace): the statements the server ran (pg_stat_statements; transaction control
#   sent in pipeline mode is not counted there), the client's round trips (sendto calls), and
#   both per group commit.
#   usage: pg_batch_stats.sh CLUSTER_DIR RUNTIME_THROUGHPUT [EXECUTIONS=2000] [WORKFLOW=pass]
set -euo pipefail
dir=$1
bench=$2
count=${3:-2000}
workflow=${4:-pass}
repo=$(cd "$(dirname "$0")/../.." && pwd)
url=$("$repo/scripts/pg_cluster" url "$dir")
psql=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql
q() { "$psql" -X -q -t -A "$url" -c "$1"; }
postmaster=$(head -n 1 "$dir/data/postmaster.pid")

# Clock ticks used by the server so far: the postmaster, its exited children, its live ones.
server_ticks() {
  local total fields pid
  fields=($(sed 's/.*) //' "/proc/$postmaster/stat"))
  total=$((fields[11] + fields[12] + fields[13] + fields[14]))
  for pid in $(pgrep -P "$postmaster"); do
    fields=($(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null || echo))
    [ ${#fields[@]} -gt 13 ] && total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}
tick=$(getconf CLK_TCK)

before=$(server_ticks)
timing=$(mktemp)
out=$(/usr/bin/time -f "%U %S" -o "$timing" "$bench" "$count" "$workflow" "$url" 2>/dev/null)
sleep 1  # let the postmaster reap the bench's backends
after=$(server_ticks)
echo "$out"
transitions=$(echo "$out" | sed -n 's/.* \([0-9.]*\) s, .*/\1/p')
read -r user sys <"$timing"
rm -f "$timing"
awk -v u="$user" -v s="$sys" -v t0="$before" -v t1="$after" -v hz="$tick" -v n="$count" \
  -v secs="$transitions" -v line="$out" 'BEGIN {
    split(line, w, " transitions/s"); k = split(w[1], x, " "); rate = x[k];
    total = rate * secs; server = (t1 - t0) / hz;
    printf "CPU: client %.2f s, server %.2f s; per 1,000 transitions: client %.3f s, server %.3f s\n",
      u + s, server, (u + s) * 1000 / total, server * 1000 / total }'

q "SELECT pg_stat_statements_reset()" >/dev/null
trace=$(mktemp)
out=$(strace -f -qq -e trace=sendto -o "$trace" "$bench" "$count" "$workflow" "$url" 2>/dev/null)
sends=$(grep -c 'sendto(' "$trace" || true)
rm -f "$trace"
commits=$(echo "$out" | sed -n 's/.* \([0-9]*\) group commits.*/\1/p')
echo "server statements by kind (calls, rows, query):"
q "SELECT calls, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 90) FROM pg_stat_statements
   WHERE query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE 'CREATE %'
   ORDER BY calls DESC LIMIT 16"
total=$(q "SELECT sum(calls) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'")
echo "under strace: $out"
echo "statements: $total, client sendto calls (round trips, all connections, setup included): $sends, group commits: $commits"
if [ -n "$commits" ] && [ "$commits" -gt 0 ]; then
  awk -v s="$total" -v r="$sends" -v c="$commits" \
    'BEGIN { printf "per group commit: %.1f statements, %.1f round trips\n", s / c, r / c }'
fi
