//! Images and function packages the tests build themselves: `docker save` and OCI
//! layout tarballs (plain and gzip layers, whiteouts, opaque directories, links) and
//! a Lambda zip; exact package lists.

use std::io::Write;
use std::path::Path;

use rampart_host::{image, lambda, EntryKind, Observed, Options, Root, NOT_FUNCTION, NOT_IMAGE};
use time::macros::datetime;

mod support;
use support::{Layer, Tar};

const STATUS_1: &str = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1\n\nPackage: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n";
const STATUS_2: &str = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.13-1\n\nPackage: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n";

/// Layer 1: dpkg status with two packages, a file, a directory with children, a
/// Python package, os-release behind a symlink. Layer 2 (gzip): whiteouts one file,
/// makes `/opt/app` opaque, changes one package's version, adds a hard link.
fn layers() -> Vec<Layer> {
    let l1 = Tar::new()
        .dir("./etc/")
        .file(
            "./usr/lib/os-release",
            0o644,
            b"ID=debian\nVERSION_ID=\"12\"\n",
        )
        .link(
            tar::EntryType::Symlink,
            "./etc/os-release",
            "../usr/lib/os-release",
        )
        .file("./var/lib/dpkg/status", 0o644, STATUS_1.as_bytes())
        .file("./etc/passwd", 0o644, b"root:x:0:0:root:/root:/bin/bash\n")
        .file("./etc/motd", 0o666, b"hello\n")
        .file(
            "./opt/app/node_modules/left-pad/package.json",
            0o644,
            br#"{"name":"left-pad","version":"1.0.0"}"#,
        )
        .file(
            "./usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
            0o644,
            b"Name: requests\nVersion: 2.31.0\n",
        )
        .file("./usr/bin/tool", 0o755, b"#!/bin/sh\n")
        .done();
    let l2 = Tar::new()
        .file("./etc/.wh.motd", 0o644, b"")
        .file("./opt/app/.wh..wh..opq", 0o644, b"")
        .file(
            "./opt/app/node_modules/right-pad/package.json",
            0o644,
            br#"{"name":"right-pad","version":"2.0.0"}"#,
        )
        .file("./var/lib/dpkg/status", 0o644, STATUS_2.as_bytes())
        .link(tar::EntryType::Link, "./usr/bin/tool2", "./usr/bin/tool")
        .done();
    vec![Layer::plain(l1), Layer::gzip(l2)]
}

fn docker_save(layers: &[Layer]) -> Vec<u8> {
    support::docker_save(layers, &support::config(layers), "t:1")
}

fn oci_layout(layers: &[Layer]) -> Vec<u8> {
    support::oci_layout(layers, &support::config(layers), "t:1")
}

fn packages(t: &rampart_host::Telemetry) -> Vec<String> {
    t.packages
        .known()
        .expect("packages are known")
        .iter()
        .map(|p| format!("{:?} {} {} {}", p.kind, p.name, p.version, p.location))
        .collect()
}

const EXPECTED: &[&str] = &[
    "Deb libssl3 3.0.13-1 /var/lib/dpkg/status",
    "Deb zlib1g 1:1.2.13.dfsg-1 /var/lib/dpkg/status",
    "Python requests 2.31.0 /usr/lib/python3/dist-packages/requests-2.31.0.dist-info",
    "Npm right-pad 2.0.0 /opt/app/node_modules/right-pad/package.json",
];

fn scan_bytes(name: &str, bytes: &[u8]) -> rampart_host::Telemetry {
    let img = image::read_image_bytes(name, bytes).unwrap();
    assert!(img.problems.is_empty(), "{:?}", img.problems);
    rampart_host::collect_root(
        &Root::image(img.fs, name),
        datetime!(2024-05-01 12:00 UTC),
        &Options::default(),
    )
}

#[test]
fn docker_save_applies_layers_whiteouts_and_opaque_dirs() {
    let img = image::read_image_bytes("img.tar", &docker_save(&layers())).unwrap();
    assert!(img.problems.is_empty(), "{:?}", img.problems);
    assert_eq!(img.names, ["t:1"]);
    let fs = img.fs;
    assert!(fs.stat(Path::new("/etc/motd")).is_err(), "whiteout");
    assert!(
        fs.stat(Path::new("/opt/app/node_modules/left-pad"))
            .is_err(),
        "opaque"
    );
    assert_eq!(
        fs.stat(Path::new("/usr/bin/tool2")).unwrap().kind,
        EntryKind::File
    );
    assert_eq!(
        fs.stat(Path::new("/etc/os-release")).unwrap().kind,
        EntryKind::Symlink
    );

    let t = rampart_host::collect_root(
        &Root::image(fs, "image:img.tar"),
        datetime!(2024-05-01 12:00 UTC),
        &Options::default(),
    );
    assert_eq!(packages(&t), EXPECTED);
    assert_eq!(t.root, "image:img.tar");
    // os-release through the symlink inside the image.
    assert_eq!(t.host.os.known().unwrap().id.as_deref(), Some("debian"));
    assert_eq!(t.users.known().unwrap()[0].name, "root");
    assert_eq!(t.listening, Observed::Unknown(NOT_IMAGE.to_owned()));
    assert_eq!(
        t.host.kernel_release,
        Observed::Unknown(NOT_IMAGE.to_owned())
    );
    // File modes from the tar headers.
    let passwd = t.files["/etc/passwd"].known().unwrap().as_ref().unwrap();
    assert_eq!((passwd.mode, passwd.kind.as_str()), (0o644, "file"));
    assert_eq!(t.files["/etc/motd"], Observed::Known(None));
}

#[test]
fn oci_layout_tarball_gives_the_same_packages() {
    assert_eq!(
        packages(&scan_bytes("oci.tar", &oci_layout(&layers()))),
        EXPECTED
    );
}

