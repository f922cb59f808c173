#!/usr/bin/env python3
"""Checks that a running OpenBao (from openbao/up.sh) answers as s3adt's Vault source will rely on:
KV v2 and v1 in the namespace Ozone's Vault store uses, with Ozone's layout (one field named by the
access key id, at <secretpath>/<access key id>). About 1 s. Never prints a secret.

usage: eval "$(tests/peers/openbao/up.sh DIR)"; python3 tests/peers/openbao/check.py
Reads S3ADT_BAO_ADDR, S3ADT_BAO_TOKEN_FILE, S3ADT_BAO_NAMESPACE.
Prints one line per check and "N passed, N failed"; exits 1 if any failed.
"""
import json
import os
import secrets
import sys
import urllib.error
import urllib.request

ADDR = os.environ["S3ADT_BAO_ADDR"]
TOKEN = open(os.environ["S3ADT_BAO_TOKEN_FILE"]).read().strip()
NS = os.environ.get("S3ADT_BAO_NAMESPACE", "ozone")
if not ADDR.startswith(("http://127.0.0.1:", "http://localhost:")):
    sys.exit(f"refusing non-loopback {ADDR}")
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  -- ' + detail if detail else ''}", flush=True)


def call(method, path, body=None, token=TOKEN, ns=NS):
    """(status, parsed JSON or {})"""
    headers = {"X-Vault-Token": token}
    if ns:
        headers["X-Vault-Namespace"] = ns
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(ADDR + "/v1/" + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else {})
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, {}


ak = "alice@EXAMPLE.TEST"
value = secrets.token_hex(32)
st, h = call("GET", "sys/health", ns=None)
check("sys/health: initialized, unsealed", st == 200 and h.get("initialized") and not h.get("sealed"), str(st))

st, _ = call("POST", f"secret/data/{ak}", {"data": {ak: value}})
check("KV v2 write in namespace ozone, Ozone's layout (secret/<access key id>, one field named by it)", st == 200,
      str(st))
st, r = call("GET", f"secret/data/{ak}")
got = (r.get("data") or {}).get("data") or {}
check("KV v2 read: data.data.<access key id> is the value, metadata version 1",
      st == 200 and got.get(ak) == value and r["data"]["metadata"]["version"] == 1, str(st))
st, r = call("GET", f"secret/{ak}")
check("KV v2 read with a v1 path (a wrong engine version): 404", st == 404, f"{st} {r.get('warnings') or r.get('errors')}")

st, _ = call("POST", f"secret-v1/{ak}", {ak: value})
check("KV v1 write", st in (200, 204), str(st))
st, r = call("GET", f"secret-v1/{ak}")
check("KV v1 read: data.<access key id> is the value", st == 200 and (r.get("data") or {}).get(ak) == value, str(st))
st, r = call("GET", f"secret-v1/data/{ak}")
check("KV v1 read with a v2 path (a wrong engine version): 404", st == 404, str(st))

st, _ = call("GET", "secret/data/bob@EXAMPLE.TEST")
check("a missing path: 404", st == 404, str(st))
st, _ = call("GET", f"secret/data/{ak}", ns=None)
check("the same path outside the namespace: 404 (namespaces are separate)", st == 404, str(st))
st, r = call("GET", f"secret/data/{ak}", token="s.not-a-token")
check("a wrong token: 403 permission denied", st == 403 and "permission denied" in json.dumps(r), str(st))

call("DELETE", f"secret/metadata/{ak}")
call("DELETE", f"secret-v1/{ak}")
print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
