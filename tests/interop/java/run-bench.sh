#!/usr/bin/env bash
# Times hadoop-aws decoding/encoding the same bytes as s3adt's criterion bench
# (org.s3adt.interop.DecodeBench). Prints `java <name> <ns_per_op>` lines on stdout.
#
#   run-bench.sh URL|@URLFILE TOKENFILE     measure (URL of one Session token, 1,000-token file)
#   run-bench.sh --write-sample DIR         write DIR/session.url + DIR/tokens-1000.writable
#                                           with hadoop-aws (same values as s3adt's bench data)
#
# HADOOP_VERSION (default 3.4.1) picks the jars; BENCH_WARMUP / BENCH_SECONDS tune the loop;
# JAVA_OPTS is passed to the JVM.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${HADOOP_VERSION:-3.4.1}"
cp_file="$here/target/classpath-$version.txt"

mvn -q -B -f "$here/pom.xml" "-Dhadoop.version=$version" compile dependency:build-classpath \
  -DincludeScope=runtime "-Dmdep.outputFile=$cp_file" >&2

# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} \
  "-Dbench.warmup=${BENCH_WARMUP:-2}" "-Dbench.seconds=${BENCH_SECONDS:-3}" \
  -cp "$here/target/classes:$(cat "$cp_file")" org.s3adt.interop.DecodeBench "$@"
