#!/usr/bin/env bash
# Data-path benchmark: s3adt's Hadoop FileSystem (org.s3adt.fs.S3adtFileSystem over JNI to
# libs3adt.so) beside hadoop-aws 3.4.1's S3AFileSystem (the real jar) beside aws-sdk-s3 used
# bare from Rust (the ceiling) and s3adt's S3Store without a JVM, in one run, against the same
# local server: moto, then Ceph RGW. One table per server.
#
#   per implementation, one process, run under /usr/bin/time -v; each program also prints the
#   peak RSS and the CPU time of each of its phases (VmHWM, reset between phases):
#     s3adt, hadoop-aws  bench/data DataBench in a fresh JVM: the Hadoop FileSystem API, only
#                        fs.s3a.impl and the classpath differ (bench/data/pom.xml)
#     bare, store        bench/rust/src/bin/bench_s3/ --mode bare | store
#   operations: write SIZE (256 MiB) in 1 MiB buffers, read it back (readFully, 1 MiB), create and
#   read SMALL (1,000) files of 1 KiB one after the other (then read them again through openFile()
#   with fs.option.openfile.length, and create SMALL more with fs.s3a.create.performance=true;
#   bare and store repeat their one GET / one PUT for those rows), listFiles(recursive) and listStatus of
#   a directory of LIST_KEYS (10,000) keys made beforehand (untimed, bench_s3 --mode setup, in a
#   bucket of their own). Every byte read back is checked (a stamp per MiB / per file).
#   After each implementation its objects are deleted (on RGW, its garbage collector is run too:
#   the memstore OSD holds 1 GiB). On RGW, radosgw is restarted with beast's tcp_nodelay=1 first
#   (see rgw_nodelay below).
#
# Same settings for every implementation (-D on the JVMs, the same values for bench_s3):
#   fs.s3a.multipart.size=64M  fs.s3a.fast.upload.active.blocks=4  fs.s3a.paging.maximum=1000
#   fs.s3a.readahead.range=64K (the default)  fs.s3a.bucket.probe=0  path-style, plain http,
#   region us-east-1, SimpleAWSCredentialsProvider with the server's keys. hadoop-aws buffers
#   blocks as it does by default (fs.s3a.fast.upload.buffer=disk, under /tmp), and (on RGW) once
#   more as hadoop-aws-bytebuffer (off-heap buffers). s3adt buffers as S3A does by default too
#   (disk, fs.s3a.buffer.dir under /tmp); s3adt-array (not run unless named in DATA_BENCH_IMPLS)
#   keeps its parts in native memory, as s3adt did before issue 12; s3adt-sdk (not run unless
#   named) sends every request through the AWS SDK (fs.s3a.s3adt.direct.requests=false), as
#   s3adt did before its direct GETs and PUTs.
#
# usage: bash bench/data.sh [OUTDIR]      (default target/bench/data; raw results there)
# knobs: DATA_BENCH_SERVERS="moto rgw"  DATA_BENCH_IMPLS="s3adt hadoop-aws hadoop-aws-bytebuffer bare store"
#        DATA_BENCH_IMPLS_MOTO="s3adt hadoop-aws bare store" (no bytebuffer run on moto: it is slow)
#        DATA_BENCH_SIZE=268435456 (bytes)  DATA_BENCH_SIZE_MOTO (default: DATA_BENCH_SIZE)
#        DATA_BENCH_SMALL=1000  DATA_BENCH_LIST_KEYS=10000  DATA_BENCH_BUILD=0 (build nothing)
#        DATA_BENCH_RGW_NODELAY=1 (0: RGW with Nagle on, as rgw/up.sh starts it)  JAVA_OPTS (both JVMs)
#        DATA_BENCH_JAR (the s3adt jar; default target/gradle/libs/s3adt-0.1.0.jar)
# Prints the tables on stdout (also OUTDIR/table.md), progress on stderr. Needs java 11+, mvn,
# gradle, cargo, python3, /usr/bin/time; moto and Ceph come from tests/peers/*-up.sh.
set -euo pipefail
t_start=$(date +%s)
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench/data
out=$(realpath -m "${1:-$root/target/bench/data}")
PY=${PYTHON:-python3}
servers=${DATA_BENCH_SERVERS:-moto rgw}
impls=${DATA_BENCH_IMPLS:-s3adt hadoop-aws hadoop-aws-bytebuffer bare store}
impls_moto=${DATA_BENCH_IMPLS_MOTO:-s3adt hadoop-aws bare store}
size=${DATA_BENCH_SIZE:-268435456}
size_moto=${DATA_BENCH_SIZE_MOTO:-$size}
small=${DATA_BENCH_SMALL:-1000}
list_keys=${DATA_BENCH_LIST_KEYS:-10000}
log() { echo "bench/data: [$(( $(date +%s) - t_start ))s] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
cd "$root"
. "$root/tests/harness/lib.sh"
mkdir -p "$out"

for tool in java mvn cargo curl "$PY"; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps.sh)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install time"

