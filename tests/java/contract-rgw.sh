#!/usr/bin/env bash
# Hadoop's filesystem contract suites and s3adt's data-path tests (org.s3adt.fs.contract) on Ceph
# RGW instead of moto: builds libs3adt.so, starts a single-node RGW (tests/peers/rgw/up.sh; its
# admin owns bucket-a), runs only those suites with S3ADT_CONTRACT_STORE=rgw, stops RGW.
# usage: bash tests/java/contract-rgw.sh [more gradle test args]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
cargo build -q --release -p s3adt-ffi
h_workdir work contract-rgw
h_peer_up rgw "$work/rgw"
export S3ADT_CONTRACT_STORE=rgw AWS_EC2_METADATA_DISABLED=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ACCESS_KEY AWS_SECRET_KEY HADOOP_TOKEN_FILE_LOCATION
rm -rf target/gradle/test-results/test   # the summary below counts this run only
rc=0
gradle --no-daemon -q test --tests 'org.s3adt.fs.contract.*' "$@" || rc=$?
python3 "$H_ROOT/tests/harness/junit-summary.py" target/gradle/test-results/test "$rc" "Contract suites on Ceph RGW (JUnit 4)"
