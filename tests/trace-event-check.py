#!/usr/bin/env python3
"""tests/trace-event-check.py: validate a Chrome Trace Event JSON file.

Checks what the Trace Event Format document requires of each phase
(https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU,
as Perfetto's JSON importer reads it): field types, M metadata names, X
durations, C counter args, b/e async pairs (same cat and id, begin before
end, properly matched), s/f flow pairs, i scopes. Exits 1 with one line per
problem.
"""
import json
import sys

PHASES = set("BEXiIbenCsftPMO")


def main(path):
    problems = []
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    evs = doc["traceEvents"] if isinstance(doc, dict) else doc
    if not isinstance(evs, list) or not evs:
        return ["no traceEvents"]
    opened = {}
    flows = {}
    for n, e in enumerate(evs):
        where = "event %d (%s)" % (n, e.get("name"))
        ph = e.get("ph")
        if ph not in PHASES:
            problems.append("%s: bad ph %r" % (where, ph))
            continue
        if not isinstance(e.get("name"), str):
            problems.append("%s: name not a string" % where)
        for k in ("pid", "tid"):
            if k in e and not isinstance(e[k], int):
                problems.append("%s: %s not an int" % (where, k))
        if ph != "M" and not isinstance(e.get("ts"), (int, float)):
            problems.append("%s: ts not a number" % where)
        if ph == "M" and e["name"] not in ("process_name", "thread_name",
                                           "process_sort_index",
                                           "thread_sort_index",
                                           "process_labels"):
            problems.append("%s: unknown metadata" % where)
        if ph == "X" and not (isinstance(e.get("dur"), (int, float))
                              and e["dur"] >= 0):
            problems.append("%s: X without dur >= 0" % where)
        if ph == "C":
            a = e.get("args")
            if not isinstance(a, dict) or not a or not all(
                    isinstance(v, (int, float)) for v in a.values()):
                problems.append("%s: C args must be numbers" % where)
        if ph in "be":
            if "id" not in e or "cat" not in e:
                problems.append("%s: async event without id/cat" % where)
                continue
            key = (e["cat"], str(e["id"]), e.get("pid"))
            if ph == "b":
                if key in opened:
                    problems.append("%s: async id reopened" % where)
                opened[key] = e
            else:
                b = opened.pop(key, None)
                if b is None:
                    problems.append("%s: e without b" % where)
                elif b["ts"] > e["ts"]:
                    problems.append("%s: e before its b" % where)
        if ph in "sf":
            flows.setdefault(e.get("id"), []).append(ph)
        if ph == "i" and e.get("s", "t") not in "gpt":
            problems.append("%s: bad instant scope" % where)
    for key in opened:
        problems.append("async %s never ended" % (key,))
    for fid, phs in flows.items():
        if sorted(phs) != ["f", "s"]:
            problems.append("flow %s is %s, not one s and one f" % (fid, phs))
    return problems


if __name__ == "__main__":
    bad = main(sys.argv[1])
    for p in bad:
        print("%s: %s" % (sys.argv[1], p))
    sys.exit(1 if bad else 0)
