#!/usr/bin/env bash
# Installs s3adt into a temporary prefix with scripts/install.sh, builds tests/c/token_test.c with
# gcc and nothing but `pkg-config --cflags --libs s3adt` against that prefix, starts a moto server,
# and runs the installed program plainly and under valgrind (no error, no definite leak). The same
# program with -DS3ADT_TEST_FFI runs against target/test-ffi/libs3adt.so (h_test_ffi_lib), whose
# test-only export s3adt_debug_panic checks that a panic stays inside the library.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
command -v valgrind >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
cargo build -q --release --workspace
h_test_ffi_lib
git diff --exit-code --stat include/s3adt.h || { echo "include/s3adt.h is stale: commit the regenerated header" >&2; exit 1; }
h_workdir work c
bash scripts/install.sh --prefix "$work/prefix" >"$work/install.log" || { cat "$work/install.log" >&2; exit 1; }
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046 # pkg-config's words are separate arguments
gcc -std=c11 -Wall -Wextra -Werror -pthread tests/c/token_test.c $(pkg-config --cflags --libs s3adt) \
    -Wl,-rpath,"$(pkg-config --variable=libdir s3adt)" -o "$work/token_test"
# The program needs the installed libs3adt.so.MAJOR (the SONAME), nothing from the build tree.
ldd "$work/token_test" | grep -q "libs3adt.so.[0-9]* => $work/prefix/lib/libs3adt.so" \
  || { ldd "$work/token_test" >&2; echo "token_test does not use the installed library" >&2; exit 1; }
# The panic test: the same program against the library with the test-only exports. It is
# linked like any program (-ls3adt, SONAME libs3adt.so.MAJOR), and finds that library first.
ffi=$work/test-ffi
mkdir -p "$ffi"
cp target/test-ffi/libs3adt.so "$ffi/"
soname=$(objdump -p "$ffi/libs3adt.so" | awk '$1 == "SONAME" {print $2}')
ln -s libs3adt.so "$ffi/$soname"
gcc -std=c11 -Wall -Wextra -Werror -pthread -DS3ADT_TEST_FFI tests/c/token_test.c -Iinclude -L"$ffi" -ls3adt \
    -Wl,-rpath,"$ffi" -o "$work/token_test_ffi"
ldd "$work/token_test_ffi" | grep -q "$soname => $ffi/" \
  || { ldd "$work/token_test_ffi" >&2; echo "token_test_ffi does not use the test library" >&2; exit 1; }
h_peer_up moto "$work/moto"
h_moto_setup "$S3ADT_MOTO_ENDPOINT" >/dev/null  # bucket-a with hello.txt
export AWS_EC2_METADATA_DISABLED=true
h_part token_test
"$work/token_test" "$S3ADT_MOTO_ENDPOINT" "$work"
h_part "token_test under valgrind"
valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=42 \
  "$work/token_test" "$S3ADT_MOTO_ENDPOINT" "$work"
h_part "token_test against the test library (a panic at the boundary), plainly and under valgrind"
"$work/token_test_ffi" "$S3ADT_MOTO_ENDPOINT" "$work"
valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=42 \
  "$work/token_test_ffi" "$S3ADT_MOTO_ENDPOINT" "$work"
