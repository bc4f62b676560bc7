#!/usr/bin/env python3
"""Builds the small artifacts the image/lambda integration tests scan: a `docker save`
tarball with two layers (Debian 11, a vulnerable xorg-server binary package in the first
layer, a whiteout of a file in the second) and a Lambda zip vendoring an old Django.

    make_artifacts.py OUT_DIR
"""
import hashlib
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
    # As `docker save` writes it: the config names each layer's diff_id (sha256 of the
    # uncompressed tar) and is itself named by its sha256 (the image id).
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in (layer1, layer2)]
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["demo:latest"],
                            "Layers": ["l1/layer.tar", "l2/layer.tar"]}]).encode()
    with tarfile.open(os.path.join(out, "image.tar"), "w") as t:
        for name, data in [("manifest.json", manifest), (config_name, config),
                           ("l1/layer.tar", layer1), ("l2/layer.tar", layer2)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    # The same image as an OCI image layout, a tarball and a directory (image-layout.md):
    # same config bytes, so the same image id.
    def blob(data):
        return "blobs/sha256/" + hashlib.sha256(data).hexdigest()

    def desc(media_type, data):
        return {"mediaType": media_type, "digest": "sha256:" + hashlib.sha256(data).hexdigest(),
                "size": len(data)}

    oci_manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": desc("application/vnd.oci.image.config.v1+json", config),
        "layers": [desc("application/vnd.oci.image.layer.v1.tar", l) for l in (layer1, layer2)],
    }).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [dict(
        desc("application/vnd.oci.image.manifest.v1+json", oci_manifest),
        annotations={"org.opencontainers.image.ref.name": "demo:latest"})]}).encode()
    oci = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index),
           (blob(oci_manifest), oci_manifest), (blob(config), config),
           (blob(layer1), layer1), (blob(layer2), layer2)]
    with tarfile.open(os.path.join(out, "image-oci.tar"), "w") as t:
        for name, data in oci:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    for name, data in oci:
        path = os.path.join(out, "image-oci", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    # A damaged copy: the second layer's bytes edited (its diff_id no longer matches).
    with tarfile.open(os.path.join(out, "image-edited.tar"), "w") as t:
        edited = layer2.replace(b"hello", b"HELLO")
        for name, data in [("manifest.json", manifest), (config_name, config),
                           ("l1/layer.tar", layer1), ("l2/layer.tar", edited)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(os.path.join(out, "function.zip"), "w") as z:
        z.writestr("lambda_function.py", "def handler(event, context):\n    return 1\n")
        z.writestr("Django-1.0.2.dist-info/METADATA", "Metadata-Version: 2.1\nName: Django\nVersion: 1.0.2\n")


if __name__ == "__main__":
    main()
