#!/usr/bin/env bash
# End to end on a secure YARN (issue 6): a real MIT KDC and moto, a Kerberos MiniMRYarnCluster in
# its own JVM (no AWS secret in its configuration or environment), and alice, logged in from her
# keytab, submitting one word count per S3A binding (Full, Session, Role). Her AWS keys exist only
# in the client's token-collection Configuration; every map task checks that it opens
# s3a://bucket-a through s3adt bound to the token YARN shipped, and that its conf and env hold no
# AWS secret; a C program run from each task reads the bucket's credentials from the container's
# token file through libs3adt.so; two reducers run after a real shuffle (the cluster runs as the
# OS user alice with libhadoop.so). Per binding, one more YARN application whose only container
# is a C program (README's token_cat.c) that reads the bucket with the token. See
# tests/e2e/README.md.
#
# usage: bash tests/e2e/run.sh [--data local|s3a] [--bindings Full,Session,Role] [--no-c] [--no-control]
#                              [--keep] [--no-build] [--store moto|rgw|ozone]
#                              [--scenarios deny,expiry|none] [--expiry-secs N] [--map-only] [--libjars] [--committer file|magic]
#                              [--magic-bindings Session,Role]
#   --data local (default): input/output on the local filesystem; the tasks still open s3a://
#   --data s3a: input/output under s3a://bucket-a/e2e/RUN/BINDING/ through s3adt (needs the data path)
#   --no-c: skip the C program in the tasks and the C-container application; --no-control: skip the negative control (a fourth job
#     whose client puts alice's keys in the job conf on purpose: the checks must catch it)
#   --keep: leave the work directory (logs, NM dirs, task dumps) and print where it is
#   --no-build: use the libs3adt.so and s3adt jar already built (target/release, target/gradle/libs)
#   --libjars: one more job (issue 17 item 2), submitted from a JVM with no s3adt on its class path:
#     s3adt's jar, published to a new file repository (tests/install/publish-file-repo.sh) and taken
#     from there by its Maven coordinates, reaches the job only through `-libjars` (ToolRunner); a
#     map task reads s3a://bucket-a/hello.txt through a Session token and checks that its s3adt
#     classes come from that jar, localized by YARN (LibjarsCase.java)
#   --committer magic: the jobs commit through s3adt's magic committer (org.s3adt.commit) instead
#     of the FileOutputCommitter; with --data s3a boto3 then also checks that no __magic_job-* key
#     and no multipart upload is left under the run's prefix
#   --magic-bindings LIST: with --committer magic, only these bindings' jobs commit through the
#     magic committer, the others through the FileOutputCommitter (CI: both in one cluster start)
#   --map-only: allow a run without root (no namespaces, so no OS user alice and no shuffle):
#     the word count then has no reducers; without this flag such a run stops with exit 2
#   --store ozone: Apache Ozone 2.2.0's S3 gateway, secure (tests/peers/ozone; tests/e2e/ozone.sh),
#     its KDC serving the cluster too; the binding is s3adt's OzoneTokenBinding (--bindings Ozone,
#     the default there): alice has only her Kerberos login, her first submission fetches her S3
#     secret from Ozone over SPNEGO into the secret store; bob's token is refused alice's bucket
#     by Ozone's ACLs (OzoneCases.java); --data defaults to s3a. `bash tests/ozone/e2e.sh` runs it
#   --store rgw: Ceph RGW (tests/peers/rgw/up.sh, started inside the namespace) instead of moto; the
#     Role binding without kms: (RGW refuses it) and with fs.s3a.multiobjectdelete.enable=false
#     (RGW refuses DeleteObjects under a session policy); --data defaults to s3a
#     (a Role job's committer fails on RGW 16.2: see tests/e2e/README.md); adds the scenarios of issue 6
#     item 5 (--scenarios, default deny,expiry): "deny", a Role-token job whose tasks also try
#     s3a://bucket-b with bucket-a's token and must get RGW's 403; "expiry", a Role token of
#     --expiry-secs (default 90) seconds and a job whose maps sleep past it: the job must fail with
#     s3adt's error naming the expiry, before any request reaches RGW
# Prints one PASS/FAIL line per check and closes with "e2e: N passed, M failed"; exits 1 on a failure.
#
# Everything runs inside a private network namespace (unshare -n: loopback only) when that is
# possible (root): MapReduce's ShuffleHandler binds the wildcard address, and nothing may listen
# beyond loopback. Builds and installs happen before, outside it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
H_NAME=e2e
. "$root/tests/harness/lib.sh"
data= bindings= cprog=1 keep= build=1 control=1 store=moto scenarios= expiry_secs=90 map_only= libjars= committer=file magic_bindings=
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --bindings) bindings=$2; shift 2 ;;
    --no-c) cprog=; shift ;;
    --no-control) control=0; shift ;;
    --keep) keep=1; shift ;;
    --no-build) build=; shift ;;
    --store) store=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --expiry-secs) expiry_secs=$2; shift 2 ;;
    --map-only) map_only=1; shift ;;
    --libjars) libjars=1; shift ;;
    --committer) committer=$2; shift 2 ;;
    --magic-bindings) magic_bindings=$2; shift 2 ;;
    *) echo "usage: $0 [--data local|s3a] [--bindings Full,Session,Role] [--no-c] [--no-control] [--keep] [--no-build] [--store moto|rgw|ozone] [--scenarios deny,expiry|none] [--expiry-secs N] [--map-only] [--libjars] [--committer file|magic] [--magic-bindings LIST]" >&2; exit 2 ;;
  esac
