# boto3 straight to the store (not through s3adt): what the magic case left under spark-out/RUN/magic/:
# exactly 12 parquet files in p=0..2 and _SUCCESS naming s3adt's magic committer, no
# __magic_job-* key, no multipart upload open. Prints "ok N objects" or what is wrong.
# usage: python3 check-magic.py ENDPOINT PREFIX
# S3ADT_CHECK_AK/SK: the keys where the store checks them (RGW); moto runs with auth off.
import json, os, re, sys, boto3, botocore.config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id=os.environ.get("S3ADT_CHECK_AK", "check"),
                  aws_secret_access_key=os.environ.get("S3ADT_CHECK_SK", "check"),
                  config=botocore.config.Config(s3={"addressing_style": "path"}))
prefix = sys.argv[2]
keys = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="bucket-a", Prefix=prefix):
    keys += [o["Key"][len(prefix):] for o in page.get("Contents", [])]
bad = []
pq = [k for k in keys if re.fullmatch(r"partitioned/p=[012]/part-\d{5}-[0-9a-f-]+\.c000\.snappy\.parquet", k)]
if len(pq) != 12: bad.append("parquet files %d != 12" % len(pq))
extra = sorted(set(keys) - set(pq) - {"partitioned/_SUCCESS"})
if extra: bad.append("unexpected: %s" % extra[:5])
if "partitioned/_SUCCESS" in keys:
    s = json.load(s3.get_object(Bucket="bucket-a", Key=prefix + "partitioned/_SUCCESS")["Body"])
    if s.get("committer") != "org.s3adt.commit.S3adtMagicCommitter" or len(s.get("filenames", [])) != 12:
        bad.append("_SUCCESS: committer %s, %d files" % (s.get("committer"), len(s.get("filenames", []))))
else:
    bad.append("no _SUCCESS")
ups = s3.list_multipart_uploads(Bucket="bucket-a", Prefix=prefix).get("Uploads", [])
if ups: bad.append("%d uploads open" % len(ups))
print("ok %d objects" % len(keys) if not bad else "; ".join(bad))
