#!/usr/bin/env python3
"""Creates the s3adt test fixtures on a fresh RGW, over its own IAM/S3 APIs (stdlib SigV4).

usage: rgw/setup.py ENDPOINT ADMIN_AK ADMIN_SK
Expects users `admin` (caps roles=*;users=*;user-policy=*) and `limited` to exist (rgw/up.sh makes them).
  * identity policy `gst` allowing sts:GetSessionToken on admin and limited (RGW refuses
    GetSessionToken without one)
  * role `s3-full` (trust: user admin, MaxSessionDuration 43200) with inline policy s3:* on arn:aws:s3:::*
  * role `s3-nolist` (the same trust): s3:* but s3:ListBucketMultipartUploads and
    s3:ListMultipartUploadParts denied (S3adtCommitterRoleTest, tests/java/committer.sh --rgw)
  * buckets bucket-a, bucket-b (owner admin), each with hello.txt = "hello from A" / "hello from B"
Prints the role ARN on stdout. Exits 1 naming the failing call.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness"))
from sigv4 import query_api, request, xml_text  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ep, ak, sk = sys.argv[1:]

    def iam(params):
        params = dict(params, Version="2010-05-08")
        st, body = query_api(ep, ak, sk, "iam", params)
        if st != 200:
            sys.exit(f"rgw-setup: {params['Action']} -> HTTP {st}: {body[:500]}")
        return body

    def compact(doc):
        return json.dumps(doc, separators=(",", ":"))

    gst = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:GetSessionToken"], "Resource": "*"}]}
    for user in ("admin", "limited"):
        iam({"Action": "PutUserPolicy", "UserName": user, "PolicyName": "gst", "PolicyDocument": compact(gst)})

    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam:::user/admin"]},
                                                      "Action": ["sts:AssumeRole"]}]}
    body = iam({"Action": "CreateRole", "RoleName": "s3-full", "Path": "/", "MaxSessionDuration": "43200",
                "AssumeRolePolicyDocument": compact(trust)})
    arn = xml_text(body, "Arn")
    if not arn:
        sys.exit(f"rgw-setup: CreateRole: no Arn in {body[:500]}")
    s3all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::*"]}]}
    iam({"Action": "PutRolePolicy", "RoleName": "s3-full", "PolicyName": "s3all", "PolicyDocument": compact(s3all)})
    iam({"Action": "CreateRole", "RoleName": "s3-nolist", "Path": "/", "MaxSessionDuration": "43200",
         "AssumeRolePolicyDocument": compact(trust)})
    nolist = dict(s3all, Statement=s3all["Statement"] + [{
        "Effect": "Deny", "Action": ["s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts"],
        "Resource": ["arn:aws:s3:::*"]}])
    iam({"Action": "PutRolePolicy", "RoleName": "s3-nolist", "PolicyName": "nolist", "PolicyDocument": compact(nolist)})

    for bucket, text in (("bucket-a", "hello from A"), ("bucket-b", "hello from B")):
        for path, data in ((f"/{bucket}", b""), (f"/{bucket}/hello.txt", text.encode())):
            st, _, b = request(ep, ak, sk, "PUT", path, body=data)
            if st != 200:
                sys.exit(f"rgw-setup: PUT {path} -> HTTP {st}: {b[:500]!r}")
    print(arn)


if __name__ == "__main__":
    main()
