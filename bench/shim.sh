#!/usr/bin/env bash
# Shim benchmark: s3adt's Hadoop FileSystem (org.s3adt.fs.S3adtFileSystem over JNI to libs3adt.so)
# beside hadoop-aws 3.4.1's S3AFileSystem, Session binding, in one run against one moto server.
#
#   1. cold `hdfs fetchdt`: DelegationTokenFetcher --renewer yarn FILE in a fresh JVM per run, the
#      configuration in a core-site.xml on the classpath (fs.defaultFS=s3a://bucket-a; only
#      fs.s3a.impl differs). Runs take turns (s3adt, hadoop-aws, and s3adt with libs3adt.so on
#      java.library.path instead of extracted from its jar); wall time, peak RSS and CPU from
#      /usr/bin/time -v, median over SHIM_BENCH_RUNS runs. Each token file is checked with
#      `s3adt print --json`: one S3ADelegationToken/Session for s3a://bucket-a, renewer yarn.
#      Classpath size = sum of the jar sizes; also for the stock SDK bundle (its size from Maven
#      Central, not run).
#   2. warm getDelegationToken, one JVM, both filesystems (bench/shim/src/.../WarmBench.java):
#      s3adt as shipped (its JNI side reuses GetSessionToken results for 60 s), s3adt with that
#      cache defeated, hadoop-aws; p50/p99/mean µs, with the STS calls each made.
#
# STS: hadoop-aws 3.4.1 reaches STS only over https, moto (tests/peers/moto/up.sh) serves http, so
# bench/shim/sts_front.py, a TLS front that counts STS calls, stands before moto for BOTH sides
# (fs.s3a.assumed.role.sts.endpoint=127.0.0.1:FRONT_PORT). S3 (unused: fs.s3a.bucket.probe=0) is
# moto over http. Both JVMs get the same trust settings (the JVM a trust store, s3adt's rustls
# SSL_CERT_FILE) and an environment without AWS or Hadoop variables.
#
# usage: bash bench/shim.sh [OUTDIR]     (default bench/shim/target/run; raw results there)
# knobs: SHIM_BENCH_RUNS=5  SHIM_BENCH_WARMUP=200  SHIM_BENCH_CALLS=1000  SHIM_BENCH_BLOCK=100
#        SHIM_BENCH_BUILD=0 (measure the artefacts already in target/, build nothing of s3adt)
# Prints the table on stdout, progress on stderr. Needs java 11+, mvn, gradle, cargo, openssl,
# keytool, curl, unzip, python3 with moto (moto/up.sh installs it), /usr/bin/time (installed if missing).
set -euo pipefail
t_start=$(date +%s%N)
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench/shim
out=$(realpath -m "${1:-$here/target/run}")
runs=${SHIM_BENCH_RUNS:-5}
PY=${PYTHON:-python3}
log() { echo "bench/shim: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
cd "$root"
. "$root/tests/harness/lib.sh"

for tool in java mvn openssl keytool curl unzip "$PY"; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps.sh)"
done
if [ ! -x /usr/bin/time ]; then
  log "installing Debian's time (for /usr/bin/time -v)"
  [ "$(id -u)" = 0 ] || die "/usr/bin/time is missing: apt-get install time"
  apt-get install -y -q time >&2 || { apt-get update -q >&2 && apt-get install -y -q time >&2; }
fi

# ---- build (each step only when stale) ----
# SHIM_BENCH_BUILD=0: use target/release/{libs3adt.so,s3adt} and target/gradle/libs/s3adt-0.1.0.jar
# as they are (e.g. while the working tree is mid-change); the jar's own .so is what runs.
jar=$root/target/gradle/libs/s3adt-0.1.0.jar
if [ "${SHIM_BENCH_BUILD:-1}" != 0 ]; then
  for tool in cargo gradle; do command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps.sh)"; done
  log "building libs3adt.so and the s3adt CLI (cargo, release)..."
  cargo build -q --release -p s3adt-ffi -p s3adt-cli
  if [ ! -f "$jar" ] || [ -n "$(find build.gradle settings.gradle java/src/main target/release/libs3adt.so -newer "$jar" -print -quit)" ]; then
    log "building the shim jar (gradle jar)..."
    gradle --no-daemon -q jar >&2
  fi
