#!/usr/bin/env bash
# The Ozone token binding (fs.s3a.delegation.token.binding=org.s3adt.ozone.OzoneTokenBinding) on the
# real secure Ozone and KDC of tests/peers/ozone, each step a child JVM
# (java/src/test/java/org/s3adt/ozone/OzoneBindingMain.java) logged in from alice's keytab by UGI:
#   - the first submission fetches alice's S3 secret from Ozone over SPNEGO (the JDK's GSS-API) and
#     saves it in the secret store (a file store of the test tree, FileS3SecretStore); Ozone then
#     refuses a second fetch, and the second submission reads the store; with no store, the
#     existing secret is a clear error that names the store setting and revokesecret; bob (not an
#     S3 administrator) gets Ozone's refusal in words
#   - the token is S3ADelegationToken/Full, owned by alice, renewer yarn; a JVM with no Kerberos
#     login and only the token writes, reads and lists the bucket on Ozone's S3 gateway with
#     s3adt, and with real hadoop-aws 3.4.1's S3AFileSystem and Full binding
#   - the secret is in no output, no log (org.s3adt at DEBUG), no job configuration, and no
#     environment; it is in the token file (the check's positive control)
#   - `OzoneTokenBinding revokesecret` (its main, logged in from kinit's ticket cache) revokes at
#     Ozone and removes the stored copy; the token then stops working, and nothing was revoked
#     before that
#   - the same with the Vault store (fs.s3a.s3adt.ozone.secret.store=vault) on the OpenBao of
#     tests/ozone/run.sh, with a token whose policy reaches only secret/s3adt-binding/*: the first
#     submission saves alice's secret there in Ozone's layout, the second reads it back, and
#     `s3adt ozone revokesecret` with the same settings revokes it and removes the copy
# usage: bash tests/ozone/binding.sh --prepare   (with the network: builds the jar, test classes and
#                                                the Hadoop and hadoop-aws classpaths)
#        bash tests/ozone/binding.sh             (inside tests/ozone/run.sh, Ozone up: PASS/FAIL lines)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/target/ozone-binding
cd "$root"

if [ "${1:-}" = --prepare ]; then
  . "$root/tests/harness/lib.sh"
  mkdir -p "$out"
  gradle --no-daemon -q jar testClasses || { h_log "gradle jar testClasses failed"; exit 1; }
  gradle --no-daemon -q hadoopClasspath >"$out/hadoop.cp" || { h_log "gradle hadoopClasspath failed"; exit 1; }
  h_mvn_build tests/hadoop-aws/pom.xml "$out/hadoop-aws.cp" || { h_log "building tests/hadoop-aws failed"; exit 1; }
  exit 0
fi

pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; }
check() { # NAME COMMAND...: PASS when it succeeds
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
work=$(mktemp -d /tmp/s3adt-ozone-binding.XXXXXX)
trap 'rm -rf "$work"' EXIT
realm=$S3ADT_OZONE_REALM alice=alice@$S3ADT_OZONE_REALM bob=bob@$S3ADT_OZONE_REALM
jar=$(ls "$root"/target/gradle/libs/s3adt-*.jar | grep -v -e sources -e javadoc | head -1)
classes=$root/target/gradle/classes/java/test
cp_s3adt=$work/log:$classes:$jar:$(cat "$out/hadoop.cp")
cp_aws=$work/log:$classes:$root/tests/hadoop-aws/target/s3adt-hadoop-aws-check-0.1.0.jar:$(cat "$out/hadoop-aws.cp")
mkdir -p "$work/log" "$work/store" "$work/tmp"
chmod 700 "$work/store"
cat >"$work/log/log4j.properties" <<'EOF'
log4j.rootLogger=INFO,out
log4j.appender.out=org.apache.log4j.ConsoleAppender
log4j.appender.out.target=System.err
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=%d{HH:mm:ss} %p %c{1}: %m%n
log4j.logger.org.s3adt=DEBUG
log4j.logger.org.apache.hadoop.fs.s3a=DEBUG
EOF
export BINDING_BUCKET=s3adt-binding

child() { # NAME CLASSPATH STORE ARGS...: OzoneBindingMain in a fresh JVM; output in $work/NAME.out
  local name=$1 cp=$2 store=$3; shift 3
  local unset=() v
  for v in $(compgen -e | grep '^AWS_'); do unset+=(-u "$v"); done
  env "${unset[@]}" -u KRB5CCNAME -u HADOOP_TOKEN_FILE_LOCATION -u HADOOP_CONF_DIR BINDING_STORE_DIR="$store" \
    "${CHILD_ENV[@]}" java -Djava.security.krb5.conf="$KRB5_CONFIG" -Djava.io.tmpdir="$work/tmp" -cp "$cp" \
    org.s3adt.ozone.OzoneBindingMain "$@" >"$work/$name.out" 2>&1
  child_rc=$?
}
CHILD_ENV=(KRB5CCNAME=FILE:$work/cc-none)
fact() { sed -n "s/^FACT $2=//p" "$work/$1.out" | head -1; }
has() { grep -qF -- "$3" <<<"$(fact "$1" "$2")"; }
show() { sed -e 's/^/    /' "$work/$1.out" | grep -v ' DEBUG ' | tail -${2:-15}; }
s3adt=$root/target/release/s3adt

# alice starts with no secret at Ozone (tests/ozone/run.sh's last step revoked it)
KRB5CCNAME=FILE:$work/cc-alice kinit -kt "$S3ADT_KDC_DIR/alice.keytab" "$alice"
KRB5CCNAME=FILE:$work/cc-alice "$s3adt" ozone revokesecret "$S3ADT_OZONE_ADMIN_URL" >/dev/null 2>&1

child issue1 "$cp_s3adt" "$work/store" issue "$alice" "$S3ADT_KDC_DIR/alice.keytab" "$work/t1.token" "$work/conf1.xml"
stored=$work/store/$alice
if [ "$child_rc" = 0 ] && [ "$(fact issue1 token.kind)" = S3ADelegationToken/Full ] \
  && has issue1 token.origin "fetched from $S3ADT_OZONE_ADMIN_URL and saved in the secret store" \
  && [ "$(stat -c %a "$stored" 2>/dev/null)" = 600 ]; then
  pass "first submission: an S3ADelegationToken/Full token with alice's secret fetched from Ozone over SPNEGO (UGI keytab login), saved in the store (mode 600)"
else
  fail "first submission (status $child_rc)"; show issue1
fi
[ "$(fact issue1 token.owner)" = "$alice" ] && [ "$(fact issue1 token.renewer)" = yarn ] \
  && pass "the token's owner is $alice, its renewer yarn" || fail "owner and renewer: $(fact issue1 token.owner) $(fact issue1 token.renewer)"
secret=$(sed -n 2p "$stored" 2>/dev/null)
KRB5CCNAME=FILE:$work/cc-alice "$s3adt" ozone getsecret "$S3ADT_OZONE_ADMIN_URL" >"$work/again.out" 2>"$work/again.err"
grep -qF "S3_SECRET_ALREADY_EXISTS" "$work/again.err" && [ ! -s "$work/again.out" ] \
  && pass "Ozone now refuses to give alice's secret again (s3adt ozone getsecret: 400 S3_SECRET_ALREADY_EXISTS)" \
  || fail "Ozone refuses a second fetch"

child issue2 "$cp_s3adt" "$work/store" issue "$alice" "$S3ADT_KDC_DIR/alice.keytab" "$work/t2.token" "$work/conf2.xml"
if [ "$child_rc" = 0 ] && has issue2 token.origin "Ozone S3 secret of $alice from the secret store"; then
  pass "second submission: the token carries the stored secret (origin: $(fact issue2 token.origin | sed 's/.*source = //'))"
else
  fail "second submission from the store (status $child_rc)"; show issue2
fi

child nostore "$cp_s3adt" "" issue "$alice" "$S3ADT_KDC_DIR/alice.keytab" "$work/t3.token" "$work/conf3.xml"
if [ "$child_rc" = 1 ] && has nostore error "already has an S3 secret (400 S3_SECRET_ALREADY_EXISTS)" \
  && has nostore error "set fs.s3a.s3adt.ozone.secret.store" && has nostore error "s3adt ozone revokesecret"; then
  pass "no store and a secret at Ozone: says to configure a store or revoke"
else
  fail "no store and a secret at Ozone (status $child_rc)"; show nostore
fi
echo "    $(fact nostore error)"

child bob "$cp_s3adt" "$work/store" issue "$bob" "$S3ADT_KDC_DIR/bob.keytab" "$work/t4.token" "$work/conf4.xml"
if [ "$child_rc" = 1 ] && has bob error "only for its S3 administrators"; then
  pass "bob, not an S3 administrator: Ozone's 403 in words"
else
  fail "bob (status $child_rc)"; show bob
fi
echo "    $(fact bob error)"

# the bucket, made with the stored secret (s3adt's filesystem creates no buckets)
if [ -n "$secret" ]; then
  st=$(python3 - "$S3ADT_OZONE_S3_ENDPOINT" "$alice" "$stored" "$BINDING_BUCKET" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, "tests/harness")
from sigv4 import request
ep, ak, f, b = sys.argv[1:]
print(request(ep, ak, open(f).read().split("\n")[1], "PUT", "/" + b)[0])
PY
)
  case $st in  # 409: this script ran before on the same Ozone
    200|409) pass "bucket $BINDING_BUCKET created with the stored secret ($st)" ;;
    *) fail "bucket created ($st)" ;;
  esac
