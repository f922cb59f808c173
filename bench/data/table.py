#!/usr/bin/env python3
"""Tables of bench/data.sh: one per server, one column per implementation, ratios of s3adt.

usage: table.py OUTDIR SERVER...
Reads the implementations run from OUTDIR/SERVER/run.txt (impls=...), then OUTDIR/SERVER/IMPL.txt (key=value lines from DataBench / bench_s3), OUTDIR/SERVER/IMPL.time
(/usr/bin/time -v) and OUTDIR/SERVER/run.txt; prints Markdown on stdout.
"""
import os
import sys

NAMES = {
    "s3adt": "s3adt (JVM)",
    "s3adt-sdk": "s3adt, all through the SDK (JVM)",
    "hadoop-aws": "hadoop-aws 3.4.1 (JVM)",
    "hadoop-aws-bytebuffer": "hadoop-aws, bytebuffer (JVM)",
    "bare": "aws-sdk-s3 bare (Rust)",
    "store": "S3Store (Rust, no JVM)",
}


PHASES = ("start", "write", "read", "small", "list")


def lines(path):
    """The stripped lines of `path`; none when it does not exist."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.strip() for line in f]


def kv(path):
    d = {}
    for line in lines(path):
        if "=" in line:
            k, v = line.split("=", 1)
            d[k] = v
    return d


def timev(path):
    d = {}
    for line in lines(path):
        k, _, v = line.rpartition(": ")
        if k == "Maximum resident set size (kbytes)":
            d["rss_mib"] = int(v) / 1024
        elif k == "User time (seconds)":
            d["user"] = float(v)
        elif k == "System time (seconds)":
            d["sys"] = float(v)
        elif k.startswith("Elapsed (wall clock) time"):
            secs = 0.0
            for part in v.split(":"):
                secs = secs * 60 + float(part)
            d["wall"] = secs
    if "user" in d and "sys" in d:
        d["cpu"] = d["user"] + d["sys"]
    return d


def fmt(x):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def metrics(r, t):
    """(row key, value) for one implementation: throughputs and footprint."""
    def f(k):
        try:
            return float(r[k])
        except (KeyError, ValueError):
            return None

    size, n = f("size"), f("small_n")
    out = {}

    def rate(key, amount, scale=1.0):
        s = f(key)
        out[key] = (amount / s / scale if s and amount else None, s)

    rate("write_s", size, 1e6)
    rate("read_s", size, 1e6)
    rate("small_create_s", n)
    rate("small_read_s", n)
    rate("small_openfile_s", n)
    rate("small_create_perf_s", n)
    rate("list_files_s", f("list_files_n"))
    rate("list_status_s", f("list_status_n"))
    # /usr/bin/time's peak is the kernel's high-water mark at exit, which the programs reset
    # between phases (to get each phase's own): the process's peak is the largest of the phases'
    # and of what time saw after the last reset.
    peaks = [f(f"rss_{p}_mib") for p in PHASES] + [t.get("rss_mib")]
    peaks = [p for p in peaks if p is not None]
    out["rss"] = (max(peaks) if peaks else None, None)
    for phase in PHASES:
        out["rss_" + phase] = (f(f"rss_{phase}_mib"), None)
        out["cpu_" + phase] = (f(f"cpu_{phase}_s"), None)
    out["cpu"] = (t.get("cpu"), None)
    out["init"] = (f("init_ms"), None)
    out["wall"] = (t.get("wall"), None)
    out["delete"] = (f("delete_s"), None)
    return out


def main():
    outdir, servers = sys.argv[1], sys.argv[2:]
    machine = kv(os.path.join(outdir, "machine.txt"))
    for server in servers:
        d = os.path.join(outdir, server)
        run = kv(os.path.join(d, "run.txt"))
        impls = run.get("impls", "").split()
        res = {i: kv(os.path.join(d, i + ".txt")) for i in impls}
        tv = {i: timev(os.path.join(d, i + ".time")) for i in impls}
        m = {i: metrics(res[i], tv[i]) for i in impls}
        size = int(run.get("size", "0"))
        small = int(run.get("small", "0"))
        keys = run.get("list_keys", "?")
        size_s = f"{size / 1048576:.0f} MiB" if size % 1048576 == 0 else f"{size} B"
        nodelay = ", beast tcp_nodelay=1" if run.get("rgw_tcp_nodelay") == "1" else ""
        title = {"moto": "moto 5.2.1",
                 "rgw": f"Ceph RGW 16.2.15 (memstore OSD{nodelay})"}.get(server, server)
        print(f"### {title}: {size_s}, {small:,} small files, {int(keys):,} keys\n")
        rows = [
            ("write_s", f"write {size_s} (1 MiB writes), MB/s", "higher"),
            ("read_s", f"read {size_s} (readFully 1 MiB), MB/s", "higher"),
            ("small_create_s", f"create {small:,} x 1 KiB, files/s", "higher"),
            ("small_create_perf_s", f"- with fs.s3a.create.performance=true, files/s", "higher"),
            ("small_read_s", f"open+read {small:,} x 1 KiB, files/s", "higher"),
            ("small_openfile_s", f"- openFile(length known)+read, files/s", "higher"),
            ("list_files_s", f"listFiles(recursive) {int(keys):,} keys, keys/s", "higher"),
            ("list_status_s", f"listStatus {int(keys):,} keys, keys/s", "higher"),
            ("rss", "peak RSS of the process, MiB", "lower"),
            ("rss_start", "- peak RSS up to the end of the warm-up, MiB", "lower"),
            ("rss_write", "- peak RSS while writing, MiB", "lower"),
            ("rss_read", "- peak RSS while reading, MiB", "lower"),
            ("rss_small", "- peak RSS in the small files, MiB", "lower"),
            ("rss_list", "- peak RSS while listing, MiB", "lower"),
            ("cpu", "CPU user+sys of the process, s", "lower"),
            ("cpu_start", "- CPU up to the end of the warm-up, s", "lower"),
            ("cpu_write", "- CPU while writing, s", "lower"),
            ("cpu_read", "- CPU while reading, s", "lower"),
            ("cpu_small", "- CPU in the small files, s", "lower"),
            ("cpu_list", "- CPU while listing, s", "lower"),
            ("init", "FileSystem.get / client built, ms", "lower"),
            ("wall", "process wall time (JVM start to exit), s", "lower"),
        ]
        have_aws = "hadoop-aws" in impls
        have_bare = "bare" in impls
        head = ["", *[NAMES.get(i, i) for i in impls]]
        if "s3adt" in impls and have_aws:
            head.append("s3adt / hadoop-aws")
        if "s3adt" in impls and have_bare:
            head.append("s3adt / bare")
        head.append("better")
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 2) + "---|")
        for key, label, better in rows:
            cells = [label]
            for i in impls:
                if "failed" in res[i] and m[i][key][0] is None:
                    cells.append("FAILED")
                    continue
                v, s = m[i][key]
                cell = fmt(v)
                if s is not None and v is not None:
                    cell += f" ({s:.2f} s)"
                cells.append(cell)
            s3 = m.get("s3adt", {}).get(key, (None,))[0] if "s3adt" in impls else None
            if "s3adt" in impls and have_aws:
                cells.append(ratio(s3, m["hadoop-aws"][key][0]))
            if "s3adt" in impls and have_bare:
                cells.append(ratio(s3, m["bare"][key][0]))
            cells.append(better)
            print("| " + " | ".join(cells) + " |")
        extra = []
        for i in impls:
            if "failed" in res[i]:
                extra.append(f"- {NAMES.get(i, i)} FAILED: {res[i]['failed']}")
            if res[i].get("delete_s"):
                extra.append(f"- {NAMES.get(i, i)}: delete(prefix, recursive) of its "
                             f"{2 * small + 3:,} objects took {float(res[i]['delete_s']):.2f} s (untimed above)")
            if res[i].get("server_rss_kib", "na").isdigit():
                extra.append(f"- server RSS after {NAMES.get(i, i)}: "
                             f"{int(res[i]['server_rss_kib']) / 1024:.0f} MiB")
        if run.get("setup_s"):
            extra.append(f"- setup of the {int(keys):,} listing keys (untimed): {run['setup_s']} s")
        print()
        print("\n".join(extra))
        print()
    if machine.get("times"):
        print(f"Times: {machine['times']}; load average at start {machine.get('loadavg_start')}, "
              f"at end {machine.get('loadavg_end')}.")


if __name__ == "__main__":
    main()
