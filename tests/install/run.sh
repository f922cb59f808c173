#!/usr/bin/env bash
# Issue 17: s3adt installed and consumed as each ecosystem consumes a library, one version
# everywhere (the workspace version in Cargo.toml).
#  C     scripts/install.sh --prefix TMP: libs3adt.so.VERSION with SONAME libs3adt.so.MAJOR and the
#        two symlinks, s3adt.pc, s3adt.h, bin/s3adt; a C program built with pkg-config alone runs
#        from the prefix (no LD_LIBRARY_PATH) and sees one version in S3ADT_VERSION and s3adt_version()
#  Rust  cargo install --locked --path rust/cli --root TMP: `s3adt --version`
#  Java  gradle publishToMavenLocal: org.s3adt:s3adt:VERSION with jar, sources, javadoc, a pom whose
#        Hadoop dependency is provided; put into a file repository, a Maven project resolves all
#        three from there and runs against the jar
# Closes with "install: N passed, M failed"; exits 1 on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. "$root/tests/harness/lib.sh"
h_workdir work install
check() { # NAME COMMAND...: one check
  local name=$1; shift
  if "$@" >"$work/check.log" 2>&1; then h_result PASS "$name"
  else h_result FAIL "$name"; sed 's/^/    /' "$work/check.log"; fi
}
version=$(bash tests/install/publish-file-repo.sh --version)
major=${version%%.*}
echo "Cargo.toml's version: $version"

