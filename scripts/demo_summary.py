#!/usr/bin/env python3
"""The flagship demo's closing summary, from what the run left in <out>/:
report.json (search and compression figures), <name>.h (what the emitted
library states about itself), the device check's log and sim/simulate.json.
    demo_summary.py <out> <name> <device-check.log>"""
import json
import re
import sys

out, name, check_log = sys.argv[1], sys.argv[2], sys.argv[3]
report = json.load(open(f"{out}/report.json"))
final = report.get("final", {})
header = open(f"{out}/{name}.h").read()
define = {m[0]: m[1] for m in re.findall(r"#define (TNAS_\w+) (\S+)", header)}
facts = re.search(r"\((\d+) layers, (\d+) MACs\)", header)
footprint = re.search(r"^// (Flash: .*)$", header, re.M)


def kib(n):
    return f"{int(n) / 1024:.1f} KiB"


def pct(x):
    return f"{100 * x:.2f}%"


chosen = report["candidates"][report["chosen"]]
print(f"summary: chosen {chosen['key']} of {report['counts']['visited']} "
      f"candidates ({report['counts']['trained']} trained, "
      f"{report['counts']['rejected']} rejected before training)")
print("summary: test accuracy float " + pct(final["float_test_accuracy"])
      + (", pruned+fine-tuned " + pct(final["finetuned_test_accuracy"])
         if "finetuned_test_accuracy" in final else "")
      + ", int8 " + pct(final["int8_test_accuracy"]))
print(f"summary: emitted library: {facts[1]} int8 layers, {facts[2]} MACs; "
      f"{footprint[1] if footprint else ''} TyBox buffer "
      f"{define.get('TNAS_BUFFER_CAPACITY', '0')} samples")
bound = report["bounds"]
if "estimated_ram_bytes" in final:
    print(f"summary: cost model for the emitted model: {final['macs'] / 1e6:.2f} M "
          f"MACs, latency {1000 * final['estimated_latency_s']:.1f} ms, "
          f"RAM {kib(final['estimated_ram_bytes'])} (bound {kib(bound['ram'])}), "
          f"Flash {kib(final['estimated_flash_bytes'])} "
          f"(bound {kib(bound['flash'])})")
for line in open(check_log):
    if line.startswith("device-check:"):
        print("summary: QEMU " + line.strip()[len("device-check: "):])
try:
    sim = json.load(open(f"{out}/sim/simulate.json"))
except FileNotFoundError:
    sys.exit(0)
for sc in sim["scenarios"]:
    print(f"summary: {sc['kind']} '{sc['name']}' ({sc['event']}):")
    for s in sc["schemes"]:
        rec = s.get("recovery_samples")
        rec = (f"recovered in {rec['mean']:.0f} samples" if rec
               else "did not recover")
        print(f"summary:   {s['name']:<22} before {pct(s['pre_event_accuracy']['mean'])}"
              f", at the end {pct(s['post_event_accuracy']['mean'])}, {rec}")
