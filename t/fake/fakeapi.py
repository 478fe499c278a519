#!/usr/bin/python3
"""Fake Twilio REST and Kloudless v1 servers for the mod_smscloud test suite.

Both fakes run in one process on two loopback ports so a test can script them
and read back what the module sent.  Wire formats follow
shared/reference/external-apis.md; see t/fake/README.md for the control API.
Standard library only: it must run with Debian's /usr/bin/python3.
"""

import argparse
import base64
import datetime
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

OPTS = None             # parsed command line, read by the handlers
LOCK = threading.Lock() # one lock for all state: contention is irrelevant here
DOWN = object()         # handler result: drop the connection without answering

# Script keys that shape one answer; `times` counts them down together.
BEHAVIOUR_KEYS = ("status", "body", "delay", "down", "truncate", "paths", "times")
STAMP = "2026-01-15T10:00:00Z"


class Resp:
    def __init__(self, status, body=b"", headers=None, ctype="application/json"):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.headers = list(headers or [])
        if ctype and self.body:
            self.headers.append(("Content-Type", ctype))


class RawName(bytes):
    """A name that is not valid UTF-8; json_bytes() emits its bytes raw."""


def json_bytes(value):
    """Serialise to UTF-8 JSON, letting RawName bytes through unchanged.

    The json module cannot emit invalid UTF-8, so RawName values go out as
    unique placeholder strings which are then swapped for the escaped bytes.
    """
    raws = []
    nonce = secrets.token_hex(8)

    def placeholder(o):
        if isinstance(o, RawName):
            raws.append(bytes(o))
            return "@@raw-%s-%d@@" % (nonce, len(raws) - 1)
        raise TypeError("not JSON serialisable: %r" % (o,))

    # surrogatepass: a lone surrogate injected by a test becomes bytes, not a crash.
    out = json.dumps(value, ensure_ascii=False, default=placeholder).encode("utf-8", "surrogatepass")
    for i, raw in enumerate(raws):
        esc = bytearray()
        for b in raw:
            if b in (0x22, 0x5C):
                esc += b"\\" + bytes([b])
            elif b < 0x20:
                esc += b"\\u%04x" % b
            else:
                esc.append(b)
        out = out.replace(('"@@raw-%s-%d@@"' % (nonce, i)).encode(), b'"' + bytes(esc) + b'"')
    return out


def jresp(status, value, headers=None):
    return Resp(status, json_bytes(value), headers)


class Request:
    """One parsed API request, also the shape recorded for /_fake/requests."""

    def __init__(self, method, target, headers, body):
        url = urlsplit(target)
        self.method, self.path, self.query = method, url.path, url.query
        self.args = parse_qs(url.query, keep_blank_values=True)
        self.headers = {}
        for k, v in headers.items():
            k = k.lower()
            self.headers[k] = self.headers[k] + ", " + v if k in self.headers else v
        self.body = body
        self.text = body.decode("utf-8", "replace")
        ctype = self.headers.get("content-type", "").split(";")[0].strip().lower()
        self.form = self.json = None
        if ctype == "application/x-www-form-urlencoded":
            self.form = parse_qs(self.text, keep_blank_values=True)
        elif ctype == "application/json" or ctype.endswith("+json"):
            try:
                self.json = json.loads(self.text)
            except ValueError:
                pass
        self.time = time.time()

    def arg(self, name, default=None):
        return self.args.get(name, [default])[0]

    def field(self, name):
        return (self.form or {}).get(name, [None])[0]

    def record(self):
        return {"method": self.method, "path": self.path, "query": self.query,
                "headers": self.headers, "body": self.text, "form": self.form,
                "json": self.json, "time": self.time}


