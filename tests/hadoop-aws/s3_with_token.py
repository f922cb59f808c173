"""boto3 on Ceph RGW with nothing but a delegation token, through `s3adt credentials`.

usage: s3_with_token.py S3ADT TOKEN_FILE ENDPOINT BUCKET:EXPECT...

The AWS config file (a temporary one, mode 0600) has a single profile whose credential_process
is `S3ADT credentials --format credential-process --token-file TOKEN_FILE s3a://bucket-a`;
environment credentials and the shared credentials file are cleared by the caller (run.sh).
For each BUCKET:EXPECT, GET BUCKET/hello.txt and compare: EXPECT is the content, or an S3 error
code such as AccessDenied. Prints one PASS/FAIL line each; exits 1 on a failure. Never prints
the credentials.
"""
import os
import sys
import tempfile

import boto3
import botocore.config
import botocore.exceptions


def main():
    s3adt, token_file, endpoint = sys.argv[1:4]
    wanted = [a.split(":", 1) for a in sys.argv[4:]]
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "config")
        with open(os.open(cfg, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write("[default]\nregion = us-east-1\n"
                    f"credential_process = {s3adt} credentials --format credential-process "
                    f"--token-file {token_file} s3a://bucket-a\n")
        os.environ["AWS_CONFIG_FILE"] = cfg
        s3 = boto3.session.Session().client(
            "s3", endpoint_url=endpoint,
            config=botocore.config.Config(s3={"addressing_style": "path"},
                                          retries={"max_attempts": 1}))
        tag = f"[{os.path.basename(token_file)} -> s3adt credentials -> boto3]"
        failed = 0
        for bucket, expect in wanted:
            try:
                got = s3.get_object(Bucket=bucket, Key="hello.txt")["Body"].read().decode().strip()
            except botocore.exceptions.ClientError as e:
                err = e.response.get("Error", {})
                got = f"{err.get('Code')} (HTTP {e.response['ResponseMetadata']['HTTPStatusCode']})"
            except Exception as e:  # noqa: BLE001 - any other failure is a FAIL line, by class
                got = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            # A denial must be RGW's 403 AccessDenied, not some other error.
            ok = got == ("AccessDenied (HTTP 403)" if expect == "AccessDenied" else expect)
            what = "denied" if expect == "AccessDenied" else f"reads '{expect}'"
            print(f"{'PASS' if ok else 'FAIL'} {tag} s3://{bucket}/hello.txt {what}"
                  + ("" if ok else f": got {got}"))
            failed += not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
