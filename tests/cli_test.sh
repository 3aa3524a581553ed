#!/usr/bin/env bash
# End-to-end test of the `legohar` command line on the real data: a 2-epoch run, the same run
# interrupted after epoch 1 and resumed with --resume, `eval --json`, `export` (runtime, TorchScript
# and lite files, the last two loaded by PyTorch), `bench --runtime`
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
grep -q "schedule = \"step\" (not \"cosine\")).*only --epochs may change" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
for key in weighted_f1 accuracy confusion macro_f1 dataset protocol model o m epochs seed params memory_mb macs per_class train_windows test_windows; do
  [ "$(field "$dir/whole/metrics.json" $key)" = "$(field "$dir/part/metrics.json" $key)" ] || fail "resumed $key differs"
done
[ "$(wc -l < "$dir/part/history.csv")" -eq 3 ] || fail "history.csv should hold a header and 2 epochs"
"$legohar" eval --checkpoint "$dir/whole" --json --threads 2 > "$dir/eval.json"
for key in weighted_f1 confusion; do
  [ "$(field "$dir/whole/metrics.json" $key)" = "$(field "$dir/eval.json" $key)" ] || fail "eval $key differs from training"
done
# Export for the runtime: checked against LibTorch on the test split, every prediction the same.
# --against-double: both float32 evaluations within rounding of LibTorch run in double precision.
"$legohar" export --checkpoint "$dir/whole" --out "$dir/model.lhm" --against-double > "$dir/export.txt" || fail "export failed: $(cat "$dir/export.txt")"
grep -q "identical predictions" "$dir/export.txt" && [ -s "$dir/model.lhm" ] || fail "export: $(cat "$dir/export.txt")"
grep "double precision" "$dir/export.txt" | awk '{ n++; bad += !($(NF-5) + 0 < 1e-4 && $NF + 0 < 1e-4) } END { exit n != 1 || bad }' || fail "against double: $(cat "$dir/export.txt")"
# Export for PyTorch: a TorchScript module and a lite-interpreter one, each read back and checked
# in process, then loaded by PyTorch itself and checked on the same test windows.
for format in torchscript ptl; do
  "$legohar" export --checkpoint "$dir/whole" --format $format --out "$dir/model.${format/torchscript/pt}" --reference "$dir/reference.pt" > "$dir/export.txt" || fail "export --format $format: $(cat "$dir/export.txt")"
done
/usr/bin/python3 "$(dirname "$0")/../scripts/check_pytorch_export.py" "$dir/model.pt" "$dir/reference.pt" "$dir/model.ptl" "$dir/reference.pt" > "$dir/check.txt" || fail "PyTorch disagrees: $(cat "$dir/check.txt")"
grep -q "lite interpreter, bytecode v8" "$dir/check.txt" || fail "check: $(cat "$dir/check.txt")"
# Streams. predict reads a HAPT recording, or the same samples as CSV on standard input (with
# the header of the model's inputs): one line per window, the same activities.
raw=${LEGOHAR_DATA}/HAPT/RawData
acc=$(ls "$raw"/acc_exp02_user01.txt*)
"$legohar" predict --model "$dir/model.lhm" --input "$acc" --format hapt > "$dir/hapt.txt"
rows=$(xz -dcf "$acc" | wc -l)
[ "$(wc -l < "$dir/hapt.txt")" -eq $(( (rows - 128) / 64 + 1 )) ] || fail "predict: $(wc -l < "$dir/hapt.txt") windows for $rows samples"
{ echo "acc_x,acc_y,acc_z,gyro_x,gyro_y,gyro_z"; paste -d' ' <(xz -dcf "$acc") <(xz -dcf "$(ls "$raw"/gyro_exp02_user01.txt*)"); } |
  "$legohar" predict --model "$dir/model.lhm" --input - --json > "$dir/stdin.jsonl"
