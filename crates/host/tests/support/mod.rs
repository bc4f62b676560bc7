//! Builders of the images and packages the tests read: tars entry by entry, gzip and
//! zstd layers, `docker save` tarballs and OCI layouts with correct digests (so that a
//! test can then break exactly one thing).
#![allow(dead_code)]

use std::io::Write;

use sha2::Digest as _;

/// A tar built entry by entry.
pub struct Tar(tar::Builder<Vec<u8>>);

impl Tar {
    pub fn new() -> Self {
        Tar(tar::Builder::new(Vec::new()))
    }
    pub fn file(mut self, path: &str, mode: u32, data: &[u8]) -> Self {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(data.len() as u64);
        h.set_mode(mode);
        h.set_uid(0);
        h.set_gid(0);
        self.0.append_data(&mut h, path, data).unwrap();
        self
    }
    pub fn dir(mut self, path: &str) -> Self {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Directory);
        h.set_size(0);
        h.set_mode(0o755);
        self.0.append_data(&mut h, path, &[][..]).unwrap();
        self
    }
    pub fn link(mut self, ty: tar::EntryType, path: &str, target: &str) -> Self {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(ty);
        h.set_size(0);
        h.set_mode(0o777);
        self.0.append_link(&mut h, path, target).unwrap();
        self
    }
    pub fn done(self) -> Vec<u8> {
        self.0.into_inner().unwrap()
    }
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

pub fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A layer: its blob as stored (maybe compressed) and the uncompressed tar.
#[derive(Clone)]
pub struct Layer {
    pub blob: Vec<u8>,
    pub tar: Vec<u8>,
    pub media_type: &'static str,
}

impl Layer {
    pub fn plain(tar: Vec<u8>) -> Layer {
        Layer {
            blob: tar.clone(),
            tar,
            media_type: "application/vnd.oci.image.layer.v1.tar",
        }
    }
    pub fn gzip(tar: Vec<u8>) -> Layer {
        Layer {
            blob: gzip(&tar),
            tar,
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
        }
    }
    pub fn zstd(tar: Vec<u8>) -> Layer {
        Layer {
            blob: zstd(&tar),
            tar,
            media_type: "application/vnd.oci.image.layer.v1.tar+zstd",
        }
    }
}

/// The image config: what both formats of the same image share.
pub fn config(layers: &[Layer]) -> Vec<u8> {
    let ids: Vec<String> = layers
        .iter()
        .map(|l| format!("\"sha256:{}\"", sha256(&l.tar)))
        .collect();
    format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{}},"rootfs":{{"type":"layers","diff_ids":[{}]}}}}"#,
        ids.join(",")
    )
    .into_bytes()
}

/// A `docker save` tarball (the pre-25 layout: `<hex>.json` config, `<n>/layer.tar`).
pub fn docker_save(layers: &[Layer], config: &[u8], tag: &str) -> Vec<u8> {
    let config_name = format!("{}.json", sha256(config));
    let names: Vec<String> = (0..layers.len())
        .map(|i| format!("\"l{i}/layer.tar\""))
        .collect();
    let manifest = format!(
        r#"[{{"Config":"{config_name}","RepoTags":["{tag}"],"Layers":[{}]}}]"#,
        names.join(",")
    );
    let mut t = Tar::new().file(&config_name, 0o644, config);
    for (i, l) in layers.iter().enumerate() {
        t = t.file(&format!("l{i}/layer.tar"), 0o644, &l.blob);
    }
    // `manifest.json` last, as `docker save` writes it.
    t.file("manifest.json", 0o644, manifest.as_bytes()).done()
}

/// The files of an OCI image layout: `(path, bytes)`.
pub fn oci_files(layers: &[Layer], config: &[u8], ref_name: &str) -> Vec<(String, Vec<u8>)> {
    let descs: Vec<String> = layers
        .iter()
        .map(|l| {
            format!(
                r#"{{"mediaType":"{}","digest":"sha256:{}","size":{}}}"#,
                l.media_type,
                sha256(&l.blob),
                l.blob.len()
            )
        })
        .collect();
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":{}}},"layers":[{}]}}"#,
        sha256(config),
        config.len(),
        descs.join(",")
    );
    let index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{}","size":{},"platform":{{"os":"linux","architecture":"amd64"}},"annotations":{{"org.opencontainers.image.ref.name":"{ref_name}"}}}}]}}"#,
        sha256(manifest.as_bytes()),
        manifest.len()
    );
    let mut files = vec![
        (
            "oci-layout".to_owned(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
        ("index.json".to_owned(), index.into_bytes()),
        (
            format!("blobs/sha256/{}", sha256(manifest.as_bytes())),
            manifest.into_bytes(),
        ),
        (format!("blobs/sha256/{}", sha256(config)), config.to_vec()),
    ];
    for l in layers {
        files.push((format!("blobs/sha256/{}", sha256(&l.blob)), l.blob.clone()));
    }
    files
}

pub fn tar_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut t = Tar::new();
    for (p, b) in files {
        t = t.file(p, 0o644, b);
    }
    t.done()
}

