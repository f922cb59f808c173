#!/usr/bin/env python3
"""Requests per small file, per implementation, from radosgw's log of one bench/data.sh run.

usage: requests.py OUTDIR [N]     (N = DATA_BENCH_SMALL, default 1000)
radosgw logs one beast line per request ("METHOD /bucket-a/KEY?QUERY HTTP/1.1" STATUS ...). Each
implementation writes under data/IMPL/, so its small-file requests are those naming
data/IMPL/small/ (creates and reads) or data/IMPL/small-perf/ (create.performance), in a key or
in a LIST's prefix. Prints one Markdown table: requests of each kind per file.
"""
import collections
import re
import sys
import urllib.parse

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
log = f"{out}/rgw-server/log/client.rgw.a.log"
line_re = re.compile(r'"(GET|PUT|HEAD|POST|DELETE) (/[^ ]*) HTTP/1\.1" (\d+)')
counts = collections.defaultdict(collections.Counter)
with open(log, errors="replace") as f:
    for line in f:
        if "beast:" not in line:
            continue
        m = line_re.search(line)
        if not m:
            continue
        method, target, status = m.groups()
        path, _, query = target.partition("?")
        q = urllib.parse.parse_qs(query)
        path = urllib.parse.unquote(path)
        if method == "GET" and "list-type" in q:
            where, kind = q.get("prefix", [""])[0], "LIST"
        else:
            where, kind = path.split("/", 2)[-1] if path.count("/") >= 2 else "", method
        mm = re.match(r"data/([^/]+)/(small-perf|small)/", where)
        if not mm or "warmup" in where:
            continue
        impl, phase = mm.groups()
        counts[(impl, phase)][kind] += 1
kinds = ["HEAD", "LIST", "PUT", "GET"]
print("| implementation | files | " + " | ".join(f"{k} per file" for k in kinds) + " | all per file |")
print("|---|---|" + "---:|" * (len(kinds) + 1))
for (impl, phase), c in sorted(counts.items()):
    total = sum(c.values())
    print(f"| {impl} | {phase}/ | " + " | ".join(f"{c[k] / n:.2f}" for k in kinds)
          + f" | {total / n:.2f} |")
