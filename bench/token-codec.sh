#!/usr/bin/env bash
# Token codec speed, s3adt beside hadoop-aws on the same bytes, in one run:
#   decode one Session token from its URL string, encode its identifier, read a 1,000-token file.
# s3adt: criterion (rust/token/benches/token_codec.rs). hadoop-aws: its own classes in a warmed
# loop (tests/interop/java DecodeBench). Prints both and the ratio.
# usage: bench/token-codec.sh   (HADOOP_VERSION=3.4.1 by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
H_NAME=bench/token-codec
. "$root/tests/harness/lib.sh"
out=$root/target/bench
mkdir -p "$out"
cargo run -q --release --example write_bench_fixtures -- "$out" >/dev/null
h_log "running criterion (s3adt)..."
cargo bench -q -p s3adt-token --bench token_codec -- --output-format bencher 2>/dev/null \
  | awk '/^test /{gsub(",","",$5); print "rust", $2, $5}' > "$out/rust.txt"
h_log "running hadoop-aws ${HADOOP_VERSION:-3.4.1} (JVM, warmed loop)..."
bash tests/interop/java/run-bench.sh "@$out/session.url" "$out/tokens-1000.writable" > "$out/java.txt"
python3 - "$out/rust.txt" "$out/java.txt" <<'PY'
import sys
rust = {l.split()[1]: float(l.split()[2]) for l in open(sys.argv[1]) if l.strip()}
java = {l.split()[1]: float(l.split()[2]) for l in open(sys.argv[2]) if l.startswith("java ")}
print(f"{'operation':28} {'s3adt (ns)':>12} {'hadoop-aws (ns)':>16} {'hadoop-aws / s3adt':>19}")
for name in ["decode_session_token", "encode_session_identifier", "read_1000_token_file"]:
    r, j = rust.get(name), java.get(name)
    ratio = f"{j / r:.2f}x" if r and j else "n/a"
    print(f"{name:28} {r or float('nan'):12.0f} {j or float('nan'):16.0f} {ratio:>19}")
PY
