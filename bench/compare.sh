#!/usr/bin/env bash
# Runs Stepline (Release build, `stepline bench --mode memory`) and aws-local-stepfunctions (npm,
# through shared/bench/run_aws_local_sfn.js) on the same workloads in one run, and prints the
# throughput ratio per workload. The machine may be shared: only the ratios are meaningful.
#
#   bench/compare.sh [--runs N] [--execs N] [WORKLOAD.json ...]   (default: every workload)
#
# Environment: SHARED (default /work/shared), BUILD_DIR (default build/release),
# JOBS (default 2), SKIP_BUILD=1 to use an existing build.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
shared="${SHARED:-/work/shared}"
build="${BUILD_DIR:-$repo/build/release}"
jobs="${JOBS:-2}"

runs="" execs="" files=()
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --execs) execs="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) files+=("$1"); shift ;;
  esac
done
if ((${#files[@]} == 0)); then files=("$shared"/bench/workloads/*.json); fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEPLINE_TESTS=OFF >/dev/null
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
  "$build/src/stepline" bench "$f" --json "${stepline_args[@]}" 2>/dev/null |
    sed 's/^/stepline /' >>"$results" || echo "stepline {\"workload\":\"$(basename "$f" .json)\",\"error\":\"failed\"}" >>"$results"
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
  if (who === 'stepline') row.s = r; else row.p = r;
  rows.set(r.workload, row);
}
const fmt = (x) => (x === undefined ? '-' : String(x));
console.log(['workload', 'stepline tr/s', 'peer tr/s', 'ratio', 'stepline ok', 'peer ok', 'stepline RSS KiB']
  .map((h, i) => (i ? h.padStart(16) : h.padEnd(14))).join(''));
for (const [name, { s = {}, p = {} }] of rows) {
  const st = s.transitions_per_s, pt = p.error ? undefined : p.transitionsPerSec;
  const ratio = st && pt ? (st / pt).toFixed(1) + 'x' : (p.error ? 'peer cannot run' : '-');
  console.log([name.padEnd(14), fmt(st), fmt(pt), ratio, fmt(s.correct), p.error ? 'n/a' : fmt(p.correct),
    fmt(s.peak_rss_kib)].map((c, i) => (i ? String(c).padStart(16) : c)).join(''));
}
console.log(`\n${new Date().toISOString()}  nproc=${require('os').cpus().length}  node ${process.version}  ` +
  `peer ${(lines.map((l) => l.match(/"peer":"([^"]+)"/)).find(Boolean) || [])[1] || '?'}`);
JS
