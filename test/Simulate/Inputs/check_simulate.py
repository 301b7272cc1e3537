#!/usr/bin/env python3
"""Checks out/simulate.json's structure and prints one line per scenario and
scheme for FileCheck; with --html also checks that simulate.html is a
well-formed page whose SVGs parse as XML, with one curve per scheme and the
event marked."""
import html.parser
import json
import sys
import xml.etree.ElementTree as ET

out = sys.argv[1]
report = json.load(open(f"{out}/simulate.json"))
assert report["spec"].endswith(".tnas")


def mean(v):
    return None if v is None else v["mean"]


def fmt(v):
    return "none" if v is None else f"{v:.3f}"


for s in report["scenarios"]:
    for key in ("name", "kind", "event", "event_at", "stream_samples", "window",
                "repetitions", "pretrain_classes", "device_classes",
                "test_sets", "schemes"):
        assert key in s, key
    print(f"scenario {s['name']} kind={s['kind']} event_at={s['event_at']} "
          f"repetitions={s['repetitions']} test_sets={','.join(s['test_sets'])}")
    for sc in s["schemes"]:
        for key in ("memory", "pre_event_accuracy", "post_event_accuracy",
                    "recovery_samples", "recovered_runs", "test_accuracy_start",
                    "test_accuracy_end", "curve", "checkpoints",
                    "instructions_per_update"):
            assert key in sc, key
        assert sc["post_event_accuracy"]["n"] == s["repetitions"]
        curve = sc["curve"]
        assert len(curve["index"]) == len(curve["accuracy"]) > 0
        assert curve["index"] == sorted(curve["index"])
        assert curve["index"][-1] <= s["stream_samples"]
        assert all(0.0 <= a <= 1.0 for a in curve["accuracy"])
        indices = [c["index"] for c in sc["checkpoints"]]
        assert indices[0] == 0 and indices[-1] == s["stream_samples"], indices
        if s["kind"] == "drift":
            assert s["event_at"] in indices
        for t in s["test_sets"]:
            assert t in sc["test_accuracy_end"]
        end = {t: mean(v) for t, v in sc["test_accuracy_end"].items()}
        mem = sc["memory"]
        assert mem["ram_bytes"] == (mem["arena_bytes"] + mem["scratch_bytes"]
                                    + mem["trainer_bytes"])
        print(f"  {sc['name']} pre={fmt(mean(sc['pre_event_accuracy']))} "
              f"post={fmt(mean(sc['post_event_accuracy']))} "
              f"recovered={sc['recovered_runs']} buffer={mem['buffer_samples']} "
              + " ".join(f"test_{t}={fmt(a)}" for t, a in sorted(end.items())))

if "--html" not in sys.argv:
    sys.exit(0)


class Page(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "line", "rect",
            "polyline", "circle"}

    def __init__(self):
        super().__init__()
        self.stack, self.svgs, self.current = [], [], None

    def handle_starttag(self, tag, attrs):
        text = "<" + tag + "".join(f' {k}="{v}"' for k, v in attrs)
        if tag == "svg":
            self.current = []
        if self.current is not None:
            self.current.append(text + (" />" if tag in self.VOID else ">"))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
        self.stack.pop()
        if self.current is not None:
            self.current.append(f"</{tag}>")
        if tag == "svg":
            self.svgs.append("".join(self.current))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data.replace("&", "&amp;").replace("<", "&lt;"))


page = Page()
page.feed(open(f"{out}/simulate.html").read())
page.close()
assert not page.stack, page.stack
assert len(page.svgs) == len(report["scenarios"])
ns = "{http://www.w3.org/2000/svg}"
for s, svg in zip(report["scenarios"], page.svgs):
    root = ET.fromstring(svg)
    curves = [p for p in root.iter(ns + "polyline")
              if p.get("class") == "scheme"]
    events = [l for l in root.iter(ns + "line") if l.get("class") == "event"]
    assert len(curves) == len(s["schemes"])
    for p in curves:
        assert len(p.get("points").split()) == \
            len(s["schemes"][0]["curve"]["index"])
    print(f"html {s['name']}: {len(curves)} curves, {len(events)} event line")
