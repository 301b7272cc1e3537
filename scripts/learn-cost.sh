#!/usr/bin/env bash
# Instructions per tnas_learn and per tnas_predict of an emitted library on
# the emulated Cortex-M4 (QEMU mps2-an386, `-icount shift=0`, the CMSDK timer
# as in bench/mcu_conv), for every on-device learning scheme of
# `tnasc simulate`: static, tinyol, tybox-{fifo,reservoir,misclassified,conflict},
# knn-{passive,active,hybrid}. Writes <out>/device/learn_cost.json:
#   { "tinyol": {"instructions_per_learn": N, "instructions_per_predict": M},
#     ... }
# (static: instructions_per_learn 0). See runtime/mcu/learn_cost_main.cpp for
# what is timed; the library's own scheme is also timed through its API and
# the script fails unless both figures agree within 1%.
#   scripts/learn-cost.sh <out-dir> <library-name> [--buffer N]
#                         [--schemes a,b,...]
# --buffer: samples of the tybox / knn buffer (default: the library's
# TNAS_BUFFER_CAPACITY, or 16 when it has none). --schemes: only these
# (default: all; the library's own scheme is always timed). Run it under
# the build lock.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage="usage: learn-cost.sh <out-dir> <library-name> [--buffer N] [--schemes a,b,...]"
# The rows of runtime/mcu/learn_cost_main.cpp's `cases`, in order.
all_schemes=(static tinyol tybox-fifo tybox-reservoir tybox-misclassified
             tybox-conflict knn-passive knn-active knn-hybrid)
schemes=$(IFS=,; echo "${all_schemes[*]}")
out=${1:?$usage}
name=${2:?$usage}
shift 2
defines=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --buffer) defines+=(-DLEARN_COST_BUFFER="${2:?$usage}"); shift 2 ;;
    --schemes) schemes="${2:?$usage}"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[[ -f "$out/$name.cpp" ]] || { echo "learn-cost.sh: no $out/$name.cpp" >&2; exit 2; }
mask=0
IFS=, read -ra wanted <<< "$schemes"
for w in "${wanted[@]}"; do
  bit=-1
  for k in "${!all_schemes[@]}"; do
    [[ "${all_schemes[$k]}" == "$w" ]] && bit=$k
  done
  if (( bit < 0 )); then
    echo "learn-cost.sh: unknown scheme '$w' (one of: ${all_schemes[*]})" >&2
    exit 2
  fi
  mask=$(( mask | (1 << bit) ))
done
defines+=(-DLEARN_COST_SCHEMES="${mask}u")
includes=(-I"$out")
if [[ -f "$out/check/check_data.h" ]]; then
  includes+=(-I"$out/check")
  defines+=(-DLEARN_COST_CHECK_DATA)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The harness includes <name>.cpp (it needs the library's trainer
# configuration), so that file is not compiled on its own.
"$root/runtime/mcu/build-firmware.sh" -o "$work/cost.elf" "${includes[@]}" \
  "-DTNAS_LIBRARY_SOURCE=\"$name.cpp\"" "${defines[@]}" \
  "$root/runtime/mcu/learn_cost_main.cpp" "$out"/tnas_rt/*.cpp
timeout 600 qemu-system-arm -M mps2-an386 -nographic -icount shift=0 \
  -semihosting-config enable=on,target=native -kernel "$work/cost.elf" |
  tee "$work/run.txt"
mkdir -p "$out/device"
python3 - "$work/run.txt" "$out/device/learn_cost.json" "$schemes" <<'EOF'
import json, re, sys
rows, api = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"learn-cost: (api )?(\S+) learn=(\d+) predict=(\d+) "
                 r"buffer=(\d+)", line)
    if not m:
        continue
    row = {"learn": int(m[3]), "predict": int(m[4]), "buffer": int(m[5])}
    if m[1]:
        api = (m[2], row)
    else:
        rows[m[2]] = row
names = sys.argv[3].split(",")
if api is not None and api[0] not in names:
    names.append(api[0])
missing = [n for n in names if n not in rows]
if missing or api is None:
    sys.exit("learn-cost: the firmware did not report " +
             ", ".join(missing or ["the API figures"]))
# The harness's figures stand for the API's: the library's own scheme,
# timed both ways on the same stream, must agree (when the buffers do).
scheme, measured = api
own = rows[scheme]
if own["buffer"] == measured["buffer"]:
    for key in ("learn", "predict"):
        a, b = own[key], measured[key]
        if abs(a - b) > 0.01 * max(a, b):
            sys.exit(f"learn-cost: {scheme} {key}: harness {a} vs "
                     f"tnas_{key} {b} instructions differ by more than 1%")
    print(f"learn-cost: {scheme} harness agrees with tnas_learn / "
          "tnas_predict within 1%")
result = {n: {"instructions_per_learn": rows[n]["learn"],
              "instructions_per_predict": rows[n]["predict"],
              "buffer": rows[n]["buffer"]} for n in names}
with open(sys.argv[2], "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print("learn-cost: wrote " + sys.argv[2])
EOF
