#!/usr/bin/env bash
# Hostile and unlucky inputs at the command line (issue 10), on a tiny HAPT-layout dataset this
# script writes (3 subjects, 32-sample windows, 1 step per epoch): every bad setting is refused
# with the option, the value and its valid range, and never with a LibTorch backtrace; bad files
# are named with their line; a run directory is never overwritten or misreported.
# Usage: cli_robustness_test.sh LEGOHAR
set -uo pipefail
legohar=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The tiny dataset: users 1-3, one experiment each, six activities of 100 samples.
raw="$dir/data/TINY/RawData"
mkdir -p "$raw"
/usr/bin/python3 - "$raw" <<'PY'
import math, sys
raw = sys.argv[1]
labels = []
for user in (1, 2, 3):
    rows = 600
    for sensor, scale in (("acc", 1.0), ("gyro", 0.5)):
        with open(f"{raw}/{sensor}_exp{user:02d}_user{user:02d}.txt", "w") as f:
            for t in range(rows):
                a = t // 100 + 1
                f.write(" ".join(f"{scale * math.sin(0.05 * a * t + c + user):.6f}" for c in range(3)) + "\n")
    for a in range(6):
        labels.append(f"{user} {user} {a + 1} {a * 100 + 1} {a * 100 + 100}")
open(f"{raw}/labels.txt", "w").write("\n".join(labels) + "\n")
PY
config="$dir/tiny.toml"
cat > "$config" <<TOML
name = "tiny"
source = "hapt-raw"
path = "TINY/RawData"
[windows]
length = 32
step = 16
[filters]
sample_rate_hz = 50.0
[classes]
activity_ids = [1, 2, 3, 4, 5, 6]
names = ["A", "B", "C", "D", "E", "F"]
[protocol]
default = "subjects"
train_subjects = [1, 2]
[model]
layers = [{ channels = 4, kernel = 3, stride = 2, padding = 1 }]
[train]
epochs = 1
batch_size = 512
lr = 1e-3
TOML
export LEGOHAR_DATA="$dir/data" LEGOHAR_CACHE="$dir/cache"
train() { "$legohar" train --dataset "$config" --threads 1 "$@"; }

# refused STATUS "what the message must hold" COMMAND...: the command exits with STATUS (README,
# "Exit status": 1 a run's state, 2 usage, 3 data, 4 I/O) and the message on standard error,
# without a backtrace.
refused() {
  local want_status=$1 want=$2
  shift 2
  "$@" > "$dir/stdout" 2> "$dir/err"
  local status=$?
  [ $status -eq "$want_status" ] || fail "$*: exit status $status, not $want_status: $(head -c 300 "$dir/err")"
  grep -qF -- "$want" "$dir/err" || fail "$*: expected '$want', got: $(head -c 300 "$dir/err")"
  if grep -q "frame #" "$dir/err"; then fail "$*: a backtrace reached the user"; fi
}
# expect_refused "what the message must hold" ARGS...: a usage error (2) of train, no run written.
expect_refused() {
  rm -rf "$dir/out"
  refused 2 "$1" train --out "$dir/out" "${@:2}"
  if [ -e "$dir/out/metrics.json" ]; then fail "$*: a result was written"; fi
}
expect_refused "batch_size = 0: must be >= 1" --batch-size 0
expect_refused "batch_size = -5: must be >= 1" --batch-size -5
expect_refused "--threads: Value 100000 not in range" --threads 100000
expect_refused "epochs = 0: must be >= 1" --epochs 0
expect_refused "epochs = -1: must be >= 1" --epochs -1
expect_refused "lr = -1: must be > 0" --lr -1
expect_refused "lr = nan: must be a finite number, > 0" --lr nan
expect_refused "lr = inf: must be a finite number, > 0" --lr inf
expect_refused "lr_gamma = -1: must be in (0, 1]" --lr-gamma -1
expect_refused "alpha = 5: must be in [0, 1]" --alpha 5
expect_refused "dropout = 2: must be in [0, 1)" --dropout 2
expect_refused "seed = -1: must be a whole number >= 0" --seed -1
expect_refused "'foo' is not a device: use cpu, cuda or cuda:N" --device foo
expect_refused "protocol 'loso:abc': the held-out subject must be a whole number >= 1, not 'abc'" --protocol loso:abc

