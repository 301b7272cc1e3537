#!/usr/bin/env python3
"""Reads the float and int8 test accuracies tnasc logged and says whether
int8 is within the given fraction of float (exit 1 otherwise)."""
import re
import sys

log = open(sys.argv[1]).read()
limit = float(sys.argv[2])
acc = {m[0]: float(m[1]) / 100 for m in
       re.findall(r"^(\w+) +test accuracy ([0-9.]+)%", log, re.M)}
gap = acc["float"] - acc["int8"]
print(f"float {acc['float']:.4f} int8 {acc['int8']:.4f} gap {gap:+.4f}")
if gap > limit:
    print(f"int8 loses {gap * 100:.2f} points, more than {limit * 100:.1f}")
    sys.exit(1)
print(f"int8 within {limit * 100:.1f} point of float")