fi

CHILD_ENV=(KRB5CCNAME=FILE:$work/cc-none HADOOP_TOKEN_FILE_LOCATION=$work/t1.token)
child use-s3adt "$cp_s3adt" "" use org.s3adt.fs.S3adtFileSystem org.s3adt.ozone.OzoneTokenBinding data/by-s3adt.txt
if [ "$child_rc" = 0 ] && [ "$(fact use-s3adt readBack)" = true ] && [ "$(fact use-s3adt user.hasKerberosCredentials)" = false ] \
  && [ "$(fact use-s3adt user.tokens)" = 1 ]; then
  pass "s3adt with the token alone (no Kerberos login): wrote, read back and listed s3a://$BINDING_BUCKET/data on Ozone"
else
  fail "s3adt with the token alone (status $child_rc)"; show use-s3adt
fi
CHILD_ENV=(KRB5CCNAME=FILE:$work/cc-none HADOOP_TOKEN_FILE_LOCATION=$work/t2.token)
child use-aws "$cp_aws" "" use org.apache.hadoop.fs.s3a.S3AFileSystem \
  org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenBinding data/by-hadoop-aws.txt data/by-s3adt.txt
if [ "$child_rc" = 0 ] && [ "$(fact use-aws fs.class)" = org.apache.hadoop.fs.s3a.S3AFileSystem ] \
  && [ "$(fact use-aws token.identifierClass)" = org.apache.hadoop.fs.s3a.auth.delegation.FullCredentialsTokenIdentifier ] \
  && [ "$(fact use-aws readBack)" = true ] && [ "$(fact use-aws readOther)" = "written by org.s3adt.fs.S3adtFileSystem with the token alone" ]; then
  pass "real hadoop-aws 3.4.1 (S3AFileSystem, FullCredentialsTokenBinding) read the token and wrote, read and listed on Ozone with it alone"
else
  fail "hadoop-aws with the token (status $child_rc)"; show use-aws 25
fi

