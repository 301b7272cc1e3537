#!/usr/bin/env python3
"""Reads device-check's footprint.json and prints, for FileCheck, whether the
measured stack high-water mark exceeds the one-channel allowance and stays
within the cost model's stack estimate:
  stack_within_estimate.py footprint.json"""
import json
import sys

ONE_CHANNEL_ALLOWANCE = 448  # kStackAllowanceBytes

footprint = json.load(open(sys.argv[1]))
row = next(r for r in footprint["rows"] if r["name"] == "ram stack")
yes = lambda b: "yes" if b else "no"
print(f"stack measured above the one-channel allowance "
      f"({ONE_CHANNEL_ALLOWANCE}):", yes(row["measured"] > ONE_CHANNEL_ALLOWANCE))
print("stack measured within the estimate:",
      yes(row["measured"] <= row["estimated"]))
