#!/usr/bin/env bash
# Runs Stepline (Release build, `stepline bench` in memory mode and, with durable Standard
# executions, sqlite mode) and aws-local-stepfunctions (npm, through
# shared/bench/run_aws_local_sfn.js) on the same workloads in one run, and prints the throughput
# per workload and the memory-mode/peer ratio. The machine may be shared: only ratios mean much.
#
#   bench/compare.sh [--runs N] [--execs N] [--modes "memory sqlite"] [WORKLOAD.json ...]
#                                                        (default: every workload, both modes)
#
# Environment: SHARED (default /work/shared), BUILD_DIR (default build/release),
# JOBS (default 2), SKIP_BUILD=1 to use an existing build.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
shared="${SHARED:-/work/shared}"
build="${BUILD_DIR:-$repo/build/release}"
jobs="${JOBS:-2}"

runs="" execs="" modes="memory sqlite" files=()
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --execs) execs="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) files+=("$1"); shift ;;
  esac
done
if ((${#files[@]} == 0)); then files=("$shared"/bench/workloads/*.json); fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # -Wno-restrict: GCC 12's false -Wrestrict on std::string concatenation at -O3.
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEPLINE_TESTS=OFF \
    -DCMAKE_CXX_FLAGS=-Wno-restrict >/dev/null
  ninja -C "$build" -j"$jobs" stepline >/dev/null
fi
if [[ ! -d "$here/node_modules/aws-local-stepfunctions" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi

stepline_args=() peer_args=()
[[ -n "$runs" ]] && stepline_args+=(--runs "$runs") && peer_args+=(--runs "$runs")
[[ -n "$execs" ]] && stepline_args+=(--executions "$execs") && peer_args+=(--execs "$execs")

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for f in "${files[@]}"; do
  # Alternate the engines per workload so both see the same load on a shared machine.
  for mode in $modes; do
    "$build/src/stepline" bench "$f" --mode "$mode" --json "${stepline_args[@]}" 2>/dev/null |
      sed "s/^/$mode /" >>"$results" ||
      echo "$mode {\"workload\":\"$(basename "$f" .json)\",\"error\":\"failed\"}" >>"$results"
  done
  PEERS_DIR="$here" node "$shared/bench/run_aws_local_sfn.js" "$f" --json "${peer_args[@]}" 2>/dev/null |
    grep '^{' | sed 's/^/peer /' >>"$results" || true
done

node - "$results" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const rows = new Map();
for (const line of lines) {
  const sp = line.indexOf(' ');
  const who = line.slice(0, sp), r = JSON.parse(line.slice(sp + 1));
  const row = rows.get(r.workload) || {};
  if (!(r.error && row[who])) row[who] = r;  // a failing run that printed its figures keeps them
  rows.set(r.workload, row);
}
const fmt = (x) => (x === undefined ? '-' : String(x));
const ok = (r) => (r === undefined ? '-' : r.error ? 'error' : String(r.correct));
console.log(['workload', 'memory tr/s', 'sqlite tr/s', 'peer tr/s', 'memory/peer', 'sqlite exec/s',
  'correct m/s/p', 'memory RSS KiB'].map((h, i) => (i ? h.padStart(15) : h.padEnd(14))).join(''));
for (const [name, row] of rows) {
  const m = row.memory, q = row.sqlite, p = row.peer;
  const mt = m && m.transitions_per_s, pt = p && !p.error ? p.transitionsPerSec : undefined;
  const ratio = mt && pt ? (mt / pt).toFixed(1) + 'x' : (p && p.error ? 'peer cannot run' : '-');
  console.log([name.padEnd(14), fmt(mt), fmt(q && q.transitions_per_s), fmt(pt), ratio,
    fmt(q && q.executions_per_s), `${ok(m)}/${ok(q)}/${p && p.error ? 'n/a' : ok(p)}`,
    fmt(m && m.peak_rss_kib)].map((c, i) => (i ? String(c).padStart(15) : c)).join(''));
}
console.log(`\n${new Date().toISOString()}  nproc=${require('os').cpus().length}  node ${process.version}  ` +
  `peer ${(lines.map((l) => l.match(/"peer":"([^"]+)"/)).find(Boolean) || [])[1] || '?'}`);
JS