if [ -n "$secret" ]; then
  leaks=$(grep -lF -- "$secret" "$work"/*.out "$work"/*.xml "$work"/*.err 2>/dev/null | xargs -r -n1 basename | tr '\n' ' ')
  inenv=$(env | grep -cF -- "$secret")
  if [ -z "$leaks" ] && [ "$inenv" = 0 ] && grep -qF -- "$secret" "$work/t1.token"; then
    pass "the secret is in no child's output or log (org.s3adt at DEBUG), no job configuration, not the environment; only in the tokens"
  else
    fail "the secret leaked: ${leaks:-environment}"
  fi
else
  fail "no stored secret to look for"
fi

# `hadoop org.s3adt.ozone.OzoneTokenBinding revokesecret` as alice from kinit's ticket cache (UGI's
# login from KRB5CCNAME), the settings in core-site.xml
mkdir -p "$work/conf"
cat >"$work/conf/core-site.xml" <<EOF
<configuration>
<property><name>hadoop.security.authentication</name><value>kerberos</value></property>
<property><name>fs.s3a.s3adt.ozone.secret.url</name><value>$S3ADT_OZONE_ADMIN_URL</value></property>
<property><name>fs.s3a.s3adt.ozone.secret.store</name><value>org.s3adt.ozone.FileS3SecretStore</value></property>
<property><name>s3adt.test.ozone.store.dir</name><value>$work/store</value></property>
</configuration>
EOF
env -u HADOOP_TOKEN_FILE_LOCATION -u HADOOP_CONF_DIR KRB5CCNAME=FILE:$work/cc-alice java \
  -Djava.security.krb5.conf="$KRB5_CONFIG" -cp "$work/conf:$cp_s3adt" org.s3adt.ozone.OzoneTokenBinding revokesecret \
  >"$work/revoke.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ ! -e "$stored" ] && grep -qF "revoked the S3 secret of $alice" "$work/revoke.out"; then
  pass "OzoneTokenBinding revokesecret (kinit's ticket cache): revoked at Ozone, the stored copy removed"
else
  fail "OzoneTokenBinding revokesecret (status $rc)"; show revoke
fi
CHILD_ENV=(KRB5CCNAME=FILE:$work/cc-none HADOOP_TOKEN_FILE_LOCATION=$work/t1.token)
child revoked "$cp_s3adt" "" use org.s3adt.fs.S3adtFileSystem org.s3adt.ozone.OzoneTokenBinding data/after-revoke.txt
if [ "$child_rc" = 1 ] && has revoked error "AccessDenied"; then
  pass "after the revocation (and only then) the token is refused by Ozone"
else
  fail "the token after revocation (status $child_rc)"; show revoked
fi
echo "    $(fact revoked error | cut -c1-240)"
KRB5CCNAME=FILE:$work/cc-alice "$s3adt" ozone revokesecret "$S3ADT_OZONE_ADMIN_URL" >/dev/null 2>"$work/revoke2.err"
grep -qF "S3_SECRET_NOT_FOUND" "$work/revoke2.err" && pass "Ozone has no secret of alice left" || fail "no secret left: $(cat "$work/revoke2.err")"

# ---- the Vault store: the binding saves into OpenBao in Ozone's layout, reads it back, and
# `s3adt ozone revokesecret` removes it (the OpenBao of tests/ozone/run.sh, S3ADT_BAO_*)
ns=${S3ADT_BAO_NAMESPACE:-ozone}
bao_() { BAO_ADDR=$S3ADT_BAO_ADDR BAO_TOKEN=$(cat "$S3ADT_BAO_TOKEN_FILE") HOME=$work bao "$@" 2>>"$work/bao.err"; }
printf 'path "secret/data/s3adt-binding/*" { capabilities = ["create", "read", "update"] }\npath "secret/metadata/s3adt-binding/*" { capabilities = ["delete"] }\n' >"$work/binding.hcl"
(umask 077
 bao_ policy write -namespace="$ns" s3adt-binding "$work/binding.hcl" >/dev/null &&
   bao_ token create -namespace="$ns" -policy=s3adt-binding -field=token >"$work/vault-token")
vault_site=$work/vault-store.xml
(umask 077; cat >"$vault_site" <<EOF
<configuration>
<property><name>fs.s3a.s3adt.ozone.secret.store</name><value>vault</value></property>
<property><name>fs.s3a.s3adt.vault.address</name><value>$S3ADT_BAO_ADDR</value></property>
<property><name>fs.s3a.s3adt.vault.namespace</name><value>$ns</value></property>
<property><name>fs.s3a.s3adt.vault.engine.version</name><value>2</value></property>
<property><name>fs.s3a.s3adt.vault.secret.path</name><value>secret/s3adt-binding</value></property>
<property><name>fs.s3a.s3adt.vault.token</name><value>$(cat "$work/vault-token")</value></property>
</configuration>
EOF
)
in_vault() { # OUT: alice's copy at secret/s3adt-binding (Ozone's layout: one field named by her) into OUT; 1 when none
  python3 - "$S3ADT_BAO_ADDR" "$S3ADT_BAO_TOKEN_FILE" "$ns" "$alice" "$1" <<'PY'
import json, os, sys, urllib.error, urllib.request
addr, tokfile, ns, who, out = sys.argv[1:]
req = urllib.request.Request(f"{addr}/v1/secret/data/s3adt-binding/{who}", headers={
    "X-Vault-Token": open(tokfile).read().strip(), "X-Vault-Namespace": ns})
try:
    data = json.load(urllib.request.urlopen(req, timeout=10))["data"]["data"]
except urllib.error.HTTPError as e:
    sys.exit(1 if e.code == 404 else 2)
if list(data) != [who]:
    sys.exit(2)
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, data[who].encode())
os.close(fd)
PY
}
if [ -s "$work/vault-token" ]; then
  pass "OpenBao: a token for the binding's store whose policy reaches only secret/s3adt-binding/*"
  CHILD_ENV=(KRB5CCNAME=FILE:$work/cc-none BINDING_STORE_SITE=$vault_site)
  child vissue1 "$cp_s3adt" "" issue "$alice" "$S3ADT_KDC_DIR/alice.keytab" "$work/v1.token" "$work/vconf1.xml"
  if [ "$child_rc" = 0 ] && [ "$(fact vissue1 token.kind)" = S3ADelegationToken/Full ] \
    && has vissue1 token.origin "fetched from $S3ADT_OZONE_ADMIN_URL and saved in the secret store" \
    && in_vault "$work/vault.secret" && grep -qF -f "$work/vault.secret" "$work/v1.token"; then
    pass "Vault store, first submission: alice's secret fetched from Ozone over SPNEGO, saved in OpenBao in Ozone's layout (secret/data/s3adt-binding/$alice, one field named by her), the token carries it"
  else
    fail "Vault store, first submission (status $child_rc)"; show vissue1
  fi
  child vissue2 "$cp_s3adt" "" issue "$alice" "$S3ADT_KDC_DIR/alice.keytab" "$work/v2.token" "$work/vconf2.xml"
  if [ "$child_rc" = 0 ] && has vissue2 token.origin "Ozone S3 secret of $alice from the secret store" \
    && [ -s "$work/vault.secret" ] && grep -qF -f "$work/vault.secret" "$work/v2.token"; then
    pass "Vault store, second submission (Ozone would refuse a second fetch): the secret read back from OpenBao"
  else
    fail "Vault store, second submission (status $child_rc)"; show vissue2
  fi
  KRB5CCNAME=FILE:$work/cc-alice "$s3adt" ozone revokesecret --conf "$vault_site" "$S3ADT_OZONE_ADMIN_URL" >"$work/vrevoke.out" 2>&1
  rc=$?
  in_vault "$work/gone.secret"; left=$?
  if [ "$rc" = 0 ] && [ "$left" = 1 ] && grep -qF "revoked the S3 secret of $alice" "$work/vrevoke.out" \
    && grep -qF "removed the stored copy of $alice" "$work/vrevoke.out"; then
    pass "s3adt ozone revokesecret with the binding's Vault settings: revoked at Ozone and removed from OpenBao"
  else
    fail "s3adt ozone revokesecret with the Vault store (status $rc, copy left: $left)"
  fi
  sed 's/^/    /' "$work/vrevoke.out"
  CHILD_ENV=(KRB5CCNAME=FILE:$work/cc-none HADOOP_TOKEN_FILE_LOCATION=$work/v1.token)
  child vrevoked "$cp_s3adt" "" use org.s3adt.fs.S3adtFileSystem org.s3adt.ozone.OzoneTokenBinding data/after-vault-revoke.txt
  if [ "$child_rc" = 1 ] && has vrevoked error "AccessDenied"; then
    pass "the token of the Vault-stored secret is refused after the revocation"
  else
    fail "the token after the revocation (status $child_rc)"; show vrevoked
  fi
  if [ -s "$work/vault.secret" ]; then
    leaks=$(grep -lF -f "$work/vault.secret" "$work"/v*.out "$work"/vconf*.xml "$work/bao.err" 2>/dev/null | xargs -r -n1 basename | tr '\n' ' ')
    tok=$(grep -lF -f "$work/vault-token" "$work"/v*.out 2>/dev/null | xargs -r -n1 basename | tr '\n' ' ')
    if [ -z "$leaks$tok" ]; then
      pass "neither the S3 secret nor the Vault token in any output or log (org.s3adt at DEBUG); the secret not in the job configuration"
    else
      fail "leaked: $leaks$tok"
    fi
  fi
else
  fail "OpenBao: a token for the binding's store"; sed 's/^/    /' "$work/bao.err"
fi
