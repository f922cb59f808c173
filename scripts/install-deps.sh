#!/usr/bin/env bash
# Installs what s3adt's build and tests need on a Debian machine of this project's kind, and
# nothing that is already there. Safe to run again.
set -euo pipefail
need_apt=()
command -v cargo >/dev/null || { echo "install-deps: cargo (Rust) is required and is not on PATH" >&2; exit 1; }
command -v javac >/dev/null || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need_apt+=(maven)
command -v python3 >/dev/null || need_apt+=(python3)
# The Java shim builds with Debian's Gradle (4.4.1), the only Gradle obtainable here (README).
command -v gradle >/dev/null || need_apt+=(gradle)
command -v gcc >/dev/null || need_apt+=(gcc)
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v openssl >/dev/null || need_apt+=(openssl)
# SPNEGO for `s3adt ozone` (the crate libgssapi): MIT's GSSAPI headers and library, and libclang for
# its bindgen build script (see .cargo/config.toml for the header path libclang 14 lacks).
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 || need_apt+=(libclang-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need_apt[@]}" >/dev/null
fi
command -v curl >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
# The moto server (STS, IAM, S3, instance metadata) for the fast functional tests.
if ! python3 -c 'import moto.server, flask' 2>/dev/null; then
  echo "install-deps: pip install moto[server]"
  python3 -m pip install -q 'moto[server]>=5.1,<6'
fi
for c in clippy rustfmt; do
  cargo "$c" --version >/dev/null 2>&1 || rustup component add "$c"
done
# scripts/install.sh and the C tests: pkg-config; the header's documentation check: doxygen.
need_c=()
command -v pkg-config >/dev/null || need_c+=(pkg-config)
command -v doxygen >/dev/null || need_c+=(doxygen)
if [ ${#need_c[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_c[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need_c[@]}" >/dev/null
fi