# ---- C ----
prefix=$work/prefix
bash scripts/install.sh --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
lib=$prefix/lib
check "lib: libs3adt.so.$version, libs3adt.so.$major -> it, libs3adt.so -> libs3adt.so.$major" bash -c "
  [ -f '$lib/libs3adt.so.$version' ] && [ ! -L '$lib/libs3adt.so.$version' ] &&
  [ \"\$(readlink '$lib/libs3adt.so.$major')\" = libs3adt.so.$version ] &&
  [ \"\$(readlink '$lib/libs3adt.so')\" = libs3adt.so.$major ]"
check "SONAME libs3adt.so.$major" bash -c "readelf -d '$lib/libs3adt.so.$version' | grep -F '(SONAME)' | grep -qF '[libs3adt.so.$major]'"
check "stripped of debug info" bash -c "! readelf -S '$lib/libs3adt.so.$version' | grep -q debug_info"
export PKG_CONFIG_PATH=$lib/pkgconfig
check "pkg-config: version, flags" bash -c "
  [ \"\$(pkg-config --modversion s3adt)\" = '$version' ] &&
  [ \"\$(echo \$(pkg-config --cflags --libs s3adt))\" = '-I$prefix/include -L$lib -ls3adt' ]"
check "header: S3ADT_VERSION $version" grep -qx "#define S3ADT_VERSION \"$version\"" "$prefix/include/s3adt.h"
check "installed header = include/s3adt.h" cmp "$prefix/include/s3adt.h" include/s3adt.h
check "bin/s3adt --version" bash -c "[ \"\$('$prefix/bin/s3adt' --version)\" = 's3adt $version' ]"
cat >"$work/v.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "s3adt.h"
int main(void) {
    printf("header %s library %s\n", S3ADT_VERSION, s3adt_version());
    return strcmp(S3ADT_VERSION, s3adt_version()) != 0;
}
C
check "a C program built with pkg-config only, run from the prefix" bash -c "
  cd '$work' && env -u LD_LIBRARY_PATH gcc -std=c11 -Wall -Werror v.c \$(pkg-config --cflags --libs s3adt) \
    -Wl,-rpath,\"\$(pkg-config --variable=libdir s3adt)\" -o v &&
  ldd ./v | grep -q 'libs3adt.so.$major => $lib/libs3adt.so.$major' &&
  [ \"\$(env -u LD_LIBRARY_PATH ./v)\" = 'header $version library $version' ]"
check "install.sh --destdir stages, s3adt.pc names the prefix" bash -c "
  bash scripts/install.sh --no-build --prefix /opt/s3adt --destdir '$work/stage' >/dev/null &&
  [ -L '$work/stage/opt/s3adt/lib/libs3adt.so.$major' ] &&
  grep -qx 'prefix=/opt/s3adt' '$work/stage/opt/s3adt/lib/pkgconfig/s3adt.pc'"

# ---- Rust ----
# the workspace's target dir: the dependencies are built once, not again in a private one (10 min here)
check "cargo install --locked --path rust/cli" bash -c "
  CARGO_TARGET_DIR='$root/target' cargo install -q --locked --path rust/cli --root '$work/cargo' &&
  [ \"\$('$work/cargo/bin/s3adt' --version)\" = 's3adt $version' ]"

# ---- Java ----
repo=$work/repo
m2=$HOME/.m2/repository/org/s3adt/s3adt/$version
# publishToMavenLocal (into a private local repository), then Maven's deploy-file into the file
# repository $repo: tests/install/publish-file-repo.sh, shared with tests/spark's case packages
check "gradle publishToMavenLocal, then mvn deploy-file into a file repository" \
  bash tests/install/publish-file-repo.sh "$repo"
# the consumer below must resolve from $repo, not from a copy another run left in ~/.m2
rm -rf "$m2"
dir=$repo/org/s3adt/s3adt/$version
check "published: jar, sources, javadoc, pom" bash -c "
  for f in s3adt-$version.jar s3adt-$version-sources.jar s3adt-$version-javadoc.jar s3adt-$version.pom; do
    [ -s '$dir/'\$f ] || { echo missing \$f; exit 1; }; done
  unzip -l '$dir/s3adt-$version.jar' | grep -q native/linux-x86_64/libs3adt.so &&
  unzip -l '$dir/s3adt-$version-sources.jar' | grep -q org/s3adt/fs/S3adtFileSystem.java &&
  unzip -l '$dir/s3adt-$version-javadoc.jar' | grep -q org/s3adt/fs/S3adtFileSystem.html"
check "pom: every dependency is Hadoop's and provided" python3 - "$dir/s3adt-$version.pom" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
deps = ET.parse(sys.argv[1]).getroot().findall("m:dependencies/m:dependency", ns)
got = [(d.findtext("m:groupId", None, ns), d.findtext("m:artifactId", None, ns), d.findtext("m:scope", None, ns)) for d in deps]
print(got)
assert got and all(g == "org.apache.hadoop" and s == "provided" for g, _, s in got), got
assert ("org.apache.hadoop", "hadoop-common", "provided") in got
PY
check "jar manifest and version.properties: $version" bash -c "
  unzip -p '$dir/s3adt-$version.jar' META-INF/MANIFEST.MF | grep -q 'Implementation-Version: $version' &&
  unzip -p '$dir/s3adt-$version.jar' org/s3adt/jni/version.properties | grep -qx 'version=$version'"
# A Maven build resolves it from that repository (~/.m2 holds no copy now).
cp -r tests/install/consumer "$work/consumer"
check "a Maven project resolves org.s3adt:s3adt:$version (3 jars) from the repository and runs on it" bash -c "
  cd '$work/consumer' &&
  mvn -B -q -Ds3adt.repo='file://$repo' -Ds3adt.version='$version' package dependency:build-classpath \
    -Dmdep.outputFile=cp.txt -Dmdep.includeClassifiers= &&
  grep -q 's3adt-$version.jar' cp.txt && ! grep -q hadoop cp.txt &&
  for c in '' -sources -javadoc; do grep -q 's3adt-$version'\$c'.jar>s3adt-file' '$m2/_remote.repositories' || exit 1; done &&
  [ \"\$(java -cp target/classes:\$(cat cp.txt) consumer.Main)\" = 's3adt jar $version' ]"
h_summary
