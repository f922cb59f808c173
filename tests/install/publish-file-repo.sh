#!/usr/bin/env bash
# Publishes org.s3adt:s3adt:VERSION (the jar, which carries libs3adt.so, with sources, javadoc and
# the pom) into a new Maven file repository REPO, as a consumer would find a release there:
# `gradle publishToMavenLocal` into a private local repository, then Maven's own deploy-file puts
# the same four files into REPO, with maven-metadata.xml and checksums. Not `gradle publish
# -Ps3adtRepo=REPO`: that works with current Gradle, but Debian's Gradle 4.4.1 lacks Maven's file
# transport ("Cannot access file:... using the available connector factories:
# BasicRepositoryConnectorFactory"). Used by tests/install and by tests/spark (case packages).
#
# usage: bash tests/install/publish-file-repo.sh REPO   (REPO: absent or empty; the jar's inputs,
#                                                       target/release/libs3adt.so, built)
#        bash tests/install/publish-file-repo.sh --version   (prints Cargo.toml's version)
# The s3adt artifacts do not pass through ~/.m2 (Gradle publishes into a private local
# repository), so no stale or concurrent copy there is read, made or removed; Maven takes its
# deploy plugin from ~/.m2 and leaves there only its bookkeeping for the repository id s3adt-file
# (maven-metadata-s3adt-file.xml). Quiet; on a failure prints the tools' output and exits 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
version=$(awk '/^\[workspace\.package\]/ { p = 1; next } /^\[/ { p = 0 }
  p && /^version *=/ { sub(/^version *= *"/, ""); sub(/".*/, ""); print; exit }' Cargo.toml)
[ -n "$version" ] || { echo "publish-file-repo: no version in Cargo.toml's [workspace.package]" >&2; exit 1; }
if [ "${1:-}" = --version ]; then echo "$version"; exit 0; fi
[ $# = 1 ] || { echo "usage: $0 REPO | --version" >&2; exit 2; }
repo=$(mkdir -p "$1" && cd "$1" && pwd)
[ -z "$(ls -A "$repo")" ] || { echo "publish-file-repo: $repo is not empty" >&2; exit 1; }
tmp=$(mktemp -d /tmp/s3adt-publish.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# Gradle's mavenLocal() is wherever maven.repo.local says (as for Maven)
gradle --no-daemon -q -Dmaven.repo.local="$tmp/m2" publishToMavenLocal >"$tmp/gradle.log" 2>&1 \
  || { cat "$tmp/gradle.log" >&2; echo "publish-file-repo: gradle publishToMavenLocal failed" >&2; exit 1; }
p=$tmp/m2/org/s3adt/s3adt/$version/s3adt-$version
for f in "$p.jar" "$p-sources.jar" "$p-javadoc.jar" "$p.pom"; do
  [ -s "$f" ] || { echo "publish-file-repo: publishToMavenLocal made no $f" >&2; exit 1; }
done
mvn -B -q org.apache.maven.plugins:maven-deploy-plugin:3.1.1:deploy-file -Durl="file://$repo" -DrepositoryId=s3adt-file \
  -Dfile="$p.jar" -DpomFile="$p.pom" -Dsources="$p-sources.jar" -Djavadoc="$p-javadoc.jar" >"$tmp/deploy.log" 2>&1 \
  || { cat "$tmp/deploy.log" >&2; echo "publish-file-repo: mvn deploy-file failed" >&2; exit 1; }
