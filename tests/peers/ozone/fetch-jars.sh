#!/usr/bin/env bash
# Fetches the Ozone 2.2.0 server and CLI jars (jars.txt: 215 Maven coordinates, aligned to the
# ozone-main:2.2.0 BOM) from Maven Central into LIBDIR (default tests/peers/ozone/target/lib), once.
# Why a list and dependency-plugin 2.8 `copy`: Maven Central lacks a parent POM of Ozone 2.2.0
# (hdds-hadoop-dependency-client), so a transitive resolve fails; 2.8's copy reads no dependency POMs.
# Without the BOM alignment, bcprov 1.82 beside bcpkix 1.84 breaks the secure `scm --init`.
# A second run with every jar present does nothing. Progress and errors go to stderr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LIB=$(realpath -m "${1:-$HERE/target/lib}")
want=$(grep -c . "$HERE/jars.txt")
if [ -d "$LIB" ] && [ "$(find "$LIB" -name '*.jar' | wc -l)" -ge "$want" ]; then exit 0; fi
build=$(dirname "$LIB")/fetch
mkdir -p "$build"
{
  cat <<'HEAD'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.s3adt.test</groupId><artifactId>ozone-jars</artifactId><version>0</version>
  <packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId>
    <version>2.8</version>
    <executions><execution><id>copy</id><phase>package</phase><goals><goal>copy</goal></goals>
    <configuration><outputDirectory>${lib}</outputDirectory><artifactItems>
HEAD
  while IFS=: read -r g a v t c; do
    [ -n "$g" ] || continue
    printf '      <artifactItem><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version>' "$g" "$a" "$v"
    [ -z "${c:-}" ] || printf '<type>%s</type><classifier>%s</classifier>' "$t" "$c"
    printf '</artifactItem>\n'
  done <"$HERE/jars.txt"
  cat <<'TAIL'
    </artifactItems></configuration></execution></executions>
  </plugin></plugins></build>
</project>
TAIL
} >"$build/pom.xml"
echo "ozone: fetching $want jars from Maven Central into $LIB (about 200 MB, a few minutes cold)" >&2
mkdir -p "$LIB"
if ! mvn -B -q -f "$build/pom.xml" package -Dlib="$LIB" >"$build/mvn.log" 2>&1; then
  tail -n 30 "$build/mvn.log" >&2; echo "ozone: fetching the jars failed (log: $build/mvn.log)" >&2; exit 1
fi
have=$(find "$LIB" -name '*.jar' | wc -l)
[ "$have" -ge "$want" ] || { echo "ozone: only $have of $want jars in $LIB" >&2; exit 1; }
