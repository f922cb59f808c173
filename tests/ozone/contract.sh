# Hadoop's filesystem contract suites (hadoop-common's test jar: org.s3adt.fs.contract, the suites
# tests/java/contract-rgw.sh runs on Ceph RGW) through s3adt on Ozone's S3 gateway, once for each of
# two kinds of Ozone access key, each a Kerberos principal:
#   alice@REALM            a user principal
#   s3g/localhost@REALM    a service principal (the S3 gateway's own): a '/' in the access key
#                          (SigV4's Credential= holds it raw; Ozone's parser takes the 6 '/'-separated
#                          parts), and in the path of Ozone's /secret/<user> (percent-encoded)
# Both are Ozone administrators in the peer: with Ozone's native ACLs a plain user (bob) may not
# create a bucket in the S3 volume /s3v (403), and the S3 API cannot grant him one.
# Each principal gets its S3 secret from alice (an S3 administrator) with `s3adt ozone getsecret
# --user` into a file of mode 600 (the suites read it from S3ADT_CONTRACT_OZONE_SECRET_FILE, never
# the environment), creates its own bucket (Ozone's bucket names are global), runs the suites with
# contract/s3adt.xml plus contract/s3adt-ozone.xml (where Ozone differs from S3; every skip names
# its Ozone limitation there) and has its secret revoked.
# Also runs s3adt's data path (rust/core/tests/s3_ozone.rs) with the '/' key.
# A result per suite class and principal; skipped cases are listed with their reason.
#
# Sourced by tests/ozone/run.sh inside its namespace, Ozone up, after the getsecret section (uses its
# oz, done_ok, secret_check, rust_tests, $work, $admin). Gradle runs --offline (no network in the
# namespace): the user's dependency cache must hold the test classpath (any earlier `gradle test`
# fills it).
# About 2 x 2 min on 2 shared cores.

h_step "Hadoop's contract suites through s3adt on Ozone's S3 gateway (tests/ozone/contract.sh)"
# Gradle's own home for these runs: a Gradle in this network namespace cannot reach another one
# outside (other tests, other builds) to ask for the shared cache's locks, and waits them out
# ("Timeout waiting to lock file hash cache"). Its dependency cache is the user's, the jars
# hard-linked (copied across file systems), the small metadata copied.
oz_gradle_home=$work/gradle-home
oz_user_gradle=${GRADLE_USER_HOME:-$HOME/.gradle}/caches/modules-2
mkdir -p "$oz_gradle_home/caches/modules-2"
cp -al "$oz_user_gradle/files-2.1" "$oz_gradle_home/caches/modules-2/" 2>/dev/null \
  || cp -r "$oz_user_gradle/files-2.1" "$oz_gradle_home/caches/modules-2/"
