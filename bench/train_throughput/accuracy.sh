#!/usr/bin/env bash
# bench/train_throughput/accuracy.sh: test accuracy of tnasc's training step
# against PyTorch's over several seeds, for the network and recipe of run.sh.
# One seed is not enough: each side spreads over 1-2 points from seed to seed,
# so the goal "within 1 point of PyTorch" is judged on the means.
#
# usage: bench/train_throughput/accuracy.sh [build-dir] [epochs] [seeds] [batches] [ours-configs]
#   defaults: build 2 "1 2 3 4 5 6 7 8" "64 128" "2:16"
#   ours-configs lists thread counts, each optionally with a micro-batch
#   (T:M, train-throughput --micro-batch=M), e.g. "2:16 2 1": 1 thread uses
#   the whole batch's batchnorm statistics, 2 threads each half's, 2:16 each
#   16 samples'. The first one is the one of the `bench:` lines (run.sh's).
# PRIOR=<log of an earlier run> reuses its `acc:` lines instead of running
# them again (same epochs assumed).
# The test accuracies do not depend on the machine's load (the arithmetic is
# fixed), so each run takes the build lock on its own instead of holding it
# for the whole script: set LOCK= (empty) to run without it.
# Prints one `acc:` line per run, a summary per batch and side, and ends with
#   bench: train_accuracy batch=B ours_mean=… ours_std=… peer_mean=… peer_std=… gap=… (per batch)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
epochs="${2:-2}"
seeds="${3:-1 2 3 4 5 6 7 8}"
batches="${4:-64 128}"
ourConfigs="${5:-2:16}"
lock="${LOCK-/tmp/tnas-build.lock}"
ours_bin="$build/bin/train-throughput"
[ -x "$ours_bin" ] || { echo "bench: $ours_bin not built (ninja train-throughput)" >&2; exit 1; }
/usr/bin/python3 -c 'import torch' 2>/dev/null ||
  { echo "bench: PyTorch (python3-torch) missing: bash scripts/setup.sh --bench" >&2; exit 1; }

run() { if [ -n "$lock" ]; then flock "$lock" "$@"; else "$@"; fi; }
acc_of() { sed -n 's/.*test_accuracy=\([0-9.]*\).*/\1/p'; }

side_of() { # T or T:M -> oursT or oursTmM
  local t=${1%%:*} m=${1#*:}
  if [ "$m" = "$1" ] || [ "$m" = 0 ]; then echo "ours$t"; else echo "ours${t}m$m"; fi
}
prior() { # side batch seed -> accuracy from $PRIOR, if there
  [ -n "${PRIOR:-}" ] && [ -f "$PRIOR" ] || return 0
  { grep "^acc: side=$1 batch=$2 seed=$3 " "$PRIOR" || true; } | tail -1 | acc_of
}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for batch in $batches; do
  for seed in $seeds; do
    for cfg in $ourConfigs; do
      side=$(side_of "$cfg")
      t=${cfg%%:*} m=${cfg#*:}
      [ "$m" = "$cfg" ] && m=0
      a=$(prior "$side" "$batch" "$seed")
      [ -n "$a" ] || a=$(run "$ours_bin" --batch="$batch" --train-threads="$t" \
            --micro-batch="$m" --epochs="$epochs" --seed="$seed" 2>/dev/null |
            grep '^ours:' | acc_of)
      echo "acc: side=$side batch=$batch seed=$seed test_accuracy=$a"
      echo "$side $batch $seed $a" >>"$results"
    done
    a=$(prior peer "$batch" "$seed")
    [ -n "$a" ] || a=$(run /usr/bin/python3 "$here/torch_peer.py" --batch="$batch" \
          --threads=2 --epochs="$epochs" --seed="$seed" 2>/dev/null | grep '^peer:' | acc_of)
    echo "acc: side=peer batch=$batch seed=$seed test_accuracy=$a"
    echo "peer $batch $seed $a" >>"$results"
  done
done

# Mean and sample standard deviation in points, per side and batch.
stats() { # side batch -> "mean std n"
  awk -v s="$1" -v b="$2" '$1 == s && $2 == b {x = 100 * $4; n++; sum += x; sq += x * x}
    END {m = sum / n; v = n > 1 ? (sq - n * m * m) / (n - 1) : 0; if (v < 0) v = 0;
         printf "%.2f %.2f %d", m, sqrt(v), n}' "$results"
}
for batch in $batches; do
  read -r pm ps pn <<<"$(stats peer "$batch")"
  echo "batch $batch: peer ${pm} ± ${ps} % (n=$pn)"
  for cfg in $ourConfigs; do
    read -r om os on <<<"$(stats "$(side_of "$cfg")" "$batch")"
    gap=$(awk -v a="$pm" -v b="$om" 'BEGIN{printf "%.2f", a - b}')
    echo "batch $batch: ours (threads:micro-batch ${cfg}) ${om} ± ${os} % (n=$on), gap to peer ${gap} points"
  done
done
first=${ourConfigs%% *}
for batch in $batches; do
  read -r pm ps pn <<<"$(stats peer "$batch")"
  read -r om os on <<<"$(stats "$(side_of "$first")" "$batch")"
  gap=$(awk -v a="$pm" -v b="$om" 'BEGIN{printf "%.2f", a - b}')
  echo "bench: train_accuracy batch=$batch ours=$first epochs=$epochs seeds=$on ours_mean=$om ours_std=$os peer_mean=$pm peer_std=$ps gap=$gap"
done
