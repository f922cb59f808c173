#!/usr/bin/env bash
# Stops what tests/peers/ozone/up.sh started for DIR: the S3 gateway, the datanode, OM and SCM (the
# pids in DIR/pid-*, only while their command line is still that DIR's JVM), then the KDC.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../harness/lib.sh"
D=$(realpath -m "$1")
for n in s3goff s3g dn om scm; do
  h_stop_recorded "$D/pid-$n" "s3adt.ozone.peer=$D " "ozone-down ($n)"
done
bash "$HERE/../kdc/down.sh" "$D/kdc"
