#!/usr/bin/env python3
"""Checks a tnasc report: report.json is consistent (counts, front, pick) and
report.html is a well-formed page with the front drawn as SVG. Prints a
summary for FileCheck."""
import html.parser
import json
import sys

out = sys.argv[1]
report = json.load(open(f"{out}/report.json"))
cands = report["candidates"]
counts = report["counts"]
statuses = [c["status"] for c in cands]
assert counts["visited"] == len(cands)
for s in ("trained", "rejected", "failed"):
    assert counts[s] == statuses.count(s), s
trained = [i for i, c in enumerate(cands) if c["status"] == "trained"]
for i in report["pareto"]:
    assert cands[i]["status"] == "trained"
if trained:
    best = max(trained, key=lambda i: cands[i]["accuracy"])
    assert cands[report["chosen"]]["accuracy"] == cands[best]["accuracy"]
for c in cands:
    if c["status"] == "rejected":
        assert "reason" in c and "trained" not in c, c
        assert "accuracy" not in c

class Page(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "circle", "line",
            "rect", "polyline"}
    def __init__(self):
        super().__init__()
        self.stack, self.svgs, self.errors = [], 0, []
    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svgs += 1
        if tag not in self.VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()

page = Page()
page.feed(open(f"{out}/report.html").read())
assert not page.errors and not page.stack, (page.errors, page.stack)
print(f"report: {counts['visited']} visited, {counts['trained']} trained, "
      f"{counts['rejected']} rejected, {counts['failed']} failed, "
      f"{len(report['pareto'])} on the front, {page.svgs} svg plots")
for c in cands:
    print(f"candidate {c['key']} {c['status']} ram={c['ram_bytes']}"
          + (f" reason={c['reason']}" if 'reason' in c else ""))
if "chosen" in report:
    print(f"chosen {cands[report['chosen']]['key']}")
if "final" in report:
    text = open(f"{out}/report.html").read()
    final = report["final"]
    for key in ("float_test_accuracy", "int8_test_accuracy"):
        shown = f"<th>{key}</th><td class='l'>{100 * final[key]:.2f}%</td>"
        assert shown in text, f"{key} not in the page"
    print(f"final: float {final['float_test_accuracy']:.4f} "
          f"int8 {final['int8_test_accuracy']:.4f}, both in the page")
