# Sourced by tests/spark/run.sh (inside its namespace): the store the run writes to, and the
# longjob case (issue 16 item 3). Uses run.sh's variables and functions (work, here, jobjar,
# spark_home, binding, realm, out_root, run_id, yarn_job, result, log, h_*).
#
# The store: moto (default) or, with --store rgw (or S3ADT_SPARK_STORE=rgw), Ceph RGW (tests/peers/rgw: bucket-a
# with hello.txt as on moto, alice is RGW's user admin, whom the role s3-full trusts).

# store_up: starts the store; sets endpoint, alice_ak, alice_sk, role_arn (in this shell only)
[ "$store" != ozone ] || . "$here/ozone.sh"   # Ozone (--cases ozone)
store_up() {
  if [ "$store" = ozone ]; then ozone_spark_up; return; fi
  if [ "$store" = rgw ]; then
    h_peer_up rgw "$work/rgw"
    endpoint=$S3ADT_RGW_ENDPOINT alice_ak=$S3ADT_RGW_ADMIN_AK alice_sk=$S3ADT_RGW_ADMIN_SK role_arn=$S3ADT_RGW_ROLE_ARN
    unset S3ADT_RGW_ADMIN_SK S3ADT_RGW_LIMITED_SK S3ADT_RGW_ADMIN_AK S3ADT_RGW_LIMITED_AK
    return
  fi
  # moto records the requests it serves once asked (the longjob case), into this file
  MOTO_RECORDER_FILEPATH="$work/moto/recording.jsonl" h_peer_up moto "$work/moto"
  endpoint=$S3ADT_MOTO_ENDPOINT
  # moto with authentication off, as tests/e2e (moto's GetSessionToken key is refused by its own
  # S3 with auth on). The keys live in this shell's variables only, never exported.
  local setup
  setup=$(h_moto_setup "$endpoint")
  alice_ak=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["alice"]["access_key"])' "$setup")
  alice_sk=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["alice"]["secret_key"])' "$setup")
  role_arn=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["role_arn"])' "$setup")
}

# ---- longjob: a Spark job on YARN in cluster mode with alice's keytab that outlives its token.
# Credentials of S3ADT_SPARK_LONGJOB_SECS (default 60 on moto, RGW's shortest Session 900 on rgw)
# through fs.s3a.assumed.role.session.duration; the job (LongJob) writes and reads s3a:// in
# rounds for more than three lifetimes. The AM's driver re-obtains the tokens itself, so it
# needs alice's AWS keys where it runs: a JCEKS file (fs.s3a.security.credential.provider.path),
# as users do; no key in the job's configuration or environment. Then the same job with
# fs.s3a.s3adt.token.renewer.enabled=false (the negative control) must fail at the first expiry.
# s3adt's jar goes on the AM's own class path too (spark.driver.extraClassPath, the name --jars
# localizes it under): Hadoop's Token finds renewers with a ServiceLoader made when the class is
# first used, in the AM before the user class loader that holds --jars exists; without it the AM
# logs "No TokenRenewer defined for token kind S3ADelegationToken/..." and never re-obtains.
longjob_secs=${S3ADT_SPARK_LONGJOB_SECS:-$([ "$store" = rgw ] && echo 900 || echo 60)}
# which of the two to run (on RGW each takes its 900 s lifetimes: run them as two runs at once)
longjob_runs=${S3ADT_SPARK_LONGJOB_RUNS:-longjob longjob-control}

# the access key ids of the requests the store served under spark-out/RUN/longjob/ (the
# Credential= of their Authorization header; never the secret), "KEY COUNT" a line
store_keys() {
  if [ "$store" = rgw ]; then
    # radosgw's log at debug_rgw 10 names the v4 credential of each request it authenticates;
    # only longjob runs on RGW, so every key but alice's own (which calls STS) is one of its tokens'
    python3 - "$work/rgw/log/client.rgw.a.log" "$alice_ak" <<'PY'
import collections, re, sys
keys = collections.Counter()
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"v4 credential format = ([A-Za-z0-9]+)/", line)
    if m and m.group(1) != sys.argv[2]:
        keys[m.group(1)] += 1
for k, n in sorted(keys.items()):
    print(k, n)
PY
  else
    curl -s "$endpoint/moto-api/recorder/download-recording" | python3 -c '
import collections, json, re, sys
keys = collections.Counter()
for line in sys.stdin:
    line = line.strip()
    if not line: continue
    e = json.loads(line)
    if "/spark-out/" + sys.argv[1] + "/longjob/" not in e.get("url", ""): continue
    m = re.search(r"Credential=([A-Za-z0-9]+)/", e.get("headers", {}).get("Authorization", ""))
    if m: keys[m.group(1)] += 1
for k, n in sorted(keys.items()): print(k, n)' "$run_id"
  fi
}

