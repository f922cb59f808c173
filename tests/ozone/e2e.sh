#!/usr/bin/env bash
# Issue 13 item 6, end to end on Ozone, on the secure MiniYARN of tests/e2e with the real secure
# Ozone 2.2.0 of tests/peers/ozone (its MIT KDC serving the cluster too). Alice has only her
# Kerberos keytab; the binding is org.s3adt.ozone.OzoneTokenBinding (her S3 secret fetched from
# Ozone over SPNEGO at her first submission, from the secret store afterwards).
#   1. MapReduce: tests/e2e/run.sh --store ozone. A word count reads its input from and writes its
#      output to s3a://bucket-a on Ozone's S3 gateway; the tasks check they hold only the token (no
#      secret in their conf or env); a C program in each task and one in a YARN container of its
#      own read the bucket through the C API with the token; bob's token (his secret put in the
#      store by an S3 administrator) works on his own bucket and is refused alice's by Ozone's
#      ACLs, in a JVM and from a C program in a container; the scan and the negative control.
#   2. Spark 4.3.0: tests/spark/run.sh --store ozone --cases ozone, client mode, --principal/--keytab.
# Each part starts its own Ozone and cluster in its own private namespaces (root).
#
# usage: bash tests/ozone/e2e.sh [--mr-only|--spark-only] [--keep]
# Builds s3adt first (cargo build --release --workspace, gradle jar testClasses). Prints each
# part's PASS/FAIL lines and its summary, then "ozone-e2e: N passed, M failed"; exit 1 on any
# failure. Not in .ci/run (its 40-minute budget); the last full output is docs/e2e/ozone-e2e.txt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mr=1 spark=1 keep=()
for a in "$@"; do
  case $a in
    --mr-only) spark= ;;
    --spark-only) mr= ;;
    --keep) keep=(--keep) ;;
    *) echo "usage: $0 [--mr-only|--spark-only] [--keep]" >&2; exit 2 ;;
  esac
done
cd "$root"
t0=$(date +%s)
echo "ozone-e2e: building s3adt (cargo build --release --workspace, gradle jar testClasses)" >&2
cargo build -q --release --workspace && gradle --no-daemon -q jar testClasses \
  || { echo "ozone-e2e: the build failed" >&2; exit 1; }
echo "ozone-e2e: built in $(( $(date +%s) - t0 )) s" >&2
passed=0 failed=0
part() { # NAME SUMMARY-PREFIX COMMAND...: runs a part, adds its summary line's counts
  local name=$1 prefix=$2 out line t
  shift 2
  out=$(mktemp)
  t=$(date +%s)
  echo "ozone-e2e: $name: $*" >&2
  "$@" 2>&1 | tee "$out"
  line=$(grep -E "^$prefix: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
  rm -f "$out"
  if [ -z "$line" ]; then
    echo "ozone-e2e: $name ended without its summary line"; failed=$((failed + 1)); return
  fi
  passed=$((passed + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
  failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
  echo "ozone-e2e: $name took $(( $(date +%s) - t )) s: $line" >&2
}
[ -z "$mr" ] || part MapReduce e2e bash tests/e2e/run.sh --store ozone --no-build "${keep[@]}"
[ -z "$spark" ] || part Spark spark bash tests/spark/run.sh --store ozone --cases ozone --spark 4.3.0 --no-build "${keep[@]}"
echo "ozone-e2e: took $(( $(date +%s) - t0 )) s in all"
echo "ozone-e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
