#!/usr/bin/env python3
"""Multiplies one total of the cost_estimate in a tnasc report.json (for the
negative case of firmware-vs-cost-model.test):
  scale_estimate.py report.json flash|ram factor"""
import json
import sys


def scale(node, part, factor):
    if isinstance(node, dict):
        if "cost_estimate" in node:
            entry = node["cost_estimate"][part]
            entry["total"] = int(entry["total"] * factor)
            return True
        return any(scale(v, part, factor) for v in node.values())
    if isinstance(node, list):
        return any(scale(v, part, factor) for v in node)
    return False


path, part, factor = sys.argv[1], sys.argv[2], float(sys.argv[3])
report = json.load(open(path))
if not scale(report, part, factor):
    sys.exit("scale_estimate: no cost_estimate in " + path)
json.dump(report, open(path, "w"))
