#!/usr/bin/env bash
# The Java shim's tests (JUnit 4 through Gradle, under -Xcheck:jni): builds libs3adt.so, starts
# two moto servers on loopback (one open, one with authentication on), and runs `gradle test`
# with their addresses and alice's keys in the environment (S3ADT_MOTO_*).
# usage: bash tests/java/run.sh [gradle test args, e.g. --tests 'org.s3adt.fs.*']
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cargo build -q --release -p s3adt-ffi
work=$(mktemp -d /tmp/s3adt-java.XXXXXX)
cleanup() {
  bash tests/peers/moto-down.sh "$work/moto" >/dev/null 2>&1 || true
  bash tests/peers/moto-down.sh "$work/moto-auth" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$(bash tests/peers/moto-up.sh "$work/moto-auth")"
auth_endpoint=$S3ADT_MOTO_ENDPOINT
eval "$(bash tests/peers/moto-up.sh "$work/moto")"
python3 tests/peers/moto-setup.py "$S3ADT_MOTO_ENDPOINT" >"$work/setup.json"
python3 tests/peers/moto-setup.py "$auth_endpoint" --auth-on >"$work/setup-auth.json"
eval "$(python3 - "$work/setup.json" <<'PY'
import json, shlex, sys
s = json.load(open(sys.argv[1]))
for k, v in {"S3ADT_MOTO_AK": s["alice"]["access_key"], "S3ADT_MOTO_SK": s["alice"]["secret_key"],
             "S3ADT_MOTO_ROLE_ARN": s["role_arn"]}.items():
    print(f"export {k}={shlex.quote(v)}")
PY
)"
export S3ADT_MOTO_AUTH_ENDPOINT=$auth_endpoint AWS_EC2_METADATA_DISABLED=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ACCESS_KEY AWS_SECRET_KEY HADOOP_TOKEN_FILE_LOCATION
rc=0
gradle --no-daemon -q test "$@" || rc=$?
python3 - target/gradle/test-results/test "$rc" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for p in glob.glob(sys.argv[1] + "/*.xml"):
    r = ET.parse(p).getroot()
    t += int(r.get("tests")); f += int(r.get("failures")); e += int(r.get("errors")); s += int(r.get("skipped"))
print(f"Java shim (JUnit 4): Tests run: {t}, Failures: {f}, Errors: {e}, Skipped: {s}")
sys.exit(1 if f or e or t == 0 or sys.argv[2] != "0" else 0)
PY
