#!/bin/sh
# Runs examples/thumbnail-pipeline as its README says: three real thumbnails (checked with PIL:
# they exist and have the widths asked for) and the summary output; then the missing-input path
# ends in the Fail state's error.
set -eu
stepline="$1"
example="$2"
# The handler needs PIL: Debian's python3-pil is for /usr/bin/python3, which must come first on
# the PATH the local Lambda worker is started with (a pyenv/venv python3 may lack it).
PATH=/usr/bin:$PATH
export PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/thumbnail-example.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

image="$example/sample.jpg"
case "$image" in /*) ;; *) image="$PWD/$image" ;; esac
out=$("$stepline" run "$example/thumbnails.asl.json" --functions "$example/functions.json" \
  --input "{\"image_url\": \"file://$image\", \"output_dir\": \"$work/thumbs\"}" --json)
printf '%s' "$out" | python3 -c '
import json, os, sys
from PIL import Image
image, thumbs = sys.argv[1], sys.argv[2]
r = json.load(sys.stdin)
assert r["status"] == "SUCCEEDED", r
out = r["output"]
assert out["source"] == "file://" + image, out
assert out["count"] == 3 and out["widths"] == [100, 200, 400], out
with Image.open(image) as original:
    aspect = original.height / original.width
total = 0
for width, entry in zip([100, 200, 400], out["thumbnails"]):
    path = os.path.join(thumbs, "sample-%dw.jpg" % width)
    assert entry == {"width": width, "height": round(width * aspect), "path": path}, entry
    with Image.open(path) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (width, entry["height"]), thumb.size
    total += os.path.getsize(path)
assert out["totalBytes"] == total, (out["totalBytes"], total)
types = [e["type"] for e in r["history"]]
assert types.count("TaskSucceeded") == 3 and types.count("MapIterationSucceeded") == 3, types
assert types[-1] == "ExecutionSucceeded", types
' "$image" "$work/thumbs"

set +e
out=$("$stepline" run "$example/thumbnails.asl.json" --functions "$example/functions.json" \
  --input "{\"output_dir\": \"$work/none\"}" --json)
status=$?
set -e
[ "$status" -eq 1 ] || { echo "missing image: exit code $status, expected 1"; exit 1; }
printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["status"] == "FAILED", r
assert r["error"] == "MissingImage", r
assert r["cause"].startswith("The input needs \"image_url\""), r
types = [e["type"] for e in r["history"]]
assert "TaskScheduled" not in types and types[-1] == "ExecutionFailed", types
'
[ ! -e "$work/none" ] || { echo "missing image: the thumbnailer ran"; exit 1; }
echo "thumbnail example: ok"
