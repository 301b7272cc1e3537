#!/usr/bin/env python3
"""The issue's drift inequalities on simulate.json, as yes/no lines."""
import json
import sys

s = json.load(open(f"{sys.argv[1]}/simulate.json"))["scenarios"][0]
by = {sc["name"]: sc for sc in s["schemes"]}
def post(n): return by[n]["post_event_accuracy"]["mean"]
def pre(n): return by[n]["pre_event_accuracy"]["mean"]
yes = lambda b: "yes" if b else "no"
for n in ("tybox-fifo", "tybox-conflict"):
    print(f"{n} after drift > static after drift:",
          yes(post(n) > post("static")))
for n in ("tybox-fifo", "tybox-conflict", "static"):
    print(f"{n} within 3 points of pre-drift:", yes(post(n) >= pre(n) - 0.03))
print("static test accuracy on the new concept < 0.6:",
      yes(by["static"]["test_accuracy_end"]["after"]["mean"] < 0.6))
