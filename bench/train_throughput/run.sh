#!/usr/bin/env bash
# bench/train_throughput: the NanoNAS benchmark network (stem conv3x3(8) +
# 2 cells maxpool2 -> batchnorm -> conv3x3 relu + global average pool +
# dense(10), 6,266 parameters) trained on Fashion-MNIST with Adam, 2 threads,
# batch 64 and 128: tnasc's JIT-compiled step, then PyTorch, one after the
# other (never in parallel: they would share the 2 cores).
#
# usage: bench/train_throughput/run.sh [build-dir] [epochs]
# Run it under the build lock on an otherwise idle machine:
#   flock /tmp/tnas-build.lock bench/train_throughput/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build}"
epochs="${2:-2}"
ours_bin="$build/bin/train-throughput"
[ -x "$ours_bin" ] || { echo "bench: $ours_bin not built (ninja train-throughput)" >&2; exit 1; }

declare -A ours peer
for batch in 64 128; do
  line=$("$ours_bin" --batch=$batch --train-threads=2 --epochs="$epochs" | grep '^ours:')
  echo "$line"
  ours[$batch]=$(sed -n 's/.*samples_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
done

if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  for batch in 64 128; do
    line=$(/usr/bin/python3 "$here/torch_peer.py" --batch=$batch --threads=2 --epochs="$epochs" | grep '^peer:')
    echo "$line"
    peer[$batch]=$(sed -n 's/.*samples_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
  done
else
  echo "bench: PyTorch (Debian python3-torch under /usr/bin/python3) is missing: peer skipped (bash scripts/setup.sh --bench installs it)"
  peer[64]=""
fi

if [ -n "${peer[64]}" ]; then
  for batch in 64 128; do
    echo "batch $batch: ratio=$(awk -v a="${ours[$batch]}" -v b="${peer[$batch]}" 'BEGIN{printf "%.2f", a/b}')"
  done
  ratio=$(awk -v a="${ours[64]}" -v b="${peer[64]}" 'BEGIN{printf "%.2f", a/b}')
  echo "bench: train_throughput ours_samples_per_s=${ours[64]} peer_samples_per_s=${peer[64]} ratio=$ratio"
else
  echo "bench: train_throughput ours_samples_per_s=${ours[64]} peer_samples_per_s=n/a ratio=n/a"
fi
