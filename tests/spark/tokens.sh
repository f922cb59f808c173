# Sourced by tests/spark/run.sh (inside its namespace): fetching alice's token and checking the
# layout of the S3A tokens a case's files hold. Uses run.sh's variables (work, libdir, alice_ak,
# alice_sk, session, role_arn, endpoint, readers, layout, layout_readers, hadoop_version) and result.

# fetch_token CASE: alice's token of the binding, by `s3adt fetch`, into jobs/CASE/s3a.token
# (her keys in the variables of that process only)
fetch_token() {
  mkdir -p "$work/jobs/$1"
  (export S3ADT_FETCH_AK="$alice_ak" S3ADT_FETCH_SK="$alice_sk"; exec "$libdir/s3adt" fetch \
      -D fs.s3a.delegation.token.binding=$session -D fs.s3a.assumed.role.arn="$role_arn" \
      -D 'fs.s3a.access.key=${env.S3ADT_FETCH_AK}' -D 'fs.s3a.secret.key=${env.S3ADT_FETCH_SK}' \
      -D fs.s3a.assumed.role.sts.endpoint="$endpoint" -D fs.s3a.assumed.role.sts.endpoint.region=us-east-1 \
      -D fs.s3a.s3adt.token.readers=$readers --renewer yarn s3a://bucket-a "$work/jobs/$1/s3a.token") >"$work/jobs/$1/fetch.log" 2>&1
}

# token_layouts FILE...: the layout and readers `s3adt print` names for each s3a://bucket-a
# token in the files, one "layout L, readers R" a line, deduplicated
token_layouts() {
  local f
  for f in "$@"; do "$libdir/s3adt" print "$f" 2>/dev/null || true; done | awk '
    /^Token / { s3a = 0 } /^  service +s3a:\/\/bucket-a$/ { s3a = 1 }
    s3a && /^  encryption / { sub(/.*layout /, ""); l = $0 }
    s3a && /^  readers / { sub(/^  readers +/, ""); print "layout " l ", readers " $0 }' | sort -u
}
check_layout() { # CASE WHAT FILE...
  local name=$1 what=$2 got; shift 2
  got=$(token_layouts "$@" | paste -sd ';' -)
  case "$got" in
    "layout $layout, readers $layout_readers") result PASS "$name: the S3A token in $what is in the layout Hadoop $hadoop_version's hadoop-aws reads ($got)" ;;
    *) result FAIL "$name: the S3A token in $what should be in layout $layout (Hadoop $hadoop_version): ${got:-no s3a://bucket-a token found}" ;;
  esac
}