# The same settings from an experiment file.
cat > "$dir/exp.toml" <<TOML
name = "bad"
dataset = "$config"
epochs = -3
[[run]]
name = "a"
TOML
refused 3 "exp.toml:3: epochs = -3: must be >= 1" "$legohar" experiment "$dir/exp.toml" --out "$dir/exp"
sed -i 's/^epochs = -3$/batch_size = 0/' "$dir/exp.toml"  # --dry-run checks as much as a run
refused 3 "exp.toml:3: batch_size = 0: must be >= 1" "$legohar" experiment "$dir/exp.toml" --out "$dir/exp" --dry-run

# A misspelt table in a dataset file.
sed 's/^\[filters\]/[filter]/' "$config" > "$dir/misspelt.toml"
refused 3 "misspelt.toml:7: unknown key 'filter' (did you mean 'filters'?)" "$legohar" train --dataset "$dir/misspelt.toml" --out "$dir/m"

# No test windows: every subject trains.
sed 's/^train_subjects = .*/train_subjects = [1, 2, 3]/' "$config" > "$dir/alltrain.toml"
refused 2 "leaves 90 training and 0 test windows: a run needs both" "$legohar" train --dataset "$dir/alltrain.toml" --threads 1 --out "$dir/all"
[ -e "$dir/all/model.pt" ] && fail "no test windows: a checkpoint was written"

# A run directory: refused without --resume or --overwrite; resume to fewer epochs refused;
# --resume of a folder without a run named as such.
train --out "$dir/run" --epochs 2 --schedule step --mask-freeze-epoch 0 > /dev/null 2>&1 || fail "the tiny run failed"
cp "$dir/run/metrics.json" "$dir/metrics.before"
refused 1 "holds a run: continue it with --resume, or replace it with --overwrite" train --out "$dir/run"
cmp -s "$dir/run/metrics.json" "$dir/metrics.before" || fail "the refused run changed metrics.json"
refused 2 "the run has trained 2 epochs; resuming it to 1" "$legohar" train --resume "$dir/run" --epochs 1 --threads 1
train --out "$dir/run" --overwrite > /dev/null 2>&1 || fail "--overwrite failed"
[ "$(wc -l < "$dir/run/history.csv")" -eq 2 ] || fail "--overwrite kept the old history"
refused 1 "no run in $dir/none: it has no model.pt to resume" "$legohar" train --resume "$dir/none"

# A checkpoint damaged after it was written: one byte flipped inside its largest tensor's data
# (the archive is a zip of uncompressed entries, so it still opens) is refused by eval and resume.
/usr/bin/python3 - "$dir/run/model.pt" <<'PY'
import struct, sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    info = max((i for i in z.infolist() if "/data/" in i.filename), key=lambda i: i.file_size)
with open(path, "r+b") as f:
    f.seek(info.header_offset)
    header = f.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    at = info.header_offset + 30 + name_len + extra_len + info.file_size // 2
    f.seek(at)
    byte = f.read(1)[0]
    f.seek(at)
    f.write(bytes([byte ^ 0x10]))
PY
refused 3 "model.pt: corrupt: its weights do not match their checksum" "$legohar" eval --checkpoint "$dir/run" --threads 1
refused 3 "model.pt: corrupt: its weights do not match their checksum" "$legohar" train --resume "$dir/run" --epochs 1 --threads 1

