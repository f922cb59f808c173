#!/usr/bin/env bash
# A real secure Apache Ozone 2.2.0 on loopback: an MIT KDC (tests/peers/kdc, realm EXAMPLE.TEST),
# SCM, OM, one datanode and the S3 gateway as four plain `java -cp` processes, Kerberos everywhere,
# the S3 gateway's SPNEGO secret endpoint (`PUT`/`DELETE /secret`) switched on. All under DIR (wiped).
#
# usage: eval "$(tests/peers/ozone/up.sh DIR [--secret-off-gateway])"     stop: tests/peers/ozone/down.sh DIR
#   OM again with more settings (its S3 secrets in Vault): tests/peers/ozone/om-restart.sh DIR [FILE]
#   -> export S3ADT_OZONE_S3_ENDPOINT=http://127.0.0.1:9878 (the S3 API, SigV4)
#             S3ADT_OZONE_ADMIN_URL=http://localhost:19878 (the webadmin server that hosts /secret;
#               `localhost`, not 127.0.0.1: SPNEGO asks for HTTP/<host in the URL>)
#             S3ADT_OZONE_DIR=DIR S3ADT_OZONE_REALM=EXAMPLE.TEST
#             and the KDC's: KRB5_CONFIG KRB5_KDC_PROFILE KRB5CCNAME S3ADT_KDC_* (tests/peers/kdc/up.sh)
# Users (keytabs DIR/kdc/<user>.keytab): alice, an S3 administrator (ozone.s3.administrators), who may
# call /secret; bob, not one (403 on /secret, as for any non-admin in Ozone 2.x).
# --secret-off-gateway: a second S3 gateway (S3 on 9880, webadmin on 19880) with the secret endpoint
#   switched off (Ozone's default), for the "endpoint disabled" answer; exports
#   S3ADT_OZONE_OFF_ADMIN_URL=http://localhost:19880. About 370 MB and 10 s more.
#
# Ozone's own ports (SCM 9860/9861/9863/9876/9894/9961, OM 9862/9872/9874, datanode 9855-9859/9882/
# 19864, S3 gateway 9878/19878) are its defaults on 127.0.0.1: run this in a private network
# namespace (tests/ozone/run.sh does) when anything else could hold them.
# The jars (215, about 200 MB, Maven Central) are fetched once into tests/peers/ozone/target/lib by
# fetch-jars.sh; that needs the network, the rest does not. Facts and hazards:
# tests/peers/README.md (Ozone). Only stdout carries the export line; progress goes to stderr.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [--secret-off-gateway]" >&2; exit 2; }
OFF=
case ${2:-} in '') ;; --secret-off-gateway) OFF=1 ;; *) echo "usage: $0 DIR [--secret-off-gateway]" >&2; exit 2 ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(realpath -m "$1")
LIB=${S3ADT_OZONE_LIB:-$HERE/target/lib}
REALM=EXAMPLE.TEST
SERVICES=(scm om dn s3g)
S3_PORT=9878 ADMIN_PORT=19878 OFF_S3_PORT=9880 OFF_ADMIN_PORT=19880
log() { echo "ozone-up: $*" >&2; }
die() {
  echo "ozone-up: ERROR: $*" >&2
  for f in "$D"/log/*.log; do [ -s "$f" ] && { echo "--- tail of $f" >&2; tail -n 25 "$f" >&2; }; done
  bash "$HERE/down.sh" "$D" >/dev/null 2>&1 || true
  exit 1
}
trap 'die "command failed at line $LINENO: $BASH_COMMAND"' ERR
t0=$(date +%s)

[ -f "$D/ozone-peer" ] && bash "$HERE/down.sh" "$D" >&2
if [ -d "$D" ] && [ -n "$(ls -A "$D")" ] && [ ! -f "$D/ozone-peer" ]; then
  echo "ozone-up: ERROR: $D is not empty and is not an Ozone peer directory; refusing to wipe it" >&2; exit 1; fi
rm -rf "$D"; mkdir -p "$D/log"; touch "$D/ozone-peer"

bash "$HERE/fetch-jars.sh" "$LIB" || die "the Ozone jars are missing (fetch-jars.sh needs the network once)"
for p in $S3_PORT $ADMIN_PORT 9860 9862; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "127.0.0.1:$p is already in use (run in a private network namespace)"; fi
done

# ---- the KDC, plus the service principals Ozone needs (kadmin.local writes the KDC's database directly)
eval "$(bash "$HERE/../kdc/up.sh" "$D/kdc")"
for s in "${SERVICES[@]}"; do
  kadmin.local -q "addprinc -randkey $s/localhost@$REALM" >>"$D/log/kdc-setup.log" 2>&1
  kadmin.local -q "ktadd -norandkey -k $D/kdc/${s}_localhost.keytab $s/localhost@$REALM" >>"$D/log/kdc-setup.log" 2>&1
  [ -s "$D/kdc/${s}_localhost.keytab" ] || die "no keytab for $s/localhost"
done
chmod 600 "$D"/kdc/*.keytab

# ---- configuration: one directory per daemon (and cli), the same settings but for the data dirs
prop() { printf '  <property><name>%s</name><value>%s</value></property>\n' "$1" "$2"; }
site() { # NAME: conf-NAME/{ozone-site.xml,core-site.xml,log4j.properties}
  local n=$1 c=$D/conf-$1 dd=$D/data-$1 kt=$D/kdc
  mkdir -p "$c" "$dd"
  {
    echo '<?xml version="1.0"?><configuration>'
    prop ozone.metadata.dirs "$dd/meta"; prop ozone.scm.datanode.id.dir "$dd/meta"
    prop hdds.datanode.dir "$dd/hdds"; prop ozone.http.basedir "$dd/http"
    prop ozone.scm.names localhost; prop ozone.scm.client.address localhost
    prop ozone.scm.block.client.address localhost; prop ozone.om.address localhost
    prop ozone.om.http-address localhost:9874; prop ozone.scm.http-address localhost:9876
    prop ozone.s3g.http-address 127.0.0.1:$S3_PORT; prop ozone.s3g.webadmin.http-address 127.0.0.1:$ADMIN_PORT
    for b in ozone.om.http-bind-host ozone.scm.block.client.bind.host ozone.scm.client.bind.host \
      ozone.scm.datanode.bind.host ozone.scm.http-bind-host ozone.s3g.http-bind-host \
      ozone.s3g.webadmin.http-bind-host ozone.scm.security.service.bind.host \
      hdds.datanode.http-bind-host hdds.datanode.client.bind.host ozone.om.address.bind.host; do
      prop "$b" 127.0.0.1; done
    prop ozone.server.default.replication 1; prop ozone.replication 1
    prop hdds.scm.safemode.min.datanode 1; prop ozone.scm.container.size 256MB
    prop ozone.scm.block.size 4MB; prop ozone.scm.pipeline.owner.container.count 1
    prop ozone.datanode.pipeline.limit 1; prop hdds.datanode.volume.min.free.space 100MB
    prop hdds.datanode.volume.min.free.space.percent 0; prop hdds.heartbeat.interval 5s
    prop hdds.scm.wait.time.after.safemode.exit 5s; prop ozone.scm.stale.node.interval 30s
    prop ozone.scm.dead.node.interval 45s; prop hdds.container.ratis.datastream.enabled false
    prop ozone.om.ratis.enable true
    # secure
    prop ozone.security.enabled true; prop hadoop.security.authentication kerberos
    prop hadoop.security.auth_to_local DEFAULT; prop ozone.acl.enabled true
    prop ozone.acl.authorizer.class org.apache.hadoop.ozone.security.acl.OzoneNativeAuthorizer
    prop ozone.administrators alice,om,scm,dn,s3g
    # s3g must be an S3 admin in OM's eyes, or every /secret call is a bare 500 (USER_MISMATCH)
    prop ozone.s3.administrators alice,s3g
    prop hdds.scm.kerberos.principal "scm/localhost@$REALM"; prop hdds.scm.kerberos.keytab.file "$kt/scm_localhost.keytab"
    prop ozone.om.kerberos.principal "om/localhost@$REALM"; prop ozone.om.kerberos.keytab.file "$kt/om_localhost.keytab"
    prop hdds.datanode.kerberos.principal "dn/localhost@$REALM"; prop hdds.datanode.kerberos.keytab.file "$kt/dn_localhost.keytab"
    prop ozone.s3g.kerberos.principal "s3g/localhost@$REALM"; prop ozone.s3g.kerberos.keytab.file "$kt/s3g_localhost.keytab"
    prop ozone.s3g.secret.http.enabled true; prop ozone.s3g.secret.http.auth.type kerberos
    prop ozone.s3g.http.auth.kerberos.principal "HTTP/localhost@$REALM"
    prop ozone.s3g.http.auth.kerberos.keytab "$kt/HTTP_localhost.keytab"
    prop hdds.block.token.enabled true; prop hdds.container.token.enabled true
    echo '</configuration>'
  } >"$c/ozone-site.xml"
  {
    echo '<?xml version="1.0"?><configuration>'
    prop hadoop.security.authentication kerberos; prop hadoop.security.auth_to_local DEFAULT
    echo '</configuration>'
  } >"$c/core-site.xml"
  cat >"$c/log4j.properties" <<'L4J'
log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss,SSS} %p %c{1}: %m%n
log4j.logger.org.apache.ratis=WARN
log4j.logger.org.apache.hadoop.ozone.audit=WARN
L4J
  : "$n"
}
for n in "${SERVICES[@]}" cli; do site "$n"; done
if [ -n "$OFF" ]; then # the second gateway: its own ports, the secret endpoint off
  site s3goff
  sed -i -e "s|127.0.0.1:$S3_PORT<|127.0.0.1:$OFF_S3_PORT<|" -e "s|127.0.0.1:$ADMIN_PORT<|127.0.0.1:$OFF_ADMIN_PORT<|" \
    -e 's|<name>ozone.s3g.secret.http.enabled</name><value>true<|<name>ozone.s3g.secret.http.enabled</name><value>false<|' \
    "$D/conf-s3goff/ozone-site.xml"
  grep -q "secret.http.enabled</name><value>false<" "$D/conf-s3goff/ozone-site.xml" || die "conf-s3goff not rewritten"
fi

# ---- the JVMs (the flags the ozone launcher adds; small heaps, C1 only: 2 cores, four JVMs)
jvm() { # NAME HEAP MAINCLASS [ARGS...]: the java command line, as words
  local n=$1 heap=$2; shift 2
  JVM=(java "-Xmx$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens java.management/com.sun.jmx.mbeanserver=ALL-UNNAMED
    --add-exports java.management/com.sun.jmx.mbeanserver=ALL-UNNAMED
    -Dorg.apache.ratis.thirdparty.io.netty.allocator.useCacheForAllThreads=false
    "-Djava.security.krb5.conf=$D/kdc/krb5.conf" "-Dlog4j.configuration=file:$D/conf-$n/log4j.properties"
    "-Ds3adt.ozone.peer=$D" -cp "$D/conf-$n:$LIB/*" "$@")
}
once() { # NAME HEAP MAINCLASS ARGS...: in the foreground (the --init steps)
  local n=$1; jvm "$@"
  # in its data directory: Ozone unpacks its RocksDB natives into the working directory
  (cd "$D/data-$n" && KRB5CCNAME=FILE:$D/ccache-$n exec timeout 180 "${JVM[@]}") </dev/null >>"$D/log/$n-init.log" 2>&1 \
    || die "$n ${*:4} failed"
}
start() { # NAME HEAP MAINCLASS: in the background, pid in DIR/pid-NAME
  local n=$1; jvm "$@"
  (cd "$D/data-$n" && KRB5CCNAME=FILE:$D/ccache-$n exec setsid "${JVM[@]}") </dev/null >"$D/log/$n.log" 2>&1 &
  echo $! >"$D/pid-$n"
  printf '%q ' "${JVM[@]}" >"$D/cmd-$n"   # for om-restart.sh
}
wait_for() { # NAME WHAT SECONDS TEST...: until TEST succeeds, while NAME's JVM lives
  local n=$1 what=$2 secs=$3 tries=$(($3 * 2)); shift 3
  while [ "$tries" -gt 0 ]; do
    "$@" && return 0
    kill -0 "$(cat "$D/pid-$n")" 2>/dev/null || die "$n exited while waiting for $what"
    sleep 0.5; tries=$((tries - 1))
  done
  die "no $what after $secs s"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
in_log() { grep -q "$2" "$D/log/$1.log" 2>/dev/null; }

SCM=org.apache.hadoop.hdds.scm.server.StorageContainerManagerStarter
OM=org.apache.hadoop.ozone.om.OzoneManagerStarter
log "SCM --init (creates the internal CA)"
once scm 512m $SCM --init
start scm 512m $SCM
wait_for scm "SCM on 127.0.0.1:9860" 120 port_open 9860
log "OM --init"
once om 512m $OM --init
start om 512m $OM
start dn 768m org.apache.hadoop.ozone.HddsDatanodeService
wait_for om "OM on 127.0.0.1:9862" 120 port_open 9862
wait_for scm "SCM out of safe mode" 180 in_log scm 'SCM exiting safe mode'
wait_for scm "an open RATIS/ONE pipeline" 60 in_log scm 'Opened pipeline'
start s3g 512m org.apache.hadoop.ozone.s3.Gateway
wait_for s3g "the S3 gateway on $S3_PORT and its webadmin server on $ADMIN_PORT" 120 \
  bash -c "(exec 3<>/dev/tcp/127.0.0.1/$S3_PORT) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$ADMIN_PORT) 2>/dev/null"
off_export=
if [ -n "$OFF" ]; then
  start s3goff 384m org.apache.hadoop.ozone.s3.Gateway
  wait_for s3goff "the second S3 gateway (secret endpoint off) on $OFF_ADMIN_PORT" 120 port_open $OFF_ADMIN_PORT
  off_export=" S3ADT_OZONE_OFF_ADMIN_URL=http://localhost:$OFF_ADMIN_PORT"
fi
trap - ERR
rss=0
for n in "${SERVICES[@]}" ${OFF:+s3goff}; do
  r=$(awk '/VmRSS/{print $2}' "/proc/$(cat "$D/pid-$n")/status" 2>/dev/null || echo 0); rss=$((rss + r))
done
log "Ozone up in $(( $(date +%s) - t0 )) s (SCM, OM, datanode, S3 gateway${OFF:+, second gateway}: $((rss / 1024)) MB RSS); logs in $D/log"
echo "export S3ADT_OZONE_S3_ENDPOINT=http://127.0.0.1:$S3_PORT S3ADT_OZONE_ADMIN_URL=http://localhost:$ADMIN_PORT S3ADT_OZONE_DIR=$D S3ADT_OZONE_REALM=$REALM$off_export KRB5_CONFIG=$KRB5_CONFIG KRB5_KDC_PROFILE=$KRB5_KDC_PROFILE KRB5CCNAME=$KRB5CCNAME S3ADT_KDC_REALM=$S3ADT_KDC_REALM S3ADT_KDC_PORT=$S3ADT_KDC_PORT S3ADT_KDC_PID=$S3ADT_KDC_PID S3ADT_KDC_DIR=$S3ADT_KDC_DIR"
