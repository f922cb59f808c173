#!/usr/bin/env bash
# Every test of the project, as CI runs it. Installs what is missing first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
bash scripts/install-deps.sh
step() { h_step "$@"; }
# Tests point instance metadata at loopback when they want it; nothing may probe 169.254.x.x.
export AWS_EC2_METADATA_DISABLED=true

step "format, lints and layers"
cargo fmt --all --check
cargo clippy -q --workspace --all-targets --release -- -D warnings
python3 scripts/check-layers.py
# The wire format is its own crate so that a token reader needs no async runtime, HTTP or AWS
# SDK: its normal dependencies must not reach tokio, hyper, rustls or any aws-* crate.
token_deps=$(cargo tree -p s3adt-token -e normal --prefix none -f '{p}')
if bad=$(grep -E '^(tokio|hyper|rustls|aws-)' <<<"$token_deps"); then
  echo "s3adt-token depends on what its layer must not:" >&2
  sort -u <<<"$bad" >&2
  exit 1
fi

step "Rust tests (unit, spec vectors, robustness for ${S3ADT_FUZZ_SECONDS:-5}s, CLI)"
cargo test --workspace --release

step "C API: a C program against libs3adt.so and moto, plainly and under valgrind"
bash tests/c/run.sh

step "token files under attack: two OS users (planted temp names and symlinks, a race), a full file system, a file-size limit"
bash tests/security/token-files.sh "$root/target/release/s3adt"

step "C header documentation: doxygen docs/Doxyfile, every warning an error"
rm -rf target/doxygen
doxygen docs/Doxyfile

step "installed as each ecosystem consumes it: install.sh prefix + pkg-config, cargo install, Maven publication and consumer, one version"
bash tests/install/run.sh

step "enforcement on Ceph RGW (session policy, expiry, STS errors)"
rgw_dir=$(mktemp -d /tmp/s3adt-rgw.XXXXXX)
h_peer_up rgw "$rgw_dir"
# --workspace: the same feature set as the build above, so nothing is compiled again
cargo test --workspace --release --test cli_rgw -- --include-ignored
# across implementations on RGW: s3adt tokens in real hadoop-aws S3AFileSystem, and back
bash tests/hadoop-aws/run.sh
h_peer_down rgw "$rgw_dir"

step "interop with real hadoop-aws"
bash tests/interop/run.sh "$root/target/interop"

step "Java shim over JNI (Gradle, JUnit 4, -Xcheck:jni): identifiers, FileSystem, fetchdt, dtutil, both classpath orders"
S3ADT_INTEROP_DIR="$root/target/interop" bash tests/java/run.sh

step "Hadoop's filesystem contract suites on Ceph RGW"
bash tests/java/contract-rgw.sh

step "README snippets (core-site.xml through dtutil get, the C example on its token)"
bash tests/readme/run.sh

step "end to end: MapReduce on a secure YARN (MIT KDC), input and output on s3a:// through s3adt, per binding (Full through the FileOutputCommitter, Session and Role through s3adt's magic committer); a job with s3adt from -libjars only"
bash tests/e2e/run.sh --data s3a --libjars --committer magic --magic-bindings Session,Role

step "Spark 4.3 as users install it (pyspark 4.3.0 from PyPI: Hadoop 3.5.0 client, Scala 2.13, Java 17): local mode on a token file, partitioned parquet through s3adt's magic committer (spark-hadoop-cloud's PathOutputCommitProtocol), YARN client and cluster mode on the secure cluster, Session and Role; a Role job outliving three 60-s tokens, and its control with the renewer off (issue 16)"
bash tests/spark/run.sh --spark 4.3.0 --cases token,magic,yarn,cluster
bash tests/spark/run.sh --spark 4.3.0 --no-build --binding Role --cases token,yarn,cluster,longjob
