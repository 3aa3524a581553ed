#!/usr/bin/env bash
# PAMAP2 end to end at the command line on protocol files this script writes in the layout of
# Protocol/subject1NN.dat (subjects 101, 102 and 108; lying and walking, 1200 rows each at 100 Hz,
# a transient between them and a short NaN gap): `datasets` counts the windows, a subject-wise run
# tests subject 108 only and is not leaky, and the reader's counts reach the terminal; the run's
# model predicts subject108.dat itself (`predict --dataset pamap2`) as it predicts the 27 channels
# that this script picks, fills and decimates to 33.3 Hz itself.
# Usage: pamap2_cli_test.sh LEGOHAR
set -euo pipefail
legohar=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/cli_common.sh"
mkdir -p "$dir/data/PAMAP2/Protocol"
/usr/bin/python3 - "$dir/data/PAMAP2/Protocol" <<'PY'
import math, sys
for subject in (101, 102, 108):
    lines, t = [], 5.0
    for activity, n in ((1, 1200), (0, 100), (4, 1200)):
        for r in range(n):
            cols = [f"{math.sin(0.02 * (activity + 1) * r + c + subject):.6f}" for c in range(3, 54)]
            if activity == 1 and 500 <= r < 503:
                cols[1] = "NaN"  # the hand's acc16 x: a 3-sample gap, filled
            lines.append(f"{t:.2f} {activity} NaN " + " ".join(cols))
            t += 0.01
    open(f"{sys.argv[1]}/subject{subject}.dat", "w").write("\n".join(lines) + "\n")
PY
export LEGOHAR_DATA="$dir/data" LEGOHAR_CACHE="$dir/cache"
"$legohar" datasets --json > "$dir/datasets.json"
/usr/bin/python3 - "$dir/datasets.json" <<'PY' || fail "datasets: $(cat "$dir/datasets.json")"
import json, sys
p = [d for d in json.load(open(sys.argv[1])) if d["name"] == "pamap2"][0]
assert p["found"], p
assert p["windows"] == 3 * 2 * 7, p  # 400 samples at 33.3 Hz per run: (400 - 171) / 38 + 1
PY
"$legohar" train --dataset pamap2 --epochs 1 --threads 2 --protocol subjects --no-cache --out "$dir/run" >/dev/null 2> "$dir/err"
grep -q "7500 rows in 6 runs; dropped: 300 transient rows (activity 0); 9 NaN values filled by interpolation" "$dir/err" \
  || fail "the reader's counts: $(cat "$dir/err")"
[ "$(field "$dir/run/metrics.json" 'm["split"]["leaky"]')" = False ] || fail "a subject-wise split is not leaky"
[ "$(field "$dir/run/metrics.json" 'm["split"]["test_subjects"]')" = "[108]" ] || fail "test subjects"
[ "$(field "$dir/run/metrics.json" 'm["test_windows"]')" = 14 ] || fail "test windows"
"$legohar" export --checkpoint "$dir/run" --out "$dir/pamap2.lhm" >/dev/null || fail "export"
protocol="$dir/data/PAMAP2/Protocol"
/usr/bin/python3 - "$protocol/subject108.dat" "$dir/samples.csv" <<'PY'
import math, sys
rows = [[float(v) for v in line.split()] for line in open(sys.argv[1])]
kept = [imu + k for imu in (3, 20, 37) for k in (1, 2, 3, 7, 8, 9, 10, 11, 12)]
samples = [[r[c] for c in kept] for r in rows]
for t, s in enumerate(samples):  # the one gap, rows 500-502 of the hand's acc16 x
    if math.isnan(s[0]):
        s[0] = samples[499][0] + (samples[503][0] - samples[499][0]) * (t - 499) / 4
open(sys.argv[2], "w").write("".join(",".join(f"{v:.9g}" for v in s) + "\n" for s in samples[::3]))
PY
# 2500 rows -> 834 samples at 33.3 Hz: (834 - 171) / 38 + 1 windows.
predict_matches_csv "$dir/pamap2.lhm" pamap2 "$protocol/subject108.dat" \
  "2500 rows at 100 Hz; 3 NaN values filled by interpolation" "$dir/samples.csv" 18
echo "pamap2: datasets, a subject-wise run and predictions on a recording as expected"
