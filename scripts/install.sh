#!/usr/bin/env bash
# Installs the C library and the command under a prefix, as a C programmer consumes them:
#   PREFIX/lib/libs3adt.so.VERSION (SONAME libs3adt.so.MAJOR) and the symlinks libs3adt.so.MAJOR
#   and libs3adt.so, PREFIX/lib/pkgconfig/s3adt.pc, PREFIX/include/s3adt.h, PREFIX/bin/s3adt.
# Then `pkg-config --cflags --libs s3adt` (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig unless PREFIX is
# a system prefix) gives what to compile and link with.
#
#   bash scripts/install.sh --prefix DIR [--libdir DIR] [--destdir DIR] [--no-build]
#
# --prefix   where it is installed (default /usr/local); the paths written into s3adt.pc
# --libdir   the library directory (default PREFIX/lib)
# --destdir  stage the files under this directory instead (packagers; s3adt.pc still names PREFIX)
# --no-build install what target/release holds (default: cargo build --release first)
# The installed library and command are stripped of debug info (the release build keeps line
# tables for profiling: about 113 MB against 12 MB). The version is the workspace version in
# Cargo.toml, the one the jar, the header and `s3adt --version` carry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
prefix=/usr/local libdir= destdir= build=1
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --libdir) libdir=${2:?--libdir needs a directory}; shift 2 ;;
    --libdir=*) libdir=${1#*=}; shift ;;
    --destdir) destdir=${2:?--destdir needs a directory}; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown argument: $1" >&2; usage ;;
  esac
done
case "$prefix" in /*) ;; *) prefix=$(mkdir -p "$prefix" && cd "$prefix" && pwd) ;; esac
libdir=${libdir:-$prefix/lib}
case "$libdir" in /*) ;; *) echo "install.sh: --libdir must be absolute: $libdir" >&2; exit 2 ;; esac
includedir=$prefix/include bindir=$prefix/bin

version=$(awk '/^\[workspace\.package\]/ { p = 1; next } /^\[/ { p = 0 }
  p && /^version *=/ { sub(/^version *= *"/, ""); sub(/".*/, ""); print; exit }' Cargo.toml)
[ -n "$version" ] || { echo "install.sh: no version in Cargo.toml's [workspace.package]" >&2; exit 1; }
major=${version%%.*}

if [ "$build" = 1 ]; then
  cargo build --release --locked -p s3adt-ffi -p s3adt-cli
fi
lib=target/release/libs3adt.so cli=target/release/s3adt
for f in "$lib" "$cli" include/s3adt.h; do
  [ -f "$f" ] || { echo "install.sh: $f is missing (build first, or drop --no-build)" >&2; exit 1; }
done
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libs3adt.so.$major" ] || {
  echo "install.sh: $lib has SONAME '${soname:-none}', not libs3adt.so.$major: a stale build? run without --no-build" >&2; exit 1; }
got=$("$cli" --version)
[ "$got" = "s3adt $version" ] || { echo "install.sh: $cli says '$got', Cargo.toml says $version: a stale build?" >&2; exit 1; }
grep -q "^#define S3ADT_VERSION \"$version\"" include/s3adt.h || {
  echo "install.sh: include/s3adt.h is not of version $version (rebuild s3adt-ffi)" >&2; exit 1; }

d() { printf '%s%s' "$destdir" "$1"; }
install -d "$(d "$libdir")/pkgconfig" "$(d "$includedir")" "$(d "$bindir")"
install -m 0755 "$lib" "$(d "$libdir")/libs3adt.so.$version"
install -m 0755 "$cli" "$(d "$bindir")/s3adt"
if command -v strip >/dev/null; then
  strip --strip-debug "$(d "$libdir")/libs3adt.so.$version" "$(d "$bindir")/s3adt"
fi
ln -sfn "libs3adt.so.$version" "$(d "$libdir")/libs3adt.so.$major"
ln -sfn "libs3adt.so.$major" "$(d "$libdir")/libs3adt.so"
install -m 0644 include/s3adt.h "$(d "$includedir")/s3adt.h"
sed -e "s|@PREFIX@|$prefix|" -e "s|@LIBDIR@|$libdir|" -e "s|@INCLUDEDIR@|$includedir|" \
    -e "s|@VERSION@|$version|" rust/ffi/s3adt.pc.in >"$(d "$libdir")/pkgconfig/s3adt.pc"
chmod 0644 "$(d "$libdir")/pkgconfig/s3adt.pc"

echo "installed s3adt $version under ${destdir:+$destdir (staged for) }$prefix:"
for f in "$bindir/s3adt" "$includedir/s3adt.h" "$libdir/libs3adt.so.$version" "$libdir/libs3adt.so.$major" \
         "$libdir/libs3adt.so" "$libdir/pkgconfig/s3adt.pc"; do
  echo "  $f"
done
# The dynamic loader finds the library by itself only in its own directories (refreshed by ldconfig).
if [ -z "$destdir" ]; then
  if ldconfig -v -N -X 2>/dev/null | grep -q "^$libdir:"; then
    [ "$(id -u)" = 0 ] && ldconfig
  else
    echo "note: $libdir is not a directory of the dynamic loader: link with -Wl,-rpath,$libdir or set LD_LIBRARY_PATH"
  fi
  case ":$(pkg-config --variable pc_path pkg-config 2>/dev/null):" in
    *":$libdir/pkgconfig:"*) ;;
    *) echo "note: for pkg-config: export PKG_CONFIG_PATH=$libdir/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}" ;;
  esac
fi
