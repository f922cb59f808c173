#!/usr/bin/env bash
# The main job, on a fresh machine: build s3adt, issue S3A delegation tokens (Full binding:
# no STS needed) for two buckets into a Hadoop token file, and show what is in it, as text,
# as JSON, and from the token's URL string. No secret is printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
export AWS_EC2_METADATA_DISABLED=true
cargo build -q --release -p s3adt-cli
s3adt=$root/target/release/s3adt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== s3adt fetch: one Full token per bucket (keys from -D; per-bucket keys win for 'lake')"
"$s3adt" fetch \
  -D fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding \
  -D fs.s3a.access.key=AKIADEMOBASE0000 -D fs.s3a.secret.key=demo-base-secret \
  -D fs.s3a.bucket.lake.access.key=AKIADEMOLAKE0000 -D fs.s3a.bucket.lake.secret.key=demo-lake-secret \
  -D fs.s3a.bucket.lake.encryption.algorithm=SSE-KMS \
  -D fs.s3a.bucket.lake.encryption.key=arn:aws:kms:us-east-1:000000000000:key/demo \
  --renewer yarn s3a://lake s3a://archive "$work/tokens.dt"

echo; echo "== s3adt print"
"$s3adt" print "$work/tokens.dt"

echo; echo "== s3adt print --json (first token)"
"$s3adt" print --json "$work/tokens.dt" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[0], indent=2))'

if grep -a -q -e demo-lake-secret -e demo-base-secret <("$s3adt" print "$work/tokens.dt"; "$s3adt" print --json "$work/tokens.dt"); then
  echo "a secret was printed" >&2; exit 1
fi
echo; echo "OK: tokens issued and described; no secret in any output."
