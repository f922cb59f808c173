# --store ozone for tests/e2e/run.sh (issue 13 item 6), sourced by it: the real secure Apache
# Ozone 2.2.0 of tests/peers/ozone (its MIT KDC, realm EXAMPLE.TEST, also serves the cluster's
# principals: tests/peers/kdc/up.sh makes yarn/localhost, alice and bob for both). Alice and bob
# have Kerberos logins only; nothing here gives the client a key of alice's.
#   ozone_prepare   outside the namespace: the Ozone jars, the s3adt command, the test tree's
#                   FileS3SecretStore (the binding's secret store in this run)
#   ozone_up        inside: Ozone; with Ozone's own shell, as each user's Kerberos login: alice
#                   (an Ozone administrator) lets bob use the S3 volume /s3v, makes her bucket
#                   bucket-a (its ACLs name her alone) with hello.txt in it; bob makes bucket-bob.
#                   Bob may not call Ozone's secret endpoint (not an S3 administrator): alice, an
#                   S3 administrator, fetches his secret (`s3adt ozone getsecret --user`) into
#                   the store. Writes the client's secrets.properties: endpoints and the store's
#                   directory, no key. Alice's own secret is fetched by her first submission.
#   ozone_keys      the access key and secret alice's first submission stored (for boto3's view)
# Uses the caller's root, work, build, log and h_* (tests/harness/lib.sh); sets store_endpoint.
# tests/spark/run.sh --store ozone uses it too (tests/spark/ozone.sh).

ozone_lib=$root/tests/peers/ozone/target/lib
ozone_tgt=$root/tests/e2e/target/ozone-store   # the s3adt command and FileS3SecretStore's class
ozone_store_class=org/s3adt/ozone/FileS3SecretStore.class

ozone_prepare() {
  bash "$root/tests/peers/ozone/fetch-jars.sh" || { log "fetching the Ozone jars failed"; return 1; }
  if [ -n "$build" ]; then
    log "building the s3adt command and the test classes (FileS3SecretStore)"
    cargo build -q --release --workspace || return 1
    gradle --no-daemon -q testClasses || return 1
  fi
  local cls=$root/target/gradle/classes/java/test/$ozone_store_class
  for f in "$root/target/release/s3adt" "$cls"; do
    [ -f "$f" ] || { log "missing $f: build it (cargo build --release --workspace && gradle --no-daemon -q testClasses)"; return 1; }
  done
  rm -rf "$ozone_tgt" && mkdir -p "$ozone_tgt/$(dirname "$ozone_store_class")"
  cp "$cls" "$ozone_tgt/$ozone_store_class"
  cp "$root/target/release/s3adt" "$ozone_tgt/s3adt"
}

oz_sh() { # USER ARGS...: `ozone sh ARGS` (Ozone's shell, its own jars) as USER's Kerberos login
  local u=$1; shift
  echo "ozone sh $* (as $u)" >>"$work/ozone-sh.log"
  KRB5CCNAME=FILE:$work/ozone-cc/$u java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
    -Djava.security.krb5.conf="$KRB5_CONFIG" \
    -Dlog4j.configuration="file:$S3ADT_OZONE_DIR/conf-cli/log4j.properties" \
    -cp "$S3ADT_OZONE_DIR/conf-cli:$ozone_lib/*" org.apache.hadoop.ozone.shell.OzoneShell "$@" \
    </dev/null >>"$work/ozone-sh.log" 2>&1
}

ozone_up() {
  local realm u t0 acls
  t0=$(date +%s.%N)
  h_peer_up ozone "$work/ozone" || return 1
  store_endpoint=$S3ADT_OZONE_S3_ENDPOINT
  realm=$S3ADT_KDC_REALM
  h_result PASS "Ozone 2.2.0 up, secure, with its KDC ($realm) for the cluster too ($(h_secs_since "$t0") s)"
  mkdir -p "$work/ozone-cc" "$work/store"
  chmod 700 "$work/ozone-cc" "$work/store"
  for u in alice bob; do
    KRB5CCNAME=FILE:$work/ozone-cc/$u kinit -kt "$S3ADT_KDC_DIR/$u.keytab" "$u@$realm" || return 1
  done
  if oz_sh alice volume addacl --acl user:bob:a /s3v && oz_sh alice bucket create --layout OBJECT_STORE /s3v/bucket-a \
    && printf 'hello from A' >"$work/hello.txt" \
    && oz_sh alice key put /s3v/bucket-a/hello.txt "$work/hello.txt" \
    && oz_sh bob bucket create --layout OBJECT_STORE /s3v/bucket-bob; then
    h_result PASS "Ozone's shell, as the users' Kerberos logins: alice let bob use /s3v and made bucket-a (with hello.txt), bob made bucket-bob"
  else
    h_result FAIL "Ozone's shell: the volume ACL and the buckets"; tail -n 30 "$work/ozone-sh.log" >&2; return 1
  fi
  oz_sh alice bucket getacl /s3v/bucket-a
  acls=$(python3 - "$work/ozone-sh.log" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
text = text[text.rindex("ozone sh bucket getacl"):]
try:
    acls = json.JSONDecoder().raw_decode(text[text.index("["):])[0]
    print(" ".join("%s:%s:%s[%s]" % (a["type"].lower(), a["name"], ",".join(a["aclList"]), a["aclScope"]) for a in acls))
except ValueError as e:
    print("(unreadable: %s)" % e)
PY
)
  case " $acls " in
    *:bob:*|*unreadable*) h_result FAIL "bucket-a's ACLs name alice, not bob: $acls" ;;
    *" user:alice:ALL["*) h_result PASS "bucket-a's ACLs (ozone sh bucket getacl) name alice, not bob: $acls" ;;
    *) h_result FAIL "bucket-a's ACLs name alice, not bob: $acls" ;;
  esac
  # bob's secret, fetched by alice (an S3 administrator) into the store: the file store's layout
  # (access key and secret on two lines, mode 600); the secret goes from s3adt's stdout to the file
  if (umask 077; KRB5CCNAME=FILE:$work/ozone-cc/alice "$ozone_tgt/s3adt" ozone getsecret \
      --user "bob@$realm" --format json "$S3ADT_OZONE_ADMIN_URL" \
      | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["accessKeyId"]); print(d["secretAccessKey"])' \
      >"$work/store/bob@$realm") && [ "$(head -1 "$work/store/bob@$realm")" = "bob@$realm" ]; then
    h_result PASS "bob's S3 secret fetched by alice, an S3 administrator (s3adt ozone getsecret --user bob@$realm), into the secret store"
  else
    h_result FAIL "bob's S3 secret into the secret store"; return 1
  fi
  [ ! -e "$work/store/alice@$realm" ] || { h_result FAIL "the secret store holds nothing of alice's before her first submission"; return 1; }
  rm -rf "$work/ozone-cc"
  mkdir -p "$work/secrets" && chmod 700 "$work/secrets"
  printf 'endpoint=%s\nozone.url=%s\nozone.store.dir=%s\nozone.bob.bucket=bucket-bob\n' \
    "$S3ADT_OZONE_S3_ENDPOINT" "$S3ADT_OZONE_ADMIN_URL" "$work/store" >"$work/secrets/secrets.properties"
}

ozone_keys() { # the access key and secret of alice's that her first submission stored, as two lines
  cat "$work/store/alice@$S3ADT_KDC_REALM" 2>/dev/null
}
