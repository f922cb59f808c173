#!/usr/bin/env bash
# The main job, on a fresh machine, against a moto server on loopback (S3 + STS + IAM):
#  1. a job submitter holding AWS keys collects S3A Session delegation tokens (STS
#     GetSessionToken) for two buckets with `s3adt fetch`, into a Hadoop token file;
#  2. `s3adt print` shows them (no secret);
#  3. a "task" holding only that token file (HADOOP_TOKEN_FILE_LOCATION, no AWS keys anywhere)
#     reads and writes s3a://bucket-a through Hadoop's own FsShell with s3adt as the s3a://
#     FileSystem (the jar carries libs3adt.so; no AWS Java SDK on the classpath);
#  4. a C program reads the same token file through the C API.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
bash scripts/install-deps.sh
export AWS_EC2_METADATA_DISABLED=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN HADOOP_TOKEN_FILE_LOCATION
echo "== building (cargo, gradle)"
cargo build -q --release -p s3adt-cli -p s3adt-ffi
gradle --no-daemon -q jar
hadoop_cp=$(gradle --no-daemon -q hadoopClasspath 2>/dev/null | tail -n 1)
s3adt=$root/target/release/s3adt
h_workdir work demo
h_peer_up moto "$work/moto"
h_moto_setup "$S3ADT_MOTO_ENDPOINT" >"$work/setup.json"
key() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["alice"][sys.argv[2]])' "$work/setup.json" "$1"; }
export DEMO_AK DEMO_SK
DEMO_AK=$(key access_key) DEMO_SK=$(key secret_key)

echo; echo "== 1. submitter: s3adt fetch (Session binding, STS on $S3ADT_MOTO_ENDPOINT)"
"$s3adt" fetch \
  -D fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding \
  -D 'fs.s3a.access.key=${env.DEMO_AK}' -D 'fs.s3a.secret.key=${env.DEMO_SK}' \
  -D "fs.s3a.assumed.role.sts.endpoint=$S3ADT_MOTO_ENDPOINT" -D fs.s3a.assumed.role.sts.endpoint.region=us-east-1 \
  --renewer yarn s3a://bucket-a s3a://bucket-b "$work/tokens.dt"

echo; echo "== 2. s3adt print"
"$s3adt" print "$work/tokens.dt"

echo; echo "== 3. task: Hadoop FsShell on s3a:// with only the token (no keys in conf or env)"
mkdir -p "$work/conf"
cat >"$work/conf/core-site.xml" <<XML
<configuration>
  <property><name>fs.s3a.impl</name><value>org.s3adt.fs.S3adtFileSystem</value></property>
  <property><name>fs.s3a.delegation.token.binding</name><value>org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenBinding</value></property>
  <property><name>fs.s3a.endpoint</name><value>$S3ADT_MOTO_ENDPOINT</value></property>
  <property><name>fs.s3a.endpoint.region</name><value>us-east-1</value></property>
  <property><name>fs.s3a.path.style.access</name><value>true</value></property>
</configuration>
XML
fsshell() {
  env -u DEMO_AK -u DEMO_SK HADOOP_TOKEN_FILE_LOCATION="$work/tokens.dt" \
    java -cp "$work/conf:target/gradle/libs/s3adt-0.1.0.jar:$hadoop_cp" org.apache.hadoop.fs.FsShell "$@" 2>"$work/fsshell.err" \
    || { grep -v 'NativeCodeLoader\|log4j' "$work/fsshell.err" >&2; return 1; }
}
echo "\$ hadoop fs -cat s3a://bucket-a/hello.txt"; fsshell -cat s3a://bucket-a/hello.txt; echo
echo "hello from a task" >"$work/local.txt"
echo "\$ hadoop fs -mkdir -p s3a://bucket-a/out"; fsshell -mkdir -p s3a://bucket-a/out
echo "\$ hadoop fs -put local.txt s3a://bucket-a/out/part-0"; fsshell -put "$work/local.txt" s3a://bucket-a/out/part-0
echo "\$ hadoop fs -ls -R s3a://bucket-a/"; fsshell -ls -R s3a://bucket-a/
echo "\$ hadoop fs -cat s3a://bucket-a/out/part-0"; fsshell -cat s3a://bucket-a/out/part-0

echo; echo "== 4. a C program on the same token file (README's snippet)"
python3 - >"$work/token_creds.c" <<'PY'
import re
m = re.search(r"<!-- snippet: token_creds.c -->\s*```c\n(.*?)```", open("README.md").read(), re.S)
print(m.group(1), end="")
PY
bash scripts/install.sh --no-build --prefix "$work/prefix" >/dev/null
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
gcc -std=c11 "$work/token_creds.c" $(pkg-config --cflags --libs s3adt) -Wl,-rpath,"$work/prefix/lib" -o "$work/token_creds"
HADOOP_TOKEN_FILE_LOCATION="$work/tokens.dt" "$work/token_creds" bucket-b

if grep -a -q -e "$DEMO_SK" <("$s3adt" print "$work/tokens.dt"; "$s3adt" print --json "$work/tokens.dt"); then
  echo "a secret was printed" >&2; exit 1
fi
echo; echo "OK: tokens issued through STS, described without secrets, and used by a Hadoop client and a C program holding nothing else."
