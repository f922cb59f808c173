#!/usr/bin/env bash
# Runs README.md's snippets as a user would: the core-site.xml snippet is the configuration of a
# real `hadoop dtutil get` (DtUtilShell from hadoop-common, s3adt's jar on the classpath; moto's
# address and alice's keys come from a second resource, as a site would add its own), and the C
# snippets are installed as the README says (scripts/install.sh into a temporary prefix), compiled
# with the README's own pkg-config command lines and run from there on the token file that produced.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
h_workdir work readme
snippet() { # the fenced block after "<!-- snippet: NAME -->"
  python3 - "$1" <<'PY'
import re, sys
text = open("README.md").read()
m = re.search(r"<!-- snippet: " + re.escape(sys.argv[1]) + r" -->\s*```[a-z]*\n(.*?)```", text, re.S)
if not m:
    sys.exit("README.md has no snippet " + sys.argv[1])
sys.stdout.write(m.group(1))
PY
}
mkdir -p "$work/conf"
snippet core-site.xml >"$work/conf/core-site.xml"
snippet token_creds.c >"$work/token_creds.c"
snippet token_cat.c >"$work/token_cat.c"
cargo build -q --release -p s3adt-ffi
gradle --no-daemon -q jar
version=$(target/release/s3adt --version | cut -d' ' -f2)
bash scripts/install.sh --prefix "$work/prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
build_c() { # NAME: the README's cc line for NAME.c, run in $work, then the strict warnings build
  local line
  line=$(snippet "$1.sh" | grep '^cc ')
  (cd "$work" && env -u LD_LIBRARY_PATH bash -ec "$line")
  # shellcheck disable=SC2046
  gcc -std=c11 -Wall -Werror -fsyntax-only "$work/$1.c" $(pkg-config --cflags s3adt)
}
h_peer_up moto "$work/moto"
h_moto_setup "$S3ADT_MOTO_ENDPOINT" >"$work/setup.json"
ak=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["alice"]["access_key"])' "$work/setup.json")
sk=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["alice"]["secret_key"])' "$work/setup.json")
cat >"$work/conf/site-local.xml" <<XML
<configuration>
  <property><name>fs.s3a.access.key</name><value>$ak</value></property>
  <property><name>fs.s3a.secret.key</name><value>$sk</value></property>
  <property><name>fs.s3a.assumed.role.sts.endpoint</name><value>$S3ADT_MOTO_ENDPOINT</value></property>
  <property><name>fs.s3a.assumed.role.sts.endpoint.region</name><value>us-east-1</value></property>
</configuration>
XML
cp=$(gradle --no-daemon -q hadoopClasspath 2>/dev/null | tail -n 1)
[ -n "$cp" ] || { echo "readme: could not resolve the Hadoop classpath" >&2; exit 1; }
export AWS_EC2_METADATA_DISABLED=true
java -cp "$work/conf:target/gradle/libs/s3adt-$version.jar:$cp" org.apache.hadoop.security.token.DtUtilShell \
  -conf "$work/conf/site-local.xml" get s3a://bucket-a -format protobuf "$work/my.token" 2>"$work/dtutil.log" \
  || { cat "$work/dtutil.log" >&2; echo "readme: dtutil get with the README's core-site.xml failed" >&2; exit 1; }
out=$(target/release/s3adt print "$work/my.token")
echo "$out" | grep -q 'S3ADelegationToken/Session' || { echo "$out" >&2; echo "readme: no Session token" >&2; exit 1; }
build_c token_creds
line=$(HADOOP_TOKEN_FILE_LOCATION="$work/my.token" "$work/token_creds" bucket-a)
echo "$line"
case "$line" in
  "s3a://bucket-a: access key "*", session credentials, expires at "*) ;;
  *) echo "readme: the C snippet printed something unexpected" >&2; exit 1 ;;
esac
if HADOOP_TOKEN_FILE_LOCATION="$work/my.token" "$work/token_creds" bucket-b 2>"$work/err"; then
  echo "readme: the C snippet found a token for bucket-b" >&2; exit 1; fi
grep -q 'no delegation token for s3a://bucket-b' "$work/err" || { cat "$work/err" >&2; exit 1; }
# token_cat.c: the object through the token alone (no keys anywhere in its settings)
build_c token_cat
settings=(fs.s3a.endpoint="$S3ADT_MOTO_ENDPOINT" fs.s3a.endpoint.region=us-east-1 fs.s3a.path.style.access=true)
got=$(HADOOP_CONF_DIR="$work/conf" HADOOP_TOKEN_FILE_LOCATION="$work/my.token" \
  "$work/token_cat" bucket-a hello.txt "${settings[@]}")
[ "$got" = "hello from A" ] || { echo "readme: token_cat printed '$got', not bucket-a's hello.txt" >&2; exit 1; }
echo "token_cat bucket-a hello.txt: $got"
if HADOOP_CONF_DIR="$work/conf" HADOOP_TOKEN_FILE_LOCATION="$work/my.token" \
  "$work/token_cat" bucket-a no/such/key "${settings[@]}" 2>"$work/err"; then
  echo "readme: token_cat read a missing key" >&2; exit 1; fi
grep -q 's3a://bucket-a/no/such/key' "$work/err" || { cat "$work/err" >&2; echo "readme: token_cat's error names no key" >&2; exit 1; }
echo "README snippets: 3 passed, 0 failed (core-site.xml via dtutil get; token_creds.c and token_cat.c on its token)"
