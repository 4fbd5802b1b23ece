#!/usr/bin/env python3
"""Hot spots of a JFR recording: `jfr print --json --events jdk.ExecutionSample` aggregated by method.

    python3 bench/tools/jfr_hot.py recording.jfr [--thread PREFIX] [--top 30] [--focus SUBSTRING]

Prints, for the sampled Java threads, the methods with the most samples on top of the stack (self) and the
methods present anywhere in the stack (inclusive), plus the share of samples per thread group.
"""
import argparse
import collections
import json
import re
import subprocess


def frames(event):
    out = []
    for f in event["values"]["stackTrace"]["frames"]:
        m = f["method"]
        out.append(m["type"]["name"] + "." + m["name"])
    return out


# (prefix of a frame, component) in the order they are tried from the top of the stack
CATEGORIES = [
    ("org/h2/", "H2 (SQL engine and MVStore)"),
    ("org/postgresql/", "PostgreSQL JDBC driver"),
    ("com/zaxxer/hikari/", "HikariCP"),
    ("ch/qos/logback/", "logging"),
    ("org/slf4j/", "logging"),
    ("tools/jackson/", "Jackson (JSON)"),
    ("com/fasterxml/jackson/", "Jackson (JSON)"),
    ("org/hibernate/validator/", "Bean Validation"),
    ("jakarta/validation/", "Bean Validation"),
    ("io/micrometer/", "Micrometer (metrics, observations)"),
    ("org/springframework/jdbc/", "Spring JDBC"),
    ("org/springframework/transaction/", "Spring transactions"),
    ("com/alertrelay/", "relay code"),
    ("org/springframework/web/", "Spring MVC"),
    ("org/springframework/", "Spring (other)"),
    ("org/apache/catalina/", "Tomcat"),
    ("org/apache/coyote/", "Tomcat"),
    ("org/apache/tomcat/", "Tomcat"),
    ("sun/nio/", "JDK I/O"),
    ("java/", "JDK"),
    ("jdk/", "JDK"),
    ("sun/", "JDK"),
]


def category(fs):
    for f in fs:
        for prefix, name in CATEGORIES:
            if f.startswith(prefix) and not (name == "JDK"):
                return name
    return "JDK/other"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--thread", default="")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--focus", default="")
    ap.add_argument("--event", default="jdk.ExecutionSample")
    ap.add_argument("--callees", default="", help="break the samples under this method down by its callees")
    ap.add_argument("--categories", action="store_true", help="share of samples per component")
    a = ap.parse_args()
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", a.event, a.recording],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    self_c, incl_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
    cats = collections.Counter()
    callees = collections.Counter()
    n = 0
    for e in events:
        t = e["values"].get("sampledThread") or e["values"].get("eventThread") or {}
        name = t.get("javaName") or t.get("osName") or "?"
        if not name.startswith(a.thread):
            continue
        st = e["values"].get("stackTrace")
        if not st:
            continue
        fs = frames(e)
        if a.focus and not any(a.focus in f for f in fs):
            continue
        n += 1
        threads[re.sub(r"-\d+$", "-N", name)] += 1
        self_c[fs[0]] += 1
        cats[category(fs)] += 1
        if a.callees:
            for i, f in enumerate(fs):
                if f == a.callees or f.endswith("." + a.callees) or f.endswith("/" + a.callees):
                    callees[fs[i - 1] if i > 0 else "(self)"] += 1
                    break
        for f in set(fs):
            incl_c[f] += 1
    print(f"{n} samples")
    print("\n== threads")
    for k, v in threads.most_common(15):
        print(f"{100 * v / n:5.1f}%  {k}")
    if a.callees:
        print(f"\n== callees of {a.callees} (share of all samples)")
        for k, v in callees.most_common(a.top):
            print(f"{100 * v / n:5.1f}%  {k}")
    if a.categories:
        print("\n== components (first matching frame from the top of the stack)")
        for k, v in cats.most_common():
            print(f"{100 * v / n:5.1f}%  {k}")
    print("\n== self")
    for k, v in self_c.most_common(a.top):
        print(f"{100 * v / n:5.1f}%  {k}")
    print("\n== inclusive")
    for k, v in incl_c.most_common(a.top * 2):
        print(f"{100 * v / n:5.1f}%  {k}")


if __name__ == "__main__":
    main()
