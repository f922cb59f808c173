#!/usr/bin/env bash
# STS benchmark: S3A delegation tokens for 1, 10 and 100 buckets with 1 to 64 concurrent callers,
# s3adt beside hadoop-aws 3.4.1 (one JVM), against the same moto server in the same run.
# Prints one table: per binding, bucket count and caller count, the STS calls one round makes
# (C callers x B buckets), p50/p99 ms per token, wall ms per round, and hadoop-aws / s3adt.
#
#   s3adt:      bench/rust/src/bin/bench_sts.rs (tokio tasks as callers; one SessionCache and one
#               token file per caller, as one `s3adt fetch`)
#   hadoop-aws: bench/sts IssueBench (threads as callers; FileSystem.get per bucket with the
#               cache off, then addDelegationTokens into the caller's Credentials)
#   moto:       bench/sts/moto_counting.py, a dedicated moto over TLS on loopback that counts
#               the STS requests it serves (hadoop-aws 3.4.1 reaches STS only over https)
#
# usage: bench/sts.sh [OUTDIR]        (default target/bench/sts; raw lines in OUTDIR/*.txt)
# knobs: STS_BENCH_BINDINGS=full,session,role STS_BENCH_BUCKETS=1,10,100 STS_BENCH_CALLERS=1,4,16,64
#        STS_BENCH_MIN_TOKENS=100 (a cell repeats rounds until it has this many tokens)
#        STS_BENCH_WARMUP_MAX=100 (no per-cell warm-up round above this many tokens a round)
#        STS_BENCH_SKIP=full:100x64,role:100x64 (cells left out; "" runs all 36: about 4 min more)
#        STS_BENCH_WARMUP_SECONDS=3 (per binding, before its first cell)   JAVA_OPTS
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/target/bench/sts}")
PY=${PYTHON:-python3}
H_NAME=bench/sts
. "$root/tests/harness/lib.sh"
log() { h_log "$@"; }
mkdir -p "$out"
cd "$root"
t_start=$(date +%s)

for tool in openssl keytool java mvn cargo curl; do
  command -v "$tool" >/dev/null || { log "ERROR: $tool is not installed (scripts/install-deps.sh)"; exit 1; }
done
if ! "$PY" -c 'import moto.server' >/dev/null 2>&1; then
  log "installing moto[server] with pip"
  "$PY" -m pip install -q 'moto[server]>=5.1,<6' >&2
fi

log "building s3adt (release) and the hadoop-aws side (Maven)..."
cargo build -q --release -p s3adt-bench --bin bench_sts
mvn -q -B -f bench/sts/pom.xml package dependency:build-classpath -DincludeScope=runtime \
  -DexcludeGroupIds=software.amazon.awssdk,software.amazon.eventstream,org.apache.httpcomponents,io.netty,org.reactivestreams \
  "-Dmdep.outputFile=$out/classpath.txt" >&2
t_built=$(date +%s)

# A CA and a server certificate for 127.0.0.1, RSA 2048 as AWS STS presents (moto closes every
# connection after one response, so each STS call is a new handshake, and with ECDSA the JVM's
# pure-Java P-256 verification would dominate hadoop-aws's). The JVM trusts the CA through a
# PKCS12 trust store, s3adt through SSL_CERT_FILE.
tls=$out/tls
rm -rf "$tls"; mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
  -keyout "$tls/ca.key" -out "$tls/ca.pem" -subj "/CN=s3adt STS benchmark CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes \
  -keyout "$tls/server.key" -out "$tls/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
  'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1,DNS:localhost' >"$tls/server.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
  -days 2 -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
keytool -importcert -noprompt -alias s3adt-bench-ca -file "$tls/ca.pem" \
  -keystore "$tls/trust.p12" -storetype PKCS12 -storepass changeit >/dev/null

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port); cport=$(free_port)
while [ "$cport" = "$port" ]; do cport=$(free_port); done
setsid "$PY" bench/sts/moto_counting.py --port "$port" --control-port "$cport" \
  --cert "$tls/server.pem" --key "$tls/server.key" </dev/null >"$out/moto.log" 2>&1 &
