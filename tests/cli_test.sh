#!/usr/bin/env bash
# End-to-end test of the `legohar` command line on the real data: a 2-epoch run, the same run
# interrupted after epoch 1 and resumed with --resume, `eval --json`, `export`, `bench --runtime`
# and bad-input messages.
# Usage: cli_test.sh LEGOHAR CONFIG.toml
set -euo pipefail
legohar=$1
config=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

# A step-schedule run whose selection never freezes can be extended; a cosine one (the default)
# was planned for its epochs.
"$legohar" train --dataset "$config" --model lego --o 2 --m 0.5 --epochs 2 --schedule step --mask-freeze-epoch 0 --seed 3 --threads 2 --out "$dir/whole" >/dev/null
"$legohar" train --dataset "$config" --model lego --o 2 --m 0.5 --epochs 1 --schedule step --mask-freeze-epoch 0 --seed 3 --threads 2 --out "$dir/part" >/dev/null
"$legohar" train --epochs 2 --resume "$dir/part" --threads 2 >/dev/null
if "$legohar" train --epochs 3 --resume "$dir/part" --schedule cosine --threads 2 2> "$dir/err" >/dev/null; then fail "other options accepted on resume"; fi
grep -q "only --epochs may change" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
for key in weighted_f1 accuracy confusion macro_f1 dataset protocol model o m epochs seed params memory_mb macs per_class train_windows test_windows; do
  [ "$(field "$dir/whole/metrics.json" $key)" = "$(field "$dir/part/metrics.json" $key)" ] || fail "resumed $key differs"
done
[ "$(wc -l < "$dir/part/history.csv")" -eq 3 ] || fail "history.csv should hold a header and 2 epochs"
"$legohar" eval --checkpoint "$dir/whole" --json --threads 2 > "$dir/eval.json"
for key in weighted_f1 confusion; do
  [ "$(field "$dir/whole/metrics.json" $key)" = "$(field "$dir/eval.json" $key)" ] || fail "eval $key differs from training"
done
# Export for the runtime: checked against LibTorch on the test split, every prediction the same.
"$legohar" export --checkpoint "$dir/whole" --out "$dir/model.lhm" > "$dir/export.txt" || fail "export failed: $(cat "$dir/export.txt")"
grep -q "identical predictions" "$dir/export.txt" && [ -s "$dir/model.lhm" ] || fail "export: $(cat "$dir/export.txt")"
# bench --runtime --json: the keys are a contract; the two engines agree on the timed windows.
"$legohar" bench --dataset "$config" --model lego --o 2 --m 0.5 --runtime --singles 20 --batches 1 --threads 1 --json > "$dir/bench.json"
/usr/bin/python3 - "$dir/bench.json" <<'PY' || fail "bench --runtime: $(cat "$dir/bench.json")"
import json, sys
j = json.load(open(sys.argv[1]))
for engine in ("runtime", "libtorch"):
    assert j[engine]["single_window_ms"] > 0 and j[engine]["windows_per_s"] > 0, engine
assert j["max_logit_difference"] < 1e-4 and j["model_bytes"] > 0 and j["working_bytes"] > 0
PY
if "$legohar" train --dataset no-such-set --out "$dir/x" 2> "$dir/err"; then fail "unknown dataset accepted"; fi
grep -q "unknown dataset 'no-such-set'" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
"$legohar" train --dataset "$config" --model lego --epochs 1 --seed 3 --threads 2 --out "$dir/cos" >/dev/null
if "$legohar" train --epochs 2 --resume "$dir/cos" --threads 2 2> "$dir/err" >/dev/null; then fail "cosine run extended"; fi
grep -q "planned for 1 epochs (the cosine schedule, the Lego selection frozen after 3/4 of the run)" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
if "$legohar" train --dataset "$config" --schedule linear --out "$dir/y" 2> "$dir/err"; then fail "unknown schedule accepted"; fi
grep -q "\-\-schedule: linear not in {cosine,step,constant}" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
if "$legohar" train --dataset "$config" --lr -1 --out "$dir/y" 2> "$dir/err"; then fail "negative lr accepted"; fi
grep -q "lr = -1: must be > 0" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
echo "1 passed, 0 failed"
