#!/usr/bin/env python3
"""Compares an emitted library's footprint in linked firmware with the cost
model's Flash and RAM estimate.

The measured side comes from the firmware's linker map: the sizes of the
input sections that the library's objects (<name>.cpp.o and the copied
tnas_rt/*.cpp.o) contributed after --gc-sections, split like
arm-none-eabi-size into .text, .rodata, .data and .bss, plus the stack
high-water mark of the library calls (stack painting). The estimate is the
"cost_estimate" object tnasc writes into report.json (cost::footprintJson),
with the trainer buffer re-priced at the capacity the emitted header
declares. Flash = text + rodata + data (its initial image);
RAM = data + bss + stack.

  firmware_vs_cost.py --map fw.map --report out/report.json
      --header out/<name>.h --stack BYTES --object <name>.cpp.o
      [--object conv_s8.cpp.o ...] [--tolerance 0.10] [--json out.json]

Prints the comparison; exits 1 when Flash or RAM is off by more than the
tolerance (relative to the measurement), 2 on bad input.
"""
import argparse
import json
import os
import re
import sys

CATEGORIES = ("text", "rodata", "data", "bss")


def fail(message):
    print("firmware_vs_cost: error: " + message, file=sys.stderr)
    sys.exit(2)


def category(section):
    """The arm-none-eabi-size column an input section counts in."""
    if section.startswith(".text") or section.startswith(".glue"):
        return "text"
    if section.startswith(".rodata"):
        return "rodata"
    if section.startswith(".data") or section.startswith(".init_array"):
        return "data"
    if section.startswith(".bss") or section == "COMMON":
        return "bss"
    return None  # debug info, ARM attributes, exception tables


def library_sections(map_path, objects):
    """Bytes per category that `objects` (basenames) put in the image."""
    sizes = dict.fromkeys(CATEGORIES, 0)
    entry = re.compile(r"^\s+(\S+)?\s*0x[0-9a-fA-F]+\s+0x([0-9a-fA-F]+)\s+(\S+)$")
    in_map = False
    pending = None  # an input section name alone on its line
    try:
        lines = open(map_path).read().splitlines()
    except OSError as e:
        fail("cannot read the map %s: %s" % (map_path, e))
    for line in lines:
        if line.startswith("Linker script and memory map"):
            in_map = True
            continue
        if not in_map:
            continue  # discarded sections come before the memory map
        name_only = re.match(r"^ (\.\S+|COMMON)$", line)
        if name_only:
            pending = name_only.group(1)
            continue
        m = entry.match(line)
        if not m:
            pending = None
            continue
        section = m.group(1) or pending
        pending = None
        if not section or os.path.basename(m.group(3)) not in objects:
            continue
        kind = category(section)
        if kind:
            sizes[kind] += int(m.group(2), 16)
    return sizes


def find_key(node, key):
    if isinstance(node, dict):
        if key in node:
            return node[key]
        for value in node.values():
            found = find_key(value, key)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = find_key(value, key)
            if found is not None:
                return found
    return None


def buffer_capacity(header):
    try:
        text = open(header).read()
    except OSError as e:
        fail("cannot read the header %s: %s" % (header, e))
    m = re.search(r"#define TNAS_BUFFER_CAPACITY (\d+)", text)
    return int(m.group(1)) if m else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--map", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--header", required=True)
    parser.add_argument("--stack", type=int, required=True)
    parser.add_argument("--object", action="append", required=True)
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--json")
    args = parser.parse_args()

    try:
        report = json.load(open(args.report))
    except (OSError, ValueError) as e:
        fail("cannot read %s: %s" % (args.report, e))
    estimate = find_key(report, "cost_estimate")
    if estimate is None:
        fail("%s has no cost_estimate (run tnasc to emit the library)"
             % args.report)
    flash_est = estimate["flash"]
    ram_est = dict(estimate["ram"])
    samples = buffer_capacity(args.header)
    per_sample = ram_est["bytes_per_sample"]
    buffer_est = samples * per_sample
    ram_total_est = (ram_est["total"] - ram_est["trainer_samples"] * per_sample
                     + buffer_est)

    measured = library_sections(args.map, set(args.object))
    flash = measured["text"] + measured["rodata"] + measured["data"]
    static_ram = measured["data"] + measured["bss"]
    ram = static_ram + args.stack
    if flash == 0:
        fail("no section of %s in %s" % (", ".join(args.object), args.map))

    const_est = (flash_est["weights"] + flash_est["biases"]
                 + flash_est["quant_params"] + flash_est["layer_config"]
                 + flash_est["classifier"])
    static_est = ram_total_est - ram_est["stack"]
    rows = [
        ("flash code", measured["text"], flash_est["code"]),
        ("flash constants", measured["rodata"] + measured["data"], const_est),
        ("flash total", flash, flash_est["total"]),
        ("ram static", static_ram, static_est),
        ("ram stack", args.stack, ram_est["stack"]),
        ("ram total", ram, ram_total_est),
    ]
    print("footprint: text=%d rodata=%d data=%d bss=%d stack=%d "
          "(trainer buffer %d samples)"
          % (measured["text"], measured["rodata"], measured["data"],
             measured["bss"], args.stack, samples))
    result = {"measured": dict(measured, stack=args.stack),
              "trainer_samples": samples, "tolerance": args.tolerance,
              "rows": []}
    bad = []
    for name, real, est in rows:
        error = (est - real) / real if real else 0.0
        print("footprint: %-16s measured=%7d estimated=%7d error=%+.1f%%"
              % (name, real, est, 100.0 * error))
        result["rows"].append({"name": name, "measured": real,
                               "estimated": est, "error": error})
        if name.endswith("total") and abs(error) > args.tolerance:
            bad.append(name)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    if bad:
        print("footprint: %s off by more than %.0f%%: recalibrate "
              "compiler/include/tnas/Search/CostModelConstants.h and "
              "stdlib/costs/kernel_sizes.json (docs/cost-model.md)"
              % (" and ".join(bad), 100.0 * args.tolerance))
        return 1
    print("footprint: Flash and RAM within %.0f%% of the cost model"
          % (100.0 * args.tolerance))
    return 0


if __name__ == "__main__":
    sys.exit(main())
