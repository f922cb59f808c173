#!/usr/bin/env bash
# Builds tests/c/token_test.c with gcc against include/s3adt.h and libs3adt.so, starts a moto
# server, and runs the program plainly and under valgrind (no error, no definite leak).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v valgrind >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
cargo build -q --release -p s3adt-ffi
git diff --exit-code --stat include/s3adt.h || { echo "include/s3adt.h is stale: commit the regenerated header" >&2; exit 1; }
work=$(mktemp -d /tmp/s3adt-c.XXXXXX)
gcc -std=c11 -Wall -Wextra -Werror -pthread -Iinclude tests/c/token_test.c -Ltarget/release -ls3adt \
    -Wl,-rpath,"$root/target/release" -o "$work/token_test"
eval "$(bash tests/peers/moto-up.sh "$work/moto")"
trap 'bash tests/peers/moto-down.sh "$work/moto" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
python3 tests/peers/moto-setup.py "$S3ADT_MOTO_ENDPOINT" >/dev/null  # bucket-a with hello.txt
export AWS_EC2_METADATA_DISABLED=true
echo "== token_test"
"$work/token_test" "$S3ADT_MOTO_ENDPOINT" "$work"
echo "== token_test under valgrind"
valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=42 \
  "$work/token_test" "$S3ADT_MOTO_ENDPOINT" "$work"
