//! Parsing this machine's dpkg database gives exactly what `dpkg-query` reports.
//! Needs a Debian-based machine (dpkg-query on PATH).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use rampart_host::dpkg::read_root;

#[test]
fn matches_dpkg_query() {
    let out = Command::new("dpkg-query")
        .args([
            "-W",
            "-f=${db:Status-Status}\\t${Package}\\t${Architecture}\\t${Version}\\t${source:Package}\\t${source:Version}\\n",
        ])
        .output()
        .expect("dpkg-query runs: this test needs a Debian-based machine");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("installed\t"))
        .map(str::to_owned)
        .collect();
    assert!(
        want.len() > 50,
        "dpkg-query lists only {} installed packages",
        want.len()
    );

    let (packages, errors) = read_root(Path::new("/"));
    assert!(errors.is_empty(), "{errors:?}");
    let got: BTreeSet<String> = packages
        .iter()
        .map(|p| {
            format!(
                "{}\t{}\t{}\t{}\t{}",
                p.name,
                p.architecture.as_deref().unwrap_or(""),
                p.version,
                p.source,
                p.source_version
            )
        })
        .collect();
    let missing: Vec<_> = want.difference(&got).take(10).collect();
    let extra: Vec<_> = got.difference(&want).take(10).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    eprintln!("{} installed packages agree with dpkg-query", got.len());
}
