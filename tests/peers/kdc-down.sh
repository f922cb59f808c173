#!/usr/bin/env bash
# Stops the krb5kdc that kdc-up.sh started for DIR (the pid in DIR/kdc.pid, nothing else).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
D=$(realpath -m "$1")
[ -f "$D/kdc.pid" ] || exit 0
PID=$(cat "$D/kdc.pid")
# only if that pid is still a krb5kdc (pids get reused)
if [ -n "$PID" ] && { tr "\\0" " " <"/proc/$PID/cmdline"; } 2>/dev/null | grep -q 'krb5kdc'; then
  kill "$PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PID" 2>/dev/null || true
  echo "kdc-down: stopped pid $PID" >&2
fi
rm -f "$D/kdc.pid"