#[test]
fn oci_layout_directory_and_scan_from_a_file() {
    let dir = std::env::temp_dir().join(format!("rampart-host-oci-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tar_path = dir.join("oci.tar");
    std::fs::write(&tar_path, oci_layout(&layers())).unwrap();
    // The layout as a directory, unpacked from the same tar.
    let layout = dir.join("layout");
    tar::Archive::new(std::fs::File::open(&tar_path).unwrap())
        .unpack(&layout)
        .unwrap();
    let from_file = image::scan(
        &tar_path,
        datetime!(2024-05-01 12:00 UTC),
        &Options::default(),
    )
    .unwrap();
    let from_dir = image::scan(
        &layout,
        datetime!(2024-05-01 12:00 UTC),
        &Options::default(),
    )
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(packages(&from_file.0), EXPECTED);
    assert_eq!(packages(&from_dir.0), EXPECTED);
    assert_eq!(from_file.1, ["t:1"]);
}

#[test]
fn malformed_images_are_errors_naming_file_and_entry() {
    let err = image::read_image_bytes("x.tar", b"not a tar at all")
        .unwrap_err()
        .to_string();
    assert!(err.contains("`x.tar`"), "{err}");

    let no_manifest = Tar::new().file("foo", 0o644, b"x").done();
    let err = image::read_image_bytes("y.tar", &no_manifest)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("neither a `docker save` tarball nor an OCI image layout"),
        "{err}"
    );

    let bad_json = Tar::new().file("manifest.json", 0o644, b"[{").done();
    let err = image::read_image_bytes("z.tar", &bad_json)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("`z.tar`: entry `manifest.json`: invalid JSON"),
        "{err}"
    );

    let config = support::config(&layers()[..1]);
    let config_name = format!("{}.json", support::sha256(&config));
    let missing_layer = Tar::new()
        .file(&config_name, 0o644, &config)
        .file(
            "manifest.json",
            0o644,
            format!(r#"[{{"Config":"{config_name}","Layers":["nope/layer.tar"]}}]"#).as_bytes(),
        )
        .done();
    let err = image::read_image_bytes("m.tar", &missing_layer)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "`m.tar`: entry `nope/layer.tar`: is not in the archive"
    );

    let escape = Tar::new()
        .file(
            "index.json",
            0o644,
            br#"{"manifests":[{"digest":"sha256:../../etc"}]}"#,
        )
        .done();
    let err = image::read_image_bytes("e.tar", &escape)
        .unwrap_err()
        .to_string();
    assert!(err.contains("bad digest"), "{err}");

    // A manifest without a config: nothing to verify the layers against.
    let no_config = Tar::new()
        .file("manifest.json", 0o644, br#"[{"Layers":["a/layer.tar"]}]"#)
        .done();
    let err = image::read_image_bytes("c.tar", &no_config)
        .unwrap_err()
        .to_string();
    assert_eq!(err, "`c.tar`: entry `manifest.json`: names no `Config`");
}

fn zip_of(entries: &[(&str, Option<u32>, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, mode, data) in entries {
        let mut o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        if let Some(m) = mode {
            o = o.unix_permissions(*m);
        }
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn lambda_zip_packages() {
    let z = zip_of(&[
        ("handler.py", Some(0o644), b"def handler(e, c): pass\n"),
        ("requests-2.31.0.dist-info/METADATA", Some(0o644), b"Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n"),
        ("python/lib/python3.12/site-packages/urllib3-1.26.5.dist-info/METADATA", None, b"Name: urllib3\nVersion: 1.26.5\n"),
        ("node_modules/lodash/package.json", Some(0o644), br#"{"name":"lodash","version":"4.17.20"}"#),
        ("package-lock.json", Some(0o644), br#"{"lockfileVersion":3,"packages":{"":{},"node_modules/lodash":{"version":"4.17.20"}}}"#),
        ("Cargo.lock", Some(0o644), b"[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"),
    ]);
    let pkg = lambda::read_zip_bytes("fn.zip", &z).unwrap();
    assert!(pkg.problems.is_empty(), "{:?}", pkg.problems);
    let t = rampart_host::collect_root(
        &Root::function(pkg.fs, "lambda:fn.zip"),
        datetime!(2024-05-01 12:00 UTC),
        &Options::default(),
    );
    assert_eq!(
        packages(&t),
        [
            "Python requests 2.31.0 /requests-2.31.0.dist-info",
            "Python urllib3 1.26.5 /python/lib/python3.12/site-packages/urllib3-1.26.5.dist-info",
            "Npm lodash 4.17.20 /node_modules/lodash/package.json",
            "Npm lodash 4.17.20 /package-lock.json",
            "Cargo smallvec 1.6.0 /Cargo.lock",
        ]
    );
    assert_eq!(t.users, Observed::Unknown(NOT_FUNCTION.to_owned()));
    assert!(t.problems.is_empty(), "{:?}", t.problems);
}

#[test]
fn malformed_zips_are_errors_naming_the_file() {
    let err = lambda::read_zip_bytes("bad.zip", b"PK\x03\x04 garbage")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("`bad.zip`: entry `(central directory)`: "),
        "{err}"
    );
    // `..` names are skipped with a problem, not followed.
    let z = zip_of(&[
        ("../../etc/passwd", Some(0o644), b"x"),
        ("ok.txt", Some(0o644), b"y"),
    ]);
    let lambda::Package { fs, problems, .. } = lambda::read_zip_bytes("evil.zip", &z).unwrap();
    assert!(fs.stat(Path::new("/ok.txt")).is_ok());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .message
            .contains("`evil.zip`: entry `../../etc/passwd`"),
        "{problems:?}"
    );
}
