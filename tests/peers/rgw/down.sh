#!/usr/bin/env bash
# Stops the mon, osd and radosgw that rgw/up.sh started for DIR (the pids in DIR/pids, nothing else).
# The memstore OSD keeps its data in RAM: it is gone afterwards. Bounded: SIGTERM, then SIGKILL
# whatever is left after 1 s (radosgw takes ~2 s, or minutes once the mon is gone; its data is in RAM anyway).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
D=$(realpath -m "$1")
[ -f "$D/pids" ] || exit 0
ours=()
for p in $(cat "$D/pids"); do
  # only pids that are still one of our ceph daemons using DIR's config (pids get reused)
  if { tr "\\0" " " <"/proc/$p/cmdline"; } 2>/dev/null | grep -Eq "(ceph-mon|ceph-osd|radosgw).*$D/ceph.conf"; then ours+=("$p"); fi
done
alive() { local a=() p; for p in "${ours[@]}"; do kill -0 "$p" 2>/dev/null && a+=("$p"); done; echo "${a[*]}"; }
if [ ${#ours[@]} -gt 0 ]; then
  # radosgw first, the mon last (the pids file lists mon osd rgw)
  for ((i=${#ours[@]}-1; i>=0; i--)); do kill "${ours[$i]}" 2>/dev/null || true; done
  for _ in $(seq 1 10); do [ -z "$(alive)" ] && break; sleep 0.1; done
  left=$(alive); [ -n "$left" ] && kill -9 $left 2>/dev/null || true
fi
rm -f "$D/pids"
echo "rgw-down: stopped ${ours[*]:-nothing}" >&2
