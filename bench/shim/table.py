#!/usr/bin/env python3
"""The one table of bench/shim.sh, from its raw result files.

usage: table.py OUTDIR

OUTDIR holds (as bench/shim.sh writes them):
  cold.txt      `cold impl=NAME run=R wall_s=.. rss_kb=.. cpu_s=.. sts=..` per fetchdt run
  warm.txt      `warm impl=NAME calls=N p50_us=.. p99_us=.. mean_us=.. sts=.. connections=..`
  classpath.txt `classpath name=NAME jars=N bytes=B`, NAME: hadoop (the shared base), s3adt-jar,
                s3adt and hadoop-aws (the whole fetchdt classpaths), hadoop-aws-modules (what the
                hadoop-aws side has beyond the base), hadoop-aws-bundle (base + hadoop-aws + bundle)
Prints a Markdown table: each measure for s3adt and hadoop-aws 3.4.1, and hadoop-aws / s3adt
(above 1: s3adt is faster or smaller).
"""
import statistics
import sys


def rows(path, tag):
    out = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if p and p[0] == tag:
                out.append(dict(x.split("=", 1) for x in p[1:] if "=" in x))
    return out


def fmt(v, unit, digits):
    return f"{v:,.{digits}f} {unit}".strip()


def ratio(a, b):
    if not a:
        return "n/a"
    r = b / a
    return f"{r:,.0f}x" if r >= 100 else f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"


def main():
    d = sys.argv[1]
    cold = rows(f"{d}/cold.txt", "cold")
    warm = {r["impl"]: r for r in rows(f"{d}/warm.txt", "warm")}
    cps = {r["name"]: r for r in rows(f"{d}/classpath.txt", "classpath")}
    lines = ["| measure | s3adt | hadoop-aws 3.4.1 | hadoop-aws / s3adt |", "|---|---:|---:|---:|"]

    def add(what, a, b, r):
        lines.append(f"| {what} | {a} | {b} | {r} |")

    def med(impl, key):
        vals = [float(r[key]) for r in cold if r["impl"] == impl]
        return statistics.median(vals), min(vals), max(vals), len(vals)

    n = med("hadoop-aws", "wall_s")[3]
    lib = any(r["impl"] == "s3adt-lib" for r in cold)
    for key, what, unit, scale, digits in (("wall_s", "wall", "s", 1, 2), ("rss_kb", "peak RSS", "MiB", 1024, 0),
                                           ("cpu_s", "CPU user+sys", "s", 1, 2)):
        for impl, note in (("s3adt", ""), ("s3adt-lib", ", s3adt's .so on java.library.path")):
            if impl == "s3adt-lib" and not lib:
                continue
            a, amin, amax, _ = med(impl, key)
            b, bmin, bmax, _ = med("hadoop-aws", key)
            a, b = a / scale, b / scale
            if key == "wall_s":
                ca, cb = f"{a:.2f} s ({amin:.2f}-{amax:.2f})", f"{b:.2f} s ({bmin:.2f}-{bmax:.2f})"
                what_n = f"cold `hdfs fetchdt` {what}, median of {n} (min-max){note}"
            else:
                ca, cb = fmt(a, unit, digits), fmt(b, unit, digits)
                what_n = f"cold `hdfs fetchdt` {what}, median{note}"
            add(what_n, ca, cb, ratio(a, b))
    sts = {impl: sorted({int(r["sts"]) for r in cold if r["impl"] == impl}) for impl in ("s3adt", "hadoop-aws")}
    add("cold `hdfs fetchdt` STS calls per run", "/".join(map(str, sts["s3adt"])),
        "/".join(map(str, sts["hadoop-aws"])), "")

    mb = lambda name: int(cps[name]["bytes"]) / 1e6
    jars = lambda name: int(cps[name]["jars"])
    add("fetchdt classpath, sum of jar sizes", f"{mb('s3adt'):.1f} MB ({jars('s3adt')} jars)",
        f"{mb('hadoop-aws'):.1f} MB ({jars('hadoop-aws')} jars)", ratio(mb("s3adt"), mb("hadoop-aws")))
    add(f"... beyond the Hadoop jars both have ({jars('hadoop')} jars, {mb('hadoop'):.1f} MB)",
        f"{mb('s3adt-jar'):.1f} MB (1 jar)", f"{mb('hadoop-aws-modules'):.1f} MB ({jars('hadoop-aws-modules')} jars)",
        ratio(mb("s3adt-jar"), mb("hadoop-aws-modules")))
    add("classpath with the SDK `bundle` stock hadoop-aws ships (size only, not run)", f"{mb('s3adt'):.1f} MB",
        f"{mb('hadoop-aws-bundle'):.1f} MB ({jars('hadoop-aws-bundle')} jars)", ratio(mb("s3adt"), mb("hadoop-aws-bundle")))

    h = warm.get("hadoop-aws")
    for impl, label in (("s3adt", "s3adt as shipped"), ("s3adt-nocache", "s3adt, session cache defeated")):
        s = warm.get(impl)
        if not s or not h:
            continue
        calls = int(s["calls"])
        for key, name in (("p50_us", "p50"), ("p99_us", "p99"), ("mean_us", "mean")):
            a, b = float(s[key]), float(h[key])
            add(f"warm `getDelegationToken` {name}, {label}",
                fmt(a, "µs", 1 if a < 100 else 0), fmt(b, "µs", 0), ratio(a, b))
        a, b = float(s.get("upstream_mean_us", 0)), float(h.get("upstream_mean_us", 0))
        add("... of the mean, waiting for moto behind the STS front", fmt(a, "µs", 0), fmt(b, "µs", 0), "")
        add(f"... STS calls / new TLS connections in the {calls} measured calls",
            f"{s['sts']} / {s['connections']}", f"{h['sts']} / {h['connections']}", "")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
