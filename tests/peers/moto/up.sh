#!/usr/bin/env bash
# moto server (STS + S3 + IAM on one port) on loopback, for fast functional tests.
# usage: eval "$(tests/peers/moto/up.sh DIR [PORT])"
#   -> export S3ADT_MOTO_ENDPOINT=http://127.0.0.1:PORT S3ADT_MOTO_PID=PID
# Installs moto[server] with pip if `import moto.server` fails. PORT defaults to a free port.
# The server's pid goes to DIR/pid, its log to DIR/moto.log. Stop: tests/peers/moto/down.sh DIR
# Then: python3 tests/peers/moto/setup.py "$S3ADT_MOTO_ENDPOINT" [--auth-on]
# Only stdout carries the export line; progress and errors go to stderr.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [PORT]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(realpath -m "$1"); PORT=${2:-}
PY=${PYTHON:-python3}
log() { echo "moto-up: $*" >&2; }
die() { echo "moto-up: ERROR: $*" >&2; [ -f "$D/moto.log" ] && { echo "--- tail of $D/moto.log" >&2; tail -n 30 "$D/moto.log" >&2; }; exit 1; }

mkdir -p "$D"
# a server this script started earlier for DIR is stopped first (only that pid)
bash "$HERE/down.sh" "$D" >&2 || true

if ! "$PY" -c 'import moto.server' >/dev/null 2>&1; then
  log "installing moto[server] with pip"
  "$PY" -m pip install -q 'moto[server]' >"$D/pip.log" 2>&1 || { tail -n 30 "$D/pip.log" >&2; die "pip install 'moto[server]' failed"; }
  "$PY" -c 'import moto.server' >/dev/null 2>&1 || die "moto.server still not importable after pip install"
fi

if [ -z "$PORT" ]; then
  PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
fi
case "$PORT" in ''|*[!0-9]*) die "PORT must be a number, got '$PORT'";; esac
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "127.0.0.1:$PORT is already in use"; fi

# setsid + closed stdio: the server outlives this script and does not hold $(...) open
setsid "$PY" -m moto.server -H 127.0.0.1 -p "$PORT" </dev/null >"$D/moto.log" 2>&1 &
PID=$!
echo "$PID" >"$D/pid"

# bounded wait (20 s) until it answers HTTP
ok=
for _ in $(seq 1 200); do
  kill -0 "$PID" 2>/dev/null || die "moto server (pid $PID) exited during start-up"
  if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
       "http://127.0.0.1:$PORT/moto-api/data.json" 2>/dev/null; then ok=1; break; fi
  sleep 0.1
done
[ -n "$ok" ] || { kill "$PID" 2>/dev/null || true; die "moto server did not answer on 127.0.0.1:$PORT within 20 s"; }
log "moto up on 127.0.0.1:$PORT (pid $PID, log $D/moto.log)"
echo "export S3ADT_MOTO_ENDPOINT=http://127.0.0.1:$PORT S3ADT_MOTO_PID=$PID"