# A damaged window-cache entry is a miss, rebuilt and replaced (the same result as from the
# recordings); a cache that cannot be written costs a warning, not the run.
rm -rf "$dir/cache"
train --out "$dir/c1" > /dev/null 2>&1 || fail "the cached run failed"
for f in "$dir"/cache/windows-*.bin; do
  /usr/bin/python3 -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[len(b) // 2] ^= 1; open(sys.argv[1], 'wb').write(b)" "$f"
done
train --out "$dir/c2" > /dev/null 2>&1 || fail "the run on a damaged cache failed"
same_result() { grep -v 'seconds\|rss' "$1"; }  # all but timings and memory
cmp -s <(same_result "$dir/c1/metrics.json") <(same_result "$dir/c2/metrics.json") || fail "a damaged cache entry changed the result"
touch "$dir/not-a-folder"
LEGOHAR_CACHE="$dir/not-a-folder" train --out "$dir/c3" --no-cache > /dev/null 2>&1 || fail "--no-cache with a bad cache folder failed"
LEGOHAR_CACHE="$dir/not-a-folder" train --out "$dir/c4" > /dev/null 2> "$dir/err" || fail "an unwritable cache stopped the run: $(cat "$dir/err")"
grep -qF "warning: windows not cached" "$dir/err" || fail "no warning for an unwritable cache: $(cat "$dir/err")"

# Bad recordings: a NaN is named with its file and line; a label beyond int; an unknown activity;
# a directory where a file should be.
cp -r "$dir/data" "$dir/pristine"
bad() {  # bad "expected message": a data error (3) on the modified data, restored afterwards
  refused 3 "$1" train --out "$dir/bad" --no-cache
  rm -rf "$dir/data" "$dir/bad" && cp -r "$dir/pristine" "$dir/data"
}
sed -i '7s/.*/0.1 nan 0.2/' "$raw/acc_exp02_user02.txt"
bad "acc_exp02_user02.txt:7: 'nan' is not a finite number (column 2)"
sed -i '9s/.*/0.1 0.2 -1e39/' "$raw/gyro_exp01_user01.txt"
bad "gyro_exp01_user01.txt:9: '-1e39' is out of range (column 3: beyond +-3.4e38)"
sed -i '3s/.*/1 1 3 201 3000000000/' "$raw/labels.txt"
bad "labels.txt:3: column 5 is 3000000000, not a positive integer below 2^31"
sed -i '2s/.*/1 1 13 101 200/' "$raw/labels.txt"
bad "labels.txt:2: activity 13 is not a HAPT activity (1-12, activity_labels.txt)"
rm "$raw/gyro_exp03_user03.txt" && mkdir "$raw/gyro_exp03_user03.txt"
bad "gyro_exp03_user03.txt: is a directory, not a file"

# A full disk while a checkpoint is written: a clear error (exit 4), no temporary file left,
# the previous checkpoint intact. On a 256 KiB tmpfs where this machine lets the test mount one.
mkdir -p "$dir/full"
if mount -t tmpfs -o size=256k tmpfs "$dir/full" 2> /dev/null; then
  train --out "$dir/full/run" --epochs 1 --schedule constant --mask-freeze-epoch 0 > /dev/null 2>&1 || fail "the run on the small disk failed"
  cp "$dir/full/run/model.pt" "$dir/model.before"
  head -c $((256 * 1024 - $(du -sb "$dir/full" | cut -f1) - 4096)) /dev/zero > "$dir/full/filler" 2> /dev/null
  "$legohar" train --resume "$dir/full/run" --epochs 3 --threads 1 > /dev/null 2> "$dir/err"
  code=$?
  [ $code -eq 4 ] || fail "full disk: exit status $code: $(cat "$dir/err")"
  grep -q "legohar: error: .*model.pt" "$dir/err" || fail "full disk: unclear error: $(cat "$dir/err")"
  if ls "$dir/full/run" | grep -q "\.tmp\."; then fail "full disk: a temporary file was left"; fi
  cmp -s "$dir/full/run/model.pt" "$dir/model.before" || fail "full disk: the previous checkpoint changed"
  umount "$dir/full"
else
  echo "skipped: the full-disk case (cannot mount a tmpfs here)"
fi

# Exit statuses: 2 a usage error, 3 a data error, 130 / 143 interrupted by SIGINT / SIGTERM.
train --out "$dir/e1" --lr -1 > /dev/null 2>&1
[ $? -eq 2 ] || fail "an option out of range should exit with 2"
"$legohar" train --dataset "$dir/misspelt.toml" --out "$dir/e2" > /dev/null 2>&1
[ $? -eq 3 ] || fail "a data error should exit with 3"

# SIGINT (then SIGTERM) during training: stops between steps with nothing half-written, says how
# to resume, and the run resumes.
for sig in INT TERM; do
  "$legohar" train --dataset "$config" --threads 1 --epochs 1000000 --schedule constant --mask-freeze-epoch 0 --out "$dir/$sig" > /dev/null 2> "$dir/err" &
  pid=$!
  for _ in $(seq 100); do [ -e "$dir/$sig/history.csv" ] && break; sleep 0.1; done
  kill -$sig $pid
  wait $pid
  code=$?
  want=$([ $sig = INT ] && echo 130 || echo 143)
  [ $code -eq "$want" ] || fail "SIG$sig: exit status $code, not $want"
  grep -qF "continue with: legohar train --resume $dir/$sig" "$dir/err" || fail "SIG$sig: $(cat "$dir/err")"
  [ -e "$dir/$sig/metrics.json" ] && fail "SIG$sig: an interrupted run has a metrics.json"
  done_epochs=$(($(wc -l < "$dir/$sig/history.csv") - 1))
  "$legohar" train --resume "$dir/$sig" --epochs "$done_epochs" --threads 1 > /dev/null 2> "$dir/err" || fail "SIG$sig: resume failed: $(cat "$dir/err")"
  [ -e "$dir/$sig/metrics.json" ] || fail "SIG$sig: the resumed run did not finish"
done

[ "$failures" -eq 0 ] || exit 1
echo "1 passed, 0 failed"
