#!/usr/bin/env python3
"""A loopback proxy in front of moto that answers chosen AWS operations with AccessDenied, the
way AWS does when the scanning identity lacks a permission. Everything else is forwarded.

    deny_proxy.py LISTEN_PORT UPSTREAM_URL RULE...

A RULE is `svc:Action` or `svc:*` for the query-protocol services (IAM, EC2, STS, ...), e.g.
`iam:*` or `ec2:DescribeVpcPeeringConnections`, or `s3:GetBucketPolicy` (S3 `GET /<bucket>?policy`).
For the JSON services (REST-JSON such as Security Hub and GuardDuty, JSON-RPC such as Config),
`svc:*` (the SigV4 signing name, e.g. `securityhub:*`) refuses every call to the service, and
`svc:Action` a JSON-RPC call by its `X-Amz-Target`; they answer AWS's JSON error shape.
A query-protocol rule may also name one parameter's value, `svc:Action?Name=Value`: e.g.
`sts:AssumeRole?RoleArn=arn:aws:iam::111122223333:role/Audit` refuses assuming that one role
(as its trust policy would), every other AssumeRole passes.
"""
import http.client
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PORT, UPSTREAM, RULES = int(sys.argv[1]), urlsplit(sys.argv[2]), set(sys.argv[3:])


def denied_action(handler, body):
    auth = handler.headers.get("Authorization", "")
    m = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", auth)
    service = m.group(1) if m else ""
    action = re.search(rb"(?:^|&)Action=([A-Za-z]+)", body or b"")
    if action and service != "s3":
        name = f"{service}:{action.group(1).decode()}"
        if f"{service}:*" in RULES or name in RULES:
            return name, "query"
        params = parse_qs((body or b"").decode("utf-8", "replace"))
        for rule in RULES:
            head, _, param = rule.partition("?")
            key, _, value = param.partition("=")
            if head == name and key and value in params.get(key, []):
                return f"{name} on {value}", "query"
    target = handler.headers.get("X-Amz-Target", "")
    if target and service:
        name = f"{service}:{target.rsplit('.', 1)[-1]}"
        if f"{service}:*" in RULES or name in RULES:
            return name, "json"
    if service and service not in ("s3",) and not action and f"{service}:*" in RULES:
        return f"{service}:*", "json"
    if service == "s3" and handler.command == "GET" and "s3:GetBucketPolicy" in RULES:
        query = urlsplit(handler.path).query
        if query.split("&")[0] == "policy":
            return "s3:GetBucketPolicy", "s3"
    return None, None


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        action, style = denied_action(self, body)
        if action:
            msg = f"User: arn:aws:iam::123456789012:user/scanner is not authorized to perform: {action}"
            if style == "json":
                data = json.dumps({"__type": "AccessDeniedException", "message": msg}).encode()
                self.send_response(403)
                self.send_header("Content-Type", "application/json")
                self.send_header("x-amzn-ErrorType", "AccessDeniedException")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if style == "s3":
                out = f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>{msg}</Message><RequestId>1</RequestId></Error>"
            else:
                out = f"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{msg}</Message></Error><RequestId>1</RequestId></ErrorResponse>"
            data = out.encode()
            self.send_response(403)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


ThreadingHTTPServer(("127.0.0.1", PORT), Proxy).serve_forever()
