#!/usr/bin/env python3
"""Prints each scheme's instruction counts from simulate.json and whether
they are the ones scripts/learn-cost.sh wrote; checks the HTML table.
  check_learn_cost.py <out> <learn_cost.json>"""
import json
import re
import sys

out, measured_path = sys.argv[1], sys.argv[2]
measured = json.load(open(measured_path))
report = json.load(open(f"{out}/simulate.json"))
rows = {}
for s in report["scenarios"]:
    for sc in s["schemes"]:
        name = sc["name"]
        learn, predict = sc["instructions_per_update"], sc["instructions_per_predict"]
        m = measured[name]
        same = (learn == m["instructions_per_learn"]
                and predict == m["instructions_per_predict"])
        rows[name] = learn
        print(f"{name} learn={learn} predict={predict} "
              + ("as-measured" if same else "DIFFERENT"))
print("tybox-fifo learns more than tinyol:",
      "yes" if rows["tybox-fifo"] > rows["tinyol"] else "no")
html = open(f"{out}/simulate.html").read()
cells = re.findall(r"<td>([\d,]+)</td><td>([\d,]+)</td></tr>", html)
# Each row's figures, digits grouped by thousands, are the measured ones.
for name, learn in rows.items():
    m = re.search(rf"<tr><td>{re.escape(name)}</td>.*?"
                  r"<td>([\d,]+)</td><td>([\d,]+)</td></tr>", html)
    shown = m and int(m[1].replace(",", "")) == learn
    grouped = m and (learn < 1000 or "," in m[1])
    print(f"html: {name} as measured, grouped: "
          + ("yes" if shown and grouped else "no"))
print(f"html: {len(cells)} rows with instruction counts")