/// An OCI layout as a tarball.
pub fn oci_layout(layers: &[Layer], config: &[u8], ref_name: &str) -> Vec<u8> {
    tar_of(&oci_files(layers, config, ref_name))
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "rampart-host-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    /// Writes the files under `sub` (a layout directory) and returns its path.
    pub fn layout(&self, sub: &str, files: &[(String, Vec<u8>)]) -> std::path::PathBuf {
        let dir = self.0.join(sub);
        for (p, b) in files {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b).unwrap();
        }
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A raw deflate stream of `mib` MiB of zeros, built from one compressed MiB repeated
/// (each copy ends with a sync flush, so copies join on a byte boundary; RFC 1951
/// §3.2.3), then an empty final stored block: a bomb in ~1 KiB per MiB, made in
/// milliseconds.
pub fn deflate_zeros(mib: usize, first: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let chunk = |data: &[u8]| {
        let mut c = Compress::new(Compression::best(), false);
        let mut out = Vec::with_capacity(16 * 1024);
        c.compress_vec(data, &mut out, FlushCompress::Sync).unwrap();
        assert_eq!(c.total_in() as usize, data.len());
        out
    };
    let mut head = first.to_vec();
    head.resize(1 << 20, 0);
    let mut out = chunk(&head);
    let zeros = chunk(&vec![0u8; 1 << 20]);
    for _ in 1..mib {
        out.extend_from_slice(&zeros);
    }
    out.extend_from_slice(&[0x03, 0x00]); // final fixed-Huffman block, end-of-block only
    out
}

/// A gzip layer holding one member `path` (`mode`) of `mib` MiB (zeros after
/// `first`): gzip members concatenated (RFC 1952 §2.2), ~0.5 MiB for 480 MiB.
pub fn gzip_bomb_layer(path: &str, mode: u32, mib: usize, first: &[u8]) -> Vec<u8> {
    let mut h = tar::Header::new_gnu();
    h.set_path(path).unwrap();
    h.set_size((mib as u64) << 20);
    h.set_mode(mode);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    let best = |data: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    let mut out = gzip(h.as_bytes());
    let mut head = first.to_vec();
    head.resize(1 << 20, 0);
    out.extend(best(&head));
    let zeros = best(&vec![0u8; 1 << 20]);
    for _ in 1..mib {
        out.extend_from_slice(&zeros);
    }
    out.extend(gzip(&[0u8; 1024])); // end-of-archive blocks
    out
}

/// One entry of a hand-made zip: what `zip` will not write (a declared size that
/// lies, a bomb).
pub struct ZipEntry<'a> {
    pub name: &'a str,
    pub deflated: Vec<u8>,
    pub declared: u32,
    pub unix_mode: u32,
}

/// A zip (APPNOTE.TXT §4.3) of deflated entries with the given declared sizes; CRCs
/// are 0 (a reader that checks them reads the whole entry, which these tests forbid).
pub fn zip_raw(entries: &[ZipEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let le16 = |v: u16| v.to_le_bytes();
        let le32 = |v: u32| v.to_le_bytes();
        let mut local = Vec::new();
        local.extend(le32(0x04034b50));
        local.extend(le16(20)); // version needed
        local.extend(le16(0)); // flags
        local.extend(le16(8)); // deflate
        local.extend(le16(0));
        local.extend(le16(0)); // time, date
        local.extend(le32(0)); // crc
        local.extend(le32(e.deflated.len() as u32));
        local.extend(le32(e.declared));
        local.extend(le16(e.name.len() as u16));
        local.extend(le16(0));
        local.extend(e.name.as_bytes());
        out.extend(local);
        out.extend(&e.deflated);
        central.extend(le32(0x02014b50));
        central.extend(le16(0x0314)); // made by: unix, 2.0
        central.extend(le16(20));
        central.extend(le16(0));
        central.extend(le16(8));
        central.extend(le16(0));
        central.extend(le16(0));
        central.extend(le32(0));
        central.extend(le32(e.deflated.len() as u32));
        central.extend(le32(e.declared));
        central.extend(le16(e.name.len() as u16));
        central.extend(le16(0)); // extra
        central.extend(le16(0)); // comment
        central.extend(le16(0)); // disk
        central.extend(le16(0)); // internal attrs
        central.extend(le32(e.unix_mode << 16)); // external attrs
        central.extend(le32(offset));
        central.extend(e.name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0u8; 2]);
    out
}
