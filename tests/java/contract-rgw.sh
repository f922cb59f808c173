#!/usr/bin/env bash
# Hadoop's filesystem contract suites and s3adt's data-path tests (org.s3adt.fs.contract) on Ceph
# RGW instead of moto: builds libs3adt.so, starts a single-node RGW (tests/peers/rgw-up.sh; its
# admin owns bucket-a), runs only those suites with S3ADT_CONTRACT_STORE=rgw, stops RGW.
# usage: bash tests/java/contract-rgw.sh [more gradle test args]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cargo build -q --release -p s3adt-ffi
work=$(mktemp -d /tmp/s3adt-contract-rgw.XXXXXX)
cleanup() {
  bash tests/peers/rgw-down.sh "$work/rgw" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$(bash tests/peers/rgw-up.sh "$work/rgw")"
export S3ADT_CONTRACT_STORE=rgw AWS_EC2_METADATA_DISABLED=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ACCESS_KEY AWS_SECRET_KEY HADOOP_TOKEN_FILE_LOCATION
rm -rf target/gradle/test-results/test   # the summary below counts this run only
rc=0
gradle --no-daemon -q test --tests 'org.s3adt.fs.contract.*' "$@" || rc=$?
python3 - target/gradle/test-results/test "$rc" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
t = f = e = s = 0
jni = []
for p in glob.glob(sys.argv[1] + "/*.xml"):
    r = ET.parse(p).getroot()
    t += int(r.get("tests")); f += int(r.get("failures")); e += int(r.get("errors")); s += int(r.get("skipped"))
    out = "".join((x.text or "") for x in r.iter() if x.tag in ("system-out", "system-err"))
    jni += [f"{r.get('name')}: {l.strip()}" for l in out.splitlines()
            if "WARNING in native method" in l or "JNI local refs" in l or "FATAL ERROR in native method" in l]
for line in jni:
    print("-Xcheck:jni:", line)
print(f"Contract suites on Ceph RGW (JUnit 4): Tests run: {t}, Failures: {f}, Errors: {e}, Skipped: {s}, -Xcheck:jni warnings: {len(jni)}")
sys.exit(1 if f or e or jni or t == 0 or sys.argv[2] != "0" else 0)
PY
