#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs the main job on
# the bundled example and Fashion-MNIST: search under the device's bounds,
# final training, pruning, int8, the emitted C++ library, and its proof on an
# emulated Cortex-M4 (QEMU), then a short drift simulation with the same
# library built for the host, and a summary. `--full` runs the spec's whole
# budget instead of the few-minute --quick one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${TNAS_BUILD_DIR:-$root/build}"
out="${TNAS_OUT_DIR:-$root/out}"
mode=--quick
[[ "${1:-}" == "--full" ]] && mode=""

bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" --target tnasc
"$build/bin/tnasc" --version
"$build/bin/tnasc" "$root/examples/fashion_mnist.tnas" -target=cortex-m4 \
  -o "$out" $mode
bash "$root/scripts/device-check.sh" "$out" fashion_mnist | tee "$out/device-check.log"
# The drift scenario (labels 0 and 6 swapped mid-stream), three schemes, one
# repetition, in $out/sim; the search is not run again: it resumes from a
# copy of the checkpoint.
mkdir -p "$out/sim"
cp "$out/checkpoint.jsonl" "$out/sim/"
"$build/bin/tnasc" simulate "$root/examples/fashion_mnist.tnas" -o "$out/sim" \
  --scenario=drift --scheme=static,tinyol,tybox-fifo --repeat=1 $mode
python3 "$root/scripts/demo_summary.py" "$out" fashion_mnist "$out/device-check.log"
echo "demo: the library is in $out/ (fashion_mnist.h, fashion_mnist.cpp, tnas_rt/);" \
     "open $out/report.html (search) and $out/sim/simulate.html (drift)"