# ---- build ----
jar=${DATA_BENCH_JAR:-$root/target/gradle/libs/s3adt-0.1.0.jar}
bench_s3=$root/target/release/bench_s3
cp_base=$here/target/cp-base.txt
cp_aws=$here/target/cp-aws.txt
bench_jar=$here/target/s3adt-bench-data-0.1.0.jar
http_jar=$here/target/s3adt-bench-data-0.1.0-thirdparty-http.jar
if [ "${DATA_BENCH_BUILD:-1}" != 0 ]; then
  command -v gradle >/dev/null || die "gradle is not installed (scripts/install-deps.sh)"
  log "building libs3adt.so and bench_s3 (cargo, release)..."
  cargo build -q --release -p s3adt-ffi
  cargo build -q --release -p s3adt-bench --bin bench_s3
  if [ ! -f "$jar" ] || [ -n "$(find build.gradle settings.gradle java/src/main target/release/libs3adt.so -newer "$jar" -print -quit)" ]; then
    log "building the s3adt jar (gradle jar)..."
    gradle --no-daemon -q jar >&2
  fi
  stale() {
    [ -f "$cp_base" ] && [ -f "$cp_aws" ] && [ -f "$bench_jar" ] && [ -f "$http_jar" ] || return 0
    [ -z "$(find "$here/pom.xml" "$here/src" -newer "$cp_aws" -print -quit)" ] || return 0
    local j; for j in $(tr ':' ' ' <"$cp_aws"); do [ -f "$j" ] || return 0; done
    return 1
  }
  if stale; then
    log "building DataBench and resolving both classpaths (Maven)..."
    rm -f "$cp_base" "$cp_aws"
    mvn -q -B -f "$here/pom.xml" package dependency:build-classpath -Dmdep.includeScope=runtime \
      "-Dmdep.outputFile=$cp_base" >&2
    mvn -q -B -f "$here/pom.xml" -Paws package dependency:build-classpath -Dmdep.includeScope=runtime \
      "-Dmdep.outputFile=$cp_aws" >&2
  fi
fi
for f in "$jar" "$bench_s3" "$cp_base" "$cp_aws" "$bench_jar" "$http_jar"; do
  [ -f "$f" ] || die "$f is missing (run without DATA_BENCH_BUILD=0)"
done
t_built=$(date +%s)

# Nothing from the caller's environment hands the programs credentials or configuration.
clean=("${H_CLEAN_ENV[@]}")

{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host_cpus=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\""
  echo "mem_total_mib=$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)"
  echo "loadavg_start=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  echo "java=\"$(java -version 2>&1 | head -n 1)\""
  echo "rustc=\"$(rustc --version)\""
  echo "git=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- java rust 2>/dev/null || echo +uncommitted)"
} >"$out/machine.txt"

server_pid_cleanup=
stop_server() {
  if [ -n "$server_pid_cleanup" ]; then eval "$server_pid_cleanup" >/dev/null 2>&1 || true; fi
  server_pid_cleanup=
}
trap stop_server EXIT

