#!/usr/bin/env bash
# Side-by-side throughput of Stepline's JSONata engine and the reference (npm jsonata, pinned in
# package.json) on the same data set, in the same run: the machine is shared, so only the ratios
# of one run are meaningful.
#
#   bench/jsonata/compare.sh [--seconds S] [--runs N]
#
# Env: BUILD_DIR (default build/jsonata-bench-release), JOBS (default 2),
#      REF_BENCH (default /work/shared/bench/jsonata_ref_bench.js, or $SHARED_DIR/bench/...).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=3
runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
build="${BUILD_DIR:-$root/build/jsonata-bench-release}"
ref_bench="${REF_BENCH:-${SHARED_DIR:-/work/shared}/bench/jsonata_ref_bench.js}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ ! -d "$here/node_modules/jsonata" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEPLINE_BENCH=ON \
  -DSTEPLINE_TESTS=OFF >/dev/null
ninja -C "$build" -j"${JOBS:-2}" jsonata_bench >/dev/null

# One data set for both engines: the reference writes it, ours reads it.
echo "reference (npm jsonata)..." >&2
node "$ref_bench" --module "$here/node_modules/jsonata" --seconds "$seconds" --runs "$runs" \
  --write-data "$work/data.json" --json "$work/ref.json" >/dev/null
echo "stepline..." >&2
"$build/bench/jsonata/jsonata_bench" --data "$work/data.json" --seconds "$seconds" \
  --runs "$runs" >"$work/ours.jsonl"

node - "$work/ref.json" "$work/ours.jsonl" <<'JS'
const fs = require('fs');
const ref = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const ours = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n').map(l => JSON.parse(l));
console.log(`reference: ${ref.env.engine}, node ${ref.env.node}, ${ref.env.cpu} x${ref.env.nproc}`);
const pad = (s, n) => String(s).padEnd(n);
const padl = (s, n) => String(s).padStart(n);
console.log(pad('expression', 17) + padl('ours/s', 12) + padl('ref/s', 12) + padl('ratio', 9) + '  same result');
let worst = Infinity;
for (const r of ref.results) {
  const o = ours.find(x => x.name === r.name);
  if (!o) { console.log(pad(r.name, 17) + '  (missing in ours)'); worst = 0; continue; }
  const ratio = o.evals_per_sec / r.evals_per_sec;
  worst = Math.min(worst, ratio);
  const same = o.check.bytes === r.check.bytes && o.check.fnv1a === r.check.fnv1a;
  console.log(pad(r.name, 17) + padl(o.evals_per_sec, 12) + padl(r.evals_per_sec, 12) +
              padl(ratio.toFixed(1) + 'x', 9) + '  ' + (same ? 'yes' : 'NO'));
}
console.log(`lowest ratio: ${worst.toFixed(1)}x`);
JS
