#!/usr/bin/env python3
"""Checks the shape of scripts/learn-cost.sh's learn_cost.json (the contract
with `tnasc simulate`, docs/emitted-code.md) and prints one line per scheme
for FileCheck:
  check_learn_cost.py learn_cost.json [scheme,scheme,...]
(the schemes the file must hold; default: all)."""
import json
import sys

SCHEMES = ["static", "tinyol", "tybox-fifo", "tybox-reservoir",
           "tybox-misclassified", "tybox-conflict", "knn-passive", "knn-active", "knn-hybrid"]
KEYS = ["instructions_per_learn", "instructions_per_predict", "buffer"]

cost = json.load(open(sys.argv[1]))
expected = sys.argv[2].split(",") if len(sys.argv) > 2 else SCHEMES
if sorted(cost) != sorted(expected):
    sys.exit(f"schemes {sorted(cost)}, expected {sorted(expected)}")
for name in [s for s in SCHEMES if s in expected]:
    row = cost[name]
    if sorted(row) != sorted(KEYS) or not all(
            isinstance(row[k], int) and row[k] >= 0 for k in KEYS):
        sys.exit(f"{name}: {row} is not three non-negative integers {KEYS}")
    print(f"{name} learn={row[KEYS[0]]} predict={row[KEYS[1]]} "
          f"buffer={row[KEYS[2]]}")
