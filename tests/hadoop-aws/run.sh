#!/usr/bin/env bash
# Cross-implementation test on Ceph RGW with the real hadoop-aws 3.4.1 S3AFileSystem.
#   1. s3adt token -> hadoop-aws: `s3adt fetch` writes Session and Role tokens for s3a://bucket-a;
#      a JVM whose only credentials are that file (HADOOP_TOKEN_FILE_LOCATION) lists and reads
#      bucket-a with S3AFileSystem; the Role token is denied on bucket-b (ReadWithToken.java).
#   2. hadoop-aws token -> s3adt: S3AFileSystem issues Session and Role tokens through RGW's STS
#      and writes token files (IssueToken.java); `s3adt credentials --format credential-process`
#      feeds boto3, which reads bucket-a (s3_with_token.py).
# usage: eval "$(bash tests/peers/rgw/up.sh DIR)"; bash tests/hadoop-aws/run.sh
# Prints one PASS/FAIL line per check and "hadoop-aws cross-implementation: N passed, M failed";
# exits 1 on any failure. Builds target/release/s3adt if it is missing.
set -uo pipefail
t0=$(date +%s%N)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/harness/lib.sh"
for v in S3ADT_RGW_ENDPOINT S3ADT_RGW_ADMIN_AK S3ADT_RGW_ADMIN_SK S3ADT_RGW_ROLE_ARN; do
  [ -n "${!v:-}" ] || { echo "$v is not set: eval \"\$(bash tests/peers/rgw/up.sh DIR)\" first" >&2; exit 2; }
done
h_workdir work hadoop-aws
log=$work/all.log
: >"$log"
say() { echo "$*" | tee -a "$log"; }

# --- build: the s3adt binary, the Java programs and their classpath (quiet) ---
cd "$root"
s3adt=$root/target/release/s3adt
if [ ! -x "$s3adt" ]; then
  cargo build -q --release -p s3adt-cli || { echo "cargo build failed" >&2; exit 2; }
fi
jar=$here/target/s3adt-hadoop-aws-check-0.1.0.jar
cpfile=$here/target/classpath.txt
# Maven (11 s) only when the jar or the classpath is missing, older than the sources, or names a
# jar that is gone from the local repository.
stale() {
  [ -f "$jar" ] && [ -f "$cpfile" ] || return 0
  [ -z "$(find "$here/pom.xml" "$here/src" -newer "$cpfile" -print -quit)" ] || return 0
  local j; for j in $(tr ':' ' ' <"$cpfile"); do [ -f "$j" ] || return 0; done
  return 1
}
if stale; then
  rm -f "$cpfile"
  mvn -q -B -f "$here/pom.xml" package dependency:build-classpath \
    -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime >"$work/mvn.log" 2>&1 \
    || { cat "$work/mvn.log" >&2; echo "maven build failed" >&2; exit 2; }
fi
cp="$jar:$(cat "$cpfile")"

# Nothing from the caller's environment may hand the JVMs or boto3 credentials: no AWS_* keys,
# profiles, web identity or container endpoints, no instance metadata, no Hadoop configuration
# directory (Configuration then has only core-default.xml and what the programs set).
clean=("${H_CLEAN_ENV[@]}")
# ... and the token consumers do not even have the RGW keys in their environment.
nokeys=(env -u S3ADT_RGW_ADMIN_AK -u S3ADT_RGW_ADMIN_SK -u S3ADT_RGW_LIMITED_AK -u S3ADT_RGW_LIMITED_SK)
# Each step is bounded: a hung peer fails the step instead of the whole run.
java=(timeout -k 5 180 java -cp "$cp" -Xshare:auto -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true)

# run NAME CMD...: run a step that prints its own PASS/FAIL lines; a step that exits non-zero
# without a FAIL line (a crash, a build or setup error) gets one.
run() {
  local name=$1; shift
  "$@" >"$work/step.log" 2>&1
  local rc=$?
  tee -a "$log" <"$work/step.log" | sed 's/^/  /;s/^  \(PASS\|FAIL\)/\1/'
  if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$work/step.log"; then
    say "FAIL $name: exited $rc"
  fi
}
# check NAME CMD...: a step that passes when CMD exits 0.
check() {
  local name=$1; shift
  if "$@" >"$work/step.log" 2>&1; then say "PASS $name"; else
    say "FAIL $name: exited $? ($(tail -n 3 "$work/step.log" | tr '\n' ' '))"; fi
  sed 's/^/  /' "$work/step.log" >>"$log"
}

