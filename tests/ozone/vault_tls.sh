#!/usr/bin/env bash
# The Vault credential source over TLS (fs.s3a.s3adt.vault.tls.ca.file) on a real OpenBao serving
# HTTPS only (tests/peers/openbao/up.sh --tls: OpenBao's dev TLS mode, its own CA and server
# certificate). Needs only OpenBao and the s3adt command; tests/ozone/vault.sh runs it with Ozone.
#   - alice's secret in Ozone's layout (namespace ozone, KV v2 at secret, secret/data/<principal>,
#     one field named by the principal); `s3adt bucket-info` with VaultCredentialsProvider (TOKEN
#     auth) and tls.ca.file = OpenBao's CA reads it and signs with it; given Ozone's gateway, a
#     real secret and a bucket, the gateway answers the HEAD signed with it
#   - refusals, each naming the address or the key, no token or secret shown: no tls.ca.file (the
#     platform's trust, which lacks OpenBao's dev CA); a PEM file of another CA; a tls.ca.file that
#     does not exist (names the key); a tls.ca.file that is not PEM (names the key and the file);
#     an http:// address for HTTPS only (says what OpenBao answered: an HTTP request to HTTPS)
#
# usage: bash tests/ozone/vault_tls.sh WORKDIR [SECRET_FILE BUCKET]
#   without SECRET_FILE: a random secret, and the HEAD goes to a closed port (only what signs counts)
#   with SECRET_FILE and BUCKET: alice's real secret; S3ADT_OZONE_S3_ENDPOINT is Ozone's gateway
# S3ADT_BIN: the s3adt command (default target/release/s3adt); S3ADT_KDC_REALM (default EXAMPLE.COM).
# Prints PASS/FAIL lines (tests/ozone/run.sh counts them). Exit 1 if any FAIL. Secrets only in files of mode 600 under WORKDIR.
set -uo pipefail
W=$(realpath -m "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
s3adt=${S3ADT_BIN:-$root/target/release/s3adt}
realm=${S3ADT_KDC_REALM:-EXAMPLE.COM} ns=ozone
alice=alice@$realm
[ ! -e "$W" ] || [ -f "$W/vault-tls-work" ] || { echo "FAIL  $W exists and is not a vault_tls.sh work directory"; exit 1; }
rm -rf "$W"; mkdir -p "$W" && chmod 700 "$W" && touch "$W/vault-tls-work"
umask 077
failed=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failed=1; }
bao_dir=$W/openbao
stop() { bash "$root/tests/peers/openbao/down.sh" "$bao_dir" >/dev/null 2>&1 || true; }
trap stop EXIT

if ! out=$(bash "$root/tests/peers/openbao/up.sh" "$bao_dir" --tls 2>"$W/up.err"); then
  fail "OpenBao over HTTPS (up.sh --tls)"; sed 's/^/    /' "$W/up.err"; exit 1
fi
eval "$out"
addr=$S3ADT_BAO_ADDR ca=$S3ADT_BAO_CACERT
case $addr in https://127.0.0.1:*) pass "OpenBao over HTTPS only at $addr, its dev CA in $(basename "$ca") (up.sh --tls)" ;;
  *) fail "OpenBao over HTTPS (up.sh --tls gave $addr)"; exit 1 ;; esac

