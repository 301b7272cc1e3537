#!/usr/bin/env python3
"""After a resume: how many candidates the interrupted run had finished,
how many of them the resumed run trained again (appended to the checkpoint
a second time), and how many the report says came from the checkpoint.
   check_resume.py <checkpoint before resume> <out dir after resume>"""
import json
import sys

def keys(path):
    return [json.loads(line)["key"] for line in open(path)
            if '"key"' in line]

before = keys(sys.argv[1])
after = keys(f"{sys.argv[2]}/checkpoint.jsonl")
assert after[:len(before)] == before, "the checkpoint was rewritten"
again = [k for k in after[len(before):] if k in before]
report = json.load(open(f"{sys.argv[2]}/report.json"))
print(f"resume: {len(before)} finished before, {len(again)} trained again, "
      f"{report['counts']['from_checkpoint']} from the checkpoint, "
      f"{report['counts']['visited']} visited")
