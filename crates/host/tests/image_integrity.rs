//! A damaged, edited or unusual image is never scanned as if it were whole: every
//! broken image is built here, in each form a user can hand over (a `docker save`
//! tarball, an OCI layout tarball, an OCI layout directory), and must fail with one
//! line naming the layer or blob and what to do; zstd layers are read; the same image
//! has the same identity whichever form or path it is read from.

use std::path::{Path, PathBuf};

use rampart_host::{image, Image, ImageError, Options};
use time::macros::datetime;

mod support;
use support::{config, docker_save, oci_files, sha256, tar_of, Layer, Tar, TempDir};

const DECOY: &str =
    "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0.1-1\n";
const REAL: &str = "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.13-1\n\nPackage: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:1.2.13.dfsg-1\n";

/// A lower layer with a decoy package database and an upper one that replaces it.
fn tars() -> (Vec<u8>, Vec<u8>) {
    let lower = Tar::new()
        .file("etc/os-release", 0o644, b"ID=debian\nVERSION_ID=\"12\"\n")
        .file("var/lib/dpkg/status", 0o644, DECOY.as_bytes())
        .done();
    let upper = Tar::new()
        .file("var/lib/dpkg/status", 0o644, REAL.as_bytes())
        .file("usr/share/doc/big.txt", 0o644, &vec![b'x'; 64 * 1024])
        .done();
    (lower, upper)
}

/// Reads `layers` (config from the good tars unless `cfg` is given) in every form:
/// docker tarball (bytes and file), OCI tarball, OCI directory.
fn every_form(
    layers: &[Layer],
    cfg: Option<&[u8]>,
) -> Vec<(&'static str, Result<Image, ImageError>)> {
    let cfg = cfg.map_or_else(|| config(layers), <[u8]>::to_vec);
    let dir = TempDir::new("forms");
    let docker = docker_save(layers, &cfg, "app:1");
    let docker_file = dir.0.join("docker.tar");
    std::fs::write(&docker_file, &docker).unwrap();
    let files = oci_files(layers, &cfg, "app:1");
    let oci = tar_of(&files);
    let oci_dir = dir.layout("oci", &files);
    vec![
        (
            "docker bytes",
            image::read_image_bytes("docker.tar", &docker),
        ),
        ("docker file", image::read_image(&docker_file)),
        ("oci bytes", image::read_image_bytes("oci.tar", &oci)),
        ("oci dir", image::read_image(&oci_dir)),
    ]
}

fn dpkg_versions(img: &Image) -> String {
    String::from_utf8(img.fs.read(Path::new("/var/lib/dpkg/status")).unwrap()).unwrap()
}

/// Each form fails with one line containing every `needle`.
fn assert_fails(results: Vec<(&str, Result<Image, ImageError>)>, needles: &[&str]) {
    for (form, r) in results {
        let err = match r {
            Ok(img) => panic!("{form}: read as whole: {}", dpkg_versions(&img)),
            Err(e) => e.to_string(),
        };
        assert!(!err.contains('\n'), "{form}: {err}");
        for n in needles {
            assert!(err.contains(n), "{form}: `{n}` not in: {err}");
        }
    }
}

#[test]
fn zstd_layers_are_read_in_every_form() {
    let (lower, upper) = tars();
    // Two frames and a skippable frame between them (RFC 8878 §3.1.2).
    let half = upper.len() / 2;
    let mut blob = support::zstd(&upper[..half]);
    blob.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    blob.extend(support::zstd(&upper[half..]));
    let layers = [
        Layer::gzip(lower),
        Layer {
            blob,
            tar: upper,
            media_type: "application/vnd.oci.image.layer.v1.tar+zstd",
        },
    ];
    for (form, r) in every_form(&layers, None) {
        let img = r.unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(dpkg_versions(&img), REAL, "{form}");
        assert!(img.problems.is_empty(), "{form}: {:?}", img.problems);
    }
}

