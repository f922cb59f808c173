#!/usr/bin/env bash
# The byte-compatibility cross-check against real hadoop-aws (Maven Central jars).
#   1. s3adt writes every case of cases.json, in each encryption layout, in both file formats;
#   2. for each Hadoop version, hadoop-aws writes the same cases and reads s3adt's files
#      (JUnit, tests/interop/java), and `hadoop dtutil print` lists them without secrets;
#   3. s3adt reads hadoop-aws's files and compares every field and byte (cargo test).
# usage: tests/interop/run.sh [OUTDIR]   (HADOOP_VERSIONS="3.3.6 3.4.1 3.4.2 3.4.3 3.5.0" by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$root/target/interop}")
versions=${HADOOP_VERSIONS:-3.3.6 3.4.1 3.4.2 3.4.3 3.5.0}
rm -rf "$out"; mkdir -p "$out"
cd "$root"
cargo run -q --release --example write_interop_cases -- tests/fixtures/cases.json "$out/rust"
for v in $versions; do
  echo "== hadoop-aws $v"
  mvn -q -B -f tests/interop/java/pom.xml -Dhadoop.version="$v" -Ds3adt.interop.dir="$out" test \
    | grep -Ev '^\s*$' || { echo "interop: hadoop $v failed" >&2; exit 1; }
done
S3ADT_INTEROP_DIR="$out" S3ADT_INTEROP_EXPECT=$(echo $versions | tr ' ' ',') \
  cargo test -q --release --workspace --test interop_java -- --ignored --nocapture