longjob_case() {
  local d=$work/jobs/longjob secrets=$work/longjob-secrets
  mkdir -p "$d" "$secrets"; chmod 700 "$secrets"
  # alice's keys into a JCEKS file the AM can read (as `hadoop credential create` would)
  printf 'fs.s3a.access.key=%s\nfs.s3a.secret.key=%s\n' "$alice_ak" "$alice_sk" \
    | java -cp "$spark_home/jars/*:$jobjar" org.s3adt.spark.Jceks "jceks://file$secrets/alice.jceks" >"$d/jceks.log" 2>&1 \
    || { result FAIL "longjob: writing the JCEKS file: $(cat "$d/jceks.log")"; return; }
  if [ "$store" = rgw ]; then
    ceph --admin-daemon "$work/rgw/run/client.rgw.a.asok" config set debug_rgw 10 >/dev/null
  else
    curl -s -X POST "$endpoint/moto-api/recorder/start-recording" >/dev/null
  fi
  local kms=()
  [ "$store" = rgw ] && kms=(--conf spark.hadoop.fs.s3a.s3adt.role.policy.kms=false)
  local run keys= n
  for run in $longjob_runs; do
    local renew=true expect=success
    [ "$run" = longjob-control ] && renew=false expect=expiry
    log "$run: cluster mode with alice's keytab, $binding credentials of $longjob_secs s, the keys in a JCEKS file, fs.s3a.s3adt.token.renewer.enabled=$renew"
    job_class=org.s3adt.spark.LongJob S3ADT_SPARK_JOB_TIMEOUT=$((longjob_secs * 5 + 600)) \
      yarn_job "$run" cluster -- \
      --principal "alice@$realm" --keytab "$S3ADT_KDC_DIR/alice.keytab" \
      --conf spark.yarn.submit.waitAppCompletion=true \
      --conf spark.driver.extraClassPath="$(basename "$jar")" \
      --conf spark.hadoop.fs.s3a.security.credential.provider.path="jceks://file$secrets/alice.jceks" \
      --conf spark.hadoop.fs.s3a.assumed.role.session.duration="${longjob_secs}s" \
      --conf spark.hadoop.fs.s3a.s3adt.token.renewer.enabled=$renew "${kms[@]}" \
      --conf spark.security.credentials.renewalRatio=0.75 \
      -- --lifetime-secs "$longjob_secs" --expect "$expect"
    [ "$run" = longjob ] && keys=$(store_keys)
  done
  # what the AM's token manager did, from the containers' stderr (the AM's is the driver's)
  local logs; logs=$(find "$work/cluster" -path '*application_*' -name stderr 2>/dev/null)
  local app
  for run in $longjob_runs; do
    app=$(sed -n 's/^app //p' "$work/jobs/$run/results.txt" | head -n 1)
    local mine; mine=$(grep "/${app:-none}/" <<<"$logs" || true)
    local interval scheduled rebound
    # shellcheck disable=SC2086
    interval=$(grep -ho "Renewal interval is [0-9]* for token S3ADelegationToken/$binding" $mine /dev/null | head -n 1 || true)
    # shellcheck disable=SC2086
    scheduled=$(cat $mine /dev/null | grep -c "Scheduling renewal in\|Updating delegation tokens" || true)
    # shellcheck disable=SC2086
    rebound=$(grep -ho "rebound to a newer S3ADelegationToken/$binding token, its credentials expiring at [^ ]*" $mine /dev/null \
      | sed 's/.*expiring at //' | sort -u | wc -l || true)
    log "$run ($app): $interval; $scheduled renewal lines; executors rebound to $rebound distinct newer tokens"
    if [ "$run" = longjob ]; then
      [ -n "$interval" ] && [ "$rebound" -ge 2 ] \
        && result PASS "longjob: Spark's driver learnt the lifetime from s3adt's renewer ('$interval', ms) and re-obtained the token; the executors' filesystems rebound to $rebound newer tokens (their log: 'rebound to a newer S3ADelegationToken/$binding token')" \
        || result FAIL "longjob: Spark learnt the lifetime ('$interval') and the executors rebound to at least 2 newer tokens ($rebound)"
    else
      [ -z "$interval" ] && [ "$rebound" = 0 ] \
        && result PASS "longjob-control: with the renewer disabled Spark learnt no lifetime (no 'Renewal interval' line) and no executor rebound" \
        || result FAIL "longjob-control: Spark learnt no lifetime ('$interval') and no executor rebound ($rebound)"
    fi
  done
  [ -n "$keys" ] || case " $longjob_runs " in *" longjob "*) ;; *) return 0 ;; esac
  n=$(grep -c . <<<"$keys" || true)
  log "longjob: the access key ids $store served under spark-out/$run_id/longjob/ (requests each): $(tr '\n' ' ' <<<"$keys")"
  if [ "$store" = moto ] && [ "$binding" = Session ]; then
    # moto's GetSessionToken answers the same fixed key every time: only the expiries differ
    log "longjob: moto's GetSessionToken returns one fixed access key, so $n is expected there; the rebind lines above count the tokens"
  elif [ "$n" -ge 3 ]; then
    result PASS "longjob: $store's own record of the requests under spark-out/$run_id/longjob/ names $n different access keys: $(awk '{ printf "%s%s (%s requests)", (NR > 1 ? ", " : ""), $1, $2 }' <<<"$keys")"
  else
    result FAIL "longjob: $store's record names at least three access keys under spark-out/$run_id/longjob/: $n ($keys)"
  fi
}
