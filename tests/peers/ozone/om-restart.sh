#!/usr/bin/env bash
# Restarts the OM of a running tests/peers/ozone/up.sh DIR, with the <property> lines of FILE added to
# its ozone-site.xml (e.g. ozone.secret.s3.store.provider and ozone.secret.s3.store.remote.vault.*:
# its S3 secrets in Vault), or without FILE as up.sh configured it. SCM, the datanode and the S3
# gateways keep running and reconnect. Waits until OM's RPC and HTTP ports answer (about 15-40 s).
# usage: tests/peers/ozone/om-restart.sh DIR [FILE]        progress and errors on stderr
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [FILE]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../harness/lib.sh"
D=$(realpath -m "$1") EXTRA=${2:-}
site=$D/conf-om/ozone-site.xml
[ -f "$D/ozone-peer" ] && [ -s "$D/cmd-om" ] || { echo "om-restart: $D is not a running Ozone peer (no cmd-om)" >&2; exit 1; }
[ -f "$site.orig" ] || cp -p "$site" "$site.orig"
if [ -n "$EXTRA" ]; then
  { grep -v '^</configuration>$' "$site.orig"; cat "$EXTRA"; echo '</configuration>'; } >"$site"
else
  cp -p "$site.orig" "$site"
fi
pid=$(cat "$D/pid-om" 2>/dev/null || true)
if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "s3adt.ozone.peer=$D "; then
  kill "$pid"   # OM stops cleanly in about 8 s; h_stop_recorded below waits 5 s, then kills
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
fi
h_stop_recorded "$D/pid-om" "s3adt.ozone.peer=$D " "om-restart"
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/9862) 2>/dev/null || break; sleep 0.2; done
(cd "$D/data-om" && eval "KRB5CCNAME=FILE:$D/ccache-om exec setsid $(cat "$D/cmd-om")") </dev/null >>"$D/log/om.log" 2>&1 &
echo $! >"$D/pid-om"
for p in 9862 9874; do
  h_wait_port "$p" 120 || { echo "om-restart: OM did not open 127.0.0.1:$p within 120 s" >&2; tail -n 25 "$D/log/om.log" >&2; exit 1; }
done
echo "om-restart: OM up again (pid $(cat "$D/pid-om"))${EXTRA:+ with $EXTRA}" >&2