#[test]
fn a_corrupt_gzip_layer_is_an_error_naming_its_digest() {
    let (lower, upper) = tars();
    let mut bad = Layer::gzip(upper);
    // Damage the deflate data in the middle (the digests below are of the damaged
    // blob, so only the stream itself can tell).
    let mid = bad.blob.len() / 2;
    for b in &mut bad.blob[mid..mid + 16] {
        *b ^= 0x5a;
    }
    let layers = [Layer::plain(lower), bad.clone()];
    let diff_id = format!("sha256:{}", sha256(&bad.tar));
    let blob_digest = format!("sha256:{}", sha256(&bad.blob));
    for (form, r) in every_form(&layers, None) {
        let err = r.map(|_| ()).unwrap_err().to_string();
        assert!(!err.contains('\n'), "{form}: {err}");
        assert!(
            err.contains("cannot be read")
                || err.contains("does not match")
                || err.contains("has digest"),
            "{form}: {err}"
        );
        assert!(err.contains("export the image again"), "{form}: {err}");
        // docker names the layer by its diff_id, OCI by its blob digest.
        assert!(
            err.contains(&diff_id) || err.contains(&blob_digest),
            "{form}: {err}"
        );
    }
}

#[test]
fn a_truncated_last_layer_or_blob_is_an_error() {
    let (lower, upper) = tars();
    // gzip cut short: the stream ends early.
    let mut cut = Layer::gzip(upper.clone());
    cut.blob.truncate(cut.blob.len() / 2);
    let layers = [Layer::plain(lower.clone()), cut];
    assert_fails(
        every_form(&layers, None),
        &["cannot be read", "export the image again"],
    );

    // A plain tar cut at an entry boundary: tar itself cannot tell; the diff_id (and
    // OCI's size and digest) can. The config is the one of the whole layers.
    let whole = [Layer::plain(lower.clone()), Layer::plain(upper.clone())];
    let cfg = config(&whole);
    let boundary = 512 + 512 * REAL.len().div_ceil(512);
    let short = [
        Layer::plain(lower),
        Layer::plain(upper[..boundary].to_vec()),
    ];
    let results = every_form(&short, Some(&cfg));
    assert_fails(results, &["diff_id", "export the image again"]);
}

#[test]
fn a_truncated_oci_blob_file_is_an_error() {
    let (lower, upper) = tars();
    let layers = [Layer::plain(lower), Layer::gzip(upper)];
    let files = oci_files(&layers, &config(&layers), "app:1");
    let dir = TempDir::new("cut");
    let layout = dir.layout("oci", &files);
    let blob = layout.join(format!("blobs/sha256/{}", sha256(&layers[1].blob)));
    let bytes = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, &bytes[..bytes.len() - 10]).unwrap();
    let err = image::read_image(&layout).unwrap_err().to_string();
    assert!(
        err.contains(&format!("sha256:{}", sha256(&layers[1].blob))),
        "{err}"
    );
}

