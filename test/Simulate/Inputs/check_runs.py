#!/usr/bin/env python3
"""Checks each scheme's per-repetition figures (`runs`) of simulate.json
against its summary: one run per seed, in the scenario's seed order, whose
means are the summary's means and whose recoveries are its recovered runs.
Prints one line per scheme: runs <name> seeds=[...] ok, or what differs."""
import json
import statistics
import sys

report = json.load(open(sys.argv[1]))
for scenario in report["scenarios"]:
    for scheme in scenario["schemes"]:
        runs = scheme["runs"]
        problems = []
        if [r["seed"] for r in runs] != scenario["seeds"]:
            problems.append("seeds %s vs %s" % ([r["seed"] for r in runs], scenario["seeds"]))
        for key in ("pre_event_accuracy", "post_event_accuracy"):
            values = [r[key] for r in runs if r[key] is not None]
            summary = scheme[key]
            if summary is None or abs(statistics.mean(values) - summary["mean"]) > 1e-9:
                problems.append(key)
        recovered = [r["recovery_samples"] for r in runs if r["recovery_samples"] is not None]
        if len(recovered) != scheme["recovered_runs"]:
            problems.append("recovered runs")
        for name, summary in scheme["test_accuracy_end"].items():
            values = [r["test_accuracy_end"][name] for r in runs]
            if abs(statistics.mean(values) - summary["mean"]) > 1e-9:
                problems.append("test " + name)
        print("runs %s seeds=%s %s" % (scheme["name"], [r["seed"] for r in runs],
                                       "ok" if not problems else "differ: " + ", ".join(problems)))
