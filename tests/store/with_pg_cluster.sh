#!/usr/bin/env bash
# Runs a command with STEPLINE_TEST_PG_URL naming a throwaway PostgreSQL cluster (scripts/pg_cluster),
# stopped and removed afterwards whatever happens.  usage: with_pg_cluster.sh REPO COMMAND...
set -euo pipefail
repo=$1
shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/stepline-pg-XXXXXX")
cleanup() {
  "$repo/scripts/pg_cluster" stop "$dir/pg" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
STEPLINE_TEST_PG_URL=$("$repo/scripts/pg_cluster" start "$dir/pg" --no-fsync)
export STEPLINE_TEST_PG_URL
"$@"
