#!/usr/bin/env python3
"""Invariants of tnasc's asynchronous evolution under mpirun.
   check_async_evolution.py <async report.json> <sequential report.json> <P> <P+C>
The seeds are the sequential run's first P candidates (they do not depend on
scores); every other record must be one mutation of a record that arrived
before it, no candidate twice, at most P+C records."""
import json
import sys

records = json.load(open(sys.argv[1]))["candidates"]
population, limit = int(sys.argv[3]), int(sys.argv[4])
seeds = {c["key"] for c in json.load(open(sys.argv[2]))["candidates"][:population]}
keys = [c["key"] for c in records]
if len(keys) != len(set(keys)):
    sys.exit("a candidate was recorded twice")
if len(keys) > limit:
    sys.exit("%d records for at most %d proposals" % (len(keys), limit))
if seeds - set(keys):
    sys.exit("seeds never evaluated: " + ", ".join(sorted(seeds - set(keys))))
for i, c in enumerate(records):
    if c["key"] in seeds:
        continue
    if not any(sum(a != b for a, b in zip(p["choice"], c["choice"])) == 1
               for p in records[:i]):
        sys.exit(c["key"] + " is neither a seed nor a mutation of an earlier record")
print("async evolution: %d records, every seed present, every other record "
      "one mutation of an earlier one" % len(records))
