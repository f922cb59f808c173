#!/usr/bin/env python3
"""One table from the two sides' result lines (bench/sts.sh).

usage: table.py S3ADT.txt HADOOP_AWS.txt [SKIPPED]

Each input line is `IMPL key=value ...` as bench_sts.rs and IssueBench.java print them. Prints a
Markdown table: per binding, bucket count B and caller count C, for each side the STS calls one
round makes (C callers x B buckets, averaged over the measured rounds), p50 and p99 ms per token,
wall ms per round; then hadoop-aws / s3adt for each. SKIPPED (binding:BxC,...) is named below
the table.
"""
import sys


def read(path):
    rows = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or "=" not in line:
                continue
            kv = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
            rows[(kv["binding"], int(kv["buckets"]), int(kv["callers"]))] = kv
    return rows


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def sts(v):
    x = num(v)
    if x is None:
        return "n/a"
    return f"{x:.0f}" if x == int(x) else f"{x:.1f}"


# duplicates: deliberate. Like bench/data/table.py's fmt, but each bench folder's
# report script stands alone (run by its own run.sh) with its own number format.
def ms(v):
    x = num(v)
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def ratio(j, r):
    j, r = num(j), num(r)
    if j is None or r is None:
        return "n/a"
    if r == 0:
        return "-" if j == 0 else "inf"
    x = j / r
    return f"{x:.0f}x" if x >= 100 else f"{x:.1f}x" if x >= 10 else f"{x:.2f}x"


def main():
    rust, java = read(sys.argv[1]), read(sys.argv[2])
    order = {"full": 0, "session": 1, "role": 2}
    keys = sorted(set(rust) | set(java), key=lambda k: (order.get(k[0], 9), k[1], k[2]))
    head = ["binding", "buckets", "callers",
            "s3adt STS", "s3adt p50 ms", "s3adt p99 ms", "s3adt wall ms",
            "hadoop-aws STS", "hadoop-aws p50 ms", "hadoop-aws p99 ms", "hadoop-aws wall ms",
            "STS ratio", "p50 ratio", "p99 ratio", "wall ratio"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for k in keys:
        r, j = rust.get(k, {}), java.get(k, {})
        cells = [k[0], str(k[1]), str(k[2]),
                 sts(r.get("sts_per_round")), ms(r.get("p50_ms")), ms(r.get("p99_ms")),
                 ms(r.get("wall_ms_per_round")),
                 sts(j.get("sts_per_round")), ms(j.get("p50_ms")), ms(j.get("p99_ms")),
                 ms(j.get("wall_ms_per_round")),
                 ratio(j.get("sts_per_round"), r.get("sts_per_round")),
                 ratio(j.get("p50_ms"), r.get("p50_ms")), ratio(j.get("p99_ms"), r.get("p99_ms")),
                 ratio(j.get("wall_ms_per_round"), r.get("wall_ms_per_round"))]
        print("| " + " | ".join(cells) + " |")
    # name only the left-out cells that fall inside the grid that ran
    ran_buckets, ran_callers = {k[1] for k in keys}, {k[2] for k in keys}

    def in_grid(cell):
        try:
            b, c = cell.split(":", 1)[1].split("x")
            return int(b) in ran_buckets and int(c) in ran_callers
        except (IndexError, ValueError):
            return True

    skipped = [s for s in (sys.argv[3] if len(sys.argv) > 3 else "").split(",") if s and in_grid(s)]
    if skipped:
        print(f"\nLeft out (STS_BENCH_SKIP): {', '.join(skipped)}")


if __name__ == "__main__":
    main()