fi
for f in "$jar" target/release/s3adt; do [ -f "$f" ] || die "$f is missing (build it, or run without SHIM_BENCH_BUILD=0)"; done
cp_base=$here/target/cp-base.txt
cp_aws=$here/target/cp-aws.txt
bench_jar=$here/target/s3adt-bench-shim-0.1.0.jar
http_jar=$here/target/s3adt-bench-shim-0.1.0-thirdparty-http.jar
mvn_stale() {
  [ -f "$cp_base" ] && [ -f "$cp_aws" ] && [ -f "$bench_jar" ] && [ -f "$http_jar" ] || return 0
  [ -z "$(find "$here/pom.xml" "$here/src" -newer "$cp_aws" -print -quit)" ] || return 0
  local j; for j in $(tr ':' ' ' <"$cp_base") $(tr ':' ' ' <"$cp_aws"); do [ -f "$j" ] || return 0; done
  return 1
}
if mvn_stale; then
  log "resolving the classpaths and building WarmBench (Maven)..."
  rm -f "$cp_base" "$cp_aws"
  mvn -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
    "-Dmdep.outputFile=$cp_base" >&2
  mvn -q -B -f "$here/pom.xml" -Paws package dependency:build-classpath -Dmdep.includeScope=runtime \
    "-Dmdep.outputFile=$cp_aws" >&2
fi
t_built=$(date +%s%N)

