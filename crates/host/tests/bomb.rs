//! Decompression bombs are bounded in memory: a 0.5 MiB gzip layer holding a 480 MiB
//! rpm database, and Lambda zips whose members inflate to 480 MiB, are read with
//! a peak memory far below their size.
//!
//! Measured as the growth of this process's peak resident set (`VmHWM` in
//! `/proc/self/status`, proc(5)): the one test of this file runs in its own process
//! (one test binary per file), so nothing else raises the peak meanwhile. The bound
//! counts everything the read allocates (decoders, tar buffers, the tree), not just
//! what the tree keeps.

use std::path::Path;

use rampart_host::{image, lambda, Options};

mod support;
use support::{
    deflate_zeros, gzip_bomb_layer, oci_files, sha256, zip_raw, Layer, TempDir, ZipEntry,
};

/// What the reads may add to the peak (the bombs hold 480 MiB each).
const BOUND_KIB: u64 = 96 * 1024;
const BOMB_MIB: usize = 480;

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

#[test]
fn bombs_in_layers_and_zips_stay_within_a_memory_bound() {
    let dir = TempDir::new("bomb");

    // An OCI layout (a directory, as a user would hand it over) whose one gzip layer
    // holds a 480 MiB zero-filled rpm database (a package database kept whole when
    // small enough: the member that took 510 MiB before it had a cap below 480 MiB).
    let blob = gzip_bomb_layer(
        "var/lib/rpm/rpmdb.sqlite",
        0o644,
        BOMB_MIB,
        b"SQLite format 3\0",
    );
    assert!(blob.len() < 1 << 20, "the layer is {} bytes", blob.len());
    let layer = Layer {
        blob,
        tar: Vec::new(),
        media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
    };
    // No diff_ids: the blob digest (of 0.5 MiB) verifies the layer; hashing 480 MiB
    // in this unoptimised test build would take long.
    let cfg = br#"{"architecture":"amd64","os":"linux"}"#.to_vec();
    let layout = dir.layout(
        "oci",
        &oci_files(std::slice::from_ref(&layer), &cfg, "bomb:1"),
    );
    drop(layer);

    let before = peak_kib();
    let img = image::read_image(&layout).unwrap();
    let grew = peak_kib().saturating_sub(before);
    assert!(
        grew < BOUND_KIB,
        "reading the layer raised the peak by {grew} KiB"
    );
    // The member is recorded as skipped, and reading it says so: the package source
    // is not available, never silently empty.
    assert!(
        img.problems.iter().any(|p| p.message.contains(
            "`/var/lib/rpm/rpmdb.sqlite` (503316480 bytes) is larger than the 268435456-byte limit"
        )),
        "{:?}",
        img.problems
    );
    let err = img
        .fs
        .read(Path::new("/var/lib/rpm/rpmdb.sqlite"))
        .unwrap_err();
    assert_ne!(err.kind(), std::io::ErrorKind::NotFound);
    assert!(err.to_string().contains("was not read"), "{err}");
    let (t, _) = image::scan(
        &layout,
        time::OffsetDateTime::UNIX_EPOCH,
        &Options::default(),
    )
    .unwrap();
    assert!(
        t.to_json()
            .contains("`/var/lib/rpm/rpmdb.sqlite` was not read"),
        "{}",
        t.to_json()
    );
    assert_eq!(t.root, format!("image:sha256:{}", sha256(&cfg)));

    // A Lambda zip: a lock file and an ELF `bootstrap` that inflate to 480 MiB each
    // (declared honestly: over their caps, skipped without inflating them) ...
    let bomb = zip_raw(&[
        ZipEntry {
            name: "Cargo.lock",
            deflated: deflate_zeros(BOMB_MIB, b"[[package]]\n"),
            declared: (BOMB_MIB as u32) << 20,
            unix_mode: 0o100644,
        },
        ZipEntry {
            name: "bootstrap",
            deflated: deflate_zeros(BOMB_MIB, b"\x7fELF\x02\x01\x01"),
            declared: (BOMB_MIB as u32) << 20,
            unix_mode: 0o100755,
        },
    ]);
    let zip_path = dir.0.join("bomb.zip");
    std::fs::write(&zip_path, &bomb).unwrap();
    let before = peak_kib();
    let pkg = lambda::read_zip(&zip_path).unwrap();
    let grew = peak_kib().saturating_sub(before);
    assert!(
        grew < BOUND_KIB,
        "reading the zip raised the peak by {grew} KiB"
    );
    let skipped: Vec<&str> = pkg.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped[0].contains("`/Cargo.lock` (503316480 bytes) is larger than"),
        "{skipped:?}"
    );
    assert!(
        skipped[1].contains("`/bootstrap` (503316480 bytes) is larger than"),
        "{skipped:?}"
    );

    // ... and a lock file declaring 1,000 bytes that inflates to 480 MiB: an error,
    // after reading 1,001 bytes of it.
    let liar = zip_raw(&[ZipEntry {
        name: "package-lock.json",
        deflated: deflate_zeros(BOMB_MIB, b"{"),
        declared: 1000,
        unix_mode: 0o100644,
    }]);
    let before = peak_kib();
    let err = lambda::read_zip_bytes("liar.zip", &liar)
        .unwrap_err()
        .to_string();
    let grew = peak_kib().saturating_sub(before);
    assert!(
        grew < BOUND_KIB,
        "reading the lying zip raised the peak by {grew} KiB"
    );
    assert!(
        err.contains("`liar.zip`: entry `package-lock.json`: `/package-lock.json` holds more bytes, not the 1000 its header declares"),
        "{err}"
    );
}
