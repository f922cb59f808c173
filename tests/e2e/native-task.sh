#!/usr/bin/env bash
# The process of a YARN container that NativeTaskAM starts: no JVM. It reads one object of the
# bucket with README.md's C snippet (token_cat.c: libs3adt.so, the container's token file, the
# credentials of the token for s3a://BUCKET) and writes it to stdout; then tries OTHER_BUCKET,
# for which the application holds no token, and must be refused by the C API (stderr).
# usage: native-task.sh PROGRAM BUCKET KEY OTHER_BUCKET [name=value ...]
set -u
prog=$1 bucket=$2 key=$3 other=$4
shift 4
if env | grep -q '^AWS_'; then
  echo "native-task: an AWS_* variable is in the container's environment" >&2; exit 3
fi
if [ -z "${HADOOP_TOKEN_FILE_LOCATION:-}" ] || [ ! -f "$HADOOP_TOKEN_FILE_LOCATION" ]; then
  echo "native-task: no token file (HADOOP_TOKEN_FILE_LOCATION=${HADOOP_TOKEN_FILE_LOCATION:-})" >&2; exit 4
fi
echo "native-task: pid $$, token file $HADOOP_TOKEN_FILE_LOCATION, reading s3a://$bucket/$key" >&2
"$prog" "$bucket" "$key" "$@" || { rc=$?; echo "native-task: reading s3a://$bucket/$key failed ($rc)" >&2; exit "$rc"; }
if "$prog" "$other" hello.txt "$@" >/dev/null 2>other.err; then
  echo "native-task: read s3a://$other/hello.txt without a token for it" >&2; exit 5
fi
echo "native-task: s3a://$other/hello.txt refused: $(cat other.err)" >&2
exit 0
