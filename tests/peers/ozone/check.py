#!/usr/bin/env python3
"""Checks that a running secure Ozone (from ozone/up.sh) answers as s3adt's Ozone client expects:
the S3 gateway's SPNEGO secret endpoint (PUT/DELETE /secret on the webadmin port) and its S3 API with
a principal as the access key. About 10 s. SPNEGO is curl's (--negotiate, MIT GSSAPI); S3 is
tests/harness/sigv4.py. Never prints a secret.

usage: eval "$(tests/peers/ozone/up.sh DIR)"; python3 tests/peers/ozone/check.py
Reads S3ADT_OZONE_S3_ENDPOINT, S3ADT_OZONE_ADMIN_URL, S3ADT_OZONE_DIR, S3ADT_KDC_DIR, KRB5_CONFIG.
Leaves no secret behind for alice or bob (each one it creates, it revokes).
Prints one line per check and "N passed, N failed"; exits 1 if any failed.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness"))
from sigv4 import request  # noqa: E402

S3 = os.environ["S3ADT_OZONE_S3_ENDPOINT"]
ADMIN = os.environ["S3ADT_OZONE_ADMIN_URL"]
KDC = os.environ["S3ADT_KDC_DIR"]
REALM = os.environ.get("S3ADT_OZONE_REALM", "EXAMPLE.TEST")
WORK = tempfile.mkdtemp(prefix="s3adt-ozone-check.")
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  -- ' + detail if detail else ''}", flush=True)


def ccache(user):
    """A ticket cache of its own for USER (None: an empty cache, no ticket)."""
    cc = os.path.join(WORK, f"cc-{user or 'none'}")
    if user:
        subprocess.run(["kinit", "-kt", os.path.join(KDC, f"{user}.keytab"), f"{user}@{REALM}"],
                       env=dict(os.environ, KRB5CCNAME=f"FILE:{cc}"), check=True, timeout=30)
    return f"FILE:{cc}"


def secret_call(method, path="/secret", user="alice", base=None, negotiate=True, headers=()):
    """One call to the secret endpoint: (status, reason phrase, content type, body text)."""
    hdr = os.path.join(WORK, "headers")
    cmd = ["curl", "-s", "-o", "-", "-D", hdr, "-X", method, "--max-time", "30"]
    if negotiate:
        cmd += ["--negotiate", "-u", ":"]
    for h in headers:
        cmd += ["-H", h]
    env = dict(os.environ, KRB5CCNAME=ccache(user))
    out = subprocess.run(cmd + [(base or ADMIN) + path], env=env, capture_output=True, timeout=60)
    text = open(hdr, encoding="latin-1").read()
    # with --negotiate curl shows the 401 challenge first; the last status line is the answer
    lines = [m for m in re.finditer(r"^HTTP/\S+ (\d{3}) ?([^\r\n]*)", text, re.M)]
    status, reason = (int(lines[-1].group(1)), lines[-1].group(2)) if lines else (0, "")
    ctype = re.findall(r"^content-type:\s*([^\r\n]*)", text, re.M | re.I)
    return status, reason, (ctype[-1] if ctype else ""), out.stdout.decode(errors="replace")


def tag(body, name):
    m = re.search(rf"<{name}>(.*?)</{name}>", body, re.S)
    return m.group(1) if m else None


# ---- the secret endpoint
st, reason, _, _ = secret_call("PUT", negotiate=False)
check("PUT /secret without SPNEGO: 401", st == 401, f"{st} {reason}")
st, reason, _, _ = secret_call("PUT", user=None)
check("PUT /secret with no Kerberos ticket: 401", st == 401, f"{st} {reason}")

st, reason, ctype, body = secret_call("PUT")
ak, sk = tag(body, "awsAccessKey"), tag(body, "awsSecret")
check("alice (S3 admin) PUT /secret: 200 application/xml <S3Secret>", st == 200 and "xml" in ctype and sk,
      f"{st} {reason} {ctype}")
check(f"the access key is alice's full principal (alice@{REALM})", ak == f"alice@{REALM}", str(ak))
check("the secret is 64 lowercase hex characters", bool(sk and re.fullmatch(r"[0-9a-f]{64}", sk)))

st, reason, _, body = secret_call("PUT")
check("PUT /secret again: 400 S3_SECRET_ALREADY_EXISTS (the reason phrase), empty body, no secret",
      st == 400 and reason == "S3_SECRET_ALREADY_EXISTS" and "awsSecret" not in body, f"{st} {reason}")

# ---- S3 with the principal as the access key (SigV4, x-amz-content-sha256 always sent)
bucket = "s3adt-check"
st, _, b = request(S3, ak, sk, "PUT", f"/{bucket}")
check("S3 CreateBucket with alice's secret: 200", st == 200, f"{st} {b[:200]!r}")
st, _, _ = request(S3, ak, sk, "PUT", f"/{bucket}/hello.txt", body=b"hello from ozone")
check("S3 PutObject: 200", st == 200, str(st))
st, _, b = request(S3, ak, sk, "GET", f"/{bucket}/hello.txt")
check("S3 GetObject returns the bytes", st == 200 and b == b"hello from ozone", str(st))
st, _, b = request(S3, ak, sk, "GET", f"/{bucket}", query={"list-type": "2"})
check("S3 ListObjectsV2 lists the key", st == 200 and b"<Key>hello.txt</Key>" in b, str(st))
st, _, b = request(S3, ak, "0" * 64, "GET", f"/{bucket}/hello.txt")
check("S3 with a wrong secret: 403", st == 403, f"{st} {b[:200]!r}")

# ---- who may call it
st, reason, _, _ = secret_call("PUT", user="bob")
check("bob (not an S3 admin) PUT /secret: 403", st == 403, f"{st} {reason}")
st, reason, _, _ = secret_call("DELETE", user="bob")
check("bob DELETE /secret: 403", st == 403, f"{st} {reason}")
st, reason, _, body = secret_call("PUT", path=f"/secret/bob@{REALM}")
check("alice PUT /secret/bob@REALM: 200 with bob's principal as the key",
      st == 200 and tag(body, "awsAccessKey") == f"bob@{REALM}", f"{st} {reason}")
st, reason, _, _ = secret_call("DELETE", path=f"/secret/bob@{REALM}")
check("alice DELETE /secret/bob@REALM: 200", st == 200, f"{st} {reason}")
st, reason, _, _ = secret_call("DELETE", path=f"/secret/bob@{REALM}")
check("... again: 404 S3_SECRET_NOT_FOUND", st == 404 and reason == "S3_SECRET_NOT_FOUND", f"{st} {reason}")

# ---- the wrong port, the wrong method
st, reason, _, _ = secret_call("PUT", base=S3)
check("PUT /secret on the S3 API port instead: 403 (an unsigned CreateBucket 'secret')", st == 403,
      f"{st} {reason}")
st, reason, _, _ = secret_call("GET")
check("GET /secret: 405", st == 405, f"{st} {reason}")

# ---- the endpoint switched off (up.sh --secret-off-gateway: a second gateway, Ozone's default)
OFF = os.environ.get("S3ADT_OZONE_OFF_ADMIN_URL")
if OFF:
    st, reason, ctype, body = secret_call("PUT", base=OFF)
    check("PUT /secret, endpoint switched off: 400 'S3 Secret endpoint is disabled.'",
          st == 400 and "S3 Secret endpoint is disabled" in body, f"{st} {reason} {body[:80]!r}")
    st, reason, ctype, body = secret_call("DELETE", base=OFF)
    check("DELETE /secret, endpoint switched off: 400 the same", st == 400 and "disabled" in body,
          f"{st} {reason}")
else:
    print("skip  the endpoint switched off: no S3ADT_OZONE_OFF_ADMIN_URL (up.sh --secret-off-gateway)")

# ---- revocation is immediate
st, reason, ctype, body = secret_call("DELETE")
check("alice DELETE /secret: 200, empty body", st == 200 and body == "", f"{st} {reason} {ctype}")
st, _, _ = request(S3, ak, sk, "GET", f"/{bucket}/hello.txt")
check("S3 with the revoked secret: 403", st == 403, str(st))
st, reason, _, _ = secret_call("DELETE")
check("DELETE /secret with no secret: 404 S3_SECRET_NOT_FOUND", st == 404 and reason == "S3_SECRET_NOT_FOUND",
      f"{st} {reason}")

# the bucket stays (its owner's next secret can remove it); nothing secret is left in WORK
subprocess.run(["rm", "-rf", WORK])
print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
