#!/usr/bin/env bash
# The Java shim's tests (JUnit 4 through Gradle, under -Xcheck:jni): builds libs3adt.so, starts
# two moto servers on loopback (one open, one with authentication on), and runs `gradle test`
# with their addresses and alice's keys in the environment (S3ADT_MOTO_*); a third for Hadoop's
# contract suites (S3ADT_CONTRACT_MOTO_*; tests/java/contract-rgw.sh runs them on Ceph RGW).
# usage: bash tests/java/run.sh [gradle test args, e.g. --tests 'org.s3adt.fs.*']
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
cargo build -q --release --workspace
h_test_ffi_lib   # target/test-ffi/libs3adt.so: the natives of org.s3adt.jni.TestFfi
h_workdir work java   # removed last: h_peer_up stops each peer before
# Real hadoop-aws 3.4.1 for the classpath-order tests, as tests/hadoop-aws builds it: the small AWS
# SDK modules, the bundle's relocated httpclient (HADOOP-19282) and a TLS front for STS
# (hadoop-aws 3.4.1 speaks https only to STS). S3ADT_HADOOP_AWS_CP and S3ADT_TLS_DIR carry them.
h_mvn_build tests/hadoop-aws/pom.xml "$work/hadoop-aws.cp" \
  || { echo "java tests: building tests/hadoop-aws failed" >&2; exit 1; }
export S3ADT_HADOOP_AWS_CP="$root/tests/hadoop-aws/target/s3adt-hadoop-aws-check-0.1.0.jar:$(cat "$work/hadoop-aws.cp")"
# The same with Hadoop 3.5.0's client and hadoop-aws 3.5.0 (its SDK 2.35.4, whose s3-transfer-manager
# was published): the classpath alone, beside the project jar built above (its TlsFront).
mvn -q -B -f tests/hadoop-aws/pom.xml dependency:build-classpath -Dhadoop.version=3.5.0 \
  -Daws.sdk.version=2.35.4 -Dtransfer.manager.version=2.35.4 \
  -Dmdep.outputFile="$work/hadoop-aws-35.cp" -Dmdep.includeScope=runtime >"$work/mvn35.log" 2>&1 \
  || { cat "$work/mvn35.log" >&2; echo "java tests: hadoop-aws 3.5.0's classpath failed" >&2; exit 1; }
export S3ADT_HADOOP_AWS_35_CP="$root/tests/hadoop-aws/target/s3adt-hadoop-aws-check-0.1.0.jar:$(cat "$work/hadoop-aws-35.cp")"
mkdir -p "$work/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1,IP:127.0.0.2 -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" >/dev/null 2>&1
export S3ADT_TLS_DIR="$work/tls"
h_peer_up moto "$work/moto-auth"
auth_endpoint=$S3ADT_MOTO_ENDPOINT
h_peer_up moto "$work/moto"
h_moto_setup "$S3ADT_MOTO_ENDPOINT" >"$work/setup.json"
moto_endpoint=$S3ADT_MOTO_ENDPOINT moto_pid=$S3ADT_MOTO_PID
# hadoop-aws 3.5.0 builds its STS endpoint as new URI("https", host, null, null): a host alone, so
# port 443. The same TlsFront, run as a program on 127.0.0.2:443 (loopback; nothing else there),
# relays to this moto; the tests' child JVMs trust its certificate as they do their own fronts'.
# S3ADT_STS_443_HOST names it (unset if 443 cannot be bound: ClasspathOrderTest's 3.5.0 tests fail).
h_sts_front_443() {
  local host=127.0.0.2 log=$work/tls/front443.log
  java -cp "$root/tests/hadoop-aws/target/s3adt-hadoop-aws-check-0.1.0.jar" org.s3adt.hadoopaws.TlsFront \
    "$work/tls/cert.pem" "$work/tls/key.pem" "$work/tls/truststore-front443.p12" \
    "${moto_endpoint##*:}" "$host" 443 >"$log" 2>&1 &
  local pid=$!
  h_on_exit kill "$pid"
  for _ in $(seq 1 300); do
    if grep -q "^listening $host:443" "$log"; then export S3ADT_STS_443_HOST=$host; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  h_log "the TLS front on $host:443 did not start: $(cat "$log")"
}
h_sts_front_443
h_moto_setup "$auth_endpoint" --auth-on >"$work/setup-auth.json"
eval "$(python3 - "$work/setup.json" <<'PY'
import json, shlex, sys
s = json.load(open(sys.argv[1]))
for k, v in {"S3ADT_MOTO_AK": s["alice"]["access_key"], "S3ADT_MOTO_SK": s["alice"]["secret_key"],
             "S3ADT_MOTO_ROLE_ARN": s["role_arn"]}.items():
    print(f"export {k}={shlex.quote(v)}")
PY
)"
export S3ADT_MOTO_AUTH_ENDPOINT=$auth_endpoint AWS_EC2_METADATA_DISABLED=true
# Hadoop's contract suites (org.s3adt.fs.contract) get a moto of their own: the root-directory
# suite empties bucket-a, which the other tests read. S3ADT_CONTRACT_MOTO_{ENDPOINT,AK,SK}.
h_peer_up moto "$work/moto-contract"
contract_env=$(h_moto_setup "$S3ADT_MOTO_ENDPOINT" | python3 -c 'import json, shlex, sys
s = json.load(sys.stdin)
print("export S3ADT_CONTRACT_MOTO_ENDPOINT=%s S3ADT_CONTRACT_MOTO_AK=%s S3ADT_CONTRACT_MOTO_SK=%s" % (
    shlex.quote(s["endpoint"]), shlex.quote(s["alice"]["access_key"]), shlex.quote(s["alice"]["secret_key"])))')
eval "$contract_env"
export S3ADT_MOTO_ENDPOINT=$moto_endpoint S3ADT_MOTO_PID=$moto_pid   # the first moto's, which the tests use
# An MIT KDC on loopback for the Kerberos tests (KerberosOwnerTest: the token owner is the
# Kerberos principal): exports KRB5_CONFIG, KRB5CCNAME, S3ADT_KDC_DIR (alice.keytab, ...), etc.
# The tests' child JVMs use them; the test JVM itself stays on simple authentication.
h_peer_up kdc "$work/kdc"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ACCESS_KEY AWS_SECRET_KEY HADOOP_TOKEN_FILE_LOCATION
rm -rf target/gradle/test-results/test   # the summary below must count this run only
rc=0
gradle --no-daemon -q test -Ps3adtTestLibDir="$root/target/test-ffi" "$@" || rc=$?
python3 "$H_ROOT/tests/harness/junit-summary.py" target/gradle/test-results/test "$rc" "Java shim (JUnit 4)"
