"""Minimal AWS SigV4 client on the Python standard library, for the test peers (loopback only).

    from sigv4 import request, query_api
    status, headers, body = request("http://127.0.0.1:PORT", ak, sk, "GET", "/bucket-a/hello.txt")
    status, body = query_api(endpoint, ak, sk, "sts", {"Action": "GetSessionToken", ...}, token=None)

Query APIs (STS, IAM) are sent as a POST form with spaces percent-encoded (%20), never `+`:
RGW does not decode `+` as a space.
"""
import datetime
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request

REGION = "us-east-1"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _q(s, safe="-_.~"):
    return urllib.parse.quote(s, safe=safe)


def request(endpoint, ak, sk, method, path, query=None, body=b"", service="s3", token=None,
            headers=None, region=REGION, timeout=30, amz_date=None):
    """Signs and sends one request; returns (status, headers dict lower-cased, body bytes)."""
    u = urllib.parse.urlsplit(endpoint)
    if u.hostname not in LOOPBACK:
        raise ValueError(f"refusing non-loopback endpoint {endpoint}")
    host = u.netloc
    query = query or {}
    if isinstance(body, str):
        body = body.encode()
    t = amz_date or datetime.datetime.now(datetime.timezone.utc)
    amzdate = t.strftime("%Y%m%dT%H%M%SZ")
    date = amzdate[:8]
    payload_hash = hashlib.sha256(body).hexdigest()
    hdrs = {"host": host, "x-amz-date": amzdate, "x-amz-content-sha256": payload_hash}
    if token:
        hdrs["x-amz-security-token"] = token
    for k, v in (headers or {}).items():
        hdrs[k.lower()] = v
    canon_path = _q(path, safe="/-_.~")
    canon_query = "&".join(f"{_q(k)}={_q(str(v))}" for k, v in sorted(query.items()))
    signed = sorted(hdrs)
    canon_headers = "".join(f"{k}:{str(hdrs[k]).strip()}\n" for k in signed)
    sh = ";".join(signed)
    creq = f"{method}\n{canon_path}\n{canon_query}\n{canon_headers}\n{sh}\n{payload_hash}"
    scope = f"{date}/{region}/{service}/aws4_request"
    sts = f"AWS4-HMAC-SHA256\n{amzdate}\n{scope}\n{hashlib.sha256(creq.encode()).hexdigest()}"
    k = ("AWS4" + sk).encode()
    for m in (date, region, service, "aws4_request"):
        k = hmac.new(k, m.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    hdrs["authorization"] = f"AWS4-HMAC-SHA256 Credential={ak}/{scope}, SignedHeaders={sh}, Signature={sig}"
    url = f"{u.scheme}://{host}{canon_path}" + (f"?{canon_query}" if canon_query else "")
    send = {k: v for k, v in hdrs.items() if k != "host"}
    req = urllib.request.Request(url, data=body if method in ("PUT", "POST") else None, method=method, headers=send)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def query_api(endpoint, ak, sk, service, params, token=None, **kw):
    """A form-encoded Query API call (STS, IAM): returns (status, body text)."""
    body = "&".join(f"{_q(k)}={_q(str(v))}" for k, v in params.items())
    st, _, b = request(endpoint, ak, sk, "POST", "/", body=body, service=service, token=token,
                       headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"}, **kw)
    return st, b.decode(errors="replace")


def xml_text(body, tag):
    """The text of the first <tag> in an XML reply (namespace-agnostic), or None."""
    import re
    m = re.search(rf"<(?:\w+:)?{tag}>(.*?)</(?:\w+:)?{tag}>", body, re.S)
    return m.group(1) if m else None
