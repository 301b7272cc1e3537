#!/usr/bin/env bash
# Proves an emitted library on the emulated Cortex-M4: builds
# runtime/mcu/check_main.cpp with <out>/<name>.cpp and <out>/check/check_data.h
# into firmware for QEMU's mps2-an386, runs it, and fails unless the int8
# features of every reference image equal the host JIT's byte for byte.
# Then compares the library's Flash and RAM in that firmware (linker map,
# stack high-water mark) with the cost model's estimate in <out>/report.json
# (scripts/firmware_vs_cost.py) and fails when either is off by more than
# 10%; the figures go to <out>/check/footprint.json.
#   scripts/device-check.sh <out-dir> <library-name>
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: device-check.sh <out-dir> <library-name>}
name=${2:?usage: device-check.sh <out-dir> <library-name>}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/runtime/mcu/build-firmware.sh" -o "$work/check.elf" -M "$work/check.map" \
  -DTNAS_MCU -I"$out" -I"$out/check" "$root/runtime/mcu/check_main.cpp" \
  "$out/$name.cpp" "$out"/tnas_rt/*.cpp
arm-none-eabi-size "$work/check.elf"
# The firmware exits QEMU through semihosting with the check's status.
timeout 600 qemu-system-arm -M mps2-an386 -nographic \
  -semihosting-config enable=on,target=native -kernel "$work/check.elf" |
  tee "$work/run.txt"
stack=$(sed -n 's/.*stack high-water \([0-9]*\) bytes (library calls).*/\1/p' \
  "$work/run.txt")
objects=(--object "$name.cpp.o")
for src in "$out"/tnas_rt/*.cpp; do
  objects+=(--object "$(basename "$src").o")
done
python3 "$root/scripts/firmware_vs_cost.py" --map "$work/check.map" \
  --report "$out/report.json" --header "$out/$name.h" --stack "${stack:?}" \
  "${objects[@]}" --json "$out/check/footprint.json"
