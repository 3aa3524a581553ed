# Shared by the dataset CLI tests, sourced after `set -euo pipefail` with $legohar (the binary) and
# $dir (the test's scratch folder) set: how a check fails, a metrics.json field, and the check that
# `predict --dataset` on a recording in its dataset's own format predicts what `predict` does on
# the samples the test picked from it as CSV.

fail() { echo "FAIL: $*" >&2; exit 1; }

# field FILE EXPR: EXPR evaluated in Python on the JSON of FILE as m, e.g. 'm["split"]["leaky"]'.
field() { /usr/bin/python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$1" "$2"; }

# predict_matches_csv MODEL DATASET RECORDING COUNTS SAMPLES_CSV WINDOWS: predict --dataset on
# RECORDING reports COUNTS (a grep pattern) on standard error and gives WINDOWS windows, the same
# windows (start, class, probabilities within 1e-5) as predict on SAMPLES_CSV.
predict_matches_csv() {
  local model=$1 dataset=$2 recording=$3 counts=$4 csv=$5 windows=$6
  "$legohar" predict --model "$model" --dataset "$dataset" --input "$recording" --json \
    > "$dir/dat.jsonl" 2> "$dir/err" || fail "predict --dataset $dataset: $(cat "$dir/err")"
  grep -q "$counts" "$dir/err" || fail "predict's counts: $(cat "$dir/err")"
  "$legohar" predict --model "$model" --input "$csv" --json > "$dir/csv.jsonl" || fail "predict --format csv"
  /usr/bin/python3 - "$dir/dat.jsonl" "$dir/csv.jsonl" "$windows" <<'PY' || fail "the recording's predictions differ: $(head -3 "$dir/dat.jsonl" "$dir/csv.jsonl")"
import json, sys
dat, csv = ([json.loads(l) for l in open(f)] for f in sys.argv[1:3])
assert len(dat) == int(sys.argv[3]) == len(csv), (len(dat), len(csv))
for a, b in zip(dat, csv):
    assert a["start"] == b["start"] and a["class"] == b["class"], (a, b)
    assert max(abs(x - y) for x, y in zip(a["probabilities"], b["probabilities"])) < 1e-5, (a, b)
PY
}
