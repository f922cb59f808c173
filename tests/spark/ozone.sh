# --store ozone --cases ozone for tests/spark/run.sh (issue 13 item 6), sourced by it: Spark on
# the secure MiniYARN of tests/e2e against the real secure Apache Ozone 2.2.0 of tests/peers/ozone
# (set up by tests/e2e/ozone.sh: its KDC serves the cluster too; alice's bucket-a made by her
# Kerberos login with hello.txt in it). Alice submits with her keytab only (--principal/--keytab,
# client mode); the binding is s3adt's OzoneTokenBinding: Spark's HadoopFSDelegationTokenProvider
# collects the token through s3adt, which fetches her S3 secret from Ozone over SPNEGO (the first
# submission) into the secret store (the test tree's FileS3SecretStore, on the driver's class
# path only). The executors must be bound to the Full token, hold no secret in conf or env, and
# read and write s3a://bucket-a themselves; then every file of the cluster, the staging dir and
# the dumps is scanned: her secret may be only in token files (a Full token carries it).
# Uses run.sh's variables and functions (yarn_job, yarn_after, scan, result, work, realm).

. "$root/tests/e2e/ozone.sh"

ozone_spark_up() { # in store_up: Ozone; sets endpoint (alice_sk: after her first submission)
  ozone_up || return 1
  endpoint=$S3ADT_OZONE_S3_ENDPOINT alice_ak=alice@$S3ADT_KDC_REALM alice_sk= role_arn=
}

ozone_case() {
  log "ozone: spark-submit --master yarn --deploy-mode client as alice (keytab), OzoneTokenBinding, no key anywhere"
  local stored=$work/store/alice@$realm
  [ ! -e "$stored" ] || result FAIL "ozone: the secret store holds nothing of alice's before her submission"
  yarn_job ozone client -- \
    --principal "alice@$realm" --keytab "$S3ADT_KDC_DIR/alice.keytab" \
    --driver-class-path "$jar:$ozone_tgt" \
    --conf spark.hadoop.fs.s3a.s3adt.ozone.secret.url="$S3ADT_OZONE_ADMIN_URL" \
    --conf spark.hadoop.fs.s3a.s3adt.ozone.secret.store=org.s3adt.ozone.FileS3SecretStore \
    --conf spark.hadoop.s3adt.test.ozone.store.dir="$work/store"
  if [ "$(stat -c %a "$stored" 2>/dev/null)" = 600 ]; then
    result PASS "ozone: Spark's token collection fetched alice's S3 secret from Ozone over SPNEGO (her keytab login) into the secret store (mode 600)"
  else
    result FAIL "ozone: alice's S3 secret in the secret store after her submission"
    return
  fi
  alice_sk=$(sed -n 2p "$stored")
  S3ADT_CHECK_AK=$alice_ak S3ADT_CHECK_SK=$alice_sk yarn_after ozone
  local hits others tokens
  hits=$(scan "$work/cluster" "$work/jobs" 2>"$work/scan.log")
  tokens=$(grep -E '(container_tokens|\.tokens)$' <<<"$hits" || true)
  others=$(grep -vE '(container_tokens|\.tokens)$' <<<"$hits" || true)
  if [ -z "$others" ] && [ -n "$tokens" ]; then
    result PASS "ozone: alice's secret key is in no file of the cluster, the staging dir, Spark's local dirs or the executors' dumps but the token files ($(wc -l <<<"$tokens") of them: a Full token carries it; $(cat "$work/scan.log"))"
  else
    result FAIL "ozone: alice's secret key only in token files: elsewhere: $(head -n 5 <<<"$others" | tr '\n' ' '); token files: $(wc -l <<<"$tokens")"
  fi
}