# run_impl SERVER IMPL: one process, its stdout in OUTDIR/SERVER/IMPL.txt, time -v in IMPL.time
run_impl() {
  local server=$1 impl=$2 d=$out/$1
  local prefix=data/$impl
  local res=$d/$impl.txt tv=$d/$impl.time
  local -a cmd
  case "$impl" in
    s3adt|s3adt-array|s3adt-sdk|hadoop-aws|hadoop-aws-bytebuffer)
      local cp
      local -a extra=()
      if [ "${impl%-*}" = s3adt ]; then
        cp="$bench_jar:$jar:$(cat "$cp_base")"
        extra=(-D fs.s3a.impl=org.s3adt.fs.S3adtFileSystem)
        [ "$impl" = s3adt-array ] && extra+=(-D fs.s3a.fast.upload.buffer=array)
        [ "$impl" = s3adt-sdk ] && extra+=(-D fs.s3a.s3adt.direct.requests=false)
      else
        cp="$bench_jar:$http_jar:$(cat "$cp_aws")"
        [ "$impl" = hadoop-aws-bytebuffer ] && extra=(-D fs.s3a.fast.upload.buffer=bytebuffer)
      fi
      # shellcheck disable=SC2086
      cmd=(java ${JAVA_OPTS:-} -cp "$cp" org.s3adt.bench.DataBench
        --uri "s3a://$bucket" --list-uri "s3a://$list_bucket" --prefix "$prefix"
        --size "$cur_size" --small "$small" --list-prefix data/list
        -D "fs.s3a.endpoint=$endpoint" -D fs.s3a.endpoint.region=us-east-1
        -D fs.s3a.path.style.access=true -D fs.s3a.connection.ssl.enabled=false
        -D "fs.s3a.access.key=$ak" -D "fs.s3a.secret.key=$sk"
        -D fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider
        -D fs.s3a.bucket.probe=0 -D fs.s3a.multipart.size=64M
        -D fs.s3a.fast.upload.active.blocks=4 -D fs.s3a.paging.maximum=1000
        -D fs.s3a.readahead.range=64K "${extra[@]}")
      ;;
    bare|store)
      cmd=("$bench_s3" --mode "$impl" "${rust_common[@]}" --prefix "$prefix" --size "$cur_size"
        --small "$small" --part-size $((64 * 1024 * 1024)) --active 4 --page 1000)
      ;;
    *) die "unknown implementation $impl";;
  esac
  log "$server: $impl..."
  local rc=0
  "${clean[@]}" timeout -k 5 600 /usr/bin/time -v -o "$tv" "${cmd[@]}" >"$res" 2>"$d/$impl.err" || rc=$?
  grep -v 'NativeCodeLoader' "$d/$impl.err" | tail -n 40 >&2 || true
  if [ $rc -ne 0 ]; then
    log "$server: $impl FAILED (exit $rc); stderr in $d/$impl.err"
    echo "failed=exit $rc: $(grep -v NativeCodeLoader "$d/$impl.err" | grep -m1 -E 'Exception|Error|ERROR|panicked' | cut -c1-300)" >>"$res"
  fi
  # its objects go, whatever the program managed to delete itself
  "$bench_s3" --mode cleanup "${rust_common[@]}" --prefix "$prefix" 2>>"$d/cleanup.log" \
    || log "$server: cleanup of $prefix failed (see $d/cleanup.log)"
  if [ "$server" = rgw ]; then
    timeout 120 radosgw-admin -c "$S3ADT_RGW_DIR/ceph.conf" gc process --include-all >>"$d/cleanup.log" 2>&1 \
      || log "rgw: gc process failed (see $d/cleanup.log)"
  fi
  echo "server_rss_kib=$(ps -o rss= -p "$server_watch_pid" 2>/dev/null | tr -d ' ' || echo na)" >>"$res"
}

