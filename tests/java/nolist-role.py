#!/usr/bin/env python3
"""Creates the role s3-nolist on a tests/peers/rgw RGW: trusted by user admin, allowed s3:* but
denied s3:ListBucketMultipartUploads and s3:ListMultipartUploadParts (S3adtCommitterRoleTest).

usage: nolist-role.py ENDPOINT ADMIN_AK ADMIN_SK   -> prints the role's ARN
"""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from sigv4 import query_api, xml_text  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ep, ak, sk = sys.argv[1:]

    def iam(params):
        params = dict(params, Version="2010-05-08")
        st, body = query_api(ep, ak, sk, "iam", params)
        if st != 200:
            sys.exit(f"nolist-role: {params['Action']} -> HTTP {st}: {body[:500]}")
        return body

    def compact(doc):
        return json.dumps(doc, separators=(",", ":"))

    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam:::user/admin"]},
                                                      "Action": ["sts:AssumeRole"]}]}
    body = iam({"Action": "CreateRole", "RoleName": "s3-nolist", "Path": "/", "MaxSessionDuration": "43200",
                "AssumeRolePolicyDocument": compact(trust)})
    arn = xml_text(body, "Arn")
    if not arn:
        sys.exit(f"nolist-role: CreateRole: no Arn in {body[:500]}")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::*"]},
        {"Effect": "Deny", "Action": ["s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts"],
         "Resource": ["arn:aws:s3:::*"]}]}
    iam({"Action": "PutRolePolicy", "RoleName": "s3-nolist", "PolicyName": "nolist", "PolicyDocument": compact(policy)})
    print(arn)


if __name__ == "__main__":
    main()
