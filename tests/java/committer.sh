#!/usr/bin/env bash
# s3adt's magic committer and MultipartUploader (org.s3adt.commit.*) alone, on one private moto:
# what tests/java/run.sh runs among the rest, without its KDC, hadoop-aws builds and TLS fronts.
# With --rgw, on Ceph RGW instead (tests/peers/rgw, as tests/java/contract-rgw.sh), with a role
# that may not list uploads for S3adtCommitterRoleTest (s3-nolist, tests/peers/rgw/setup.py).
# usage: bash tests/java/committer.sh [--rgw] [gradle test args]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
cargo build -q --release --workspace
h_workdir work committer
if [ "${1:-}" = --rgw ]; then
  shift
  h_peer_up rgw "$work/rgw"
  export S3ADT_CONTRACT_STORE=rgw AWS_EC2_METADATA_DISABLED=true
  store="Ceph RGW"
  # S3adtCommitterRoleTest's role (tests/peers/rgw/setup.py): s3:* but listing multipart uploads
  export S3ADT_RGW_NOLIST_ROLE_ARN=${S3ADT_RGW_ROLE_ARN%/s3-full}/s3-nolist
else
h_peer_up moto "$work/moto"
store=moto
eval "$(h_moto_setup "$S3ADT_MOTO_ENDPOINT" | python3 -c 'import json, shlex, sys
s = json.load(sys.stdin)
print("export S3ADT_CONTRACT_MOTO_ENDPOINT=%s S3ADT_CONTRACT_MOTO_AK=%s S3ADT_CONTRACT_MOTO_SK=%s" % (
    shlex.quote(s["endpoint"]), shlex.quote(s["alice"]["access_key"]), shlex.quote(s["alice"]["secret_key"])))')"
fi
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN HADOOP_TOKEN_FILE_LOCATION
rm -rf target/gradle/test-results/test
rc=0
gradle --no-daemon -q test --tests 'org.s3adt.commit.*' "$@" || rc=$?
python3 "$H_ROOT/tests/harness/junit-summary.py" target/gradle/test-results/test "$rc" "magic committer on $store (JUnit 4)"
