#!/usr/bin/env bash
# Single-node Ceph RGW (Debian bookworm: ceph 16.2.15 "pacific") on loopback: one mon, one memstore OSD
# (data in RAM), radosgw with STS; no cephx, no systemd. Everything lives under DIR (wiped first).
#
# usage: eval "$(tests/peers/rgw/up.sh DIR [RGW_PORT] [MON_PORT])"     stop: tests/peers/rgw/down.sh DIR
#   -> export S3ADT_RGW_ENDPOINT=http://127.0.0.1:PORT S3ADT_RGW_ADMIN_AK=.. S3ADT_RGW_ADMIN_SK=..
#             S3ADT_RGW_ROLE_ARN=arn:aws:iam:::role/s3-full S3ADT_RGW_LIMITED_AK=.. S3ADT_RGW_LIMITED_SK=..
#             S3ADT_RGW_DIR=DIR
# Ports default to free ones picked by the script. Daemon pids go to DIR/pids, logs to DIR/log/.
# Installs ceph-mon ceph-osd radosgw ceph-common with apt-get when missing (needs root).
# Fixtures: users admin (caps roles/users/user-policy) and limited, both with an identity policy
# allowing sts:GetSessionToken; role s3-full (s3:*, trust: admin, MaxSessionDuration 43200);
# buckets bucket-a and bucket-b (owner admin) with hello.txt. STS sessions may be as short as 1 s.
# Only stdout carries the export line; progress (with elapsed seconds) and errors go to stderr.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [RGW_PORT] [MON_PORT]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(realpath -m "$1"); RGW_PORT=${2:-}; MON_PORT=${3:-}
ADMIN_AK=S3ADTADMINKEY0000001 ADMIN_SK=s3adt/admin/secret/0000000000000000000001
LIMITED_AK=S3ADTLIMITKEY0000001 LIMITED_SK=s3adt/limited/secret/00000000000000000001
T0=$(date +%s%N)
log() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf 'rgw-up: [%3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2; }
tails() { for f in "$D"/log/*.log "$D"/log/*.out "$D"/apt.log; do
  [ -s "$f" ] && { echo "--- tail of $f" >&2; tail -n 12 "$f" >&2; }; done; true; }
die() { echo "rgw-up: ERROR: $*" >&2; tails; stop_started; exit 1; }
STARTED=()
stop_started() { # what this run started: recorded in DIR/pids as soon as known; rgw/down.sh is bounded
  [ ${#STARTED[@]} -gt 0 ] && echo "${STARTED[*]}" >"$D/pids" && bash "$HERE/down.sh" "$D" || true; }
trap 'die "command failed at line $LINENO: $BASH_COMMAND"' ERR

# a cluster this script started earlier in DIR is stopped first
[ -f "$D/pids" ] && bash "$HERE/down.sh" "$D" >&2
# DIR is wiped: refuse anything that is not empty and not one of ours
if [ -d "$D" ] && [ -n "$(ls -A "$D")" ] && [ ! -f "$D/ceph.conf" ]; then
  echo "rgw-up: ERROR: $D is not empty and holds no ceph.conf; refusing to wipe it" >&2; exit 1; fi
rm -rf "$D"; mkdir -p "$D"/{mon,osd0,run,log}

# --- install (idempotent) ---
need=()
for c in ceph-mon:ceph-mon ceph-osd:ceph-osd radosgw:radosgw radosgw-admin:radosgw ceph:ceph-common \
         monmaptool:ceph-common osdmaptool:ceph-common; do
  command -v "${c%%:*}" >/dev/null 2>&1 || need+=("${c#*:}")
done
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  pkgs=(ceph-mon ceph-osd radosgw ceph-common python3 curl)
  log "installing ${pkgs[*]} (missing: $(printf '%s\n' "${need[@]}" | sort -u | tr '\n' ' '))"
  [ "$(id -u)" = 0 ] || die "packages missing and not root: run as root, or: sudo apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends "${pkgs[@]}" >"$D/apt.log" 2>&1; then
    apt-get update >>"$D/apt.log" 2>&1 || die "apt-get update failed"
    apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends "${pkgs[@]}" >>"$D/apt.log" 2>&1 || die "apt-get install failed"
  fi
  log "installed"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -n "$RGW_PORT" ] || RGW_PORT=$(free_port)
[ -n "$MON_PORT" ] || { MON_PORT=$(free_port); while [ "$MON_PORT" = "$RGW_PORT" ]; do MON_PORT=$(free_port); done; }
for p in "$RGW_PORT" "$MON_PORT"; do
  case "$p" in ''|*[!0-9]*) die "ports must be numbers, got '$p'";; esac
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "127.0.0.1:$p is already in use"; fi
done

cd "$D"; touch keyring
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > ceph.conf <<CONF
[global]
fsid = $FSID
# msgr2 on a non-default port; loopback only
mon host = v2:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv4 = true
ms bind ipv6 = false
# no cephx; without crc modes clients hang on "get_initial_auth_request returned -13"
ms mon client mode = crc
ms client mode = crc
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 1
osd pool default pgp num = 1
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
# commit map changes at once (default: 1 s per change; radosgw makes ~15 at first start)
paxos propose interval = 0.01
paxos min wait = 0.001
osd crush chooseleaf type = 0
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
mon data = $D/mon/\$name
osd data = $D/osd\$id
osd objectstore = memstore
memstore device bytes = 1073741824
keyring = $D/keyring
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw enable apis = s3, sts, iam, admin
rgw s3 auth use sts = true
# 16 characters, encrypts the session tokens
rgw sts key = s3adtstskey00001
# default 900; 1 lets expiry tests use DurationSeconds of a few seconds
rgw sts min session duration = 1
CONF
C=(-c "$D/ceph.conf")
log "mon mkfs (ports: rgw $RGW_PORT, mon $MON_PORT)"
monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$D/monmap" >"$D/log/mkfs.out" 2>&1
# an initial osdmap that already holds osd.0 (under host localhost): no `ceph osd create`/crush calls
osdmaptool "${C[@]}" --createsimple 1 "$D/osdmap" >>"$D/log/mkfs.out" 2>&1
ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap" --osdmap "$D/osdmap" >>"$D/log/mkfs.out" 2>&1
# ceph-mon and ceph-osd daemonize; their pid files appear once they run
pidof_file() { for _ in $(seq 1 50); do [ -s "$1" ] && { cat "$1"; return 0; }; sleep 0.1; done; return 1; }
ceph-mon "${C[@]}" -i a >>"$D/log/mkfs.out" 2>&1
STARTED+=("$(pidof_file "$D/run/mon.a.pid")") || die "ceph-mon wrote no pid file within 5 s"
echo "${STARTED[*]}" >"$D/pids"
ceph-osd "${C[@]}" -i 0 --mkfs >>"$D/log/mkfs.out" 2>&1
ceph-osd "${C[@]}" -i 0 >>"$D/log/mkfs.out" 2>&1
STARTED+=("$(pidof_file "$D/run/osd.0.pid")") || die "ceph-osd wrote no pid file within 5 s"
echo "${STARTED[*]}" >"$D/pids"
log "mon and osd started; waiting for osd.0 up"
up=
for _ in $(seq 1 60); do
  if timeout 10 ceph "${C[@]}" --connect-timeout 5 osd stat 2>/dev/null | grep -q "1 up"; then up=1; break; fi
  sleep 0.3
done
[ -n "$up" ] || die "osd.0 not up within ~30 s"
log "osd.0 up; starting radosgw"
setsid radosgw -f "${C[@]}" -n client.rgw.a </dev/null >"$D/log/rgw.out" 2>&1 &
RGW_PID=$!; STARTED+=("$RGW_PID")
echo "${STARTED[*]}" >"$D/pids"
ok=
for _ in $(seq 1 240); do
  kill -0 "$RGW_PID" 2>/dev/null || die "radosgw exited during start-up"
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$RGW_PORT/"; then ok=1; break; fi
  sleep 0.25
done
[ -n "$ok" ] || die "radosgw did not answer on 127.0.0.1:$RGW_PORT within 60 s"
log "radosgw answers; creating users"
timeout 60 radosgw-admin "${C[@]}" user create --uid=admin --display-name=admin --access-key="$ADMIN_AK" \
  --secret="$ADMIN_SK" --caps="roles=*;users=*;user-policy=*" >"$D/log/admin.out" 2>&1
timeout 60 radosgw-admin "${C[@]}" user create --uid=limited --display-name=limited --access-key="$LIMITED_AK" \
  --secret="$LIMITED_SK" >>"$D/log/admin.out" 2>&1
log "users created; policies, role, buckets"
ROLE_ARN=$(timeout 60 python3 "$HERE/setup.py" "http://127.0.0.1:$RGW_PORT" "$ADMIN_AK" "$ADMIN_SK" 2>"$D/log/setup.out") \
  || { cat "$D/log/setup.out" >&2; die "rgw/setup.py failed"; }
trap - ERR
log "RGW up on 127.0.0.1:$RGW_PORT (pids $(cat "$D/pids"))"
echo "export S3ADT_RGW_ENDPOINT=http://127.0.0.1:$RGW_PORT S3ADT_RGW_ADMIN_AK=$ADMIN_AK S3ADT_RGW_ADMIN_SK=$ADMIN_SK S3ADT_RGW_ROLE_ARN=$ROLE_ARN S3ADT_RGW_LIMITED_AK=$LIMITED_AK S3ADT_RGW_LIMITED_SK=$LIMITED_SK S3ADT_RGW_DIR=$D"
