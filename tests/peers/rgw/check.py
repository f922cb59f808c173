#!/usr/bin/env python3
"""Checks that a running RGW (from rgw/up.sh) enforces what s3adt's tests rely on. About 5 s.

usage: eval "$(tests/peers/rgw/up.sh DIR)"; python3 tests/peers/rgw/check.py
Reads S3ADT_RGW_ENDPOINT, S3ADT_RGW_ADMIN_AK/SK, S3ADT_RGW_ROLE_ARN, S3ADT_RGW_LIMITED_AK/SK.
Prints one line per check and "N passed, N failed"; exits 1 if any failed.
"""
import datetime
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness"))
from sigv4 import query_api, request, xml_text  # noqa: E402

EP = os.environ["S3ADT_RGW_ENDPOINT"]
AK, SK = os.environ["S3ADT_RGW_ADMIN_AK"], os.environ["S3ADT_RGW_ADMIN_SK"]
ROLE = os.environ["S3ADT_RGW_ROLE_ARN"]
LAK, LSK = os.environ["S3ADT_RGW_LIMITED_AK"], os.environ["S3ADT_RGW_LIMITED_SK"]
A_ONLY = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",'
          '"Resource":["arn:aws:s3:::bucket-a","arn:aws:s3:::bucket-a/*"]}]}')
results = []


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  -- ' + detail if detail else ''}", flush=True)


def sts(params, ak=AK, sk=SK, token=None, **kw):
    st, body = query_api(EP, ak, sk, "sts", dict(params, Version="2011-06-15"), token=token, **kw)
    return st, body, xml_text(body, "Code")


def ar(duration=None, policy=None, name="s3adt-check", ak=AK, sk=SK, role=ROLE):
    p = {"Action": "AssumeRole", "RoleArn": role, "RoleSessionName": name}
    if duration is not None:
        p["DurationSeconds"] = str(duration)
    if policy is not None:
        p["Policy"] = policy
    return sts(p, ak, sk)


def gst(duration=None, ak=AK, sk=SK):
    p = {"Action": "GetSessionToken"}
    if duration is not None:
        p["DurationSeconds"] = str(duration)
    return sts(p, ak, sk)


def creds(body):
    return xml_text(body, "AccessKeyId"), xml_text(body, "SecretAccessKey"), xml_text(body, "SessionToken")


def expiry(body):
    e = xml_text(body, "Expiration")  # e.g. 2026-11-22T19:31:37.083720393Z
    return datetime.datetime.fromisoformat(e.rstrip("Z")[:26]).replace(tzinfo=datetime.timezone.utc)


def get(path, c, **kw):
    st, _, b = request(EP, c[0], c[1], "GET", path, token=c[2] if len(c) > 2 else None, **kw)
    return st, (xml_text(b.decode(errors="replace"), "Code") if st != 200 else b.decode(errors="replace"))


def expect(name, got, want):
    check(name, got == want, f"got {got}, want {want}")


