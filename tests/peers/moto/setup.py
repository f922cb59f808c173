#!/usr/bin/env python3
"""Populate a moto server for s3adt tests; optionally switch its authentication on.

usage: moto/setup.py ENDPOINT [--auth-on] [--no-reset]

ENDPOINT must be a loopback URL (http://127.0.0.1:PORT, as moto/up.sh prints).
With auth off (moto's start-up state) it creates:
  * IAM user `alice` with one access key, and a managed policy `s3adt-s3-sts` (s3:*, sts:*) attached
  * IAM user `bob`, same policy and an access key, but NOT named by the role's trust policy
  * IAM role `s3-restricted` (trust: alice) with an inline policy allowing s3:*
  * buckets `bucket-a` / `bucket-b`, each with `hello.txt` = "hello from A" / "hello from B"
--auth-on then switches authentication on (POST /moto-api/reset-auth, body "0"):
every later request must be SigV4-signed by a key IAM knows and be allowed by its policies.
Before creating anything the server's state is reset (POST /moto-api/reset, auth switched off),
so running this twice gives a fresh, consistent state; --no-reset skips that.
Prints one JSON object on stdout: endpoint, region, account, alice's keys, ARNs, buckets, auth.
Needs boto3 (a dependency of moto, so present wherever moto/up.sh runs the server).
"""
import argparse
import json
import sys
import urllib.parse
import urllib.request

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
BUCKETS = {"bucket-a": b"hello from A", "bucket-b": b"hello from B"}


def die(msg):
    print(f"moto-setup: ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def moto_api(endpoint, path, body):
    # text/plain: moto reads the raw body, which Flask leaves empty for a form content type
    req = urllib.request.Request(endpoint + path, data=body.encode(), method="POST",
                                 headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status != 200:
            die(f"POST {path} -> HTTP {r.status}")
        return json.loads(r.read() or b"{}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("endpoint")
    ap.add_argument("--auth-on", action="store_true", help="switch moto's authentication on at the end")
    ap.add_argument("--no-reset", action="store_true", help="do not reset the server's state first")
    a = ap.parse_args()
    ep = a.endpoint.rstrip("/")
    host = urllib.parse.urlsplit(ep).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        die(f"refusing non-loopback endpoint {ep}")
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError
    except ImportError:
        die("boto3 is not installed (pip install 'moto[server]' brings it)")

    try:
        if not a.no_reset:
            moto_api(ep, "/moto-api/reset-auth", "inf")  # auth off
            moto_api(ep, "/moto-api/reset", "")  # forget every user, role, bucket
        # with auth off any key is accepted; these placeholders are never checked
        kw = dict(endpoint_url=ep, region_name=REGION, aws_access_key_id="setup", aws_secret_access_key="setup",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}))
        iam = boto3.client("iam", **kw)
        s3 = boto3.client("s3", **kw)

        user = iam.create_user(UserName="alice")["User"]
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        pol_doc = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "sts:*"], "Resource": "*"}]}
        pol = iam.create_policy(PolicyName="s3adt-s3-sts", PolicyDocument=json.dumps(pol_doc))["Policy"]
        iam.attach_user_policy(UserName="alice", PolicyArn=pol["Arn"])
        iam.create_user(UserName="bob")
        bob = iam.create_access_key(UserName="bob")["AccessKey"]
        iam.attach_user_policy(UserName="bob", PolicyArn=pol["Arn"])

        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": user["Arn"]}, "Action": "sts:AssumeRole"}]}
        role = iam.create_role(RoleName="s3-restricted", AssumeRolePolicyDocument=json.dumps(trust),
                               MaxSessionDuration=43200)["Role"]
        iam.put_role_policy(RoleName="s3-restricted", PolicyName="s3all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))

        for b, body in BUCKETS.items():
            s3.create_bucket(Bucket=b)
            s3.put_object(Bucket=b, Key="hello.txt", Body=body)

        if a.auth_on:
            moto_api(ep, "/moto-api/reset-auth", "0")
    except ClientError as e:
        die(f"{e.operation_name}: {e.response.get('Error')}")
    except OSError as e:
        die(f"cannot reach {ep}: {e}")

    out = {
        "endpoint": ep,
        "region": REGION,
        "account": ACCOUNT,
        "auth": "on" if a.auth_on else "off",
        "alice": {"arn": user["Arn"], "access_key": key["AccessKeyId"], "secret_key": key["SecretAccessKey"]},
        "bob": {"arn": f"arn:aws:iam::{ACCOUNT}:user/bob", "access_key": bob["AccessKeyId"],
                "secret_key": bob["SecretAccessKey"]},
        "policy_arn": pol["Arn"],
        "role_arn": role["Arn"],
        "buckets": {b: {"key": "hello.txt", "body": v.decode()} for b, v in BUCKETS.items()},
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
