#!/usr/bin/env python3
"""Builds the small artifacts the image/lambda integration tests scan: a `docker save`
tarball with two layers (Debian 11, a vulnerable xorg-server binary package in the first
layer, a whiteout of a file in the second) and a Lambda zip vendoring an old Django.

    make_artifacts.py OUT_DIR
"""
import io
import json
import os
import sys
import tarfile
import zipfile


def tar_bytes(files, whiteouts=()):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
        for name in whiteouts:
            d, b = os.path.split(name)
            info = tarfile.TarInfo(os.path.join(d, ".wh." + b))
            info.size = 0
            t.addfile(info, io.BytesIO(b""))
    return buf.getvalue()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    status = (
        "Package: xserver-xorg-core\nStatus: install ok installed\nArchitecture: amd64\n"
        "Source: xorg-server\nVersion: 2:1.20.11-1+deb11u5\n\n"
    ).encode()
    layer1 = tar_bytes({
        "etc/os-release": b'ID=debian\nVERSION_ID="11"\nVERSION_CODENAME=bullseye\n',
        "var/lib/dpkg/status": status,
        "opt/secret.txt": b"gone in the next layer\n",
    })
    layer2 = tar_bytes({"opt/app.txt": b"hello\n"}, whiteouts=["opt/secret.txt"])
    config = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["demo:latest"],
                            "Layers": ["l1/layer.tar", "l2/layer.tar"]}]).encode()
    with tarfile.open(os.path.join(out, "image.tar"), "w") as t:
        for name, data in [("manifest.json", manifest), ("config.json", config),
                           ("l1/layer.tar", layer1), ("l2/layer.tar", layer2)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(os.path.join(out, "function.zip"), "w") as z:
        z.writestr("lambda_function.py", "def handler(event, context):\n    return 1\n")
        z.writestr("Django-1.0.2.dist-info/METADATA", "Metadata-Version: 2.1\nName: Django\nVersion: 1.0.2\n")


if __name__ == "__main__":
    main()
