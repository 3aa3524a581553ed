#!/usr/bin/env bash
# OPPORTUNITY end to end at the command line on recordings this script writes in the layout of the
# download's dataset/ folder (column_names.txt and the 24 S<s>-ADL<r>.dat / S<s>-Drill.dat files of
# 250 space-separated columns, 200 rows each: Null, then "Open Door 1", with a NaN gap): `datasets`
# counts the continuous windows, the default protocol (the challenge's split by recording) tests
# ADL4 and ADL5 of subjects 2 and 3 only and is not leaky, and the reader's counts reach the
# terminal; the run's model predicts S2-ADL4.dat itself (`predict --dataset opportunity`) as it
# predicts the 113 channels that this script picks by name and fills itself.
# Usage: opportunity_cli_test.sh LEGOHAR
set -euo pipefail
legohar=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/cli_common.sh"
mkdir -p "$dir/data/OPPORTUNITY/dataset"
/usr/bin/python3 - "$dir/data/OPPORTUNITY/dataset" <<'PY'
import math, sys
out = sys.argv[1]
# The creators' column order: timestamp, 12 body accelerometers, 5 IMUs of 13 columns (4 of them
# quaternions), 2 shoe IMUs of 16, 109 object/ambient/location columns, 7 label tracks.
names = ["MILLISEC"]
names += [f"Accelerometer {at} acc{a}" for at in
          "RKN^ HIP LUA^ RUA_ LH BACK RKN_ RWR RUA^ LUA_ LWR RH".split() for a in "XYZ"]
names += [f"InertialMeasurementUnit {at} {k}" for at in "BACK RUA RLA LUA LLA".split()
          for k in [f"{s}{a}" for s in ("acc", "gyro", "magnetic") for a in "XYZ"] +
          [f"Quaternion{q}" for q in range(1, 5)]]
names += [f"InertialMeasurementUnit {at} {k}" for at in ("L-SHOE", "R-SHOE")
          for k in [f"{s}{a}" for s in ("Eu", "Nav_A", "Body_A", "AngVelBodyFrame", "AngVelNavFrame")
                    for a in "XYZ"] + ["Compass"]]
names += [f"Accelerometer OBJECT{i // 3} acc{'XYZ'[i % 3]}" for i in range(109)]
names += "Locomotion HL_Activity LL_Left_Arm LL_Left_Arm_Object LL_Right_Arm LL_Right_Arm_Object ML_Both_Arms".split()
assert len(names) == 250
with open(f"{out}/column_names.txt", "w") as f:
    f.write("Data columns:\n\n")
    for i, n in enumerate(names, 1):
        f.write(f"Column: {i} {n}" + ("; value = round(original_value), unit = milli g" if " " in n else "") + "\n")
for s in range(1, 5):
    for r, run in enumerate(["ADL1", "ADL2", "ADL3", "ADL4", "ADL5", "Drill"], 1):
        rows = []
        for t in range(200):
            v = [str(round(1000 * math.sin(0.05 * t + c + s + r))) for c in range(1, 243)]
            if 50 <= t < 53:
                v[0] = "NaN"  # Accelerometer RKN^ accX: a 3-sample gap, filled
            rows.append(f"{round(33.333 * t)} " + " ".join(v) + f" 1 101 0 0 0 0 {0 if t < 100 else 406516}")
        open(f"{out}/S{s}-{run}.dat", "w").write("\n".join(rows) + "\n")
PY
export LEGOHAR_DATA="$dir/data" LEGOHAR_CACHE="$dir/cache"
"$legohar" datasets --json > "$dir/datasets.json"
/usr/bin/python3 - "$dir/datasets.json" <<'PY' || fail "datasets: $(cat "$dir/datasets.json")"
import json, sys
p = [d for d in json.load(open(sys.argv[1])) if d["name"] == "opportunity"][0]
assert p["found"], p
assert p["windows"] == 24 * 18, p  # (200 - 64) / 8 + 1 windows per recording
PY
"$legohar" train --dataset opportunity --epochs 1 --threads 2 --no-cache --out "$dir/run" >/dev/null 2> "$dir/err"
grep -q "4800 rows, 432 windows (192 mixed); 72 NaN values filled by interpolation" "$dir/err" \
  || fail "the reader's counts: $(cat "$dir/err")"
[ "$(field "$dir/run/metrics.json" 'm["split"]["protocol"]')" = recordings ] || fail "protocol"
[ "$(field "$dir/run/metrics.json" 'm["split"]["leaky"]')" = False ] || fail "the challenge split is not leaky"
[ "$(field "$dir/run/metrics.json" 'm["split"]["test_subjects"]')" = "[2, 3]" ] || fail "test subjects"
[ "$(field "$dir/run/metrics.json" 'm["test_windows"]')" = 72 ] || fail "test windows"
[ "$(field "$dir/run/metrics.json" 'm["split"]["train_windows"]')" = 252 ] || fail "train windows"
"$legohar" export --checkpoint "$dir/run" --out "$dir/opportunity.lhm" >/dev/null || fail "export"
folder="$dir/data/OPPORTUNITY/dataset"
/usr/bin/python3 - "$folder" "$dir/samples.csv" <<'PY'
import math, sys
names = [l.split(None, 2)[2].split(";")[0].strip() for l in open(f"{sys.argv[1]}/column_names.txt") if l.startswith("Column:")]
body = "RKN^ HIP LUA^ RUA_ LH BACK RKN_ RWR RUA^ LUA_ LWR RH".split()
kept = [i for i, n in enumerate(names) if (n.split()[0] == "Accelerometer" and n.split()[1] in body)
        or (n.split()[0] == "InertialMeasurementUnit" and not n.split()[2].startswith("Quaternion"))]
assert len(kept) == 113
rows = [[float(v) for v in line.split()] for line in open(f"{sys.argv[1]}/S2-ADL4.dat")]
samples = [[r[c] for c in kept] for r in rows]
for t, s in enumerate(samples):  # the one gap, rows 50-52 of RKN^ accX
    if math.isnan(s[0]):
        s[0] = samples[49][0] + (samples[53][0] - samples[49][0]) * (t - 49) / 4
open(sys.argv[2], "w").write("".join(",".join(f"{v:.9g}" for v in s) + "\n" for s in samples))
PY
# 200 rows: (200 - 64) / 8 + 1 windows.
predict_matches_csv "$dir/opportunity.lhm" opportunity "$folder/S2-ADL4.dat" \
  "200 rows; 3 NaN values filled by interpolation; 0 channels without a value" "$dir/samples.csv" 18
# A recording without column_names.txt beside it is refused with the file it needs.
mkdir "$dir/elsewhere" && cp "$folder/S2-ADL4.dat" "$dir/elsewhere/"
if "$legohar" predict --model "$dir/opportunity.lhm" --dataset opportunity --input "$dir/elsewhere/S2-ADL4.dat" 2> "$dir/err"; then fail "a recording without its column names accepted"; fi
grep -q "elsewhere/column_names.txt" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
echo "opportunity: datasets, a challenge-split run and predictions on a recording as expected"
