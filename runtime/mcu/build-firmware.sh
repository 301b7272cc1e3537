#!/usr/bin/env bash
# Builds a firmware ELF for QEMU's mps2-an386 (Cortex-M4F) from C/C++ sources:
#   build-firmware.sh -o fw.elf [-M fw.map] [-I dir]... [-D def]... source...
# -M writes the linker map (which object each linked section came from).
# C++ is compiled with the flags the emitted code must pass (warning-free
# under -Wall -Wextra -Werror); the harness's startup.c is added.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=""
map=()
includes=(-I"$here" -I"$here/../include")
defines=()
sources=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    -M) map=(-Wl,-Map="$2"); shift 2 ;;
    -I) includes+=(-I"$2"); shift 2 ;;
    -I*) includes+=("$1"); shift ;;
    -D*) defines+=("$1"); shift ;;
    *) sources+=("$1"); shift ;;
  esac
done
[[ -n "$out" ]] || { echo "build-firmware.sh: -o fw.elf required" >&2; exit 2; }
CPU=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
WARN=(-Wall -Wextra -Werror)
objdir=$(mktemp -d)
trap 'rm -rf "$objdir"' EXIT
objs=()
for src in "$here/startup.c" "${sources[@]}"; do
  obj="$objdir/$(basename "$src").o"
  case "$src" in
    *.c) arm-none-eabi-gcc "${CPU[@]}" -O2 "${WARN[@]}" -ffunction-sections \
           "${includes[@]}" "${defines[@]}" -c "$src" -o "$obj" ;;
    *) arm-none-eabi-g++ "${CPU[@]}" -O2 -fno-exceptions -fno-rtti "${WARN[@]}" \
         -ffunction-sections "${includes[@]}" "${defines[@]}" -c "$src" -o "$obj" ;;
  esac
  objs+=("$obj")
done
# Linked by gcc: the code needs no C++ runtime library (no exceptions, RTTI
# or operator new), and Debian ships none for arm-none-eabi by default.
arm-none-eabi-gcc "${CPU[@]}" --specs=rdimon.specs -nostartfiles \
  -T "$here/mps2_an386.ld" -Wl,--gc-sections "${map[@]}" "${objs[@]}" -lm -o "$out"
