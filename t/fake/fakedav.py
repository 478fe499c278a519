#!/usr/bin/python3
"""A WebDAV server that misbehaves on request, for t/webdav_faults.t.

Real servers (Apache mod_dav, rclone) are what the conversation tests use;
this one does what they will not: answer slowly, fail with 500 or 401,
send a malformed or a huge 207. One folder /dav/ holding one file a.txt,
Basic auth user "dav", password given on the command line.

    fakedav.py --ready FILE --password PW

writes its port to FILE once it listens on 127.0.0.1. GET /_mode/NAME (no
auth) sets how every later request is answered: ok, slow, e500, e401,
malformed, huge. GET /_count answers how many requests came since the
last mode change. Standard library only.
"""

import argparse
import base64
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = {"name": "ok", "count": 0}
LOCK = threading.Lock()
PASSWORD = None
SLOW_SECONDS = 30
HUGE_ENTRIES = 100000

HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">\n'
TAIL = b"</D:multistatus>\n"


def entry(href, folder, size=0):
    kind = b"<D:collection/>" if folder else b""
    length = b"" if folder else b"<D:getcontentlength>%d</D:getcontentlength>" % size
    return (b"<D:response><D:href>" + href + b"</D:href><D:propstat><D:prop>"
            b"<D:resourcetype>" + kind + b"</D:resourcetype>" + length +
            b"</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body=b"", ctype="application/xml; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorised(self):
        want = base64.b64encode(b"dav:" + PASSWORD.encode()).decode()
        return self.headers.get("Authorization", "") == "Basic " + want

    def control(self):
        if self.path.startswith("/_mode/"):
            with LOCK:
                MODE["name"] = self.path[len("/_mode/"):]
                MODE["count"] = 0
            return self.answer(200, b"ok\n", "text/plain")
        if self.path == "/_count":
            return self.answer(200, b"%d\n" % MODE["count"], "text/plain")
        return self.answer(404)

    def serve(self):
        if self.path.startswith("/_"):
            return self.control()
        length = int(self.headers.get("Content-Length", "0") or "0")
        if length:
            self.rfile.read(length)
        with LOCK:
            MODE["count"] += 1
            mode = MODE["name"]
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
            return self.answer(503)
        if mode == "e500":
            return self.answer(500, b"<html>oops</html>", "text/html")
        if mode == "e401" or not self.authorised():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="fake"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if self.command == "GET" and self.path == "/dav/a.txt":
            return self.answer(200, b"hello\n", "text/plain")
        if self.command != "PROPFIND" or self.path not in ("/dav/", "/dav/a.txt"):
            return self.answer(404)
        if mode == "malformed":
            return self.answer(207, HEAD + b"<D:response><D:href>/dav/</D:href>")
        if mode == "huge":
            return self.huge()
        body = [HEAD, entry(b"/dav/", True)]
        if self.headers.get("Depth") == "1" or self.path == "/dav/a.txt":
            body.append(entry(b"/dav/a.txt", False, 6))
        if self.path == "/dav/a.txt":
            body = [HEAD, entry(b"/dav/a.txt", False, 6)]
        return self.answer(207, b"".join(body + [TAIL]))

    def huge(self):
        """100,000 entries, sent as they are made (chunked)."""
        self.send_response(207)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(data):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

        try:
            chunk(HEAD + entry(b"/dav/", True))
            for start in range(0, HUGE_ENTRIES, 1000):
                chunk(b"".join(entry(b"/dav/f%06d.txt" % i, False, i)
                               for i in range(start, start + 1000)))
            chunk(TAIL)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what a bounded client does
        return None

    do_GET = serve
    do_PROPFIND = serve
    do_HEAD = serve


def main():
    global PASSWORD
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready", required=True)
    ap.add_argument("--password", required=True)
    opts = ap.parse_args()
    PASSWORD = opts.password
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = opts.ready + ".tmp"
    with open(tmp, "w") as fh:
        fh.write("%d\n" % server.server_address[1])
    os.rename(tmp, opts.ready)
    server.serve_forever()


if __name__ == "__main__":
    main()
