#!/usr/bin/env python3
"""Prints a search's candidates in the order the strategy visited them, then
the Pareto front and the pick, from out/report.json, for FileCheck."""
import json
import sys

report = json.load(open(f"{sys.argv[1]}/report.json"))
cands = report["candidates"]
for c in cands:
    print(f"visit {c['key']} {c['status']}")
print("front " + " ".join(sorted(cands[i]["key"] for i in report["pareto"])))
print(f"chosen {cands[report['chosen']]['key']}")
