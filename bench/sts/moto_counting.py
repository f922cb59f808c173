#!/usr/bin/env python3
"""moto server for the STS benchmark: HTTPS, and a count of the requests it serves.

usage: moto_counting.py --port P --control-port Q --cert CERT --key KEY

Serves moto (STS, S3, IAM on one port) as `python3 -m moto.server` does (the same dispatcher
app under werkzeug's threaded server), but over TLS: hadoop-aws 3.4.1 always talks to an STS
endpoint as https://<fs.s3a.assumed.role.sts.endpoint> (docs/hadoop-facts.md section 9), so an
http moto cannot serve it. A few changes make it faster, the same for every client (see main):
TCP_NODELAY on its sockets, moto's module list computed once, a shorter GIL switch interval, no
log line per request.
A WSGI wrapper counts every request before moto sees it:

  sts.<Action>   requests signed for service "sts" (the SigV4 credential scope), by Action
  s3             requests signed for service "s3"
  other          anything else (moto-api calls, unsigned requests)
  connections    TCP (TLS) connections accepted. werkzeug 3 closes every connection after one
                 response (it sends `Connection: close`), so here every request is a new TLS
                 connection, whichever client sends it.

The counts are read over plain HTTP on 127.0.0.1:CONTROL_PORT: `GET /counts` answers one line,
`key=value` pairs separated by spaces, e.g. `sts=12 sts.GetSessionToken=12 s3=0 other=1`.
A client takes the counts before and after a measurement and subtracts. A request is counted
before moto answers it, so once a client has its answer the request is in the counts.
Loopback only.
"""
import argparse
import http.server
import io
import socket
import sys
import threading
import urllib.parse

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Counts:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {"sts": 0, "s3": 0, "other": 0}

    def add(self, *keys):
        with self._lock:
            for k in keys:
                self._counts[k] = self._counts.get(k, 0) + 1

    def line(self):
        with self._lock:
            return " ".join(f"{k}={v}" for k, v in sorted(self._counts.items()))


def service_of(environ):
    """The service a SigV4 request was signed for: Credential=AK/DATE/REGION/SERVICE/aws4_request."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    i = auth.find("Credential=")
    if i < 0:
        return None
    scope = auth[i + len("Credential="):].split(",", 1)[0].split("/")
    return scope[3] if len(scope) >= 5 else None


def counting(app, counts):
    def wrapped(environ, start_response):
        service = service_of(environ)
        if service == "sts":
            # the Action is in the form body (POST) or the query (GET); the body is read here and
            # put back for moto
            action = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("Action", [None])[0]
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if length > 0:
                body = environ["wsgi.input"].read(length)
                environ["wsgi.input"] = io.BytesIO(body)
                action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", [action])[0]
            counts.add("sts", f"sts.{action or 'unknown'}")
        elif service == "s3":
            counts.add("s3")
        else:
            counts.add("other")
        return app(environ, start_response)

    return wrapped


def serve_control(port, counts):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/counts":
                self.send_error(404)
                return
            body = (counts.line() + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--control-port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    a = ap.parse_args()
    if a.host not in LOOPBACK:
        sys.exit(f"moto_counting: refusing non-loopback host {a.host}")
    import functools
    import logging

    import moto.backends
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import WSGIRequestHandler, run_simple

    counts = Counts()

    class Handler(WSGIRequestHandler):
        def setup(self):
            super().setup()
            counts.add("connections")
            # werkzeug writes a response's headers and body in separate TLS records; with Nagle
            # on, the body waits for the client's delayed ACK of the headers (measured on this
            # 2-core machine: 21 ms per STS call with Nagle, 11-14 ms without)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # moto matches every request against the list of its own packages, which it rebuilds from
    # the file system each time (~180 stat calls a request); the list cannot change while the
    # server runs
    modules = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = functools.lru_cache(maxsize=None)(lambda: modules)
    # a thread per connection: hand the GIL over sooner than every 5 ms
    sys.setswitchinterval(0.0005)
    # no line per request in the log
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    serve_control(a.control_port, counts)
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True  # as moto.server does
    run_simple(a.host, a.port, counting(app, counts), threaded=True, ssl_context=(a.cert, a.key),
               request_handler=Handler)


if __name__ == "__main__":
    main()
