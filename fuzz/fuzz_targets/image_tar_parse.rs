//! Image tarballs (`docker save` / OCI layout incl. nested indexes; layers plain,
//! gzip or zstd; digests verified): reading must never panic, and a tree it returns
//! must be scannable. The input is used whole as a tarball, and also as the single
//! layer blob of a generated OCI layout whose digests match it (so the fuzzer reaches
//! the layer decoders past verification).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::{image, Options, Root};
use sha2::{Digest, Sha256};

fn hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn tar_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut t = tar::Builder::new(Vec::new());
    for (p, b) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(b.len() as u64);
        h.set_mode(0o644);
        t.append_data(&mut h, p, &b[..]).unwrap();
    }
    t.into_inner().unwrap()
}

/// An OCI layout (index → index → manifest) whose one layer is `layer`.
fn oci_with_layer(layer: &[u8]) -> Vec<u8> {
    let config = br#"{"rootfs":{"type":"layers","diff_ids":[]}}"#.to_vec();
    let manifest = format!(
        r#"{{"schemaVersion":2,"config":{{"digest":"sha256:{}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":"sha256:{}","size":{}}}]}}"#,
        hex(&config),
        config.len(),
        hex(layer),
        layer.len()
    );
    let inner = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"digest":"sha256:{}","size":{},"platform":{{"os":"linux","architecture":"amd64"}}}}]}}"#,
        hex(manifest.as_bytes()),
        manifest.len()
    );
    let index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:{}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"fuzz:1"}}}}]}}"#,
        hex(inner.as_bytes()),
        inner.len()
    );
    tar_of(&[
        ("index.json".into(), index.into_bytes()),
        (
            format!("blobs/sha256/{}", hex(inner.as_bytes())),
            inner.into_bytes(),
        ),
        (
            format!("blobs/sha256/{}", hex(manifest.as_bytes())),
            manifest.into_bytes(),
        ),
        (format!("blobs/sha256/{}", hex(&config)), config),
        (format!("blobs/sha256/{}", hex(layer)), layer.to_vec()),
    ])
}

fn scan(name: &str, bytes: &[u8]) {
    if let Ok(img) = image::read_image_bytes(name, bytes) {
        let label = img.label();
        let _ = rampart_host::collect_root(
            &Root::image(img.fs, label),
            time::OffsetDateTime::UNIX_EPOCH,
            &Options::default(),
        );
    }
}

fuzz_target!(|data: &[u8]| {
    scan("fuzz.tar", data);
    scan("fuzz-layer.tar", &oci_with_layer(data));
});