#[test]
fn an_edited_layer_config_or_size_is_refused() {
    let (lower, upper) = tars();
    let good = [Layer::plain(lower.clone()), Layer::plain(upper.clone())];
    let cfg = config(&good);

    // An edited layer, same length: the decoy version back in the upper layer.
    let edited_tar = String::from_utf8_lossy(&upper)
        .replace("3.0.13-1", "1.0.1-11")
        .into_bytes();
    assert_eq!(edited_tar.len(), upper.len());
    let edited = [Layer::plain(lower.clone()), Layer::plain(edited_tar)];
    // docker: the config's diff_id no longer matches; OCI: the descriptor was
    // rewritten by `oci_files`, so edit the blob under the old descriptor instead.
    let docker = docker_save(&edited, &cfg, "app:1");
    let err = image::read_image_bytes("docker.tar", &docker)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`l1/layer.tar` uncompressed has digest") && err.contains("diff_id"),
        "{err}"
    );
    let mut files = oci_files(&good, &cfg, "app:1");
    let upper_path = format!("blobs/sha256/{}", sha256(&upper));
    for (p, b) in &mut files {
        if *p == upper_path {
            *b = edited[1].blob.clone();
        }
    }
    let err = image::read_image_bytes("oci.tar", &tar_of(&files))
        .unwrap_err()
        .to_string();
    assert!(err.contains(&format!("`{upper_path}` has digest")), "{err}");

    // An edited config (one more diff_id character changed in a harmless field).
    let edited_cfg = String::from_utf8(cfg.clone())
        .unwrap()
        .replace("amd64", "arm64")
        .into_bytes();
    let mut docker_files = vec![];
    let config_name = format!("{}.json", sha256(&cfg));
    docker_files.push((config_name.clone(), edited_cfg.clone()));
    for (i, l) in good.iter().enumerate() {
        docker_files.push((format!("l{i}/layer.tar"), l.blob.clone()));
    }
    docker_files.push((
        "manifest.json".into(),
        format!(r#"[{{"Config":"{config_name}","Layers":["l0/layer.tar","l1/layer.tar"]}}]"#)
            .into_bytes(),
    ));
    let err = image::read_image_bytes("docker.tar", &tar_of(&docker_files))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("`{config_name}` has digest"))
            && err.contains("not the one its name says"),
        "{err}"
    );
    let mut files = oci_files(&good, &cfg, "app:1");
    let cfg_path = format!("blobs/sha256/{}", sha256(&cfg));
    for (p, b) in &mut files {
        if *p == cfg_path {
            *b = edited_cfg.clone();
        }
    }
    let err = image::read_image_bytes("oci.tar", &tar_of(&files))
        .unwrap_err()
        .to_string();
    assert!(err.contains(&format!("`{cfg_path}` has digest")), "{err}");

    // A wrong size in a descriptor (the manifest rewritten with its digest fixed up,
    // so that only the size is wrong).
    let files = oci_files(&good, &cfg, "app:1");
    let manifest_path = files
        .iter()
        .find(|(p, b)| p.starts_with("blobs/") && b.starts_with(b"{\"schemaVersion\""))
        .unwrap()
        .0
        .clone();
    let manifest = String::from_utf8(
        files
            .iter()
            .find(|(p, _)| *p == manifest_path)
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let wrong = manifest.replace(
        &format!("\"size\":{}}}]", upper.len()),
        &format!("\"size\":{}}}]", upper.len() + 1),
    );
    assert_ne!(wrong, manifest);
    let index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"digest":"sha256:{}","size":{}}}]}}"#,
        sha256(wrong.as_bytes()),
        wrong.len()
    );
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(p, _)| *p != manifest_path && p != "index.json")
        .collect();
    files.push(("index.json".into(), index.into_bytes()));
    files.push((
        format!("blobs/sha256/{}", sha256(wrong.as_bytes())),
        wrong.into_bytes(),
    ));
    let err = image::read_image_bytes("oci.tar", &tar_of(&files))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "is {} bytes, not the {} its descriptor says",
            upper.len(),
            upper.len() + 1
        )),
        "{err}"
    );
}

#[test]
fn sha512_descriptors_are_verified_and_unknown_algorithms_refused() {
    use sha2::Digest as _;
    let (lower, _) = tars();
    let l = Layer::plain(lower);
    let cfg = config(std::slice::from_ref(&l));
    let hex512: String = sha2::Sha512::digest(&l.blob)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let layout = |digest: &str, blob_path: &str| {
        let manifest = format!(
            r#"{{"schemaVersion":2,"config":{{"digest":"sha256:{}","size":{}}},"layers":[{{"digest":"{digest}","size":{}}}]}}"#,
            sha256(&cfg),
            cfg.len(),
            l.blob.len()
        );
        let index = format!(
            r#"{{"manifests":[{{"digest":"sha256:{}","size":{}}}]}}"#,
            sha256(manifest.as_bytes()),
            manifest.len()
        );
        tar_of(&[
            ("index.json".into(), index.into_bytes()),
            (
                format!("blobs/sha256/{}", sha256(manifest.as_bytes())),
                manifest.into_bytes(),
            ),
            (format!("blobs/sha256/{}", sha256(&cfg)), cfg.clone()),
            (blob_path.to_owned(), l.blob.clone()),
        ])
    };
    let ok = layout(
        &format!("sha512:{hex512}"),
        &format!("blobs/sha512/{hex512}"),
    );
    let img = image::read_image_bytes("512.tar", &ok).unwrap();
    assert_eq!(dpkg_versions(&img), DECOY);
    let wrong = format!("{}0", &hex512[..127]);
    let err = image::read_image_bytes(
        "512.tar",
        &layout(&format!("sha512:{wrong}"), &format!("blobs/sha512/{wrong}")),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("has digest `sha512:"), "{err}");
    let err = image::read_image_bytes(
        "md5.tar",
        &layout(
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "blobs/md5/d41d8cd98f00b204e9800998ecf8427e",
        ),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("digest algorithm `md5` cannot be verified"),
        "{err}"
    );
}

