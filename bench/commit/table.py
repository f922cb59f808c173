# bench/commit.sh: the side-by-side table from OUTDIR/IMPL.txt (one line per write, checked by
# check.py). Per N and implementation: job commit (commitJob) and total (the write action) as
# the median and the range over the timed writes, the tasks' commits summed, the writes counted.
# Writes that failed their check are counted as failed and not timed.
# usage: python3 table.py OUTDIR[,OUTDIR...] IMPL...   (several OUTDIRs: their writes pooled)
import statistics, sys

dirs = sys.argv[1].split(",")
impls = sys.argv[2:]
label = {"s3adt": "s3adt magic committer", "file": "FileOutputCommitter via s3adt (rename)",
         "hadoop-aws": "hadoop-aws 3.4.1 magic committer"}
rows = {}
failed = {}
for d in dirs:
    for impl in impls:
        try:
            lines = open("%s/%s.txt" % (d, impl)).read().split("\n")
        except FileNotFoundError:
            continue
        for line in lines:
            if not line.startswith("impl="):
                continue
            f = dict(kv.split("=", 1) for kv in line.split())
            if f["rep"] == "0":
                continue  # the warm-up
            key = (int(f["n"]), impl)
            if f.get("check") != "ok":
                failed[key] = failed.get(key, 0) + 1
                continue
            rows.setdefault(key, []).append(
                (float(f["job_commit_ms"]) / 1000, float(f["total_ms"]) / 1000, float(f["task_commit_ms"]) / 1000))


def fmt(xs):
    if not xs:
        return "-"
    m = statistics.median(xs)
    if len(xs) == 1:
        return "%.2f" % m
    return "%.2f (%.2f-%.2f)" % (m, min(xs), max(xs))


def med(key, i):
    r = rows.get(key)
    return statistics.median(x[i] for x in r) if r else None


print("Job commit and total write time, seconds: median (min-max) over the writes; %d run(s)" % len(dirs))
print()
print("| N files | committer | job commit | total (write action) | task commits, summed | writes ok / failed |")
print("|---:|---|---:|---:|---:|---:|")
for n in sorted({k[0] for k in list(rows) + list(failed)}):
    for impl in impls:
        r = rows.get((n, impl), [])
        if not r and (n, impl) not in failed:
            continue
        print("| %d | %s | %s | %s | %s | %d / %d |" % (
            n, label.get(impl, impl), fmt([x[0] for x in r]), fmt([x[1] for x in r]),
            fmt([x[2] for x in r]), len(r), failed.get((n, impl), 0)))
print()
for n in sorted({k[0] for k in rows}):
    s, a, f = med((n, "s3adt"), 0), med((n, "hadoop-aws"), 0), med((n, "file"), 0)
    parts = []
    if s and a:
        parts.append("s3adt's job commit is %.2fx hadoop-aws's (median)" % (s / a))
    if s and f:
        parts.append("the rename path's is %.1fx s3adt's" % (f / s))
    st, ft = med((n, "s3adt"), 1), med((n, "file"), 1)
    if st and ft:
        parts.append("total: rename path %.1fx s3adt" % (ft / st))
    if parts:
        print("- N=%d: %s" % (n, "; ".join(parts)))
