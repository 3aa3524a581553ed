#!/usr/bin/env bash
# WISDM end to end at the command line on a raw file this script writes in the layout of
# WISDM_ar_v1.1_raw.txt (6 users x 6 activities of 260 records, with the public file's defects):
# `datasets` finds it and counts its windows, a run on the paper's random split is recorded as
# leaky, a subject-wise run is not and never tests a training user, the reader's counts of
# what it skipped reach the terminal, and the exported model predicts at WISDM's 20 Hz (and from
# 40 Hz samples resampled to it).
# Usage: wisdm_cli_test.sh LEGOHAR
set -euo pipefail
legohar=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/cli_common.sh"
mkdir -p "$dir/data/WISDM"
/usr/bin/python3 - "$dir/data/WISDM/WISDM_ar_v1.1_raw.txt" <<'PY'
import math, sys
acts = ["Walking", "Jogging", "Upstairs", "Downstairs", "Sitting", "Standing"]
lines = []
t = 49105962326000
for user in range(22, 28):
    for a, act in enumerate(acts):
        for i in range(260):
            x, y, z = (10 * math.sin(0.1 * (a + 1) * i + c + user) for c in range(3))
            lines.append(f"{user},{act},{t},{x:.7g},{y:.7g},{z:.7g};")
            t += 50_000_000
        t += 10_000_000_000
lines[5] = lines[5][:-1] + ",;"        # a trailing comma
lines.insert(9, "")                    # an empty line
lines.insert(20, "22,Walking,0,1,2,3;")  # a zero timestamp
lines.insert(30, "22,Walking,49105962326000,1,2;")  # a record without its last field
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
export LEGOHAR_DATA="$dir/data" LEGOHAR_CACHE="$dir/cache"

"$legohar" datasets --json > "$dir/datasets.json"
/usr/bin/python3 - "$dir/datasets.json" <<'PY' || fail "datasets: $(cat "$dir/datasets.json")"
import json, sys
w = [d for d in json.load(open(sys.argv[1])) if d["name"] == "wisdm"][0]
assert w["found"], w
assert w["windows"] == 36 * 4, w  # (260 - 200) / 20 + 1 windows per user and activity
assert w["protocol"] == "random:0.300000", w
PY

"$legohar" train --dataset wisdm --epochs 1 --threads 2 --no-cache --out "$dir/random" >/dev/null 2> "$dir/err"
grep -q "WISDM_ar_v1.1_raw.txt: 9360 records in 36 segments; skipped: 1 records missing their last field, 1 zero timestamps; handled: 1 empty lines, 1 trailing commas" "$dir/err" \
  || fail "the reader's counts: $(cat "$dir/err")"
[ "$(field "$dir/random/metrics.json" 'm["split"]["leaky"]')" = True ] || fail "a random split of overlapping windows is leaky"
"$legohar" train --dataset wisdm --epochs 1 --threads 2 --protocol subjects --out "$dir/subjects" >/dev/null 2>&1
[ "$(field "$dir/subjects/metrics.json" 'm["split"]["leaky"]')" = False ] || fail "a subject-wise split is not leaky"
[ "$(field "$dir/subjects/metrics.json" 'sorted(m["split"]["test_subjects"])')" = "[26, 27]" ] || fail "test users"
[ "$(field "$dir/subjects/metrics.json" 'm["test_windows"]')" = 48 ] || fail "test windows"
# The exported model takes WISDM's 20 Hz samples: its windows' times on a new recording say so.
"$legohar" export --checkpoint "$dir/subjects" --format lhm --out "$dir/wisdm.lhm" > "$dir/export.out" \
  || fail "export: $(cat "$dir/export.out")"
/usr/bin/python3 -c "
import math
for i in range(240): print(','.join(f'{10 * math.sin(0.1 * i + c):.5f}' for c in range(3)))
" > "$dir/new.csv"
"$legohar" predict --model "$dir/wisdm.lhm" --input "$dir/new.csv" --json > "$dir/predict.jsonl" \
  || fail "predict"
/usr/bin/python3 - "$dir/predict.jsonl" <<'PY' || fail "predictions: $(cat "$dir/predict.jsonl")"
import json, sys
p = [json.loads(l) for l in open(sys.argv[1])]
assert [w["start"] for w in p] == [0, 20, 40], p  # 200-sample windows every 20 of 240 samples
assert [w["time_s"] for w in p] == [0.0, 1.0, 2.0], p  # at 20 Hz
PY
# The same recording at 40 Hz (each sample twice), resampled to the model's 20 Hz: the same windows.
awk '{print; print}' "$dir/new.csv" > "$dir/new40.csv"
"$legohar" predict --model "$dir/wisdm.lhm" --input "$dir/new40.csv" --input-rate 40 --json \
  > "$dir/predict40.jsonl" || fail "predict --input-rate 40"
cmp -s "$dir/predict.jsonl" "$dir/predict40.jsonl" || fail "40 Hz: $(cat "$dir/predict40.jsonl")"
echo "wisdm: datasets, random (leaky) and subject-wise runs, export and prediction as expected"
