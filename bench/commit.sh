#!/usr/bin/env bash
# Job-commit benchmark (issue 11 item 7): one Spark job writing partitioned parquet of N files,
# committed three ways, side by side in one run against the same Ceph RGW:
#   s3adt       s3adt's magic committer (org.s3adt.commit.S3adtCommitterFactory,
#               fs.s3a.committer.name=magic) through spark-hadoop-cloud's PathOutputCommitProtocol
#   file        the FileOutputCommitter (algorithm 1, Hadoop's default) through s3adt: Spark's
#               default commit protocol, every file "renamed" (copied and deleted) at task commit
#               and again at job commit
#   hadoop-aws  hadoop-aws 3.4.1's magic committer (S3ACommitterFactory, fs.s3a.committer.name=magic)
#               on its own S3AFileSystem, through the same PathOutputCommitProtocol: the real
#               hadoop-aws-3.4.1.jar and the AWS SDK v2 modules bench/data uses (s3, sts,
#               s3-transfer-manager, reactive-streams, the relocated Apache httpclient jar that
#               bench/data/pom.xml shades), not the 558 MB SDK bundle
# Commit time = commitJob, timed by the job's commit protocol (bench/commit/src: a subclass of the
# protocol that only times commitJob and commitTask; Spark's own "Write Job <id> committed.
# Elapsed time" line is in each stderr log to compare); total = the write action
# (df.write.partitionBy("k").parquet). Task commits are summed over the tasks as a third column.
#
# Which Spark: pyspark 4.0.1 from PyPI (pip --target into bench/commit/target/, as
# tests/spark/run.sh installs pyspark). Its jars carry Hadoop 3.4.1's client
# (hadoop-client-api/-runtime 3.4.1): exactly the Hadoop that hadoop-aws 3.4.1 was built and
# released with, so hadoop-aws runs on its own Hadoop with no jar swapped, and Spark 4.0's own
# -Phadoop-cloud distribution ships this same pairing (hadoop-aws 3.4.1 with
# spark-hadoop-cloud_2.13 4.0.x). The alternatives were worse: pyspark 3.5.x carries Hadoop
# 3.3.4, and replacing its client jars with 3.4.1 is a Spark nobody tested; pyspark 4.1+ carries
# Hadoop 3.4.2+, under which hadoop-aws 3.4.1 would run on a newer hadoop-common than its own.
# spark-hadoop-cloud_2.13-4.0.1.jar comes from Maven Central without its dependencies (they are
# hadoop-aws and the SDK bundle); every implementation gets the same Spark, the same jars but
# the connector, the same settings but the connector's class and the committer factory.
#
# The write: local[4] (one JVM, 4 task threads), TASKS (20) tasks each writing one file into each
# of N/TASKS partitions (k=0..), ROWS (100) rows a file, snappy parquet (~1.6 KB a file): the
# cost is per file, not per byte. Per implementation one spark-submit: an untimed warm-up write
# (TASKS files), then REPS rounds of N = 100, 1,000. After each spark-submit boto3
# (bench/commit/check.py) checks every write straight on RGW: exactly N parquet files, TASKS in
# each partition, none empty, _SUCCESS as that committer writes it (the JSON naming s3adt's or
# hadoop-aws's committer and the N files; the FileOutputCommitter's empty one), no
# __magic_job-*, no _temporary, no upload open; a write failing its check is shown as FAILED
# in the table, not timed. Then its objects are deleted.
#
# Settings every implementation gets (spark.hadoop.*): the endpoint, path style, plain http,
# region us-east-1, RGW's admin keys, fs.s3a.bucket.probe=0; everything else at each
# implementation's defaults (fs.s3a.committer.threads 8 in both; hadoop-aws also takes
# core-default's fs.s3a.committer.abort.pending.uploads=true: one ListMultipartUploads of the
# destination at job commit, which s3adt does not do unless set), but one for hadoop-aws:
# fs.s3a.signing-algorithm=AWS4UnsignedPayloadSignerType (COMMIT_BENCH_AWS_SIGNER). With its
# default S3 signer (SDK 2.24.6, plain http: payloads signed in aws-chunked encoding) RGW 16.2
# refuses hadoop-aws's 0-byte PUTs with 400 XAmzContentSHA256Mismatch:
# the directory marker the magic committer's setupJob makes, and the marker object each magic
# file leaves, so hadoop-aws's magic committer cannot run on this RGW over http as shipped.
# (bench/data's 1 KiB files pass.) AWS4SignerType gets 403 on the first HEAD;
# AWS4UnsignedPayloadSignerType works and costs hadoop-aws less CPU than the default (no payload
# hash at all; s3adt hashes every payload, the Rust SDK's default).
#
# usage: bash bench/commit.sh [OUTDIR]        (default target/bench/commit; raw results there)
# knobs: COMMIT_BENCH_IMPLS="s3adt file hadoop-aws"  COMMIT_BENCH_FILES=100,1000
#        COMMIT_BENCH_REPS=1  COMMIT_BENCH_TASKS=20  COMMIT_BENCH_ROWS=100  COMMIT_BENCH_MASTER=local[4]
#        COMMIT_BENCH_BUILD=0 (build and fetch nothing)  COMMIT_BENCH_TIMEOUT=900 (s, per spark-submit)
# Prints the table on stdout (also OUTDIR/table.md), progress on stderr. Needs java 17, mvn,
# gradle, cargo, python3 with boto3; Ceph RGW comes from tests/peers/rgw/up.sh.
set -euo pipefail
t_start=$(date +%s)
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench/commit
out=$(realpath -m "${1:-$root/target/bench/commit}")
impls=${COMMIT_BENCH_IMPLS:-s3adt file hadoop-aws}
files=${COMMIT_BENCH_FILES:-100,1000}
reps=${COMMIT_BENCH_REPS:-1}
tasks=${COMMIT_BENCH_TASKS:-20}
rows=${COMMIT_BENCH_ROWS:-100}
master=${COMMIT_BENCH_MASTER:-local[4]}
aws_signer=${COMMIT_BENCH_AWS_SIGNER:-AWS4UnsignedPayloadSignerType}
spark_version=4.0.1
H_NAME=bench/commit
. "$root/tests/harness/lib.sh"
log() { h_log "[$(( $(date +%s) - t_start ))s] $*"; }
die() { log "ERROR: $*"; exit 1; }
cd "$root"
mkdir -p "$out"