done
case "$store" in moto|rgw|ozone) ;; *) echo "e2e: --store must be moto, rgw or ozone" >&2; exit 2 ;; esac
if [ "$store" = rgw ]; then
  # Role is left out by default on RGW: RGW 16.2 refuses DeleteObjects to any session that has
  # a session policy (the Role token's), and the FileOutputCommitter's renames (copy + delete)
  # need it; s3adt has no single-DeleteObject fallback yet (README.md). --bindings Role shows it.
  data=${data:-s3a} scenarios=${scenarios:-deny,expiry} bindings=${bindings:-Full,Session,Role}
elif [ "$store" = ozone ]; then
  data=${data:-s3a} bindings=${bindings:-Ozone}
else
  data=${data:-local} bindings=${bindings:-Full,Session,Role}
fi
[ "$scenarios" = none ] && scenarios=
if [ -n "$scenarios" ] && [ "$store" != rgw ]; then
  echo "e2e: --scenarios need --store rgw (moto enforces neither session policies nor expiry)" >&2; exit 2
fi
case "$data" in local|s3a) ;; *) echo "e2e: --data must be local or s3a" >&2; exit 2 ;; esac
case "$committer" in file|magic) ;; *) echo "e2e: --committer must be file or magic" >&2; exit 2 ;; esac
# committer_of BINDING: the committer of that binding's jobs (--committer, narrowed by --magic-bindings)
committer_of() {
  if [ "$committer" = magic ] && { [ -z "$magic_bindings" ] || [[ ",$magic_bindings," == *",$1,"* ]]; }; then
    echo magic
  else
    echo file
  fi
}
case "$expiry_secs" in ''|*[!0-9]*) echo "e2e: --expiry-secs must be a number of seconds" >&2; exit 2 ;; esac
# the run uses copies, so a concurrent rebuild of the project cannot change them mid-run
jar=$here/target/s3adt/s3adt-0.1.0.jar
libdir=$here/target/s3adt
e2ejar=$here/target/s3adt-e2e-0.1.0.jar
cpfile=$here/target/classpath.txt
libjars_repo=$here/target/libjars-repo   # --libjars: the file repository s3adt is published to
log() { h_log "$@"; }

