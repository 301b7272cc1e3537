#!/usr/bin/env bash
# Installs the Debian bookworm packages tnasc needs, and nothing else.
# Idempotent: when every package is already installed, it makes no apt call at all.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ python3
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools
  antlr4 libantlr4-runtime-dev
  libgtest-dev zlib1g-dev
  clang libclang-rt-14-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  openmpi-bin libopenmpi-dev
  dataset-fashion-mnist
)
# The benchmarks' peer (bench/train_throughput runs PyTorch beside tnasc); never needed by the
# product or its tests, so only on request: `bash scripts/setup.sh --bench`.
if [[ "${1:-}" == "--bench" ]]; then
  PACKAGES+=(python3-torch)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
