#!/usr/bin/env bash
# Vault as a credential source and as the S3 secret store, on the OpenBao and the secure Ozone that
# tests/ozone/run.sh started (their S3ADT_BAO_* and S3ADT_OZONE_*/KDC variables in the environment):
#   1. OpenBao: a policy and token for Ozone's OM (secret/* in namespace ozone), AppRole auth, and an
#      AppRole for alice whose policy reads only her path (secret/data/alice@REALM)
#   2. OM restarted with its S3 secrets in OpenBao (VaultS3SecretStorageProvider, KV v2, TOKEN auth;
#      tests/peers/ozone/om-restart.sh); `s3adt ozone getsecret` for alice and bob, then the layout
#      OM wrote (namespace ozone, secret/data/<principal>, one field named by the principal)
#   3. the credential source org.s3adt.vault.VaultCredentialsProvider with alice's AppRole:
#      `s3adt bucket-info` signs with her secret and the gateway answers; s3adt's store writes,
#      reads, lists and deletes on Ozone's gateway with it (rust/core/tests/s3_ozone_vault.rs)
#   3b. over TLS (tests/ozone/vault_tls.sh, a second OpenBao serving HTTPS only): with
#      fs.s3a.s3adt.vault.tls.ca.file = its CA, alice's secret read in Ozone's layout signs and the
#      gateway answers; without it (platform trust), with another CA, with a missing file, refused
#   4. each failure's message: bob's secret with alice's AppRole (403, naming the path), a wrong
#      engine version, a missing path, a wrong secret_id, an unreachable address, a sealed Vault;
#      none shows a token or a secret
#   5. org.s3adt.vault.VaultS3SecretStore over JNI (tests/ozone/VaultStoreCheck.java): put, get,
#      remove with the token in a JCEKS credential provider; alice's AppRole reads hers, not bob's
#   6. OpenBao unsealed again and OM restarted as up.sh configured it
#   7. `s3adt ozone revokesecret` with fs.s3a.s3adt.ozone.secret.store=vault (its --conf): revokes at
#      Ozone and removes the copy the token binding keeps in OpenBao (secret/s3adt-cli/<principal>),
#      also for --user and when Ozone has none left; a Java class as the store, or wrong Vault
#      settings, are refused before anything is revoked; no token or secret in any message
# usage (from tests/ozone/run.sh): bash tests/ozone/vault.sh WORKDIR
# Prints PASS/FAIL lines (run.sh counts them). Secrets only in files of mode 600 under WORKDIR.
set -uo pipefail
W=$(realpath -m "$1")
mkdir -p "$W" && chmod 700 "$W"
umask 077
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
s3adt=$root/target/release/s3adt
realm=$S3ADT_KDC_REALM ns=${S3ADT_BAO_NAMESPACE:-ozone} addr=$S3ADT_BAO_ADDR
alice=alice@$realm bob=bob@$realm carol=carol@$realm
bucket=s3adt-vault
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; }
result() { if [ "$1" = 0 ]; then pass "$2"; else fail "$2"; fi; }
bao_() { BAO_ADDR=$addr BAO_TOKEN=$(cat "$S3ADT_BAO_TOKEN_FILE") HOME=$W bao "$@" 2>>"$W/bao.err"; }

# ---- 1. OpenBao: OM's token, alice's AppRole
printf 'path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }\n' >"$W/om.hcl"
printf 'path "secret/data/%s" { capabilities = ["read"] }\n' "$alice" >"$W/alice.hcl"
bao_ policy write -namespace="$ns" ozone-om "$W/om.hcl" >/dev/null &&
  bao_ token create -namespace="$ns" -policy=ozone-om -field=token >"$W/om-token" &&
  bao_ auth enable -namespace="$ns" approle >/dev/null &&
  bao_ policy write -namespace="$ns" s3-alice "$W/alice.hcl" >/dev/null &&
  bao_ write -namespace="$ns" auth/approle/role/alice token_policies=s3-alice token_ttl=10m >/dev/null &&
  bao_ read -namespace="$ns" -field=role_id auth/approle/role/alice/role-id >"$W/alice-role-id" &&
  bao_ write -namespace="$ns" -f -field=secret_id auth/approle/role/alice/secret-id >"$W/alice-secret-id"