mkdir -p "$out"
rm -f "$out"/*.txt "$out"/*.log "$out"/*.time
work=$(mktemp -d /tmp/s3adt-bench-shim.XXXXXX)
front_pid=
cleanup() {
  if [ -n "$front_pid" ] && kill -0 "$front_pid" 2>/dev/null; then
    kill "$front_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$front_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  h_peer_down moto "$work/moto"
  rm -rf "$work"
}
trap cleanup EXIT
# The artefacts under test, copied: a build another process starts mid-run cannot change them.
# libs3adt.so for the java.library.path variant is the jar's own copy.
mkdir -p "$work/lib"
cp "$jar" "$work/s3adt.jar"
cp target/release/s3adt "$work/s3adt"
unzip -p "$jar" native/linux-x86_64/libs3adt.so >"$work/lib/libs3adt.so"
artefacts="s3adt jar $(stat -c '%s bytes, built %y' "$jar" | cut -d. -f1), libs3adt.so $(stat -c %s "$work/lib/libs3adt.so") bytes sha256 $(sha256sum "$work/lib/libs3adt.so" | cut -c1-12)"
log "$artefacts"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
jar=$work/s3adt.jar
s3adt=$work/s3adt

# ---- TLS material: a CA and an RSA 2048 server certificate for 127.0.0.1 ----
tls=$work/tls
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$tls/ca.key" -out "$tls/ca.pem" \
  -subj "/CN=s3adt shim benchmark CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$tls/server.key" -out "$tls/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
  'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1' >"$tls/server.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
  -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
keytool -importcert -noprompt -alias s3adt-shim-ca -file "$tls/ca.pem" -keystore "$tls/trust.p12" \
  -storetype PKCS12 -storepass changeit >/dev/null 2>&1

# ---- moto (auth off, as moto/setup.py leaves it; alice's keys) and the STS front ----
eval "$(bash "$H_PEERS/moto/up.sh" "$work/moto")"
moto=$S3ADT_MOTO_ENDPOINT
"$PY" "$H_PEERS/moto/setup.py" "$moto" >"$work/setup.json"
ak=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["alice"]["access_key"])' "$work/setup.json")
sk=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["alice"]["secret_key"])' "$work/setup.json")
setsid "$PY" "$here/sts_front.py" --upstream-port "${moto##*:}" --cert "$tls/server.pem" \
  --key "$tls/server.key" --ready "$work/front.ready" </dev/null >"$out/front.log" 2>&1 &
front_pid=$!
for _ in $(seq 1 100); do [ -s "$work/front.ready" ] && break; kill -0 "$front_pid" 2>/dev/null || break; sleep 0.1; done
[ -s "$work/front.ready" ] || { cat "$out/front.log" >&2; die "the STS front did not start"; }
read -r front_port ctl_port <"$work/front.ready"
counts_url=http://127.0.0.1:$ctl_port/counts
sts_count() { curl -sf "$counts_url" | tr ' ' '\n' | sed -n 's/^sts=//p'; }
log "moto $moto (pid $S3ADT_MOTO_PID); STS front https://127.0.0.1:$front_port (pid $front_pid)"

# The JVMs' environment: nothing from the caller's AWS or Hadoop setup; both trust the CA.
clean=(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_SECURITY_TOKEN
  -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_REGION -u AWS_DEFAULT_REGION -u AWS_ROLE_ARN
  -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
  -u AWS_CONTAINER_CREDENTIALS_FULL_URI -u AWS_CONTAINER_AUTHORIZATION_TOKEN
  -u HADOOP_TOKEN_FILE_LOCATION -u HADOOP_CONF_DIR -u HADOOP_HOME -u S3ADT_MOTO_ENDPOINT
  -u S3ADT_MOTO_PID AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null
  AWS_SHARED_CREDENTIALS_FILE=/dev/null "SSL_CERT_FILE=$tls/ca.pem")
jvm=(-Djavax.net.ssl.trustStore="$tls/trust.p12" -Djavax.net.ssl.trustStorePassword=changeit)

# ---- part 1: cold fetchdt ----
# core-site.xml per side (mode 600: it holds alice's secret key); log4j as the hadoop scripts
# set it (INFO to the console, stderr).
core_site() {
  local dir=$1 impl=$2
  mkdir -p "$dir"
  (umask 077; cat >"$dir/core-site.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <property><name>fs.defaultFS</name><value>s3a://bucket-a</value></property>
  <property><name>fs.s3a.impl</name><value>$impl</value></property>
  <property><name>fs.s3a.delegation.token.binding</name><value>org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding</value></property>
  <property><name>fs.s3a.access.key</name><value>$ak</value></property>
  <property><name>fs.s3a.secret.key</name><value>$sk</value></property>
  <property><name>fs.s3a.assumed.role.sts.endpoint</name><value>127.0.0.1:$front_port</value></property>
  <property><name>fs.s3a.assumed.role.sts.endpoint.region</name><value>us-east-1</value></property>
  <property><name>fs.s3a.assumed.role.session.duration</name><value>30m</value></property>
  <property><name>fs.s3a.endpoint</name><value>$moto</value></property>
  <property><name>fs.s3a.endpoint.region</name><value>us-east-1</value></property>
  <property><name>fs.s3a.path.style.access</name><value>true</value></property>
  <property><name>fs.s3a.connection.ssl.enabled</name><value>false</value></property>
  <property><name>fs.s3a.bucket.probe</name><value>0</value></property>
</configuration>
EOF
  )
  printf '%s\n' 'log4j.rootLogger=INFO,console' 'log4j.appender.console=org.apache.log4j.ConsoleAppender' \
    'log4j.appender.console.target=System.err' 'log4j.appender.console.layout=org.apache.log4j.PatternLayout' \
    'log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n' >"$dir/log4j.properties"
}
core_site "$work/conf-s3adt" org.s3adt.fs.S3adtFileSystem
core_site "$work/conf-hadoop-aws" org.apache.hadoop.fs.s3a.S3AFileSystem
base=$(cat "$cp_base")
aws=$(cat "$cp_aws"):$http_jar
declare -A cp=(
  [s3adt]="$work/conf-s3adt:$jar:$base"
  [s3adt-lib]="$work/conf-s3adt:$jar:$base"
  [hadoop-aws]="$work/conf-hadoop-aws:$aws"
)
declare -A extra=([s3adt]= [s3adt-lib]="-Djava.library.path=$work/lib" [hadoop-aws]=)

# check_token FILE: exactly one S3ADelegationToken/Session for s3a://bucket-a, renewer yarn, live
check_token() {
  "$s3adt" print --json "$1" | "$PY" -c '
import json, sys, time
t = json.load(sys.stdin)
ok = (len(t) == 1 and t[0]["kind"] == "S3ADelegationToken/Session" and t[0]["service"] == "s3a://bucket-a"
      and t[0]["alias"] == "s3a://bucket-a" and t[0]["uri"] == "s3a://bucket-a" and t[0]["renewer"] == "yarn"
      and t[0]["credentialType"] == "session" and t[0]["expiration"] > time.time() * 1000)
sys.exit(0 if ok else 1)'
}

impls=(s3adt hadoop-aws s3adt-lib)
log "cold fetchdt: $runs runs each of ${impls[*]}, taking turns..."
for r in $(seq 1 "$runs"); do
  for k in 0 1 2; do
    impl=${impls[$(( (r - 1 + k) % 3 ))]}
    tok=$work/$impl-$r.token
    before=$(sts_count)
    # shellcheck disable=SC2086
    if ! "${clean[@]}" /usr/bin/time -v -o "$out/cold-$impl-$r.time" java "${jvm[@]}" ${extra[$impl]} \
        -cp "${cp[$impl]}" org.apache.hadoop.hdfs.tools.DelegationTokenFetcher --renewer yarn "$tok" \
        >"$out/cold-$impl-$r.log" 2>&1; then
      tail -n 30 "$out/cold-$impl-$r.log" >&2; die "fetchdt ($impl, run $r) failed"
    fi
    after=$(sts_count)
    check_token "$tok" || { "$s3adt" print "$tok" >&2 || true; die "$impl run $r: the token file is not one Session token for s3a://bucket-a"; }
    "$PY" - "$out/cold-$impl-$r.time" "$impl" "$r" "$((after - before))" >>"$out/cold.txt" <<'EOF'
import re, sys
t = open(sys.argv[1]).read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", t).group(1).strip()
wall = 0.0
for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
    wall = wall * 60 + float(part)
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
print(f"cold impl={sys.argv[2]} run={sys.argv[3]} wall_s={wall:.2f} rss_kb={field('Maximum resident set size (kbytes)')}"
      f" cpu_s={cpu:.2f} sts={sys.argv[4]}")
EOF
    tail -n 1 "$out/cold.txt" >&2
  done
done
t_cold=$(date +%s%N)

# ---- classpath sizes ----
bundle_url=https://repo1.maven.org/maven2/software/amazon/awssdk/bundle/2.24.6/bundle-2.24.6.jar
wildfly_url=https://repo1.maven.org/maven2/org/wildfly/openssl/wildfly-openssl/1.1.3.Final/wildfly-openssl-1.1.3.Final.jar
head_size() { curl -sfI --max-time 15 "$1" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Ll]ength: *//p' | tail -n 1; }
bundle_bytes=$(head_size "$bundle_url" || true)
wildfly_bytes=$(head_size "$wildfly_url" || true)
sizes_from="Maven Central"
if [ -z "$bundle_bytes" ] || [ -z "$wildfly_bytes" ]; then
  # Maven Central unreachable: the sizes it reported on 2026-11-23
  bundle_bytes=558001584 wildfly_bytes=436580 sizes_from="recorded 2026-11-23 (Maven Central unreachable)"