class Service:
    """State and scripting shared by both fakes; subclasses supply route()."""

    name = None

    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = []
        self.script = {}

    def merge_script(self, sc):
        # Reject bad values here (400 to the test) rather than crash mid-request.
        for k, conv in (("status", int), ("delay", float), ("times", int), ("body", str)):
            if sc.get(k) is not None and not isinstance(sc[k], bool) and conv(sc[k]) != sc[k]:
                raise ValueError("%s: bad value %r" % (k, sc[k]))
        # Shallow merge; a null value removes a key so tests can undo one override.
        for k, v in sc.items():
            if v is None:
                self.script.pop(k, None)
            else:
                self.script[k] = v

    def take_override(self, path):
        """The answer-shaping part of the script that applies to this request."""
        sc = self.script
        if not any(k in sc for k in BEHAVIOUR_KEYS if k not in ("paths", "times")):
            return {}
        paths = sc.get("paths")
        if paths is not None:
            paths = [paths] if isinstance(paths, str) else paths
            if not any(p in path for p in paths):
                return {}
        ov = {k: sc[k] for k in BEHAVIOUR_KEYS if k in sc}
        if "times" in sc:
            sc["times"] = int(sc["times"]) - 1
            if sc["times"] <= 0:
                for k in BEHAVIOUR_KEYS:
                    sc.pop(k, None)
        return ov

    def handle(self, req):
        with LOCK:
            self.requests.append(req.record())
            ov = self.take_override(req.path)
        if ov.get("delay"):
            time.sleep(float(ov["delay"]))
        if ov.get("down"):
            return DOWN
        if ov.get("status") is not None:
            # A scripted status short-cuts the handler so no side effect happens
            # (no SMS recorded as sent, no link created).
            status = int(ov["status"])
            if ov.get("body") is not None:
                resp = Resp(status, ov["body"])
            else:
                resp = self.error_for_status(status)
        else:
            with LOCK:
                resp = self.route(req)
            if ov.get("body") is not None:
                resp.body = ov["body"].encode("utf-8")
        if ov.get("truncate"):
            resp.body = resp.body[: len(resp.body) // 2]
        if resp.status == 429:
            resp.headers.append(("Retry-After", "1"))
        return resp

    def control(self, req):
        """GET answers for /_fake/<what> specific to this port (None = unknown)."""
        return None


# ---------------------------------------------------------------------------
# Twilio

def twilio_error(status, code, message):
    return jresp(status, {"code": code, "message": message,
                          "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                          "status": status})


TWILIO_MAGIC = {"+15005550001": (21211, "The 'To' number +15005550001 is not a valid phone number."),
                "+15005550004": (21610, "Attempt to send to unsubscribed recipient"),
                "+15005550009": (21614, "'To' number is not a valid mobile number")}


class Twilio(Service):
    name = "twilio"

    def reset(self):
        super().reset()
        self.messages = []

    def error_for_status(self, status):
        code = {401: 20003, 429: 20429}.get(status, 20000 + status)
        text = {401: "Authenticate", 429: "Too Many Requests"}.get(status, "Scripted error")
        return twilio_error(status, code, text)

    def control(self, req):
        if req.path == "/_fake/messages" and req.method == "GET":
            return jresp(200, self.messages)
        return None

    def route(self, req):
        m = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Messages\.json", req.path)
        if not m:
            return twilio_error(404, 20404, "The requested resource %s was not found" % req.path)
        if req.method != "POST":
            return twilio_error(405, 20004, "Method not allowed")
        sid = m.group(1)
        if not (sid == OPTS.twilio_sid and basic_auth(req) == (sid, OPTS.twilio_token)):
            return twilio_error(401, 20003, "Authenticate")
        to, frm, mss = req.field("To"), req.field("From"), req.field("MessagingServiceSid")
        body = req.field("Body")
        if not to:
            return twilio_error(400, 21604, "A 'To' phone number is required.")
        if not frm and not mss:
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        if not body and not req.field("MediaUrl"):
            return twilio_error(400, 21602, "Message body is required.")
        if body and len(body) > 1600:
            return twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if to in TWILIO_MAGIC:
            return twilio_error(400, *TWILIO_MAGIC[to])
        msid = "SM" + secrets.token_hex(16)
        self.messages.append({"to": to, "from": frm, "body": body,
                              "messaging_service_sid": mss, "sid": msid})
        now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        return jresp(201, {
            "sid": msid, "account_sid": sid, "from": frm, "to": to, "body": body,
            "status": "queued", "direction": "outbound-api", "num_segments": "1",
            "num_media": "0", "messaging_service_sid": mss, "error_code": None,
            "error_message": None, "api_version": "2010-04-01", "price": None,
            "price_unit": "USD", "date_created": now, "date_updated": now, "date_sent": None,
            "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (sid, msid),
            "subresource_uris": {"media": "/2010-04-01/Accounts/%s/Messages/%s/Media.json" % (sid, msid)}})


def basic_auth(req):
    h = req.headers.get("authorization", "")
    if not h.lower().startswith("basic "):
        return None
    try:
        user, _, pw = base64.b64decode(h[6:].strip(), validate=True).decode("utf-8").partition(":")
    except ValueError:
        return None
    return user, pw


# ---------------------------------------------------------------------------
# Kloudless

KERR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 429: "rate_limited",
              500: "internal_server_error", 502: "bad_gateway", 503: "service_unavailable"}


def kerr(status, message, code=None):
    return jresp(status, {"status_code": status, "message": message,
                          "error_code": code or KERR_CODES.get(status, "error"),
                          "id": str(uuid.uuid4())})


def default_tree():
    photos = [{"id": "file_img_%04d" % i, "name": "IMG_%04d.jpg" % i, "type": "file",
               "size": 100000 + i, "mime_type": "image/jpeg"} for i in range(1, 501)]
    return {
        "1234567890": {
            "root": [{"id": "fold_docs", "name": "Documents", "type": "folder"},
                     {"id": "fold_photos", "name": "Photos", "type": "folder"},
                     {"id": "file_notes", "name": "notes.txt", "type": "file", "size": 1234,
                      "mime_type": "text/plain"}],
            "fold_docs": [{"id": "file_report", "name": "report.pdf", "type": "file",
                           "size": 2500000, "mime_type": "application/pdf"},
                          {"id": "file_xml", "name": "a&b<c>\"q'.txt", "type": "file", "size": 10,
                           "mime_type": "text/plain"},
                          {"id": "fold_archive", "name": "Archive", "type": "folder"}],
            "fold_archive": [],
            "fold_photos": photos},
        "2222222222": {
            "root": [{"id": "file_todo", "name": "todo.md", "type": "file", "size": 42,
                      "mime_type": "text/markdown"}]}}


def account_info(aid, email, service, service_name):
    return {"id": int(aid) if aid.isdigit() else aid, "account": email, "service": service,
            "service_name": service_name, "active": True, "enabled": True, "admin": False,
            "apis": ["storage"], "api": "core", "type": "account",
            "created": "2020-05-15T03:24:56.887056Z", "modified": STAMP}


class Account:
    """One connected account: its JSON record and a folder tree."""

    def __init__(self, info):
        self.info = info
        self.set_tree({"root": []})

    def set_tree(self, tree):
        self.objects = {}   # id -> object spec from the tree (plus "parent")
        self.children = {"root": []}
        for fid, objs in tree.items():
            self.children.setdefault(fid, [])
            for spec in objs:
                spec = dict(spec)
                if "name_b64" in spec:
                    raw = base64.b64decode(spec.pop("name_b64"))
                    try:
                        spec["name"] = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        spec["name"] = RawName(raw)
                spec.setdefault("type", "file")
                spec["parent"] = fid
                self.objects[spec["id"]] = spec
                self.children[fid].append(spec["id"])

    def is_folder(self, fid):
        return fid in self.children or self.objects.get(fid, {}).get("type") == "folder"

    def render(self, oid):
        aid = self.info["id"]
        if oid == "root":
            spec, parent = {"id": "root", "name": "", "type": "folder"}, None
        else:
            spec = self.objects[oid]
            pid = spec["parent"]
            pname = "" if pid == "root" else self.objects.get(pid, {}).get("name", "")
            parent = {"id": pid, "name": pname, "type": "folder", "id_type": "default"}
        folder = spec["type"] == "folder"
        d = {"id": oid, "name": spec.get("name", oid), "type": spec["type"],
             "size": None if folder else 0, "created": STAMP, "modified": STAMP,
             "account": aid, "parent": parent, "ancestors": None, "path": None,
             "api": "storage", "raw_id": oid, "ids": {"default": oid}, "id_type": "default",
             "href": "/v1/accounts/%s/storage/%s/%s" % (aid, "folders" if folder else "files", oid)}
        if folder:
            d.update(can_create_folders=True, can_upload_files=True, can_list_recursively=True)
        else:
            d.update(mime_type="application/octet-stream", downloadable=True)
        # Anything else in the spec (size, mime_type, odd extras) overrides the defaults.
        d.update({k: v for k, v in spec.items() if k != "parent"})
        return d


def page_of(items, req, render):
    """Kloudless-style paging; non-numeric or out-of-range input is a 400."""
    try:
        page = int(req.arg("page", "1"))
        size = min(int(req.arg("page_size", "100")), 1000)
    except ValueError:
        return kerr(400, "Invalid page or page_size")
    if page < 1 or size < 1:
        return kerr(400, "Invalid page or page_size")
    chunk = items[(page - 1) * size: page * size]
    more = page * size < len(items)
    return jresp(200, {"page": page, "count": len(chunk), "next_page": page + 1 if more else None,
                       "objects": [render(x) for x in chunk], "type": "object_list",
                       "api": "storage"})


class Kloudless(Service):
    name = "kloudless"

    def reset(self):
        super().reset()
        self.accounts = {
            "1234567890": Account(account_info("1234567890", "alice@example.com", "dropbox", "Dropbox")),
            "2222222222": Account(account_info("2222222222", "bob@example.com", "gdrive", "Google Drive"))}
        for aid, tree in default_tree().items():
            self.accounts[aid].set_tree(tree)
        self.disconnected = set()   # DELETEd accounts: 404 until an OAuth connect again
        self.codes = {}             # authorization code -> (account id, redirect_uri)
        self.tokens = {}            # access token -> account id
        self.link_seq = 0

    def merge_script(self, sc):
        # Data changes apply at once and are not kept in the script.
        sc = dict(sc)
        for aid, fields in (sc.pop("accounts", None) or {}).items():
            self.account_for_script(aid).info.update(fields)
        for aid, tree in (sc.pop("tree", None) or {}).items():
            self.account_for_script(aid).set_tree(tree)
        super().merge_script(sc)

    def account_for_script(self, aid):
        aid = str(aid)
        if aid not in self.accounts:
            self.accounts[aid] = Account(account_info(aid, "user%s@example.com" % aid, "box", "Box"))
        return self.accounts[aid]

    def error_for_status(self, status):
        return kerr(status, "Scripted error")

    def route(self, req):
        segs = [unquote(s) for s in req.path.strip("/").split("/")]
        if segs[0] != "v1" or len(segs) < 2:
            return kerr(404, "Not found: %s" % req.path)
        if segs[1] == "oauth":
            return self.oauth(req, segs[2:])
        if segs[1] != "accounts":
            return kerr(404, "Not found: %s" % req.path)
        scope = self.authorise(req)
        if isinstance(scope, Resp):
            return scope
        if len(segs) == 2:
            if req.method != "GET":
                return kerr(405, "Method not allowed")
            ids = [a for a in self.accounts if a not in self.disconnected and scope in (None, a)]
            return page_of(ids, req, lambda a: self.accounts[a].info)
        aid = segs[2]
        if aid == "me":
            if scope is None:
                return kerr(400, "accounts/me needs a Bearer token")
            aid = scope
        if scope is not None and aid != scope:
            return kerr(403, "Token not valid for account %s" % aid)
        acct = self.accounts.get(aid)
        if acct is None or aid in self.disconnected:
            return kerr(404, "Account not found: %s" % aid)
        rest, m = segs[3:], req.method
        if not rest:
            if m == "GET":
                return jresp(200, acct.info)
            if m == "DELETE":
                self.disconnected.add(aid)
                self.tokens = {t: a for t, a in self.tokens.items() if a != aid}
                return Resp(204)
            return kerr(405, "Method not allowed")
        if rest[0] != "storage" or len(rest) < 2:
            return kerr(404, "Not found: %s" % req.path)
        if rest[1:] == ["links"] and m == "POST":
            return self.create_link(req, acct)
        if len(rest) in (3, 4) and rest[1] in ("folders", "files") and m == "GET":
            kind, oid = rest[1], rest[2]
            if kind == "folders":
                if not acct.is_folder(oid):
                    if oid in acct.objects:
                        return kerr(400, "Not a folder: %s" % oid)
                    return kerr(404, "Folder not found: %s" % oid)
                if len(rest) == 3:
                    return jresp(200, acct.render(oid))
                if rest[3] == "contents":
                    return page_of(acct.children.get(oid, []), req, acct.render)
            elif len(rest) == 3:
                if acct.objects.get(oid, {}).get("type") != "file":
                    return kerr(400 if acct.is_folder(oid) else 404, "File not found: %s" % oid)
                return jresp(200, acct.render(oid))
        return kerr(404, "Not found: %s" % req.path)

    def authorise(self, req):
        """None for the app-wide API key, an account id for a Bearer token, or a 401."""
        h = req.headers.get("authorization", "")
        scheme, _, cred = h.partition(" ")
        if scheme == "APIKey" and cred == OPTS.kloudless_key:
            return None
        if scheme == "Bearer" and cred in self.tokens:
            return self.tokens[cred]
        return kerr(401, "Invalid or missing authentication credentials")

    def create_link(self, req, acct):
        if req.json is None or not isinstance(req.json, dict):
            return kerr(400, "Request body must be a JSON object (Content-Type: application/json)")
        fid, direct, exp = req.json.get("file_id"), req.json.get("direct", False), req.json.get("expiration")
        if not isinstance(fid, str):
            return kerr(400, "file_id is required")
        if not isinstance(direct, bool):
            return kerr(400, "direct must be a boolean")
        if exp is not None:
            try:
                datetime.datetime.fromisoformat(str(exp).replace("Z", "+00:00"))
            except ValueError:
                return kerr(400, "Invalid expiration: %s" % exp)
        if acct.is_folder(fid):
            return kerr(400, "Links can only be created for files: %s" % fid)
        if fid not in acct.objects:
            return kerr(404, "File not found: %s" % fid)
        self.link_seq += 1
        lid = "lnk_%d" % self.link_seq
        return jresp(201, {"id": lid, "url": "https://dl.example.test/l/%s" % lid, "file_id": fid,
                           "account": acct.info["id"], "active": True, "direct": direct,
                           "password": bool(req.json.get("password")), "expiration": exp,
                           "created": STAMP, "modified": STAMP})

    def oauth(self, req, rest):
        if rest in ([], [""]) and req.method == "GET":
            return self.authorize(req)
        if rest == ["token"] and req.method == "POST":
            return self.token(req)
        if rest == ["token"] and req.method == "GET":
            h = req.headers.get("authorization", "")
            tok = h[7:].strip() if h.startswith("Bearer ") else None
            if tok not in self.tokens:
                return kerr(401, "Invalid or missing access token")
            aid = self.tokens[tok]
            return jresp(200, {"client_id": OPTS.kloudless_app_id,
                               "account_id": int(aid) if aid.isdigit() else aid, "scope": "all"})
        return kerr(404, "Not found: %s" % req.path)

    def authorize(self, req):
        # A real browser flow shows a login page; tests only need the redirect.
        redirect, state = req.arg("redirect_uri"), req.arg("state")
        problem = None
        if req.arg("client_id") != OPTS.kloudless_app_id:
            problem = "Unknown client_id"
        elif req.arg("response_type") != "code":
            problem = "Unsupported response_type"
        elif not redirect or not re.match(r"https?://", redirect):
            problem = "Missing or invalid redirect_uri"
        if problem:
            return Resp(400, "<!DOCTYPE html><html><body><h1>Bad request</h1><p>%s</p></body></html>"
                        % problem, ctype="text/html; charset=utf-8")
        err = self.script.get("authorize_error")
        if err:
            q = {"error": err, "error_description": "Scripted error: %s" % err}
        else:
            code = "code_" + secrets.token_hex(16)
            self.codes[code] = (str(self.script.get("authorize_account", "1234567890")), redirect)
            q = {"code": code}
        if state is not None:
            q["state"] = state
        loc = redirect + ("&" if "?" in redirect else "?") + urlencode(q)
        return Resp(302, headers=[("Location", loc), ("Cache-Control", "no-store")])

    def token(self, req):
        f = req.field
        if req.form is None:
            return jresp(400, {"error": "invalid_request",
                               "error_description": "form-encoded body required"})
        if f("grant_type") != "authorization_code":
            return jresp(400, {"error": "unsupported_grant_type"})
        if f("client_id") != OPTS.kloudless_app_id or f("client_secret") != OPTS.kloudless_key:
            return jresp(400, {"error": "invalid_client"})
        # Codes are single use: even a failed attempt burns the code.
        grant = self.codes.pop(f("code") or "", None)
        if grant is None or grant[1] != f("redirect_uri"):
            return jresp(400, {"error": "invalid_grant"})
        aid = grant[0]
        self.account_for_script(aid)
        self.disconnected.discard(aid)
        tok = "tok_" + secrets.token_hex(20)
        self.tokens[tok] = aid
        return jresp(200, {"access_token": tok, "token_type": "Bearer", "scope": "all"})


# ---------------------------------------------------------------------------
# HTTP plumbing

SERVICES = {}   # name -> Service, filled in main()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, as libcurl will reuse connections
    service = None                  # set per port by make_server()

    def do_GET(self):
        try:
            req = Request(self.command, self.path, self.headers, self.read_body())
            resp = self.control(req) if req.path.startswith("/_fake/") else self.service.handle(req)
        except Exception:
            # A bug in the fake must be visible, not hidden behind a generic answer.
            traceback.print_exc()
            resp = Resp(500, "fakeapi internal error\n", ctype="text/plain")
        self.send(resp)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline(65537).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass   # trailers
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, resp):
        if resp is DOWN:
            self.close_connection = True
            return
        self.send_response(resp.status)
        for k, v in resp.headers:
            self.send_header(k, v)
        no_body = resp.status in (204, 304) or resp.status < 200
        if not no_body:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if not no_body and self.command != "HEAD":
            self.wfile.write(resp.body)

    def control(self, req):
        what, m = req.path[len("/_fake/"):], req.method
        if what == "requests" and m == "GET":
            with LOCK:
                return Resp(200, json.dumps(self.service.requests))
        if what == "reset" and m == "POST":
            # Global: a test starts from a clean slate on both fakes with one call.
            with LOCK:
                for s in SERVICES.values():
                    s.reset()
            return Resp(204)
        if what == "script" and m == "POST":
            try:
                sc = json.loads(req.text)
                if not isinstance(sc, dict) or set(sc) - set(SERVICES) or \
                        not all(isinstance(v, dict) for v in sc.values()):
                    raise ValueError("want {\"twilio\": {...}, \"kloudless\": {...}}")
                with LOCK:
                    for name, part in sc.items():
                        SERVICES[name].merge_script(part)
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                return Resp(400, "bad script: %s\n" % e, ctype="text/plain")
            return Resp(204)
        if what == "echo" or what.startswith("echo/"):
            # a backend behind httpd's mod_proxy: every header as it came
            return Resp(200, json.dumps({"method": m, "path": req.path, "query": req.query,
                                         "headers": [[k, v] for k, v in self.headers.items()]}))
        if what == "script" and m == "GET":
            with LOCK:
                return Resp(200, json.dumps({n: s.script for n, s in SERVICES.items()}))
        with LOCK:
            resp = self.service.control(req)
        return resp or Resp(404, "unknown control request\n", ctype="text/plain")

    def log_message(self, fmt, *args):
        if OPTS.verbose:
            sys.stderr.write("fakeapi[%s] %s\n" % (self.service.name, fmt % args))


class Server(ThreadingHTTPServer):
    daemon_threads = True   # a hung client must not block shutdown

    def handle_error(self, request, client_address):
        # Clients dropping connections (timeout tests) are normal, not noise.
        if OPTS.verbose or not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(service, port):
    handler = type("%sHandler" % service.name.capitalize(), (Handler,), {"service": service})
    return Server(("127.0.0.1", port), handler)


def main():
    global OPTS
    ap = argparse.ArgumentParser(description="Fake Twilio and Kloudless APIs for tests")
    ap.add_argument("--twilio-port", type=int, default=0)
    ap.add_argument("--kloudless-port", type=int, default=0)
    ap.add_argument("--ready-file", help="written (atomically) once both ports listen")
    ap.add_argument("--twilio-sid", default="AC00000000000000000000000000000001")
    ap.add_argument("--twilio-token", default="test_auth_token_0123456789abcdef")
    ap.add_argument("--kloudless-key", default="test_kloudless_api_key")
    ap.add_argument("--kloudless-app-id", default="test_app_id")
    ap.add_argument("--verbose", action="store_true")
    OPTS = ap.parse_args()

    SERVICES["twilio"], SERVICES["kloudless"] = Twilio(), Kloudless()
    servers = [make_server(SERVICES["twilio"], OPTS.twilio_port),
               make_server(SERVICES["kloudless"], OPTS.kloudless_port)]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    for s in servers:
        # Short poll so SIGTERM ends the process quickly between test runs.
        threading.Thread(target=s.serve_forever, args=(0.1,), daemon=True).start()

    lines = "SMSCLOUD_FAKE_TWILIO=http://127.0.0.1:%d\nSMSCLOUD_FAKE_KLOUDLESS=http://127.0.0.1:%d\n" \
        % (servers[0].server_address[1], servers[1].server_address[1])
    if OPTS.ready_file:
        # Rename so a poller never reads a half-written file.
        tmp = "%s.tmp.%d" % (OPTS.ready_file, os.getpid())
        with open(tmp, "w") as fh:
            fh.write(lines)
        os.replace(tmp, OPTS.ready_file)
    elif OPTS.verbose:
        sys.stderr.write(lines)

    while not stop.wait(1):
        pass
    for s in servers:
        s.shutdown()
        s.server_close()
    if OPTS.ready_file:
        # A stale file would point a restarted harness at dead ports.
        try:
            os.unlink(OPTS.ready_file)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