moto_pid=$!
echo "$moto_pid" >"$out/moto.pid"
stop_moto() {
  if kill -0 "$moto_pid" 2>/dev/null; then
    kill "$moto_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$moto_pid" 2>/dev/null || true
  fi
  rm -f "$out/moto.pid"
}
trap stop_moto EXIT
ok=
for _ in $(seq 1 200); do
  kill -0 "$moto_pid" 2>/dev/null || { tail -n 30 "$out/moto.log" >&2; log "ERROR: moto exited"; exit 1; }
  if curl -sf --cacert "$tls/ca.pem" "https://127.0.0.1:$port/moto-api/data.json" >/dev/null \
     && curl -sf "http://127.0.0.1:$cport/counts" >/dev/null; then ok=1; break; fi
  sleep 0.1
done
[ -n "$ok" ] || { tail -n 30 "$out/moto.log" >&2; log "ERROR: moto did not answer within 20 s"; exit 1; }
reset_moto() {
  curl -sf --cacert "$tls/ca.pem" -X POST -H 'Content-Type: text/plain' --data '' \
    "https://127.0.0.1:$port/moto-api/reset" >/dev/null
}
log "moto on https://127.0.0.1:$port (counts on http://127.0.0.1:$cport/counts, pid $moto_pid)"

# moto runs with authentication off (its start-up state): any key signs, AssumeRole issues
# credentials for any role ARN, so neither side spends anything on IAM.
common=(--sts "127.0.0.1:$port" --region us-east-1 --access-key AKIAS3ADTBENCH0000001
  --secret-key s3adt-bench-secret --role-arn arn:aws:iam::123456789012:role/s3-restricted
  --counts "http://127.0.0.1:$cport/counts"
  --bindings "${STS_BENCH_BINDINGS:-full,session,role}" --buckets "${STS_BENCH_BUCKETS:-1,10,100}"
  --callers "${STS_BENCH_CALLERS:-1,4,16,64}" --min-tokens "${STS_BENCH_MIN_TOKENS:-100}"
  --warmup-max "${STS_BENCH_WARMUP_MAX:-100}" --warmup-seconds "${STS_BENCH_WARMUP_SECONDS:-3}"
  --skip "${STS_BENCH_SKIP-full:100x64,role:100x64}")

log "s3adt..."
t0=$(date +%s)
SSL_CERT_FILE="$tls/ca.pem" target/release/bench_sts "${common[@]}" | tee "$out/s3adt.txt" >&2
t1=$(date +%s)
reset_moto
log "hadoop-aws 3.4.1 (one JVM)..."
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} "-Djavax.net.ssl.trustStore=$tls/trust.p12" -Djavax.net.ssl.trustStorePassword=changeit \
  -cp "bench/sts/target/s3adt-bench-sts-0.1.0.jar:$(cat "$out/classpath.txt")" org.s3adt.bench.IssueBench \
  "${common[@]}" --s3-endpoint "https://127.0.0.1:$port" \
  2> >(grep -v 'NativeCodeLoader' >&2) | tee "$out/hadoop-aws.txt" >&2
t2=$(date +%s)
moto_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) / hz}' "/proc/$moto_pid/stat" 2>/dev/null || echo "?")
stop_moto
trap - EXIT
log "times: build $((t_built - t_start)) s, s3adt $((t1 - t0)) s, hadoop-aws $((t2 - t1)) s, total $((t2 - t_start)) s; moto used ${moto_cpu} s of CPU"

"$PY" bench/sts/table.py "$out/s3adt.txt" "$out/hadoop-aws.txt" "${STS_BENCH_SKIP-full:100x64,role:100x64}" \
  | tee "$out/table.md"