tgt=$here/target
spark_home=$tgt/pyspark-$spark_version/pyspark
cloud_jar=$tgt/spark-hadoop-cloud_2.13-$spark_version.jar
jobjar=$tgt/s3adt-bench-commit.jar
lib=$tgt/s3adt   # copies: a concurrent rebuild cannot change them mid-run
cp_aws_all=$tgt/cp-aws-all.txt
http_jar=$root/bench/data/target/s3adt-bench-data-0.1.0-thirdparty-http.jar
if [ "${COMMIT_BENCH_BUILD:-1}" != 0 ]; then
  log "building libs3adt.so and the s3adt jar..."
  cargo build -q --release --workspace
  gradle --no-daemon -q jar >&2
  if [ ! -x "$spark_home/bin/spark-submit" ]; then
    log "installing pyspark==$spark_version (Spark's jars and spark-submit) into $tgt"
    rm -rf "$tgt/pyspark-$spark_version"
    python3 -m pip install -q --disable-pip-version-check --no-deps \
      --target "$tgt/pyspark-$spark_version" "pyspark==$spark_version" >&2
  fi
  if [ ! -f "$cloud_jar" ]; then
    # spark-hadoop-cloud alone: its pom pulls hadoop-aws and the AWS SDK bundle
    mvn -q -B dependency:get -Dartifact=org.apache.spark:spark-hadoop-cloud_2.13:$spark_version \
      -Dtransitive=false >&2
    cp "$HOME/.m2/repository/org/apache/spark/spark-hadoop-cloud_2.13/$spark_version/$(basename "$cloud_jar")" "$cloud_jar"
  fi
  if [ ! -f "$cp_aws_all" ] || [ ! -f "$http_jar" ] || [ "$root/bench/data/pom.xml" -nt "$cp_aws_all" ]; then
    log "resolving hadoop-aws 3.4.1 and its SDK modules (bench/data/pom.xml -Paws)..."
    mvn -q -B -f "$root/bench/data/pom.xml" -Paws package dependency:build-classpath \
      -Dmdep.includeScope=runtime "-Dmdep.outputFile=$cp_aws_all" >&2
  fi
  if [ ! -f "$jobjar" ] || [ -n "$(find "$here/src" -newer "$jobjar" -print -quit)" ]; then
    log "compiling the job against Spark $spark_version's jars"
    rm -rf "$tgt/classes"; mkdir -p "$tgt/classes"
    javac -nowarn --release 17 -cp "$spark_home/jars/*:$cloud_jar" -d "$tgt/classes" "$here"/src/org/s3adt/bench/commit/*.java
    jar cf "$jobjar" -C "$tgt/classes" .
  fi
fi
mkdir -p "$lib"
cp -p target/release/libs3adt.so target/gradle/libs/s3adt-0.1.0.jar "$lib/"
for f in "$spark_home/bin/spark-submit" "$cloud_jar" "$jobjar" "$cp_aws_all" "$http_jar"; do
  [ -e "$f" ] || die "$f is missing (run without COMMIT_BENCH_BUILD=0)"
done
# hadoop-aws's side: hadoop-aws itself and the SDK modules, not the hadoop-common 3.4.1 (and its
# dependencies) that bench/data's classpath also holds: Spark's hadoop-client jars are that Hadoop
aws_jars=$(tr ':' '\n' <"$cp_aws_all" | grep -E '/hadoop-aws-3\.4\.1\.jar$|/software/amazon/awssdk/|/org/reactivestreams/' | tr '\n' ',')
aws_jars=${aws_jars}$http_jar
t_built=$(date +%s)

{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host_cpus=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\""
  echo "loadavg_start=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  echo "java=\"$(java -version 2>&1 | head -n 1)\""
  echo "spark=$spark_version hadoop=$(ls "$spark_home"/jars/hadoop-client-api-*.jar | sed 's/.*-api-//; s/\.jar//')"
  echo "git=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- java rust 2>/dev/null || echo +uncommitted)"
  echo "impls=\"$impls\" files=$files reps=$reps tasks=$tasks rows=$rows master=$master"
} >"$out/machine.txt"

log "starting Ceph RGW (tests/peers/rgw/up.sh)..."
rm -rf "$out/rgw-server"; mkdir -p "$out/rgw-server"
eval "$(bash "$H_PEERS/rgw/up.sh" "$out/rgw-server")"
h_on_exit h_peer_down rgw "$out/rgw-server"
endpoint=$S3ADT_RGW_ENDPOINT
export S3ADT_BENCH_AK=$S3ADT_RGW_ADMIN_AK S3ADT_BENCH_SK=$S3ADT_RGW_ADMIN_SK
bucket=bucket-a run=commit-$(date +%s)

export SPARK_HOME=$spark_home
common=(
  --master "$master" --driver-memory 1g
  --conf spark.ui.enabled=false
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
  --conf spark.hadoop.fs.s3a.endpoint="$endpoint"
  --conf spark.hadoop.fs.s3a.endpoint.region=us-east-1
  --conf spark.hadoop.fs.s3a.path.style.access=true
  --conf spark.hadoop.fs.s3a.connection.ssl.enabled=false
  --conf spark.hadoop.fs.s3a.bucket.probe=0
  --conf spark.hadoop.fs.s3a.access.key="$S3ADT_BENCH_AK"
  --conf spark.hadoop.fs.s3a.secret.key="$S3ADT_BENCH_SK"
  --driver-java-options "-Dlog4j.configurationFile=file:$here/conf/log4j2.properties"
)
s3adt_fs=(
  --conf spark.hadoop.fs.s3a.impl=org.s3adt.fs.S3adtFileSystem
  --conf spark.hadoop.fs.AbstractFileSystem.s3a.impl=org.s3adt.fs.S3adt
)
magic=(
  --conf spark.hadoop.fs.s3a.committer.name=magic
  --conf spark.sql.sources.commitProtocolClass=org.s3adt.bench.commit.TimedPathCommitProtocol
  --conf spark.sql.parquet.output.committer.class=org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter
)

for impl in $impls; do
  case "$impl" in
    s3adt)
      expected=org.s3adt.commit.S3adtMagicCommitter
      args=("${s3adt_fs[@]}" "${magic[@]}" --jars "$lib/s3adt-0.1.0.jar,$cloud_jar"
        --conf spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a=org.s3adt.commit.S3adtCommitterFactory) ;;
    file)
      expected=file
      args=("${s3adt_fs[@]}" --jars "$lib/s3adt-0.1.0.jar"
        --conf spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a=org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory
        --conf spark.sql.sources.commitProtocolClass=org.s3adt.bench.commit.TimedSqlCommitProtocol) ;;
    hadoop-aws)
      expected=magic
      args=("${magic[@]}" --jars "$aws_jars,$cloud_jar"
        --conf spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider
        --conf spark.hadoop.fs.s3a.signing-algorithm="$aws_signer"
        --conf spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a=org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory) ;;
    *) die "unknown implementation $impl (s3adt, file, hadoop-aws)" ;;
  esac
  res=$out/$impl.txt
  : >"$res"
  log "$impl: spark-submit (warm-up, then $reps x N=$files)..."
  t0=$(date +%s)
  rc=0
  "${H_CLEAN_ENV[@]}" SPARK_HOME="$spark_home" timeout -k 30 "${COMMIT_BENCH_TIMEOUT:-900}" \
    "$spark_home/bin/spark-submit" "${common[@]}" "${args[@]}" \
    --class org.s3adt.bench.commit.CommitBench "$jobjar" --impl "$impl" \
    --out "s3a://$bucket/$run/$impl" --results "$res" --files "$files" --reps "$reps" \
    --tasks "$tasks" --rows-per-file "$rows" >"$out/$impl.out" 2>"$out/$impl.err" || rc=$?
  echo "wall_s=$(( $(date +%s) - t0 )) rc=$rc" >"$out/$impl.wall"
  [ "$rc" = 0 ] || log "$impl: spark-submit FAILED (exit $rc); stderr in $out/$impl.err: $(grep -m1 -E 'Exception|Error' "$out/$impl.err" | cut -c1-300)"
  grep 'Write Job .* committed' "$out/$impl.err" >"$out/$impl.spark-commits" || true
  python3 "$here/check.py" "$endpoint" "$bucket" "$run/$impl" "$res" "$expected" >/dev/null \
    || log "$impl: the check failed to run"
  log "$impl: $(grep -c 'check=ok' "$res" || true) writes checked ok, $(grep -c 'check=FAIL' "$res" || true) failed, $(( $(date +%s) - t0 )) s"
  timeout 120 radosgw-admin -c "$S3ADT_RGW_DIR/ceph.conf" gc process --include-all >>"$out/gc.log" 2>&1 || true
done
t_end=$(date +%s)
echo "loadavg_end=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" >>"$out/machine.txt"
echo "times=\"build $((t_built - t_start)) s, runs $((t_end - t_built)) s, total $((t_end - t_start)) s\"" >>"$out/machine.txt"
log "done: build $((t_built - t_start)) s, runs $((t_end - t_built)) s, total $((t_end - t_start)) s"
python3 "$here/table.py" "$out" $impls | tee "$out/table.md"