if [ -z "${S3ADT_E2E_INNER:-}" ]; then
  t0=$(date +%s)
  cd "$root"
  if [ -n "$build" ]; then
    log "building libs3adt.so and the s3adt jar"
    cargo build -q --release -p s3adt-ffi
    gradle --no-daemon -q jar
  fi
  for f in target/release/libs3adt.so target/gradle/libs/s3adt-0.1.0.jar; do
    [ -f "$f" ] || { log "missing $f: build it (cargo build --release -p s3adt-ffi && gradle --no-daemon -q jar)"; exit 1; }
  done
  mkdir -p "$libdir"
  cp target/release/libs3adt.so target/gradle/libs/s3adt-0.1.0.jar "$libdir/"
  # a C program linked with -ls3adt needs the SONAME, libs3adt.so.MAJOR (scripts/install.sh makes the same link)
  ln -sfn libs3adt.so "$libdir/libs3adt.so.$(target/release/s3adt --version | cut -d' ' -f2 | cut -d. -f1)"
  if [ -n "$libjars" ]; then
    # Gradle and Maven here, outside the namespace: Maven may fetch its deploy plugin
    log "libjars: publishing org.s3adt:s3adt into a new file repository (tests/install/publish-file-repo.sh)"
    rm -rf "$libjars_repo"
    bash tests/install/publish-file-repo.sh "$libjars_repo"
  fi
  log "building the e2e harness"
  h_mvn_build "$here/pom.xml" "$cpfile" || { log "building the harness failed"; exit 1; }
  # Peers install what they miss (apt, pip) on first start: do that here, with the network.
  h_peers_install kdc
  [ "$store" = ozone ] || h_peers_install moto
  [ "$store" != rgw ] || h_peers_install rgw
  if [ "$store" = ozone ]; then . "$here/ozone.sh"; ozone_prepare || exit 1; fi
  log "built in $(( $(date +%s) - t0 )) s"
  export S3ADT_E2E_INNER=1 S3ADT_E2E_T0=$t0
  # -m: a private mount namespace too, where /etc/passwd gains the OS user alice (below)
  if command -v setpriv >/dev/null && h_netns_possible -m; then h_reexec S3ADT_E2E_NO_NETNS "-n -m" "$here/run.sh" "${args[@]}"; fi
  if [ -z "$map_only" ]; then
    log "no private network and mount namespace (needs root, unshare, ip, setpriv): the shuffle needs the OS user alice. Run as root, or pass --map-only to run without reducers (ShuffleHandler then listens on the wildcard address)"
    exit 2
  fi
  log "WARNING: --map-only without a private namespace: ShuffleHandler will listen on the wildcard address, and the word count runs map-only"
  h_reexec S3ADT_E2E_NO_NETNS "" "$here/run.sh" "${args[@]}"
fi

# ---- inside the namespace (or not, see above)
t_inner=$(date +%s)
h_inner S3ADT_E2E_NO_NETNS
work=$(mktemp -d /tmp/s3adt-e2e.XXXXXX)
# The cluster and alice's client run as the OS user alice, as the principal alice@REALM's short
# name. A Kerberos NodeManager's ShuffleHandler serves a map's output only if the file belongs
# to the job's user (SecureIOUtils, with libhadoop.so's fstat); with DefaultContainerExecutor
# the maps' files belong to the NM's OS user, so that user must be alice. (A production cluster
# gets the same from LinuxContainerExecutor, which needs a setuid binary this machine lacks.)
# In this private mount namespace only, /etc/passwd and /etc/group gain alice if the machine
# has no such user; nothing outside changes. Without the namespace: everything runs as the
# invoking user and the word count is map-only.
as_alice=() reduces=0
if [ -z "${S3ADT_E2E_NO_NETNS:-}" ]; then
  if ! getent passwd alice >/dev/null; then
    uid=4242
    while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
    mkdir -p "$work/etc"
    { cat /etc/passwd; echo "alice:x:$uid:$uid:s3adt e2e (this namespace only):$work/home:/usr/sbin/nologin"; } >"$work/etc/passwd"
    getent group alice >/dev/null || { cat /etc/group; echo "alice:x:$uid:"; } >"$work/etc/group"
    mount --bind "$work/etc/passwd" /etc/passwd
    [ -f "$work/etc/group" ] && mount --bind "$work/etc/group" /etc/group
  fi
  alice_uid=$(id -u alice) alice_gid=$(id -g alice)   # numbers: no name lookups after this
  as_alice=(setpriv --reuid="$alice_uid" --regid="$alice_gid" --clear-groups --)
  reduces=2