cp -r "$oz_user_gradle"/metadata-* "$oz_gradle_home/caches/modules-2/"
oz_bucket() { # PRINCIPAL SECRET_FILE BUCKET LABEL: a result line "LABEL: bucket created with its key"
  local st
  st=$(python3 - "$S3ADT_OZONE_S3_ENDPOINT" "$1" "$2" "$3" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, "tests/harness")
from sigv4 import request
ep, ak, f, b = sys.argv[1:]
print(request(ep, ak, open(f).read().strip(), "PUT", "/" + b)[0])
PY
)
  if [ "$st" = 200 ]; then echo "PASS $4: bucket $3 created with its key"
  else echo "FAIL $4: bucket $3 created with its key ($st)"; fi
}
oz_contract() { # PRINCIPAL BUCKET: the suites with PRINCIPAL's key on its own BUCKET
  local p=$1 b=$2 sf=$work/contract.secret res=$work/contract-results/${2} st rc=0
  oz alice getsecret --user "$p" --format json "$admin"
  if [ "$oz_rc" != 0 ] || ! secret_check json "$p" "$sf"; then
    echo "FAIL contract ($p): alice getsecret --user $p (status $oz_rc)"; sed 's/^/    /' "$work/oz.err"; return
  fi
  echo "PASS contract ($p): its S3 secret from alice's getsecret --user (the access key is the principal)"
  oz_bucket "$p" "$sf" "$b" "contract ($p)"
  rm -rf target/gradle/test-results/test
  local t0; t0=$(date +%s)
  S3ADT_CONTRACT_STORE=ozone S3ADT_CONTRACT_BUCKET=$b S3ADT_CONTRACT_OZONE_AK=$p S3ADT_CONTRACT_OZONE_SECRET_FILE=$sf \
    GRADLE_USER_HOME=$oz_gradle_home gradle --no-daemon --offline -q test --tests 'org.s3adt.fs.contract.*' >"$work/gradle-$b.log" 2>&1 || rc=$?
  mkdir -p "$res"; cp target/gradle/test-results/test/*.xml "$res/" 2>/dev/null
  python3 - "$res" "$rc" "$p" "$(( $(date +%s) - t0 ))" <<'PY'
import glob, sys
import xml.etree.ElementTree as ET
res, rc, p, secs = sys.argv[1:]
# Gradle's XML drops the assumption's message: each skip's reason, from the suite's own. None is
# Ozone's: the same cases are skipped on moto and RGW (contract/s3adt.xml, as hadoop-aws for S3A).
REASONS = {
    "testCreatedFileIsImmediatelyVisible": "fs.contract.create-visibility-delayed: an object exists "
        "once its upload completes, at close (S3, and Ozone's S3 gateway: a key is committed on close)",
    "testCreatedFileIsVisibleOnFlush": "the same: not visible before close",
    "testEtagConsistencyAcrossRename": "fs.capability.etags.preserved.in.rename not declared: a rename "
        "is a copy, which need not keep the ETag (as S3A)",
    "testListStatusThrowsExceptionForUnreadableDir": "no permissions in an object store (as S3A)",
    "testGlobStatusThrowsExceptionForUnreadableDir": "no permissions in an object store (as S3A)",
}
T = F = S = 0
for f in sorted(glob.glob(res + "/*.xml")):
    r = ET.parse(f).getroot()
    name = r.get("name").rsplit(".", 1)[-1]
    t, fl, s = int(r.get("tests")), int(r.get("failures")) + int(r.get("errors")), int(r.get("skipped"))
    T += t; F += fl; S += s
    print(f"{'PASS' if fl == 0 else 'FAIL'} contract ({p}): {name}: {t} run, {fl} failed, {s} skipped")
    for c in r.iter("testcase"):
        for k in c:
            if k.tag == "skipped":
                msg = (k.get("message") or "").strip().splitlines()
                why = msg[0] if msg else REASONS.get(c.get("name"), "(no reason given)")
                print(f"    skipped {name}.{c.get('name')}: {why}")
            elif k.tag in ("failure", "error"):
                print(f"    FAILED {name}.{c.get('name')}: {(k.get('message') or '').strip()[:400]}")
print(f"contract suites as {p}: Tests run: {T}, Failures: {F}, Skipped: {S} ({secs} s, gradle exit {rc})")
if T == 0 or (rc != "0" and F == 0):
    print(f"FAIL contract ({p}): gradle ran the suites (exit {rc}, {T} tests)")
PY
  [ "$rc" = 0 ] || tail -n 30 "$work/gradle-$b.log" | sed 's/^/    gradle: /'
}
oz_contract_results() { # the PASS/FAIL lines of oz_contract become results
  local line
  while IFS= read -r line; do
    case $line in
      PASS\ *) h_result PASS "${line#PASS }" ;;
      FAIL\ *) h_result FAIL "${line#FAIL }" ;;
      *) echo "$line" ;;
    esac
  done
}
oz_slash=s3g/localhost@$S3ADT_KDC_REALM
for oz_p in "alice@$S3ADT_KDC_REALM" "$oz_slash"; do
  oz_b=s3adt-contract-${oz_p%%[@/]*}
  oz_contract_results < <(oz_contract "$oz_p" "$oz_b" </dev/null)
  done_ok "contract ($oz_p): alice revokesecret --user $oz_p" alice revokesecret --user "$oz_p" "$admin"
done

h_step "s3adt's data path (rust/core/tests/s3_ozone.rs) with a '/' in the access key ($oz_slash)"
oz alice getsecret --user "$oz_slash" --format json "$admin"
if [ "$oz_rc" = 0 ] && secret_check json "$oz_slash" "$work/slash.secret"; then
  oz_contract_results < <(oz_bucket "$oz_slash" "$work/slash.secret" s3adt-data-s3g "data path ($oz_slash)")
  S3ADT_OZONE_BUCKET=s3adt-data-s3g S3ADT_OZONE_ACCESS_KEY=$oz_slash S3ADT_OZONE_SECRET_FILE=$work/slash.secret \
    rust_tests --skip ozone_revoked_secret
  done_ok "alice revokesecret --user $oz_slash" alice revokesecret --user "$oz_slash" "$admin"
  [ "$oz_rc" != 0 ] || S3ADT_OZONE_BUCKET=s3adt-data-s3g S3ADT_OZONE_ACCESS_KEY=$oz_slash \
    S3ADT_OZONE_SECRET_FILE=$work/slash.secret rust_tests --exact ozone_revoked_secret_is_access_denied
else
  h_result FAIL "alice getsecret --user $oz_slash (status $oz_rc)"; sed 's/^/    /' "$work/oz.err"
fi
rm -f "$work/slash.secret" "$work/contract.secret" "$work/oz.out"
