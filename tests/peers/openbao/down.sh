#!/usr/bin/env bash
# Stops the OpenBao server that up.sh started for DIR (the pid in DIR/pid, nothing else).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
. "$(dirname "$0")/../../harness/lib.sh"
h_stop_recorded "$(realpath -m "$1")/pid" "bao server -dev" openbao-down
