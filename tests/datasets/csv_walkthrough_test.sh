#!/usr/bin/env bash
# The README's "Your own recordings" walkthrough, end to end on the recordings
# examples/own-recordings/make_recordings.py writes: train on the folder of CSV files with
# examples/own-recordings/my-har.toml, export the model for the runtime, and predict a new,
# unlabelled recording through the same layout (walking for 20 s, then jogging).
# Usage: csv_walkthrough_test.sh LEGOHAR
set -euo pipefail
legohar=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/cli_common.sh"
export LEGOHAR_CACHE="$dir/cache"
/usr/bin/python3 "$src/examples/own-recordings/make_recordings.py" "$dir/data"
config=$src/examples/own-recordings/my-har.toml
"$legohar" train --dataset "$config" --data-dir "$dir/data" --threads 2 --out "$dir/run" \
  > "$dir/train.out" 2> "$dir/train.err" || fail "train: $(cat "$dir/train.err")"
grep -q "4 files, .* rows at 100 Hz -> .* samples in 20 pieces, 564 windows" "$dir/train.err" \
  || fail "the reader's counts: $(cat "$dir/train.err")"
[ "$(field "$dir/run/metrics.json" 'm["split"]["test_subjects"]')" = "[4]" ] || fail "test subjects"
[ "$(field "$dir/run/metrics.json" 'm["weighted_f1"] >= 0.9')" = True ] \
  || fail "weighted F1: $(cat "$dir/train.out")"
"$legohar" export --checkpoint "$dir/run" --data-dir "$dir/data" --format lhm --out "$dir/my-har.lhm" \
  > "$dir/export.out" || fail "export"
"$legohar" predict --model "$dir/my-har.lhm" --input "$dir/data/new.csv" --dataset "$config" --json \
  > "$dir/predict.jsonl" 2> "$dir/predict.err" || fail "predict: $(cat "$dir/predict.err")"
/usr/bin/python3 - "$dir/predict.jsonl" <<'PY' || fail "predictions: $(cat "$dir/predict.jsonl")"
import json, sys
p = [json.loads(l) for l in open(sys.argv[1])]
walk = [w["class"] for w in p if w["time_s"] + 2.56 <= 20]
jog = [w["class"] for w in p if w["time_s"] >= 20]
assert len(walk) >= 14 and len(jog) >= 14, (len(walk), len(jog))
assert walk.count("walk") >= 0.9 * len(walk) and jog.count("jog") >= 0.9 * len(jog), (walk, jog)
PY
echo "csv walkthrough: trained, exported and predicted as expected"
