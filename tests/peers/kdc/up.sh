#!/usr/bin/env bash
# MIT Kerberos KDC (Debian krb5-kdc 1.20.1) on loopback, realm EXAMPLE.TEST, no systemd; all under DIR
# (wiped first). Principals (random keys, each with its own keytab DIR/<name with / as _>.keytab):
#   alice bob HTTP/localhost yarn/localhost rm/localhost nm/localhost
#
# usage: eval "$(tests/peers/kdc/up.sh DIR [PORT])"     stop: tests/peers/kdc/down.sh DIR
#   -> export KRB5_CONFIG=DIR/krb5.conf KRB5_KDC_PROFILE=DIR/kdc.conf KRB5CCNAME=FILE:DIR/ccache
#             S3ADT_KDC_REALM=EXAMPLE.TEST S3ADT_KDC_PORT=PORT S3ADT_KDC_PID=PID S3ADT_KDC_DIR=DIR
#   then: kinit -kt "$S3ADT_KDC_DIR/alice.keytab" alice ; a JVM: -Djava.security.krb5.conf=DIR/krb5.conf
# PORT (TCP and UDP) defaults to a free one. Installs krb5-kdc krb5-admin-server krb5-user when missing.
# Only stdout carries the export line; progress and errors go to stderr.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [PORT]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(realpath -m "$1"); PORT=${2:-}; REALM=EXAMPLE.TEST
PRINCIPALS=(alice bob HTTP/localhost yarn/localhost rm/localhost nm/localhost)
log() { echo "kdc-up: $*" >&2; }
die() { echo "kdc-up: ERROR: $*" >&2
  for f in "$D"/kdc.log "$D"/krb5kdc.out "$D"/setup.log "$D"/apt.log; do
    [ -s "$f" ] && { echo "--- tail of $f" >&2; tail -n 20 "$f" >&2; }; done
  [ -n "${KDC_PID:-}" ] && kill "$KDC_PID" 2>/dev/null; exit 1; }
trap 'die "command failed at line $LINENO: $BASH_COMMAND"' ERR

[ -f "$D/kdc.pid" ] && bash "$HERE/down.sh" "$D" >&2
# DIR is wiped: refuse anything that is not empty and not one of ours
if [ -d "$D" ] && [ -n "$(ls -A "$D")" ] && [ ! -f "$D/kdc.conf" ]; then
  echo "kdc-up: ERROR: $D is not empty and holds no kdc.conf; refusing to wipe it" >&2; exit 1; fi
rm -rf "$D"; mkdir -p "$D"

need=0
for c in krb5kdc kdb5_util kadmin.local kinit klist; do command -v "$c" >/dev/null 2>&1 || need=1; done
command -v python3 >/dev/null 2>&1 || need=1
if [ $need = 1 ]; then
  log "installing krb5-kdc krb5-admin-server krb5-user"
  [ "$(id -u)" = 0 ] || die "packages missing and not root: run as root, or: sudo apt-get install -y --no-install-recommends krb5-kdc krb5-admin-server krb5-user"
  export DEBIAN_FRONTEND=noninteractive
  pkgs=(krb5-kdc krb5-admin-server krb5-user python3)
  if ! apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends "${pkgs[@]}" >"$D/apt.log" 2>&1; then
    apt-get update >>"$D/apt.log" 2>&1 || die "apt-get update failed"
    apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends "${pkgs[@]}" >>"$D/apt.log" 2>&1 || die "apt-get install failed"
  fi
fi

if [ -z "$PORT" ]; then
  # a port free for both TCP and UDP on 127.0.0.1
  PORT=$(python3 - <<'PY'
import socket
for _ in range(50):
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        u.close(); t.close()
PY
)
fi
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "127.0.0.1:$PORT is already in use"; fi

cat > "$D/krb5.conf" <<CONF
[libdefaults]
  default_realm = $REALM
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
  ticket_lifetime = 1h
  renew_lifetime = 7d
  forwardable = true
  default_ccache_name = FILE:$D/ccache
[realms]
  $REALM = {
    kdc = 127.0.0.1:$PORT
  }
[domain_realm]
  localhost = $REALM
  .localhost = $REALM
CONF
cat > "$D/kdc.conf" <<CONF
[kdcdefaults]
  kdc_listen = 127.0.0.1:$PORT
  kdc_tcp_listen = 127.0.0.1:$PORT
[realms]
  $REALM = {
    database_name = $D/principal
    key_stash_file = $D/stash
    acl_file = $D/kadm5.acl
    max_life = 1h
    max_renewable_life = 7d
    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
  }
[logging]
  kdc = FILE:$D/kdc.log
CONF
echo "*/admin@$REALM *" > "$D/kadm5.acl"
export KRB5_CONFIG=$D/krb5.conf KRB5_KDC_PROFILE=$D/kdc.conf
kdb5_util create -s -r "$REALM" -P "$(head -c 24 /dev/urandom | base64)" >"$D/setup.log" 2>&1
for p in "${PRINCIPALS[@]}"; do
  kt="$D/$(echo "$p" | tr / _).keytab"
  kadmin.local -q "addprinc -randkey $p@$REALM" >>"$D/setup.log" 2>&1
  kadmin.local -q "ktadd -norandkey -k $kt $p@$REALM" >>"$D/setup.log" 2>&1
  [ -s "$kt" ] || die "no keytab written for $p"
done
chmod 600 "$D"/*.keytab

setsid krb5kdc -n </dev/null >"$D/krb5kdc.out" 2>&1 &
KDC_PID=$!
echo "$KDC_PID" > "$D/kdc.pid"
ok=
for _ in $(seq 1 100); do
  kill -0 "$KDC_PID" 2>/dev/null || die "krb5kdc exited during start-up"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then ok=1; break; fi
  sleep 0.05
done
[ -n "$ok" ] || die "krb5kdc did not listen on 127.0.0.1:$PORT within 5 s"
# prove it issues tickets (into a scratch cache, not the user's)
KRB5CCNAME="FILE:$D/selftest.ccache" timeout 10 kinit -kt "$D/alice.keytab" "alice@$REALM" >>"$D/setup.log" 2>&1 \
  || die "kinit -kt alice.keytab alice failed against the new KDC"
rm -f "$D/selftest.ccache"
trap - ERR
log "KDC for $REALM on 127.0.0.1:$PORT (pid $KDC_PID); keytabs: $(cd "$D" && echo *.keytab)"
echo "export KRB5_CONFIG=$D/krb5.conf KRB5_KDC_PROFILE=$D/kdc.conf KRB5CCNAME=FILE:$D/ccache S3ADT_KDC_REALM=$REALM S3ADT_KDC_PORT=$PORT S3ADT_KDC_PID=$KDC_PID S3ADT_KDC_DIR=$D"