/// `path` relative to the current directory (`../../tmp/...`).
fn relative(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap();
    let mut rel = PathBuf::new();
    for _ in cwd.components().skip(1) {
        rel.push("..");
    }
    rel.join(path.strip_prefix("/").unwrap())
}

#[test]
fn an_image_is_identified_by_its_config_digest_whatever_the_path_or_layout() {
    let (lower, upper) = tars();
    let layers = [Layer::plain(lower), Layer::gzip(upper)];
    let cfg = config(&layers);
    let want = format!("image:sha256:{}", sha256(&cfg));
    let dir = TempDir::new("identity");
    let docker_file = dir.0.join("app.tar");
    std::fs::write(&docker_file, docker_save(&layers, &cfg, "app:1")).unwrap();
    let oci_file = dir.0.join("app-oci.tar");
    std::fs::write(&oci_file, support::oci_layout(&layers, &cfg, "app:1")).unwrap();
    let oci_dir = dir.layout("layout", &oci_files(&layers, &cfg, "app:1"));
    let now = datetime!(2024-05-01 12:00 UTC);
    for path in [
        docker_file.clone(),
        relative(&docker_file),
        oci_file,
        relative(&oci_dir),
        oci_dir,
    ] {
        let (t, names) = image::scan(&path, now, &Options::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(t.root, want, "{}", path.display());
        assert_eq!(names, ["app:1"], "{}", path.display());
        // An image's /etc/hostname is not a host's name (and would merge images).
        assert!(t.host.hostname.known().is_none());
    }
}

#[test]
fn a_lambda_zip_is_identified_by_its_code_sha256() {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("Cargo.lock", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\n")
        .unwrap();
    let z = w.finish().unwrap().into_inner();
    let dir = TempDir::new("zipid");
    let path = dir.0.join("fn.zip");
    std::fs::write(&path, &z).unwrap();
    // `openssl dgst -sha256 -binary fn.zip | base64`, as `aws lambda get-function`
    // reports `CodeSha256`.
    use base64::Engine as _;
    let want = base64::engine::general_purpose::STANDARD
        .encode(<sha2::Sha256 as sha2::Digest>::digest(&z));
    let t = rampart_host::lambda::scan(&path, datetime!(2024-05-01 12:00 UTC), &Options::default())
        .unwrap();
    assert_eq!(t.root, format!("lambda:{want}"));
    let t2 = rampart_host::lambda::scan(
        &relative(&path),
        datetime!(2024-05-01 12:00 UTC),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(t2.root, t.root);
}

#[test]
fn absent_files_read_as_absent_and_links_never_leave_the_image() {
    // No `/etc/passwd`; `/etc/shadow` and `/etc/group` are links that point out of the
    // image (absolute, and `..` past the root) to a file this machine has: they
    // resolve inside the image, to nothing.
    let layer = Tar::new()
        .file("etc/os-release", 0o644, b"ID=debian\n")
        .link(
            tar::EntryType::Symlink,
            "etc/shadow",
            "/../../../../etc/hostname",
        )
        .link(
            tar::EntryType::Symlink,
            "etc/group",
            "../../../../../../etc/hostname",
        )
        .done();
    let layers = [Layer::plain(layer)];
    let img = image::read_image_bytes("absent.tar", &docker_save(&layers, &config(&layers), "a:1"))
        .unwrap();
    let root = rampart_host::Root::image(img.fs, img.id.clone());
    for p in ["/etc/passwd", "/etc/shadow", "/etc/group"] {
        let err = root.read(Path::new(p)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound, "{p}: {err}");
    }
    let t = rampart_host::collect_root(&root, datetime!(2024-05-01 12:00 UTC), &Options::default());
    // Absent, not an empty file: the host rules see "no such file".
    assert_eq!(t.files["/etc/passwd"], rampart_host::Observed::Known(None));
    // Nothing of this machine's own files came in through the links.
    let here = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let json = t.to_json();
    assert!(
        here.trim().is_empty() || !json.contains(here.trim()),
        "{json}"
    );
}

#[test]
fn a_layer_in_another_compression_is_named_as_such() {
    let (lower, upper) = tars();
    let mut xz = b"\xfd7zXZ\x00".to_vec();
    xz.extend_from_slice(&upper[..100]);
    let layers = [
        Layer::plain(lower),
        Layer {
            blob: xz,
            tar: upper,
            media_type: "application/vnd.oci.image.layer.v1.tar+xz",
        },
    ];
    assert_fails(
        every_form(&layers, None),
        &["cannot be read (xz-compressed, which OCI layers are not"],
    );
}

#[test]
fn docker_25_archives_verify_their_blob_names() {
    // `docker save` since 25.0: an OCI layout plus a `manifest.json` whose config and
    // layers are `blobs/sha256/<hex>` paths (uncompressed layers).
    let (lower, upper) = tars();
    let layers = [Layer::plain(lower), Layer::plain(upper.clone())];
    let cfg = config(&layers);
    let blob = |b: &[u8]| format!("blobs/sha256/{}", sha256(b));
    let manifest = format!(
        r#"[{{"Config":"{}","RepoTags":["app:1"],"Layers":["{}","{}"]}}]"#,
        blob(&cfg),
        blob(&layers[0].blob),
        blob(&layers[1].blob)
    );
    let mut files = oci_files(&layers, &cfg, "1");
    files.push(("manifest.json".into(), manifest.into_bytes()));
    let img = image::read_image_bytes("d25.tar", &tar_of(&files)).unwrap();
    assert_eq!(
        (dpkg_versions(&img).as_str(), img.names.as_slice()),
        (REAL, &["app:1".to_owned()][..])
    );
    assert_eq!(img.id, format!("sha256:{}", sha256(&cfg)));
    // The upper layer's blob replaced by a same-sized edit: its name no longer matches.
    let edited = String::from_utf8_lossy(&upper)
        .replace("3.0.13-1", "1.0.1-11")
        .into_bytes();
    for (p, b) in &mut files {
        if *p == blob(&upper) {
            *b = edited.clone();
        }
    }
    let err = image::read_image_bytes("d25.tar", &tar_of(&files))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("`{}` has digest", blob(&upper))),
        "{err}"
    );
}

#[test]
fn entries_named_out_of_the_image_are_skipped_and_nothing_is_written() {
    // The tar builder refuses `..`, so the name is written into the header by hand.
    let escape = std::env::temp_dir().join(format!("rampart-escape-{}", std::process::id()));
    let name = format!("../../../../../../..{}", escape.display());
    let mut h = tar::Header::new_gnu();
    h.as_mut_bytes()[..name.len()].copy_from_slice(name.as_bytes());
    h.set_size(3);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    let mut layer = h.as_bytes().to_vec();
    layer.extend_from_slice(b"bad");
    layer.resize(1024, 0);
    layer.extend(
        Tar::new()
            .file("etc/os-release", 0o644, b"ID=debian\n")
            .done(),
    );
    let layers = [Layer::plain(layer)];
    for (form, r) in every_form(&layers, None) {
        let img = r.unwrap_or_else(|e| panic!("{form}: {e}"));
        assert!(
            img.problems
                .iter()
                .any(|p| p.message.contains("has a `..` component")),
            "{form}: {:?}",
            img.problems
        );
        assert!(img.fs.stat(Path::new("/etc/os-release")).is_ok(), "{form}");
    }
    assert!(!escape.exists(), "{} was written", escape.display());
}
