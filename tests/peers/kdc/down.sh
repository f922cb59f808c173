#!/usr/bin/env bash
# Stops the krb5kdc that up.sh started for DIR (the pid in DIR/kdc.pid, nothing else).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
. "$(dirname "$0")/../../harness/lib.sh"
h_stop_recorded "$(realpath -m "$1")/kdc.pid" krb5kdc kdc-down
