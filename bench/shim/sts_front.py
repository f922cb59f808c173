#!/usr/bin/env python3
"""HTTPS front for a plain-HTTP moto, on loopback, that counts the STS calls passed through it.

usage: sts_front.py --upstream-port P --cert CERT --key KEY --ready FILE

Why: hadoop-aws 3.4.1 reaches STS only as https://<fs.s3a.assumed.role.sts.endpoint>
(docs/hadoop-facts.md section 9), and tests/peers/moto/up.sh serves plain HTTP. bench/shim.sh
starts this in front of moto and points BOTH sides at it (endpoint 127.0.0.1:PORT, so https):
the same STS, the same TLS, the same extra hop for s3adt and for hadoop-aws.

What it does: terminates TLS and keeps the client's connection open across requests, as AWS STS
does. moto's server (werkzeug) answers every request with `Connection: close`, so each request
goes to moto over a new loopback connection (the answer read by its Content-Length, not to EOF);
the answer goes back without that header, so a client may reuse its TLS connection (both sides pool connections; whether they reuse them is
theirs to show: see `connections`). Request and answer bytes are otherwise relayed unchanged, so
SigV4 signatures over Host 127.0.0.1:PORT verify.

Counts: `connections` (TLS connections accepted, i.e. full handshakes), `requests`, per STS
Action (`sts` is every request signed for the sts service; `sts.GetSessionToken` etc. by the
Action in the form body or query), and `upstream_us`, the total time spent waiting for moto's
answers (connect, send, read the answer), so a client can tell its own time from the server's.
Once listening it writes `PORT CONTROL_PORT` to FILE; `GET /counts` on
http://127.0.0.1:CONTROL_PORT answers one line of `key=value` pairs, e.g.
`connections=3 requests=120 sts=120 sts.GetSessionToken=120 upstream_us=350000`. A request is counted before it is
passed to moto, so once a client has its answer the request is in the counts.
"""
import argparse
import asyncio
import os
import ssl
import sys
import time
import urllib.parse

counts = {"connections": 0, "requests": 0, "sts": 0, "upstream_us": 0}
MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024


def count(key):
    counts[key] = counts.get(key, 0) + 1


def headers_of(head):
    """(first line, [(name, value)]) of an HTTP head without its final CRLFCRLF."""
    lines = head.decode("latin-1").split("\r\n")
    return lines[0], [tuple(x.strip() for x in line.split(":", 1)) for line in lines[1:] if ":" in line]


def get(hdrs, name):
    for k, v in hdrs:
        if k.lower() == name:
            return v
    return None


def tally(request_line, hdrs, body):
    count("requests")
    auth = get(hdrs, "authorization") or ""
    i = auth.find("Credential=")
    scope = auth[i + len("Credential="):].split(",", 1)[0].split("/") if i >= 0 else []
    if len(scope) >= 5 and scope[3] == "sts":
        count("sts")
        target = request_line.split(" ")[1] if request_line.count(" ") >= 2 else ""
        query = urllib.parse.urlsplit(target).query
        action = urllib.parse.parse_qs(query).get("Action", [None])[0]
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action")
        count("sts." + ((form[0] if form else action) or "unknown"))


async def exchange(upstream_port, request):
    """Send one request to moto on a new connection; its whole answer, framed by Content-Length.

    Reading to EOF instead would wait for werkzeug to close its side, 12-13 ms after the answer
    (measured here: 16 ms a GetSessionToken read to EOF, 2.7 ms read by Content-Length)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    try:
        writer.write(request)
        await writer.drain()
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as e:
            return e.partial
        _, hdrs = headers_of(head[:-4])
        length = get(hdrs, "content-length")
        if length is not None and not get(hdrs, "transfer-encoding"):
            return head + await reader.readexactly(int(length))
        return head + await reader.read()  # no length: to EOF
    finally:
        writer.close()


def rewrite_answer(raw):
    """moto's answer without `Connection: close`, with a Content-Length when it had no framing."""
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        return None
    first, hdrs = headers_of(raw[:end])
    body = raw[end + 4:]
    kept = [(k, v) for k, v in hdrs if k.lower() not in ("connection", "keep-alive")]
    if get(kept, "content-length") is None and get(kept, "transfer-encoding") is None:
        kept.append(("Content-Length", str(len(body))))
    head = first + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in kept) + "\r\n"
    return head.encode("latin-1") + body


def front(upstream_port):
    async def handle(reader, writer):
        count("connections")
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    break
                first, hdrs = headers_of(head[:-4])
                if len(head) > MAX_HEAD or get(hdrs, "transfer-encoding"):
                    writer.write(b"HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    break
                if (get(hdrs, "expect") or "").lower() == "100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                    await writer.drain()
                length = int(get(hdrs, "content-length") or 0)
                if length > MAX_BODY:
                    writer.write(b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    break
                body = await reader.readexactly(length) if length else b""
                tally(first, hdrs, body)
                kept = [(k, v) for k, v in hdrs if k.lower() not in ("expect", "connection", "keep-alive")]
                request = (first + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in kept) + "\r\n").encode("latin-1") + body
                t0 = time.perf_counter()
                answer = rewrite_answer(await exchange(upstream_port, request))
                counts["upstream_us"] += int((time.perf_counter() - t0) * 1e6)
                if answer is None:
                    writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    break
                writer.write(answer)
                await writer.drain()
                if (get(hdrs, "connection") or "").lower() == "close":
                    break
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    return handle


async def control(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        parts = head.split(b" ", 2)
        if len(parts) > 1 and parts[1] == b"/counts":
            body = (" ".join(f"{k}={v}" for k, v in counts.items()) + "\n").encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        else:
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
    # loopback only; asyncio sets TCP_NODELAY on the TCP transports it makes
    srv = await asyncio.start_server(front(a.upstream_port), "127.0.0.1", 0, ssl=ctx, backlog=128)
    ctl = await asyncio.start_server(control, "127.0.0.1", 0)
    tmp = a.ready + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{srv.sockets[0].getsockname()[1]} {ctl.sockets[0].getsockname()[1]}\n")
    os.replace(tmp, a.ready)
    await asyncio.gather(srv.serve_forever(), ctl.serve_forever())


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
