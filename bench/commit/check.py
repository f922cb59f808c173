# bench/commit.sh: boto3 straight to the server (not through either connector) checks every write
# one spark-submit reported, so that a broken configuration cannot give a fast number: under
# each write's prefix exactly N parquet files, N/TASKS partitions k=0.. with TASKS files each,
# every file non-empty, _SUCCESS as the committer meant to run writes it (the JSON naming
# s3adt's or hadoop-aws's magic committer and listing min(N, 100) of the files: both cap the
# list at 100; the FileOutputCommitter's is empty), nothing else left (no __magic_job-*, no
# _temporary; hadoop-aws's empty directory marker is allowed), no multipart upload open.
# Appends " check=ok" or " check=FAIL:<why>" to each line of RESULTS, then deletes every object
# under PREFIX (the impl's whole run) so the next impl writes into an equally empty bucket.
# usage: python3 check.py ENDPOINT BUCKET PREFIX RESULTS EXPECTED_COMMITTER
#   EXPECTED_COMMITTER: the _SUCCESS "committer" value, or "file" for an empty _SUCCESS
# Keys come from S3ADT_BENCH_AK / S3ADT_BENCH_SK.
import json, os, re, sys
import boto3

endpoint, bucket, prefix, results, expected = sys.argv[1:6]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=os.environ["S3ADT_BENCH_AK"],
                  aws_secret_access_key=os.environ["S3ADT_BENCH_SK"])


def check(n, tasks, path):
    pre = re.sub(r"^s3a://[^/]+/", "", path) + "/"
    objs = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=pre):
        for o in page.get("Contents", []):
            objs[o["Key"][len(pre):]] = o["Size"]
    bad = []
    pq = {k: v for k, v in objs.items() if re.fullmatch(r"k=\d+/part-\d{5}-[0-9a-f-]+\.c000\.snappy\.parquet", k)}
    if len(pq) != n:
        bad.append("%d parquet files, not %d" % (len(pq), n))
    per = {}
    for k in pq:
        per[k.split("/")[0]] = per.get(k.split("/")[0], 0) + 1
    want = {"k=%d" % i: tasks for i in range(n // tasks)}
    if per != want:
        bad.append("files per partition %s" % sorted(per.items())[:4])
    if any(v == 0 for v in pq.values()):
        bad.append("empty parquet files")
    # hadoop-aws's setupJob mkdirs the destination: an empty marker, kept (3.4's default retention)
    marker = {""} if objs.get("") == 0 else set()
    extra = sorted(set(objs) - set(pq) - {"_SUCCESS"} - marker)
    if extra:
        bad.append("%d other objects (%s)" % (len(extra), extra[:3]))
    if "_SUCCESS" not in objs:
        bad.append("no _SUCCESS")
    elif expected == "file":
        if objs["_SUCCESS"] != 0:
            bad.append("_SUCCESS is not the FileOutputCommitter's empty one")
    else:
        s = json.load(s3.get_object(Bucket=bucket, Key=pre + "_SUCCESS")["Body"])
        # hadoop-aws's SuccessData lists at most 100 files (SUCCESS_MARKER_FILE_LIMIT); so does s3adt
        names = s.get("filenames", [])
        if s.get("committer") != expected or len(names) != min(n, 100) \
                or any(not any(f.endswith("/" + k) for k in pq) for f in names):
            bad.append("_SUCCESS: committer %s, %d files" % (s.get("committer"), len(names)))
    ups = s3.list_multipart_uploads(Bucket=bucket, Prefix=pre).get("Uploads", [])
    if ups:
        bad.append("%d uploads open" % len(ups))
    return "ok" if not bad else "FAIL:" + "; ".join(bad).replace(" ", "_")


lines = open(results).read().splitlines()
out = []
for line in lines:
    if " check=" not in line and line.startswith("impl="):
        f = dict(kv.split("=", 1) for kv in line.split())
        line += " check=" + check(int(f["n"]), int(f["tasks"]), f["path"])
    out.append(line)
open(results, "w").write("".join(l + "\n" for l in out))

# the impl's objects go (and any upload a failed run left open)
pre = prefix.rstrip("/") + "/"
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=pre):
    keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
    if keys:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
for u in s3.list_multipart_uploads(Bucket=bucket, Prefix=pre).get("Uploads", []):
    s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])
print("\n".join(out))