# alice's secret, in the layout Ozone's VaultS3SecretStorageProvider writes, over HTTPS with the CA
if [ $# -ge 3 ]; then secret=$2 bucket=$3 endpoint=$S3ADT_OZONE_S3_ENDPOINT
else
  secret=$W/alice.secret bucket=s3adt-vault-tls endpoint=http://127.0.0.1:1   # nothing listens on port 1
  head -c 30 /dev/urandom | base64 | tr -d '/+=' >"$secret"
fi
python3 - "$addr" "$ca" "$S3ADT_BAO_TOKEN_FILE" "$ns" "$alice" "$secret" <<'PY'
import json, ssl, sys, urllib.request
addr, ca, tokfile, ns, who, secfile = sys.argv[1:]
h = {"X-Vault-Token": open(tokfile).read().strip(), "X-Vault-Namespace": ns}
ctx = ssl.create_default_context(cafile=ca)
body = json.dumps({"data": {who: open(secfile).read().strip()}}).encode()
urllib.request.urlopen(urllib.request.Request(f"{addr}/v1/secret/data/{who}", data=body, method="POST", headers=h),
                       timeout=10, context=ctx)
data = json.load(urllib.request.urlopen(urllib.request.Request(f"{addr}/v1/secret/data/{who}", headers=h),
                                        timeout=10, context=ctx))["data"]["data"]
print(("PASS  " if list(data) == [who] else "FAIL  ")
      + f"alice's secret in Ozone's layout over HTTPS: namespace {ns}, secret/data/{who}, one field named {who}")
PY
[ $? = 0 ] || fail "writing alice's secret to OpenBao over HTTPS"

prop() { printf '  <property><name>%s</name><value>%s</value></property>\n' "$1" "$2"; }
base=(fs.s3a.endpoint="$endpoint" fs.s3a.path.style.access=true fs.s3a.endpoint.region=us-east-1
  fs.s3a.attempts.maximum=1 fs.s3a.aws.credentials.provider=org.s3adt.vault.VaultCredentialsProvider
  fs.s3a.s3adt.vault.address="$addr" fs.s3a.s3adt.vault.namespace=$ns fs.s3a.s3adt.vault.engine.version=2
  fs.s3a.s3adt.vault.secret.path=secret fs.s3a.s3adt.vault.auth.method=TOKEN
  fs.s3a.s3adt.vault.principal="$alice" fs.s3a.s3adt.vault.token="$(cat "$S3ADT_BAO_TOKEN_FILE")")
site() { # DIR KEY=VALUE...: DIR/core-site.xml, VaultCredentialsProvider over HTTPS (base) with these added
  local d=$1 kv k; shift
  declare -A s=()
  for kv in "${base[@]}" "$@"; do s[${kv%%=*}]=${kv#*=}; done
  rm -rf "$d"; mkdir -p "$d"
  { echo '<?xml version="1.0"?><configuration>'; for k in "${!s[@]}"; do prop "$k" "${s[$k]}"; done
    echo '</configuration>'; } >"$d/core-site.xml"
}
info() { # DIR: s3adt bucket-info with DIR as HADOOP_CONF_DIR; output in $W/info.out, status in info_rc
  HADOOP_CONF_DIR=$1 timeout 120 "$s3adt" bucket-info "s3a://$bucket" >"$W/info.out" 2>&1; info_rc=$?
}
no_secret_shown() { # FILE: neither the secret nor the token in it
  local f
  for f in "$secret" "$S3ADT_BAO_TOKEN_FILE"; do [ -s "$f" ] && grep -qF -f "$f" "$1" && return 1; done
  return 0
}
show() { grep -F "Signed by" "$W/info.out" | sed 's/^\s*/    /'; }

# ---- the CA file: reads the secret and signs with it
site "$W/ca" fs.s3a.s3adt.vault.tls.ca.file="$ca"; info "$W/ca"
name="fs.s3a.s3adt.vault.tls.ca.file = OpenBao's CA: alice's secret read over HTTPS, signed with it"
if grep -qF "Signed by: VaultCredentialsProvider (access key $alice)" "$W/info.out" && no_secret_shown "$W/info.out"; then
  if [ $# -ge 3 ]; then
    if [ "$info_rc" = 0 ] && grep -qF "HEAD s3a://$bucket: it answers" "$W/info.out"; then pass "$name; Ozone's gateway answers"
    else fail "$name; Ozone's gateway answers (status $info_rc)"; sed 's/^/    /' "$W/info.out"; fi
  else pass "$name"; fi
else fail "$name (status $info_rc)"; sed 's/^/    /' "$W/info.out"; fi
show

refused() { # NAME TEXT... -- KEY=VALUE...: bucket-info signs with nothing, each TEXT in its output, no secret
  local name=$1 t texts=() ok=1; shift
  while [ "$1" != -- ]; do texts+=("$1"); shift; done; shift
  site "$W/case" "$@"; info "$W/case"
  grep -qF "Signed by: nothing (VaultCredentialsProvider: " "$W/info.out" || ok=
  for t in "${texts[@]}"; do grep -qF -- "$t" "$W/info.out" || ok=; done
  if [ "$info_rc" != 0 ] && [ -n "$ok" ] && no_secret_shown "$W/info.out"; then pass "$name"
  else fail "$name (status $info_rc)"; fi
  show
}
refused "no tls.ca.file (the platform's trust, without OpenBao's CA): refused, naming the address, the TLS certificate failure and the setting to trust its CA" \
  "no answer from Vault at $addr (" "TLS handshake failed: invalid peer certificate: UnknownIssuer" "set fs.s3a.s3adt.vault.tls.ca.file to the PEM file of its CA" --
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=not OpenBao's CA" \
  -keyout "$W/other-ca.key" -out "$W/other-ca.pem" >/dev/null 2>&1 || fail "openssl: another CA"
refused "tls.ca.file of another CA (a valid PEM): refused, naming the address and the TLS certificate failure" \
  "no answer from Vault at $addr (" "TLS handshake failed: invalid peer certificate: UnknownIssuer" -- \
  fs.s3a.s3adt.vault.tls.ca.file="$W/other-ca.pem"
refused "a tls.ca.file that does not exist: refused, naming the key and the file" \
  "fs.s3a.s3adt.vault.tls.ca.file: $W/no-such-ca.pem: No such file or directory" -- \
  fs.s3a.s3adt.vault.tls.ca.file="$W/no-such-ca.pem"

gap() { # NAME TEXT SAYING KEY=VALUE...: refused with no secret shown, TEXT in the message (SAYING
  local name=$1 want=$2 gap=$3; shift 3   # names what TEXT stands for)
  site "$W/case" "$@"; info "$W/case"
  if [ "$info_rc" != 0 ] && grep -qF "Signed by: nothing (VaultCredentialsProvider: " "$W/info.out" && no_secret_shown "$W/info.out"; then
    if grep -qF -- "$want" "$W/info.out"; then pass "$name: refused, $gap"
    else fail "$name: refused, but not $gap"; fi
  else fail "$name: refused (status $info_rc)"; fi
  show
}
gap "an http:// address for OpenBao serving HTTPS only" "HTTPS" "saying that it speaks HTTPS" \
  fs.s3a.s3adt.vault.address="http://${addr#https://}" fs.s3a.s3adt.vault.tls.ca.file="$ca"
# a file that is not PEM (rustls finds no certificate in it, an empty trust store)
printf 'this is not a PEM certificate\n' >"$W/not-pem.pem"
gap "a tls.ca.file that is not PEM" "fs.s3a.s3adt.vault.tls.ca.file: $W/not-pem.pem" "naming the key and the file" \
  fs.s3a.s3adt.vault.tls.ca.file="$W/not-pem.pem"
exit $failed