# RGW's beast frontend leaves Nagle's algorithm on: on a kept-alive connection every response
# after the first waits for the client's delayed ACK, ~40 ms, whatever the client (curl shows
# 2 ms, then 43 ms for each further GET). That would make every small request of every
# implementation cost 40 ms. So radosgw is restarted with beast's tcp_nodelay=1 (same port,
# same cluster; DIR/pids updated so rgw/down.sh stops it). DATA_BENCH_RGW_NODELAY=0 keeps it as
# rgw/up.sh starts it.
rgw_nodelay() {
  local D=$S3ADT_RGW_DIR mon osd rgw port=${S3ADT_RGW_ENDPOINT##*:}
  read -r mon osd rgw <"$D/pids"
  kill "$rgw"
  for _ in $(seq 1 50); do kill -0 "$rgw" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$rgw" 2>/dev/null || true
  setsid radosgw -f -c "$D/ceph.conf" -n client.rgw.a \
    --rgw-frontends "beast endpoint=127.0.0.1:$port tcp_nodelay=1" </dev/null >>"$D/log/rgw.out" 2>&1 &
  rgw=$!
  disown "$rgw"
  echo "$mon $osd $rgw" >"$D/pids"
  for _ in $(seq 1 100); do
    kill -0 "$rgw" 2>/dev/null || die "radosgw (tcp_nodelay=1) exited; see $D/log/rgw.out"
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && { log "rgw: radosgw restarted with tcp_nodelay=1"; return; }
    sleep 0.2
  done
  die "radosgw (tcp_nodelay=1) did not answer within 20 s"
}

for server in $servers; do
  d=$out/$server
  rm -rf "$d"; mkdir -p "$d"
  case "$server" in
    moto)
      log "starting moto (tests/peers/moto/up.sh)..."
      eval "$(bash "$H_PEERS/moto/up.sh" "$out/moto-server")"
      server_pid_cleanup="h_peer_down moto '$out/moto-server'"
      endpoint=$S3ADT_MOTO_ENDPOINT ak=AKIAS3ADTBENCHDATA01 sk=s3adt-bench-data-secret
      bucket=bench-data list_bucket=bench-list
      server_watch_pid=$S3ADT_MOTO_PID
      cur_size=$size_moto
      ;;
    rgw)
      log "starting Ceph RGW (tests/peers/rgw/up.sh)..."
      mkdir -p "$out/rgw-server"
      eval "$(bash "$H_PEERS/rgw/up.sh" "$out/rgw-server")"
      server_pid_cleanup="h_peer_down rgw '$out/rgw-server'"
      endpoint=$S3ADT_RGW_ENDPOINT ak=$S3ADT_RGW_ADMIN_AK sk=$S3ADT_RGW_ADMIN_SK
      bucket=bucket-a list_bucket=bucket-b
      if [ "${DATA_BENCH_RGW_NODELAY:-1}" = 1 ]; then rgw_nodelay; fi
      server_watch_pid=$(awk '{print $2}' "$S3ADT_RGW_DIR/pids")  # the memstore OSD holds the data
      cur_size=$size
      ;;
    *) die "unknown server $server (moto, rgw)";;
  esac
  rust_common=(--endpoint "$endpoint" --access-key "$ak" --secret-key "$sk" --bucket "$bucket"
    --list-bucket "$list_bucket")
  printf '%s\n' "endpoint=$endpoint" "size=$cur_size" "small=$small" "list_keys=$list_keys" >"$d/run.txt"
  log "$server: $list_keys keys for the listing (untimed)..."
  t0=$(date +%s)
  "${clean[@]}" "$bench_s3" --mode setup "${rust_common[@]}" --list-prefix data/list \
    --list-keys "$list_keys" --parallel 32 2>>"$d/setup.log" || { cat "$d/setup.log" >&2; die "$server: setup failed"; }
  echo "setup_s=$(( $(date +%s) - t0 ))" >>"$d/run.txt"
  [ "$server" = rgw ] && echo "rgw_tcp_nodelay=${DATA_BENCH_RGW_NODELAY:-1}" >>"$d/run.txt"
  cur_impls=$impls
  [ "$server" = moto ] && cur_impls=$impls_moto
  echo "impls=$cur_impls" >>"$d/run.txt"
  for impl in $cur_impls; do
    t0=$(date +%s)
    run_impl "$server" "$impl"
    echo "wall_$impl=$(( $(date +%s) - t0 ))" >>"$d/run.txt"
  done
  echo "free_mib_end=$(awk '/MemAvailable/ {print int($2/1024)}' /proc/meminfo)" >>"$d/run.txt"
  stop_server
done
trap - EXIT
t_end=$(date +%s)
echo "loadavg_end=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" >>"$out/machine.txt"
echo "times=\"build $((t_built - t_start)) s, runs $((t_end - t_built)) s, total $((t_end - t_start)) s\"" >>"$out/machine.txt"
log "done: build $((t_built - t_start)) s, runs $((t_end - t_built)) s, total $((t_end - t_start)) s"

"$PY" "$here/table.py" "$out" $servers | tee "$out/table.md"