fi
cluster_pid=
H_RESULTS_FILE=$work/results-run.txt
result() { h_result "$@"; }
remove_work() { if [ -n "$keep" ]; then log "work directory kept: $work"; else rm -rf "$work"; fi; }
h_on_exit remove_work   # last, after the peers and the cluster (h_on_exit runs last-registered first)
mkdir -p "$work/client" "$work/cluster" "$work/jobs" "$work/secrets"
chmod 700 "$work/secrets"   # root's only: the client gets the file on its stdin

if [ "$store" = ozone ]; then
  # Ozone starts its own KDC (tests/peers/kdc/up.sh, the same realm and principals)
  . "$here/ozone.sh"
  if ! ozone_up; then h_summary; exit 1; fi
else
  h_peer_up kdc "$work/kdc"
fi
if [ "$store" = ozone ]; then
  :
elif [ "$store" = rgw ]; then
  # Ceph RGW inside this namespace (its mon, osd and radosgw on this loopback, where the
  # cluster's containers are). Alice's AWS identity is RGW's user admin, whom the role trusts.
  h_peer_up rgw "$work/rgw"
  store_endpoint=$S3ADT_RGW_ENDPOINT
  umask 077
  printf 'access.key=%s\nsecret.key=%s\nrole.arn=%s\nendpoint=%s\n' "$S3ADT_RGW_ADMIN_AK" \
    "$S3ADT_RGW_ADMIN_SK" "$S3ADT_RGW_ROLE_ARN" "$S3ADT_RGW_ENDPOINT" >"$work/secrets/secrets.properties"
  umask 022
  # the secrets live in one file only, not in this shell's environment (the JVMs start from it)
  unset S3ADT_RGW_ADMIN_SK S3ADT_RGW_LIMITED_SK S3ADT_RGW_ADMIN_AK S3ADT_RGW_LIMITED_AK
else
h_peer_up moto "$work/moto"
store_endpoint=$S3ADT_MOTO_ENDPOINT
# moto with authentication off: GetSessionToken there always returns the fixed key
# AKIAIOSFODNN7EXAMPLE, which moto's own S3 refuses when auth is on (tests/peers/README.md)
h_moto_setup "$S3ADT_MOTO_ENDPOINT" >"$work/secrets/setup.json"
umask 077
python3 - "$work/secrets/setup.json" >"$work/secrets/secrets.properties" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("access.key=" + s["alice"]["access_key"])
print("secret.key=" + s["alice"]["secret_key"])
print("role.arn=" + s["role_arn"])
print("endpoint=" + s["endpoint"])
PY
umask 022
rm -f "$work/secrets/setup.json"   # the secrets live in one file only
fi

# What the JVMs (and their containers) read, where alice can read it: the project may sit under
# a directory only root may enter (a clean clone under mktemp -d, /root/.m2).
lib=$work/lib
mkdir -p "$lib/native" "$work/keytabs" "$work/home"
cp "$jar" "$e2ejar" "$libdir/libs3adt.so" "$here/conf/log4j-cluster.properties" \
  "$here/conf/log4j-client.properties" "$lib/"
cp "$here/target/native/nativelib/Linux-amd64/libhadoop.so" "$lib/native/"
# the C programs the containers run were linked against the SONAME, libs3adt.so.MAJOR
for so in "$libdir"/libs3adt.so.*; do [ -L "$so" ] && ln -sfn libs3adt.so "$lib/$(basename "$so")"; done
cp "$KRB5_CONFIG" "$lib/krb5.conf"
cp "$S3ADT_KDC_DIR/alice.keytab" "$S3ADT_KDC_DIR/yarn_localhost.keytab" "$work/keytabs/"
client_cp=   # more of the client's class path: on Ozone the secret store's class (not the tasks')
if [ "$store" = ozone ]; then
  cp "$S3ADT_KDC_DIR/bob.keytab" "$work/keytabs/"
  cp -r "$ozone_tgt" "$lib/ozone-store" && rm "$lib/ozone-store/s3adt"
  client_cp=:$lib/ozone-store
fi
cpl= i=0
IFS=: read -r -a cpentries <"$cpfile" || true   # no trailing newline: read says 1, having read it
for f in "${cpentries[@]}"; do
  i=$((i + 1)); n=$(printf '%03d-%s' "$i" "$(basename "$f")")   # numbered: names never clash
  cp "$f" "$lib/$n"; cpl=${cpl:+$cpl:}$lib/$n
