#!/usr/bin/env python3
"""Records what a moto server with auth on enforces and what it does not. About 1 s.

usage: python3 tests/peers/moto/setup.py "$S3ADT_MOTO_ENDPOINT" --auth-on > moto.json
       python3 tests/peers/moto/check.py moto.json
Each check states moto 5.2.x's measured behaviour; a FAIL means the installed moto behaves
differently from what tests/peers/README.md says. Prints "N passed, N failed"; exits 1 on a FAIL.
"""
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness"))
from sigv4 import query_api, request, xml_text  # noqa: E402

cfg = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
EP, ROLE = cfg["endpoint"], cfg["role_arn"]
AK, SK = cfg["alice"]["access_key"], cfg["alice"]["secret_key"]
A_ONLY = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",'
          '"Resource":["arn:aws:s3:::bucket-a","arn:aws:s3:::bucket-a/*"]}]}')
RND = ("AKIAS3ADTNOSUCHKEY00", "n" * 40)
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  -- ' + detail if detail else ''}", flush=True)


def expect(name, got, want):
    check(name, got == want, f"got {got}, want {want}")


def sts(params, ak=AK, sk=SK, token=None):
    st, body = query_api(EP, ak, sk, "sts", dict(params, Version="2011-06-15"), token=token)
    return st, body, xml_text(body, "Code")


def ar(duration=900, policy=None, role=ROLE, ak=AK, sk=SK):
    p = {"Action": "AssumeRole", "RoleArn": role, "RoleSessionName": "s3adt-check", "DurationSeconds": str(duration)}
    if policy is not None:
        p["Policy"] = policy
    return sts(p, ak, sk)


def creds(body):
    return xml_text(body, "AccessKeyId"), xml_text(body, "SecretAccessKey"), xml_text(body, "SessionToken")


def get(path, c):
    st, _, b = request(EP, c[0], c[1], "GET", path, token=c[2] if len(c) > 2 else None)
    return st, (xml_text(b.decode(errors="replace"), "Code") if st != 200 else b.decode(errors="replace"))


def main():
    expect("alice GetSessionToken", sts({"Action": "GetSessionToken", "DurationSeconds": "900"})[0], 200)
    st, b, _ = sts({"Action": "GetSessionToken", "DurationSeconds": "900"})
    g = creds(b)
    expect("  GetSessionToken returns the fixed key AKIAIOSFODNN7EXAMPLE", g[0], "AKIAIOSFODNN7EXAMPLE")
    expect("  ...which S3 does not know (auth on)", get("/bucket-a/hello.txt", g), (403, "InvalidAccessKeyId"))
    st, b, code = ar()
    expect("alice AssumeRole s3-restricted", st, 200)
    expect("  role creds read bucket-a", get("/bucket-a/hello.txt", creds(b)), (200, "hello from A"))
    bob = (cfg["bob"]["access_key"], cfg["bob"]["secret_key"])
    expect("bob (sts:* but not in the role's trust) AssumeRole", ar(ak=bob[0], sk=bob[1])[::2], (403, "AccessDenied"))
    expect("unknown key on STS", sts({"Action": "GetSessionToken"}, *RND)[::2], (403, "InvalidClientTokenId"))
    expect("unknown key on S3 GET", get("/bucket-a/hello.txt", RND), (403, "InvalidAccessKeyId"))
    expect("alice key, wrong secret, on STS", sts({"Action": "GetSessionToken"}, AK, "n" * 40)[::2], (403, "SignatureDoesNotMatch"))
    expect("alice key, wrong secret, on S3", get("/bucket-a/hello.txt", (AK, "n" * 40)), (403, "SignatureDoesNotMatch"))
    st, b, _ = ar()
    c = creds(b)
    expect("role creds without their session token on S3", get("/bucket-a/hello.txt", c[:2]), (403, "InvalidAccessKeyId"))
    expect("role creds with a bogus session token on S3", get("/bucket-a/hello.txt", (c[0], c[1], "bogus")), (400, "InvalidToken"))
    # not enforced by moto (use RGW for these)
    st, b, _ = ar(policy=A_ONLY)
    expect("NOT ENFORCED: session Policy bucket-a only, yet bucket-b readable", get("/bucket-b/hello.txt", creds(b)), (200, "hello from B"))
    expect("NOT CHECKED: AssumeRole of a missing role succeeds", ar(role="arn:aws:iam::123456789012:role/no-such-role")[0], 200)
    st, b, _ = ar(role="arn:aws:iam::123456789012:role/no-such-role")
    expect("  ...and S3 with those creds gets HTTP 500", get("/bucket-a/hello.txt", creds(b))[0], 500)
    for d in (1, 899, 43201, 10 ** 7):
        expect(f"NOT CHECKED: AssumeRole DurationSeconds={d} accepted", ar(d)[0], 200)
        expect(f"NOT CHECKED: GetSessionToken DurationSeconds={d} accepted",
               sts({"Action": "GetSessionToken", "DurationSeconds": str(d)})[0], 200)
    expect("NOT CHECKED: AssumeRole with Policy='not json' accepted", ar(policy="not json")[0], 200)
    big = '{"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Allow","Action":"s3:*","Resource":"*"}]}' % ("x" * 3000)
    expect("NOT CHECKED: AssumeRole with a 3 KB Policy accepted", ar(policy=big)[0], 200)
    st, b, _ = ar(1)
    c = creds(b)
    time.sleep(2)
    expect("NOT ENFORCED: expiry (DurationSeconds=1 creds still work 2 s later)", get("/bucket-a/hello.txt", c), (200, "hello from A"))
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