def main():
    # session policy
    st, b, code = ar(900, A_ONLY)
    check("AssumeRole with a session Policy (bucket-a only)", st == 200, f"HTTP {st} {code}")
    c = creds(b)
    expect("  session-policy creds read bucket-a/hello.txt", get("/bucket-a/hello.txt", c), (200, "hello from A"))
    expect("  session-policy creds read bucket-b/hello.txt", get("/bucket-b/hello.txt", c), (403, "AccessDenied"))
    expect("  session-policy creds list bucket-b", get("/bucket-b", c)[0], 403)
    expect("  same creds without the session token", get("/bucket-a/hello.txt", c[:2]), (403, "AccessDenied"))
    expect("  same creds, malformed session token", get("/bucket-a/hello.txt", (c[0], c[1], "bogus")), (400, "InvalidArgument"))
    expect("  same creds, wrong secret", get("/bucket-a/hello.txt", (c[0], "x" * 40, c[2])), (403, "SignatureDoesNotMatch"))

    # durations
    for what, fn in (("GetSessionToken", gst), ("AssumeRole", ar)):
        t0 = now()
        st, b, code = fn(900)
        ok = st == 200 and abs((expiry(b) - t0).total_seconds() - 900) < 5
        check(f"{what} DurationSeconds=900 -> Expiration ~ now+900 s", ok,
              f"HTTP {st} {code} +{(expiry(b) - t0).total_seconds():.1f}s" if st == 200 else f"HTTP {st} {code}")
        t0 = now()
        st, b, code = fn(None)
        check(f"{what} without DurationSeconds -> now+3600 s", st == 200 and abs((expiry(b) - t0).total_seconds() - 3600) < 5)
    for d, want in ((0, 400), (1, 200), (899, 200), (43200, 200), (43201, 400)):
        st, _, code = ar(d)
        expect(f"AssumeRole DurationSeconds={d}", (st, code), (want, "InvalidArgument" if want == 400 else None))
    for d, want in ((1, 400), (899, 400), (900, 200), (43200, 200), (43201, 400)):
        st, _, code = gst(d)
        expect(f"GetSessionToken DurationSeconds={d}", (st, code), (want, "InvalidArgument" if want == 400 else None))

    # expiry: a 2 s session works, then is refused from its Expiration on
    st, b, code = ar(2)
    c, exp = creds(b), expiry(b)
    expect("AssumeRole DurationSeconds=2: usable at once", get("/bucket-a/hello.txt", c), (200, "hello from A"))
    time.sleep(max(0.0, (exp - now()).total_seconds() + 0.3))
    expect("  0.3 s after its Expiration: S3 GET refused", get("/bucket-a/hello.txt", c), (403, "AccessDenied"))
    st, _, _ = request(EP, c[0], c[1], "PUT", "/bucket-a/expired.txt", body=b"x", token=c[2])
    expect("  0.3 s after its Expiration: S3 PUT refused", st, 403)
    expect("  0.3 s after its Expiration: STS call refused", sts({"Action": "GetSessionToken"}, c[0], c[1], c[2])[::2],
           (403, "AccessDenied"))

    # identities, trust, errors
    rnd = ("AKIAS3ADTNOSUCHKEY00", "n" * 40)
    expect("unknown access key on S3", get("/bucket-a/hello.txt", rnd), (403, "AccessDenied"))
    expect("unknown access key on STS", gst(None, *rnd)[::2], (403, "AccessDenied"))
    expect("admin key, wrong secret, on S3", get("/bucket-a/hello.txt", (AK, "n" * 40)), (403, "AccessDenied"))
    expect("AssumeRole by a user the trust policy does not name (limited)", ar(900, ak=LAK, sk=LSK)[::2], (403, "AccessDenied"))
    expect("AssumeRole of a missing role", ar(900, role="arn:aws:iam:::role/no-such-role")[::2], (404, "NoSuchEntity"))
    expect("AssumeRole with a malformed Policy", ar(900, "not json")[::2], (400, "MalformedPolicyDocument"))
    big = '{"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Allow","Action":"s3:*","Resource":"*"}]}' % ("x" * 3000)
    expect("AssumeRole with a 3 KB Policy", ar(900, big)[::2], (400, "PackedPolicyTooLarge"))
    expect("AssumeRole with RoleSessionName of 1 character", ar(900, name="a")[::2], (400, "InvalidArgument"))
    expect("limited user reads admin's bucket-a", get("/bucket-a/hello.txt", (LAK, LSK)), (403, "AccessDenied"))
    expect("limited user GetSessionToken (identity policy gst)", gst(900, LAK, LSK)[0], 200)
    skew = now() + datetime.timedelta(minutes=16)
    expect("request signed 16 min in the future", get("/bucket-a/hello.txt", (AK, SK), amz_date=skew), (403, "RequestTimeTooSkewed"))
    skew = now() - datetime.timedelta(minutes=14)
    expect("request signed 14 min in the past", get("/bucket-a/hello.txt", (AK, SK), amz_date=skew)[0], 200)

    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
