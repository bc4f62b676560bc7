#!/usr/bin/env python3
"""Serves TLS origins on loopback and plants CloudFront distributions that use them, for
`origin_probe_reads_the_certificates_custom_origins_serve` (crates/cli/tests/scan.rs).

    tls_origins.py ENDPOINT

Starts, on 127.0.0.1, one TLS server per certificate (each completes handshakes and closes;
nothing else is served):

- "origin-weak": testdata/certs/rsa1024-sha1 (RSA 1024, SHA-1 signature, valid for 10 years);
- "origin-expired": RSA 2048, SHA-256, expired 30 days ago (generated here);
- "origin-soon": RSA 2048, SHA-256, expiring in 10 days (generated here);
- "origin-ok": testdata/certs/ec256-sha256 (EC P-256, SHA-256, valid until 2035);

and reserves a port nothing listens on for "origin-closed". Then it creates, in the moto at
ENDPOINT, one distribution per name, its only origin a custom https-only origin at
"localhost" on that port, prints {name: the distribution's domain name} as one JSON line, and
serves until its standard input closes.

OpenSSL's security level is lowered to 0 so that the RSA 1024 / SHA-1 certificate can be served.
"""
import datetime
import json
import socket
import ssl
import sys
import tempfile
import threading
from pathlib import Path

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

CERTS = Path(__file__).resolve().parents[2] / "testdata/certs"


def generated(tmp, name, days_from_now):
    """A self-signed RSA 2048 certificate for localhost ending `days_from_now` days from now."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    end = now + datetime.timedelta(days=days_from_now)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(end - datetime.timedelta(days=365))
            .not_valid_after(end).sign(key, hashes.SHA256()))
    pem, kpem = Path(tmp) / f"{name}.pem", Path(tmp) / f"{name}.key"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    kpem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return pem, kpem


def serve(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.load_cert_chain(cert, key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def loop():
        while True:
            conn, _ = listener.accept()
            try:
                with ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.settimeout(5)
                    try:
                        tls.recv(1)
                    except (OSError, ssl.SSLError):
                        pass
            except (OSError, ssl.SSLError):
                conn.close()

    threading.Thread(target=loop, daemon=True).start()
    return listener.getsockname()[1]


def closed_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def plant(endpoint, ports):
    cf = boto3.client("cloudfront", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    names = {}
    for ref, port in ports.items():
        cfg = {"CallerReference": ref, "Comment": ref, "Enabled": True,
               "Origins": {"Quantity": 1, "Items": [{"Id": ref, "DomainName": "localhost", "CustomOriginConfig": {
                   "HTTPPort": 80, "HTTPSPort": port, "OriginProtocolPolicy": "https-only",
                   "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}]},
               "DefaultCacheBehavior": {"TargetOriginId": ref, "ViewerProtocolPolicy": "https-only",
                                        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}}
        d = cf.create_distribution(DistributionConfig=cfg)["Distribution"]
        got = cf.get_distribution_config(Id=d["Id"])["DistributionConfig"]["Origins"]["Items"][0]
        assert (got["DomainName"], got["CustomOriginConfig"]["HTTPSPort"]) == ("localhost", port), got
        names[ref] = d["DomainName"]
    return names


def main():
    endpoint = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        ports = {
            "origin-weak": serve(CERTS / "rsa1024-sha1.pem", CERTS / "rsa1024-sha1.key"),
            "origin-expired": serve(*generated(tmp, "expired", -30)),
            "origin-soon": serve(*generated(tmp, "soon", 10)),
            "origin-ok": serve(CERTS / "ec256-sha256.pem", CERTS / "ec256-sha256.key"),
            "origin-closed": closed_port(),
        }
        print(json.dumps(plant(endpoint, ports)), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