fi
"$PY" - "$cp_base" "$cp_aws" "$http_jar" "$jar" "$bundle_bytes" "$wildfly_bytes" >"$out/classpath.txt" <<'EOF'
import os, sys
base_f, aws_f, http_jar, s3adt_jar, bundle, wildfly = sys.argv[1:7]
jars = lambda f: [p for p in open(f).read().strip().split(":") if p]
base, aws = jars(base_f), jars(aws_f) + [http_jar]
size = lambda ps: sum(os.path.getsize(p) for p in ps)
line = lambda name, ps, extra=0, n=0: print(f"classpath name={name} jars={len(ps) + n} bytes={size(ps) + extra}")
line("hadoop", base)
line("s3adt-jar", [s3adt_jar])
line("s3adt", [s3adt_jar] + base)
line("hadoop-aws", aws)
line("hadoop-aws-modules", [p for p in aws if p not in set(base)])
haws = [p for p in aws if os.path.basename(p).startswith("hadoop-aws-")]
line("hadoop-aws-bundle", base + haws, int(bundle) + int(wildfly), 2)
missing = [p for p in base if p not in set(aws)]
if missing:
    print("note: the hadoop-aws side resolved other versions of " + " ".join(map(os.path.basename, missing)))
EOF
echo "sizes from $sizes_from" >>"$out/classpath.txt"

# ---- part 2: warm getDelegationToken, one JVM ----
log "warm getDelegationToken in one JVM (${SHIM_BENCH_WARMUP:-200} warm-up + ${SHIM_BENCH_CALLS:-1000} calls each)..."
mkdir -p "$work/conf-warm"
printf '%s\n' 'log4j.rootLogger=WARN,console' 'log4j.appender.console=org.apache.log4j.ConsoleAppender' \
  'log4j.appender.console.target=System.err' 'log4j.appender.console.layout=org.apache.log4j.PatternLayout' \
  'log4j.appender.console.layout.ConversionPattern=%p %c{2}: %m%n' >"$work/conf-warm/log4j.properties"
# the keys go through the environment, not the command line
"${clean[@]}" S3ADT_BENCH_AK="$ak" S3ADT_BENCH_SK="$sk" java "${jvm[@]}" \
  -cp "$work/conf-warm:$bench_jar:$jar:$aws" org.s3adt.benchshim.WarmBench \
  --sts "127.0.0.1:$front_port" --s3 "$moto" --counts "$counts_url" \
  --warmup "${SHIM_BENCH_WARMUP:-200}" --calls "${SHIM_BENCH_CALLS:-1000}" --block "${SHIM_BENCH_BLOCK:-100}" \
  >"$out/warm.txt" 2>"$out/warm.log" || { tail -n 30 "$out/warm.log" >&2; die "WarmBench failed"; }
cat "$out/warm.txt" >&2
t_warm=$(date +%s%N)

cleanup
trap - EXIT
ms() { echo $(( ($2 - $1) / 1000000 )); }
{
  echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -n 1), $(rustc --version 2>/dev/null || echo rustc ?), moto $("$PY" -c 'import moto; print(moto.__version__)')"
  echo "load average (1/5/15 min): $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "$artefacts"
  echo "times: build $(ms "$t_start" "$t_built") ms, cold $(ms "$t_built" "$t_cold") ms, warm $(ms "$t_cold" "$t_warm") ms, total $(ms "$t_start" "$t_warm") ms"
} | tee "$out/run.txt" >&2
"$PY" "$here/table.py" "$out" | tee "$out/table.md"