/usr/bin/python3 - "$dir/stdin.jsonl" "$dir/hapt.txt" <<'PY' || fail "predict from standard input differs"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
text = [l.split()[4] for l in open(sys.argv[2])]  # "0.00 - 2.56 s CLASS p"
assert [l["class"] for l in lines] == text and lines[1]["start"] == 64 and lines[1]["time_s"] == 1.28
assert all(abs(sum(l["probabilities"]) - 1) < 1e-5 for l in lines)
PY
# The same recording read as one of the dataset's (--dataset): the same windows.
"$legohar" predict --model "$dir/model.lhm" --input "$acc" --dataset "$config" > "$dir/dataset.txt" 2> "$dir/err" || fail "predict --dataset: $(cat "$dir/err")"
cmp -s "$dir/dataset.txt" "$dir/hapt.txt" || fail "predict --dataset differs from --format hapt"
# A model that fails to load is reported before the input is read; a bad sample names its line.
if echo "1,2,3,4,5,6" | "$legohar" predict --model "$config" --input - 2> "$dir/err"; then fail "a TOML file loaded as a model"; fi
grep -q "uci-har-small.toml: not a legohar model file" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
if printf '0,0,1,0,0,0\n0,0,1,nan,0,0\n' | "$legohar" predict --model "$dir/model.lhm" --input - 2> "$dir/err"; then fail "NaN accepted"; fi
grep -q "<stdin>:2: value 4 (gyro_x) 'nan' is not a finite number" "$dir/err" || fail "unclear error: $(cat "$dir/err")"
# --causal-filters: a stream reproduces the offline windows exactly (agreement 1); zero-phase
# filters over a window and its history agree less than exactly but mostly. A device sampling at
# another rate (--input-rate) is simulated by resampling the recordings to it.
"$legohar" train --dataset "$config" --model lego --o 2 --m 0.5 --epochs 1 --causal-filters --seed 3 --threads 2 --out "$dir/causal" >/dev/null
"$legohar" export --checkpoint "$dir/causal" --out "$dir/causal.lhm" >/dev/null
for m in causal model; do
  "$legohar" stream-eval --model "$dir/$m.lhm" --dataset "$config" --history 64 --lookahead 0 --input-rate 0,100,20 --json > "$dir/$m-stream.json"
done
/usr/bin/python3 - "$dir/causal-stream.json" "$dir/model-stream.json" <<'PY' || fail "stream-eval: $(cat "$dir/causal-stream.json" "$dir/model-stream.json")"
import json, sys
causal, zero = (json.load(open(f)) for f in sys.argv[1:])
assert causal["filters"].endswith(";causal") and causal["stream"][0]["agreement"] == 1.0
assert causal["stream"][0]["weighted_f1"] == causal["offline"]["weighted_f1"]
assert 0.8 < zero["stream"][0]["agreement"] <= 1.0 and zero["windows"] == zero["stream"][0]["windows"]
# A device at 100 Hz gives the stream the recording's own samples back; one at 20 Hz does not.
assert [c["input_rate_hz"] for c in causal["stream"]] == [50, 100, 20]
assert causal["stream"][1]["agreement"] == 1.0 and causal["stream"][1]["windows"] == causal["windows"]
assert 0 < causal["stream"][2]["agreement"] < 1.0
PY
# bench --runtime --json: the keys are a contract; the two engines agree on the timed windows.
"$legohar" bench --dataset "$config" --model lego --o 2 --m 0.5 --runtime --singles 20 --batches 1 --threads 1 --json > "$dir/bench.json"
/usr/bin/python3 - "$dir/bench.json" <<'PY' || fail "bench --runtime: $(cat "$dir/bench.json")"
import json, sys
j = json.load(open(sys.argv[1]))
# The runtime executes fewer multiply-adds than the model has: its padded columns are constants.
assert 0 < j["runtime_macs_per_window"] < j["macs_per_window"]
for engine, macs in (("runtime", j["runtime_macs_per_window"]), ("libtorch", j["macs_per_window"])):
    assert j[engine]["single_window_ms"] > 0 and j[engine]["windows_per_s"] > 0, engine
    peak = j["peak_gflops"] * j["runtime_threads"]  # --threads 1: one thread's
    assert abs(j[engine]["of_peak"] * peak - j[engine]["gflops"]) < 1e-6, engine
    assert abs(2 * macs * j[engine]["windows_per_s"] / 1e9 - j[engine]["gflops"]) < 1e-6, engine
assert j["max_logit_difference"] < 1e-4 and j["model_bytes"] > 0 and j["working_bytes"] > 0
assert j["peak_gflops"] > 0
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
