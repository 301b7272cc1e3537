#!/usr/bin/env python3
"""Prints report.json's final MACs and buffer next to the emitted header's,
for FileCheck to compare: the header's int8 extractor plus fp32 classifier
MACs must be report.json's final.macs, and TNAS_BUFFER_CAPACITY its
final.buffer_samples.
  report_vs_header.py <out>/report.json <out>/<name>.h"""
import json
import re
import sys

final = json.load(open(sys.argv[1]))["final"]
header = open(sys.argv[2]).read()
m = re.search(r"\((\d+) layers, (\d+) MACs\) and an fp32 classifier "
              r"\((\d+) MACs\)", header)
assert m, "no MAC counts in the header"
capacity = int(re.search(r"#define TNAS_BUFFER_CAPACITY (\d+)", header)[1])
print(f"report macs={final['macs']} buffer={final['buffer_samples']}")
print(f"header macs={int(m[2]) + int(m[3])} buffer={capacity} "
      f"(extractor {m[2]}, classifier {m[3]})")