done
jar=$lib/$(basename "$jar") e2ejar=$lib/$(basename "$e2ejar") libdir=$lib
if [ ${#as_alice[@]} -gt 0 ]; then
  chown -R "$alice_uid:$alice_gid" "$lib" "$work/keytabs" "$work/home" "$work/client" "$work/cluster" "$work/jobs"
  [ "$store" != ozone ] || chown -R "$alice_uid:$alice_gid" "$work/store"   # the client's secret store
  chmod 711 "$work"   # alice enters it, lists nothing
  # the peers' dirs (KDC database and keytabs, moto, RGW's admin keys and ceph.conf) become
  # root's only; alice reads RGW's access log alone (the expiry scenario counts its requests)
  for d in kdc moto rgw ozone; do if [ -d "$work/$d" ]; then chmod -R go-rwx "$work/$d"; fi; done
  if [ -f "$work/rgw/log/client.rgw.a.log" ]; then
    chmod 711 "$work/rgw" "$work/rgw/log"; chmod 644 "$work/rgw/log/client.rgw.a.log"
  fi
fi

jvm_opens=$H_JVM_OPENS
krb="-Djava.security.krb5.conf=$lib/krb5.conf"
java_home=$(h_java_home)
cp=$cpl
realm=$S3ADT_KDC_REALM
service="yarn/localhost@$realm"

# The cluster: a clean environment (no AWS_*, no HADOOP_TOKEN_FILE_LOCATION, no KRB5CCNAME) that
# its containers inherit from through the NodeManager's whitelist (JAVA_HOME, PATH, ...).
log "starting the secure MiniMRYarnCluster"
t_cluster=$(date +%s.%N)
(cd "$work/cluster" && exec "${as_alice[@]}" env -i PATH="$PATH" HOME="$work/cluster" JAVA_HOME="$java_home" LANG=C.UTF-8 \
  "$java_home/bin/java" -Xmx1g $jvm_opens $krb -Djava.net.preferIPv4Stack=true \
  -Djava.library.path="$lib/native" \
  -Dtest.build.data="$work/cluster" -Dlog4j.configuration="file:$lib/log4j-cluster.properties" \
  -Ds3adt.e2e.log="$work/cluster/cluster.log" \
  -cp "$e2ejar:$jar:$cp" org.s3adt.e2e.SecureCluster "$work/cluster" "$service" \
  "$work/keytabs/yarn_localhost.keytab" "$jvm_opens $krb -Djava.net.preferIPv4Stack=true" \
  >"$work/cluster/stdout.log" 2>&1) &
cluster_pid=$!
h_on_exit h_cluster_stop "$cluster_pid" "$work/cluster"
if ! h_cluster_wait "$cluster_pid" "$work/cluster" 600; then
  result FAIL "secure MiniMRYarnCluster started"
  tail -n 40 "$work/cluster/stdout.log" "$work/cluster/cluster.log" >&2 2>/dev/null || true
  h_summary
  exit 1
fi
result PASS "secure MiniMRYarnCluster started (RM+NM+JHS as $service, $(h_secs_since "$t_cluster") s)"
conf=$work/cluster/conf/yarn-site.xml
if [ "$reduces" != 0 ]; then
  grep -q '^SecureCluster: native hadoop true, NativeIO true$' "$work/cluster/stdout.log" \
    && grep -q '^SecureCluster: OS user alice$' "$work/cluster/stdout.log" \
    && result PASS "cluster JVM: OS user alice, libhadoop.so loaded (NativeIO: the shuffle checks map outputs' owner)" \
    || result FAIL "cluster JVM: OS user alice, libhadoop.so loaded ($(grep '^SecureCluster: \(native\|OS\)' "$work/cluster/stdout.log" | tr '\n' ' '))"
fi
h_cluster_checks "$conf" "$cluster_pid"

# README.md's C snippets, compiled against libs3adt.so: token_creds.c runs in every task on its
# token file; token_cat.c is the only process of a YARN container (NativeTaskAM, issue 6 item 4).
readme_c() { # NAME: README.md's snippet NAME.c -> $work/jobs/NAME
  python3 - "$1.c" >"$work/jobs/$1.c" <<'PY'
import re, sys
text = open("README.md").read()
m = re.search(r"<!-- snippet: " + re.escape(sys.argv[1]) + r" -->\s*```[a-z]*\n(.*?)```", text, re.S)
print(m.group(1))
PY
  gcc -std=c11 -Wall -Werror -Iinclude "$work/jobs/$1.c" -L"$libdir" -ls3adt -o "$work/jobs/$1"
}
cargs=()
if [ -n "$cprog" ]; then
  readme_c token_creds
  cargs=(--c-program "$work/jobs/token_creds" --c-libdir "$libdir")
  readme_c token_cat
  cp "$here/native-task.sh" "$work/jobs/native-task.sh"
  cargs+=(--native-program "$work/jobs/token_cat" --native-script "$work/jobs/native-task.sh")
fi

log "submitting as alice: bindings $bindings, data on $data, store $store${scenarios:+, scenarios $scenarios}"
run_id=run-$(date +%s)
rc=0
(unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN HADOOP_TOKEN_FILE_LOCATION KRB5CCNAME
 export AWS_EC2_METADATA_DISABLED=true
 export HOME=$work/home
 exec "${as_alice[@]}" "$java_home/bin/java" -Xmx512m $jvm_opens $krb -Djava.net.preferIPv4Stack=true \
  -Dlog4j.configuration="file:$lib/log4j-client.properties" \
  -cp "$e2ejar:$jar:$cp$client_cp" org.s3adt.e2e.E2eClient \
  --results "$work/client/results.txt" --cluster-conf "$conf" --cluster-dir "$work/cluster" \
  --secrets - --kdc-dir "$work/keytabs" --realm "$realm" --reduces "$reduces" \
  --work "$work/jobs" --bucket bucket-a --data "$data" --bindings "$bindings" \
  --run-id "$run_id" --control "$control" --store "$store" --scenarios "${scenarios:-}" \
  --expiry-secs "$expiry_secs" --committer "$committer" --magic-bindings "$magic_bindings" --rgw-log "$work/rgw/log/client.rgw.a.log" "${cargs[@]}" <"$work/secrets/secrets.properties") || rc=$?
c_pass=$(grep -c '^PASS ' "$work/client/results.txt" 2>/dev/null || true)
c_fail=$(grep -c '^FAIL ' "$work/client/results.txt" 2>/dev/null || true)
h_results_add "${c_pass:-0}" "${c_fail:-0}"
if [ "$rc" != 0 ] && [ "${c_fail:-0}" = 0 ]; then
  result FAIL "job client exited $rc"
  [ -n "$keep" ] || log "rerun with --keep to look at $work"
fi

# --libjars: a client JVM with no s3adt on its class path (the e2e harness and Hadoop only); the
# jar comes from the file repository by its Maven coordinates, checked against the repository's
# SHA-1, and reaches the job through -libjars alone.
if [ -n "$libjars" ]; then
  version=$(bash "$root/tests/install/publish-file-repo.sh" --version)
  pub=$libjars_repo/org/s3adt/s3adt/$version/s3adt-$version.jar
  mkdir -p "$work/libjars"
  cp "$pub" "$work/libjars/"
  [ ${#as_alice[@]} -eq 0 ] || chown -R "$alice_uid:$alice_gid" "$work/libjars"
  if [ "$(sha1sum <"$pub" | cut -d' ' -f1)" = "$(cat "$pub.sha1")" ]; then
    result PASS "libjars: org.s3adt:s3adt:$version from the file repository (its SHA-1 as published)"
  else
    result FAIL "libjars: org.s3adt:s3adt:$version from the file repository (its SHA-1 as published)"
  fi
  log "libjars: submitting as alice with -libjars $work/libjars/s3adt-$version.jar, no s3adt on the client's class path"
  rc=0
  (unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN HADOOP_TOKEN_FILE_LOCATION KRB5CCNAME
   export AWS_EC2_METADATA_DISABLED=true HOME=$work/home
   exec "${as_alice[@]}" "$java_home/bin/java" -Xmx512m $jvm_opens $krb -Djava.net.preferIPv4Stack=true \
    -Dlog4j.configuration="file:$lib/log4j-client.properties" \
    -cp "$e2ejar:$cp" org.s3adt.e2e.LibjarsCase --libjar "$work/libjars/s3adt-$version.jar" \
    --results "$work/client/results-libjars.txt" --cluster-conf "$conf" --secrets - \
    --kdc-dir "$work/keytabs" --realm "$realm" --reduces 0 --work "$work/jobs" --bucket bucket-a \
    --store "$store" <"$work/secrets/secrets.properties") || rc=$?
  l_pass=$(grep -c '^PASS ' "$work/client/results-libjars.txt" 2>/dev/null || true)
  l_fail=$(grep -c '^FAIL ' "$work/client/results-libjars.txt" 2>/dev/null || true)
  h_results_add "${l_pass:-0}" "${l_fail:-0}"
  if [ "${l_pass:-0}" = 0 ] || [ "$rc" != 0 ]; then
    result FAIL "libjars: the client ran its checks (exit $rc, ${l_pass:-0} passed)"
  fi
fi

# With --data s3a: what landed in the bucket, seen by boto3 straight from the store (not through
# s3adt): each binding's out/ holds the two map outputs and _SUCCESS, and no _temporary left over.
if [ "$data" = s3a ]; then
  for b in ${bindings//,/ }; do
    keys=$(python3 - "$store_endpoint" "e2e/$run_id/$b/out/" "$store" "$work/secrets/secrets.properties" "$(committer_of "$b")" \
      3< <([ "$store" != ozone ] || ozone_keys) <<'PY'
import os, sys, boto3, botocore.config
ak = sk = "e2e"  # moto: authentication off
if sys.argv[3] == "rgw":
    p = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[4]) if "=" in l)
    ak, sk = p["access.key"], p["secret.key"]
elif sys.argv[3] == "ozone":  # alice's, as her first submission stored them (fd 3)
    ak, sk = os.fdopen(3).read().split("\n")[:2]
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id=ak, aws_secret_access_key=sk,
                  config=botocore.config.Config(s3={"addressing_style": "path"}))
r = s3.list_objects_v2(Bucket="bucket-a", Prefix=sys.argv[2])
keys = sorted(o["Key"][len(sys.argv[2]):] for o in r.get("Contents", []))
# multipart uploads left open under the binding's prefix (the magic committer's, or anyone's)
u = s3.list_multipart_uploads(Bucket="bucket-a", Prefix=sys.argv[2].rsplit("out/", 1)[0])
keys += ["(upload open: %s)" % x["Key"] for x in u.get("Uploads", [])]
if sys.argv[5] == "magic":  # _SUCCESS is the magic committer's JSON, naming it
    import json
    try:
        who = json.load(s3.get_object(Bucket="bucket-a", Key=sys.argv[2] + "_SUCCESS")["Body"]).get("committer")
    except Exception as e:
        who = repr(e)
    if who != "org.s3adt.commit.S3adtMagicCommitter":
        keys.append("(_SUCCESS committer: %s)" % who)
print(" ".join(keys))
PY
) || keys="(listing failed)"
    want="_SUCCESS part-m-00000 part-m-00001"
    [ "$reduces" = 2 ] && want="_SUCCESS part-r-00000 part-r-00001"
    if [ "$keys" = "$want" ]; then
      result PASS "$b: $store holds s3://bucket-a/e2e/$run_id/$b/out/{${want// /,}} and nothing else, no upload open (committer $(committer_of "$b"))"
    else
      result FAIL "$b: $store holds s3://bucket-a/e2e/$run_id/$b/out/{${want// /,}} and nothing else (found: $keys)"
    fi
  done
fi

# Listening sockets while the cluster runs: inside the namespace only lo exists, so even the
# shuffle's wildcard bind is loopback-only; outside it, report what is not on loopback.
if [ -n "${S3ADT_E2E_NO_NETNS:-}" ]; then
  log "listening beyond loopback (no namespace): $(h_listening_beyond_loopback)"
else
  h_netns_check
fi
log "ran in $(( $(date +%s) - t_inner )) s inside, $(( $(date +%s) - ${S3ADT_E2E_T0:-$t_inner} )) s with the build"
h_summary
