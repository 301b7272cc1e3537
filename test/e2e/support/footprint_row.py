#!/usr/bin/env python3
"""Reads device-check's footprint.json and prints, for FileCheck, whether one
row's measurement is within the cost model's estimate and within the
check's tolerance of it:
  footprint_row.py footprint.json "ram stack" ["ram static" ...]"""
import json
import sys

footprint = json.load(open(sys.argv[1]))
tolerance = footprint["tolerance"]
rows = {r["name"]: r for r in footprint["rows"]}
yes = lambda b: "yes" if b else "no"
for name in sys.argv[2:]:
    row = rows[name]
    print(f"{name}: measured {row['measured']} estimated {row['estimated']}; "
          f"within the estimate: {yes(row['measured'] <= row['estimated'])}; "
          f"within {tolerance:.0%}: {yes(abs(row['error']) <= tolerance)}")