echo "== 1. s3adt token -> hadoop-aws S3AFileSystem (RGW $S3ADT_RGW_ENDPOINT)"
for b in Session Role; do
  tok=$work/s3adt-$b.token
  # The keys stay in the environment (${env.X}), off the command line.
  check "[s3adt fetch] $b token for s3a://bucket-a from RGW's STS" \
    "${clean[@]}" timeout -k 5 180 "$s3adt" fetch \
    -D "fs.s3a.delegation.token.binding=org.apache.hadoop.fs.s3a.auth.delegation.${b}TokenBinding" \
    -D "fs.s3a.assumed.role.sts.endpoint=$S3ADT_RGW_ENDPOINT" \
    -D fs.s3a.assumed.role.sts.endpoint.region=us-east-1 \
    -D 'fs.s3a.access.key=${env.S3ADT_RGW_ADMIN_AK}' \
    -D 'fs.s3a.secret.key=${env.S3ADT_RGW_ADMIN_SK}' \
    -D "fs.s3a.assumed.role.arn=$S3ADT_RGW_ROLE_ARN" \
    -D fs.s3a.s3adt.role.policy.kms=false \
    s3a://bucket-a "$tok"
  [ -s "$tok" ] || continue
  run "ReadWithToken $b" "${clean[@]}" "${nokeys[@]}" HADOOP_TOKEN_FILE_LOCATION="$tok" \
    "${java[@]}" org.s3adt.hadoopaws.ReadWithToken "$b"
done

echo "== 2. hadoop-aws S3AFileSystem token -> s3adt credentials -> boto3"
h=$work/hadoop-aws
mkdir -p "$h"
# Certificate for IssueToken's in-JVM TLS front to RGW's STS (hadoop-aws 3.4.1 speaks https only).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$h/key.pem" -out "$h/cert.pem" >/dev/null 2>&1 \
  || say "FAIL openssl: no certificate for the STS TLS front"
run "IssueToken" "${clean[@]}" "${java[@]}" org.s3adt.hadoopaws.IssueToken "$h"
for b in session role; do
  tok=$h/$b.token
  [ -s "$tok" ] || continue
  check "[$b.token] s3adt print reads hadoop-aws's token file" "$s3adt" print "$tok"
  if [ $b = role ]; then expect=(bucket-a:"hello from A" bucket-b:AccessDenied)
  else expect=(bucket-a:"hello from A" bucket-b:"hello from B"); fi
  run "boto3 with $b.token" "${clean[@]}" "${nokeys[@]}" \
    timeout -k 5 120 python3 "$here/s3_with_token.py" "$s3adt" "$tok" "$S3ADT_RGW_ENDPOINT" "${expect[@]}"
done

# No secret may appear in anything this run printed: the RGW keys, nor any token's credentials.
check "no secret key or session token in this run's output" \
  "${clean[@]}" python3 - "$s3adt" "$log" "$work" <<'EOF'
import glob, json, os, subprocess, sys
s3adt, log, work = sys.argv[1:4]
secrets = [os.environ[v] for v in ("S3ADT_RGW_ADMIN_SK", "S3ADT_RGW_LIMITED_SK") if os.environ.get(v)]
for f in sorted(glob.glob(f"{work}/*.token") + glob.glob(f"{work}/hadoop-aws/*.token")):
    out = subprocess.run([s3adt, "credentials", "--format", "json", "--token-file", f, "s3a://bucket-a"],
                         capture_output=True, text=True)
    if out.returncode == 0:
        c = json.loads(out.stdout)
        secrets += [c["secretAccessKey"], c.get("sessionToken") or ""]
text = open(log).read()
leaks = [i for i, s in enumerate(secrets) if len(s) >= 8 and s in text]
print(f"{len(secrets)} secrets checked, {len(leaks)} found in the output")
sys.exit(1 if leaks or len(secrets) < 2 else 0)
EOF

passed=$(grep -c '^PASS' "$log")
failed=$(grep -c '^FAIL' "$log")
secs=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "(run time $((secs / 1000)).$(printf %03d $((secs % 1000)) | cut -c1-1) s)"
echo "hadoop-aws cross-implementation: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
