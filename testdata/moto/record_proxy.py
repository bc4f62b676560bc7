#!/usr/bin/env python3
"""A loopback proxy in front of moto that forwards every request unchanged and appends one JSON
line per request to a log file: the service (SigV4 signing name), the method, the path, and the
request's parameters (a query-protocol body's form fields, or the URL's query). Tests read the
log to assert which AWS calls a command made.

    record_proxy.py LISTEN_PORT UPSTREAM_URL LOG_FILE
"""
import http.client
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

PORT, UPSTREAM, LOG = int(sys.argv[1]), urlsplit(sys.argv[2]), sys.argv[3]


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        m = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", auth)
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        entry = {"service": m.group(1) if m else "", "method": self.command, "path": url.path, "params": params,
                 "target": self.headers.get("X-Amz-Target", "")}
        with open(LOG, "a") as f:
            f.write(json.dumps(entry) + "\n")
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


ThreadingHTTPServer(("127.0.0.1", PORT), Proxy).serve_forever()