result $? "OpenBao: a token for Ozone's OM (secret/* in namespace $ns) and an AppRole for alice (read secret/data/$alice only)"

# ---- 2. OM with its S3 secrets in OpenBao
prop() { printf '  <property><name>%s</name><value>%s</value></property>\n' "$1" "$2"; }
v=ozone.secret.s3.store.remote.vault
{
  prop ozone.secret.s3.store.provider org.apache.hadoop.ozone.s3.remote.vault.VaultS3SecretStorageProvider
  prop $v.address "$addr"; prop $v.namespace "$ns"; prop $v.enginever 2; prop $v.secretpath secret
  prop $v.auth TOKEN; prop $v.auth.token "$(cat "$W/om-token")"
} >"$W/om-vault.xml"
t0=$(date +%s)
bash tests/peers/ozone/om-restart.sh "$S3ADT_OZONE_DIR" "$W/om-vault.xml" 2>"$W/om-restart.err"
result $? "OM restarted with VaultS3SecretStorageProvider (OpenBao, namespace $ns, KV v2 at secret, TOKEN auth) in $(( $(date +%s) - t0 )) s"
for u in alice; do KRB5CCNAME=FILE:$W/cc-$u kinit -kt "$S3ADT_KDC_DIR/$u.keytab" "$u@$realm"; done
getsecret() { # OUT [ARGS...]: alice's `s3adt ozone getsecret --format json`, retried while OM settles
  local out=$1 i rc; shift
  for i in $(seq 1 24); do
    KRB5CCNAME=FILE:$W/cc-alice "$s3adt" ozone getsecret --format json "$@" "$S3ADT_OZONE_ADMIN_URL" >"$out" 2>"$W/getsecret.err"; rc=$?
    [ "$rc" = 0 ] && return 0
    grep -q "already has" "$W/getsecret.err" && break
    sleep 5
  done
  sed 's/^/    /' "$W/getsecret.err"; return 1
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secretAccessKey"])' "$1"; }
if getsecret "$W/alice.json"; then
  field "$W/alice.json" >"$W/alice.secret"; pass "s3adt ozone getsecret for $alice, with OM's secrets in OpenBao"
else fail "s3adt ozone getsecret for $alice, with OM's secrets in OpenBao"; fi
getsecret "$W/bob.json" --user "$bob"; result $? "s3adt ozone getsecret --user $bob (an S3 admin for bob)"
rm -f "$W/bob.json"
python3 - "$addr" "$S3ADT_BAO_TOKEN_FILE" "$ns" "$alice" "$W/alice.secret" <<'PY'
import json, sys, urllib.request
addr, tokfile, ns, who, secfile = sys.argv[1:]
req = urllib.request.Request(f"{addr}/v1/secret/data/{who}", headers={
    "X-Vault-Token": open(tokfile).read().strip(), "X-Vault-Namespace": ns})
data = json.load(urllib.request.urlopen(req, timeout=10))["data"]["data"]
ok = list(data) == [who] and data[who] == open(secfile).read().strip()
print(("PASS  " if ok else "FAIL  ") + f"Ozone's layout in OpenBao: namespace {ns}, secret/data/{who}, one field named {who} holding the secret Ozone issued")
PY

# ---- 3. the credential source with alice's AppRole
site() { # DIR KEY=VALUE...: DIR/core-site.xml, alice's AppRole settings with these changed
  local d=$1 kv k; shift
  declare -A s=(
    [fs.s3a.endpoint]=$S3ADT_OZONE_S3_ENDPOINT [fs.s3a.path.style.access]=true
    [fs.s3a.endpoint.region]=us-east-1 [fs.s3a.attempts.maximum]=2
    [fs.s3a.aws.credentials.provider]=org.s3adt.vault.VaultCredentialsProvider
    [fs.s3a.s3adt.vault.address]=$addr [fs.s3a.s3adt.vault.namespace]=$ns
    [fs.s3a.s3adt.vault.engine.version]=2 [fs.s3a.s3adt.vault.secret.path]=secret
    [fs.s3a.s3adt.vault.auth.method]=APPROLE [fs.s3a.s3adt.vault.principal]=$alice
    [fs.s3a.s3adt.vault.approle.role.id]=$(cat "$W/alice-role-id")
    [fs.s3a.s3adt.vault.approle.secret.id]=$(cat "$W/alice-secret-id"))
  for kv; do s[${kv%%=*}]=${kv#*=}; done
  mkdir -p "$d"
  { echo '<?xml version="1.0"?><configuration>'; for k in "${!s[@]}"; do prop "$k" "${s[$k]}"; done
    echo '</configuration>'; } >"$d/core-site.xml"
}
info() { # DIR: s3adt bucket-info with DIR as HADOOP_CONF_DIR; output in $W/info.out, status in info_rc
  HADOOP_CONF_DIR=$1 "$s3adt" bucket-info "s3a://$bucket" >"$W/info.out" 2>&1; info_rc=$?
}
no_secret_shown() { # FILE: none of the secrets in it
  local f
  for f in "$W/alice-secret-id" "$W/om-token" "$W/alice.secret" "$S3ADT_BAO_TOKEN_FILE"; do
    [ -s "$f" ] && grep -qF -f "$f" "$1" && return 1
  done
  return 0
}
site "$W/alice"
if [ -s "$W/alice.secret" ]; then
  st=$(PYTHONPATH=tests/harness PYTHONDONTWRITEBYTECODE=1 python3 -c 'import sys; from sigv4 import request; ep, ak, f, b = sys.argv[1:]; print(request(ep, ak, open(f).read().strip(), "PUT", "/" + b)[0])' \
    "$S3ADT_OZONE_S3_ENDPOINT" "$alice" "$W/alice.secret" "$bucket")
  [ "$st" = 200 ] && pass "bucket $bucket created with alice's secret" || fail "bucket $bucket created with alice's secret ($st)"
fi
info "$W/alice"
if [ "$info_rc" = 0 ] && grep -q "Signed by: VaultCredentialsProvider (access key $alice)" "$W/info.out" \
  && grep -q "HEAD s3a://$bucket: it answers" "$W/info.out"; then
  pass "s3adt bucket-info with VaultCredentialsProvider and alice's AppRole: signed with her secret from OpenBao, the gateway answers"
else
  fail "s3adt bucket-info with VaultCredentialsProvider and alice's AppRole (status $info_rc)"; sed 's/^/    /' "$W/info.out"
fi
out=$(S3ADT_VAULT_SITE=$W/alice/core-site.xml S3ADT_VAULT_BUCKET=$bucket \
  cargo test -q --release --workspace --test s3_ozone_vault -- --ignored 2>&1); rc=$?
if [ "$rc" = 0 ] && echo "$out" | grep -q "1 passed"; then
  pass "s3adt's store on Ozone's gateway signed by VaultCredentialsProvider: put, get, list, delete (s3_ozone_vault.rs)"
else fail "s3adt's store with VaultCredentialsProvider (s3_ozone_vault.rs, status $rc)"; echo "$out" | tail -n 20 | sed 's/^/    /'; fi

# ---- 3b. over TLS: a second OpenBao, HTTPS only, holding alice's secret (needs no Ozone without args)
if [ -s "$W/alice.secret" ]; then
  bash tests/ozone/vault_tls.sh "$W/tls" "$W/alice.secret" "$bucket"
else fail "the Vault source over TLS (vault_tls.sh): no secret of alice's to store"; fi

# ---- 4. each failure, as the user sees it
refused() { # NAME TEXT KEY=VALUE...: bucket-info fails with TEXT and shows no secret
  local name=$1 text=$2; shift 2
  site "$W/case" "$@"; info "$W/case"
  if [ "$info_rc" != 0 ] && grep -qF -- "$text" "$W/info.out" && no_secret_shown "$W/info.out"; then pass "$name"
  else fail "$name (status $info_rc)"; fi
  grep -F "Signed by" "$W/info.out" | sed 's/^\s*/    /'
}
refused "alice's AppRole, bob's secret: denied, naming the path and 403" \
  "Vault denied the read of secret/data/$bob (namespace $ns) (403" fs.s3a.s3adt.vault.principal="$bob"
refused "a wrong engine version (1 on a KV v2 mount): says so and what to set" \
  "fs.s3a.s3adt.vault.engine.version is 1 but the KV engine mounted at secret is version 2" \
  fs.s3a.s3adt.vault.engine.version=1
refused "a missing path (TOKEN auth, no secret for $carol): 404 naming it" \
  "no secret at secret/data/$carol (namespace $ns) in Vault (404)" fs.s3a.s3adt.vault.auth.method=TOKEN \
  fs.s3a.s3adt.vault.token="$(cat "$W/om-token")" fs.s3a.s3adt.vault.principal="$carol"
refused "a wrong secret path under alice's policy: denied (403), naming the path" \
  "Vault denied the read of secret/data/nope/$alice" fs.s3a.s3adt.vault.secret.path=secret/nope
refused "a wrong AppRole secret_id: the login refused, naming the keys to check" \
  "Vault refused the AppRole login at auth/approle/login (namespace $ns)" fs.s3a.s3adt.vault.approle.secret.id=not-the-secret-id
refused "an unreachable Vault: names the address and the key" \
  "no answer from Vault at http://127.0.0.1:1 (" fs.s3a.s3adt.vault.address=http://127.0.0.1:1

# ---- 5. VaultS3SecretStore over JNI
lib=${S3ADT_OZONE_LIB:-$root/tests/peers/ozone/target/lib}
{ grep -v '^</configuration>$' "$W/alice/core-site.xml" | grep -v 'vault.token\|approle\|auth.method'
  prop fs.s3a.s3adt.vault.auth.method TOKEN; echo '</configuration>'; } >"$W/token-site.xml"
mkdir -p "$W/classes/org/s3adt/jni"
echo "version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" >"$W/classes/org/s3adt/jni/version.properties"
if javac -nowarn -d "$W/classes" -cp "$lib/*" -sourcepath java/src/main/java tests/ozone/VaultStoreCheck.java \
  java/src/main/java/org/s3adt/vault/VaultS3SecretStore.java 2>"$W/javac.err"; then
  java -Ds3adt.native.library="$root/target/release/libs3adt.so" -cp "$W/classes:$lib/*" VaultStoreCheck \
    "$W/token-site.xml" "$W/om-token" "$W/vault.jceks" "$W/alice/core-site.xml" "$alice" "$W/alice.secret" "$bob" \
    2>"$W/java.err" | grep -E '^(PASS|FAIL)  |^    '
  [ "${PIPESTATUS[0]}" = 0 ] || { fail "VaultStoreCheck ran to the end"; tail -n 15 "$W/java.err" | sed 's/^/    /'; }
else fail "VaultStoreCheck compiled"; tail -n 15 "$W/javac.err" | sed 's/^/    /'; fi

# ---- sealed (last: OpenBao is unsealed again right after)
bao_ operator seal >/dev/null
refused "a sealed Vault: says so and to unseal it" "Vault at $addr is sealed (503 Vault is sealed)"
key=$(sed -n 's/^Unseal Key: //p' "$(dirname "$S3ADT_BAO_TOKEN_FILE")/bao.log" | head -1)
printf '{"key": "%s"}' "$key" >"$W/unseal.json"
curl -sf -X PUT --data @"$W/unseal.json" "$addr/v1/sys/unseal" | grep -q '"sealed":false'
result $? "OpenBao unsealed again"
rm -f "$W/unseal.json"

# ---- 6. OM as up.sh configured it
bash tests/peers/ozone/om-restart.sh "$S3ADT_OZONE_DIR" 2>>"$W/om-restart.err"
result $? "OM restarted as before (its S3 secrets in its own DB)"

# ---- 7. s3adt ozone revokesecret removes the stored copy (OM keeps its secrets in its DB again)
store_site() { # FILE KEY=VALUE...: the binding's Vault store settings (TOKEN auth, OM's token), changed
  local f=$1 kv k; shift
  declare -A s=(
    [fs.s3a.s3adt.ozone.secret.store]=vault
    [fs.s3a.s3adt.vault.address]=$addr [fs.s3a.s3adt.vault.namespace]=$ns
    [fs.s3a.s3adt.vault.engine.version]=2 [fs.s3a.s3adt.vault.secret.path]=secret/s3adt-cli
    [fs.s3a.s3adt.vault.auth.method]=TOKEN [fs.s3a.s3adt.vault.token]=$(cat "$W/om-token"))
  for kv; do s[${kv%%=*}]=${kv#*=}; done
  { echo '<?xml version="1.0"?><configuration>'; for k in "${!s[@]}"; do prop "$k" "${s[$k]}"; done
    echo '</configuration>'; } >"$f"
}
stored() { # PUT|GET|GONE PRINCIPAL [SECRET_FILE]: the copy at secret/s3adt-cli/PRINCIPAL in Ozone's layout
  python3 - "$1" "$addr" "$S3ADT_BAO_TOKEN_FILE" "$ns" "$2" "${3:-}" <<'PY'
import json, sys, urllib.error, urllib.request
op, addr, tokfile, ns, who, secfile = sys.argv[1:]
url = f"{addr}/v1/secret/data/s3adt-cli/{who}"
h = {"X-Vault-Token": open(tokfile).read().strip(), "X-Vault-Namespace": ns}
if op == "PUT":
    body = json.dumps({"data": {who: open(secfile).read().strip()}}).encode()
    urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST", headers=h), timeout=10)
    sys.exit(0)
try:
    data = json.load(urllib.request.urlopen(urllib.request.Request(url, headers=h), timeout=10))["data"]["data"]
    sys.exit(0 if op == "GET" and list(data) == [who] else 1)
except urllib.error.HTTPError as e:
    sys.exit(0 if op == "GONE" and e.code == 404 else 1)
PY
}
revoke() { # ARGS...: alice's s3adt ozone revokesecret ARGS; output in $W/revoke.out, status in revoke_rc
  KRB5CCNAME=FILE:$W/cc-alice "$s3adt" ozone revokesecret "$@" >"$W/revoke.out" 2>&1; revoke_rc=$?
}
has_secret() { # ARGS...: alice's getsecret ARGS into $W/cli.json (mode 600), the secret into $W/cli.secret
  KRB5CCNAME=FILE:$W/cc-alice "$s3adt" ozone getsecret --format json "$@" "$S3ADT_OZONE_ADMIN_URL" >"$W/cli.json" 2>"$W/getsecret.err" \
    && field "$W/cli.json" >"$W/cli.secret"
}
store_site "$W/store.xml"
revoke "$S3ADT_OZONE_ADMIN_URL"   # alice may have a secret in OM's DB from before
revoke --user "$bob" "$S3ADT_OZONE_ADMIN_URL"
if has_secret && stored PUT "$alice" "$W/cli.secret" && stored GET "$alice"; then
  revoke --conf "$W/store.xml" "$S3ADT_OZONE_ADMIN_URL"
  if [ "$revoke_rc" = 0 ] && grep -qF "revoked the S3 secret of $alice" "$W/revoke.out" \
    && grep -qF "removed the stored copy of $alice (fs.s3a.s3adt.ozone.secret.store=vault: Vault at $addr, secret path secret/s3adt-cli (namespace $ns))" "$W/revoke.out" \
    && stored GONE "$alice" && no_secret_shown "$W/revoke.out"; then
    pass "s3adt ozone revokesecret --conf (store vault): revoked at Ozone and removed alice's copy from OpenBao"
  else fail "s3adt ozone revokesecret with the Vault store (status $revoke_rc)"; fi
  sed 's/^/    /' "$W/revoke.out"
else fail "alice's secret from Ozone and its copy in OpenBao"; sed 's/^/    /' "$W/getsecret.err"; fi
if [ -s "$W/cli.secret" ] && stored PUT "$alice" "$W/cli.secret"; then
  revoke -D fs.s3a.s3adt.ozone.secret.store=vault --conf "$W/store.xml" "$S3ADT_OZONE_ADMIN_URL"
  if [ "$revoke_rc" = 1 ] && grep -qF "has no S3 secret to revoke (404 S3_SECRET_NOT_FOUND)" "$W/revoke.out" \
    && grep -qF "removed the stored copy of $alice" "$W/revoke.out" && stored GONE "$alice"; then
    pass "Ozone has none left but OpenBao a copy: the copy removed all the same, and Ozone's 404 said (status 1)"
  else fail "a stored copy with none at Ozone (status $revoke_rc)"; sed 's/^/    /' "$W/revoke.out"; fi
  revoke --conf "$W/store.xml" "$S3ADT_OZONE_ADMIN_URL"
  grep -qF "no stored copy of $alice to remove" "$W/revoke.out" && [ "$revoke_rc" = 1 ] \
    && pass "neither left: says there is no stored copy to remove" || { fail "neither left (status $revoke_rc)"; sed 's/^/    /' "$W/revoke.out"; }
fi
if has_secret --user "$bob" && stored PUT "$bob" "$W/cli.secret"; then
  revoke --user "$bob" --conf "$W/store.xml" "$S3ADT_OZONE_ADMIN_URL"
  if [ "$revoke_rc" = 0 ] && grep -qF "removed the stored copy of $bob" "$W/revoke.out" && stored GONE "$bob"; then
    pass "revokesecret --user $bob (store vault): bob's secret revoked and his copy removed"
  else fail "revokesecret --user $bob with the Vault store (status $revoke_rc)"; sed 's/^/    /' "$W/revoke.out"; fi
else fail "bob's secret and its copy in OpenBao"; fi
refused_first() { # NAME TEXT ARGS...: revokesecret refused (status 1) with TEXT, and alice's secret still at Ozone
  local name=$1 text=$2; shift 2
  revoke "$@" "$S3ADT_OZONE_ADMIN_URL"
  KRB5CCNAME=FILE:$W/cc-alice "$s3adt" ozone getsecret "$S3ADT_OZONE_ADMIN_URL" >/dev/null 2>"$W/getsecret.err"
  if [ "$revoke_rc" = 1 ] && grep -qF -- "$text" "$W/revoke.out" && grep -qF "S3_SECRET_ALREADY_EXISTS" "$W/getsecret.err" \
    && no_secret_shown "$W/revoke.out"; then pass "$name"
  else fail "$name (status $revoke_rc)"; fi
  sed 's/^/    /' "$W/revoke.out"
}
if has_secret; then
  refused_first "a Java class as the store: refused before revoking, says how to revoke with it" \
    "is a Java class, which only a JVM can drive: nothing was revoked" -D fs.s3a.s3adt.ozone.secret.store=org.s3adt.ozone.FileS3SecretStore
  refused_first "store vault with no secret path: refused before revoking, naming the key" \
    "fs.s3a.s3adt.vault.secret.path: unset" --conf "$W/store.xml" -D fs.s3a.s3adt.vault.secret.path=
  store_site "$W/store-bad-token.xml" fs.s3a.s3adt.vault.token=not-a-vault-token
  revoke --conf "$W/store-bad-token.xml" "$S3ADT_OZONE_ADMIN_URL"
  if [ "$revoke_rc" = 1 ] && grep -qF "revoked the S3 secret of $alice at Ozone, but its stored copy in Vault could not be removed: Vault denied" "$W/revoke.out" \
    && ! grep -qF "not-a-vault-token" "$W/revoke.out" && no_secret_shown "$W/revoke.out"; then
    pass "a Vault token Vault refuses: revoked at Ozone, says the stored copy is left and why (403), no token shown"
  else fail "a refused Vault token after the revocation (status $revoke_rc)"; fi
  sed 's/^/    /' "$W/revoke.out"
else fail "alice's secret for the refusals"; sed 's/^/    /' "$W/getsecret.err"; fi
rm -f "$W/cli.json" "$W/cli.secret"
