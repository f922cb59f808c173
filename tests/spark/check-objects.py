"""What a Spark case left in the store under spark-out/RUN/CASE/, read with boto3 straight from
the store (not through s3adt): moto (authentication off), or with the keys in S3ADT_CHECK_AK and
S3ADT_CHECK_SK (Ozone). usage: check-objects.py ENDPOINT PREFIX EXECUTOR_OBJECTS
Prints "ok N objects" or the problems found, separated by "; "."""
import os, re, sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id=os.environ.get("S3ADT_CHECK_AK", "check"),
                  aws_secret_access_key=os.environ.get("S3ADT_CHECK_SK", "check"))
prefix, want_exec = sys.argv[2], int(sys.argv[3])
keys = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="bucket-a", Prefix=prefix):
    keys += [o["Key"][len(prefix):] for o in page.get("Contents", [])]
bad = []
pq = [k for k in keys if re.fullmatch(r"parquet/part-\d{5}-[0-9a-f-]+-c000\.snappy\.parquet", k)]
# partitionBy("k") after repartition(k): one file in each of k=0/ .. k=3/ (Spark names a
# partitioned part UUID.c000, an unpartitioned one UUID-c000)
pb = [k for k in keys if re.fullmatch(r"parquet-by/k=[0-3]/part-\d{5}-[0-9a-f-]+\.c000\.snappy\.parquet", k)]
tx = [k for k in keys if re.fullmatch(r"text/part-\d{5}-[0-9a-f-]+-c000\.txt", k)]
ex = [k for k in keys if re.fullmatch(r"executors/executor-[^/]+-part-\d+\.txt", k)]
if len(pq) != 3: bad.append("parquet parts %d != 3" % len(pq))
if len(tx) != 2: bad.append("text parts %d != 2" % len(tx))
if sorted(k.split("/")[1] for k in pb) != ["k=%d" % i for i in range(4)]:
    bad.append("partitioned parquet: %s, not one part in each of k=0..3" % pb)
if len(ex) != want_exec: bad.append("executor objects %d != %d" % (len(ex), want_exec))
for k in ("parquet/_SUCCESS", "text/_SUCCESS", "parquet-by/_SUCCESS"):
    if k not in keys: bad.append(k + " missing")
extra = sorted(set(keys) - set(pq) - set(pb) - set(tx) - set(ex)
               - {"parquet/_SUCCESS", "text/_SUCCESS", "parquet-by/_SUCCESS"}
               - {k for k in keys if k.startswith("text-probe/")})
if extra: bad.append("unexpected: %s" % extra[:5])
rows = set()
for k in tx:
    rows |= set(s3.get_object(Bucket="bucket-a", Key=prefix + k)["Body"].read().decode().split())
if rows != {"row-%d" % i for i in range(1000)}: bad.append("text rows: %d distinct" % len(rows))
for k in pq + pb:
    if s3.get_object(Bucket="bucket-a", Key=prefix + k, Range="bytes=0-3")["Body"].read() != b"PAR1":
        bad.append(k + " is not parquet")
print("ok %d objects" % len(keys) if not bad else "; ".join(bad))
