//! Exposure paths end to end (issue 14's acceptance): an estate planted in moto
//! (`testdata/moto/plant_exposure.py`) and read by the real collector, host telemetry for
//! each instance, openssh's Debian advisories in a real vulnerability database. The whole
//! chain — internet → security group open on 22 → sshd from a vulnerable openssh-server →
//! instance role with s3:* on a bucket — is ranked first with closing the rule as its fix;
//! each instance that lacks one link (rule closed, package patched, nothing on 22, role
//! without s3, no role) has no path.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_app::exposure::{self, HostDoc};
use rampart_exposure::Change;
use rampart_host::{
    Observed, OsRelease, Package, PackageKind, PackageSource, PackageSources, Process, Proto, Socket, SourcePackage, Telemetry,
};
use rampart_inventory::Inventory;
use rampart_model::Status;
use std::collections::BTreeMap;
use std::process::Command;

fn collect(url: &str) -> Inventory {
    // Test process only, before any client reads them.
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(k, v);
    }
    let opts =
        rampart_collect_aws::Options { regions: Some(vec!["us-east-1".into()]), endpoint_url: Some(url.to_string()), ..Default::default() };
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(rampart_collect_aws::collect(&opts))
        })
        .expect("spawn collector thread")
        .join()
        .expect("collector thread")
        .expect("collect")
}

/// A Debian 9 host's telemetry: openssh-server at `version`, sshd listening on `port`.
fn telemetry(instance: &str, version: &str, port: u16) -> Telemetry {
    let dir = tempfile::tempdir().unwrap();
    let root = rampart_host::Root::dir(dir.path()).unwrap();
    let mut t = rampart_app::host::collect_root(&root, time::OffsetDateTime::now_utc(), &rampart_app::Collected::default());
    t.host.ec2_instance_id = Observed::Known(Some(instance.to_string()));
    t.host.os = Observed::Known(OsRelease {
        id: Some("debian".into()),
        version_id: Some("9".into()),
        version_codename: Some("stretch".into()),
        ..OsRelease::default()
    });
    t.packages = PackageSources(vec![PackageSource {
        kind: Some(PackageKind::Deb),
        location: "/var/lib/dpkg/status".into(),
        packages: Observed::Known(vec![Package {
            kind: PackageKind::Deb,
            name: "openssh-server".into(),
            version: version.into(),
            arch: Some("amd64".into()),
            source: Some(SourcePackage { name: "openssh".into(), version: version.into() }),
            location: "/var/lib/dpkg/status".into(),
            managed_by: None,
        }]),
    }]);
    t.listening = Observed::Known(vec![Socket {
        proto: Proto::Tcp,
        address: "0.0.0.0".parse().unwrap(),
        port,
        state: "listen".into(),
        inode: 4242,
        uid: 0,
        user: Some("root".into()),
        processes: Observed::Known(vec![Process {
            pid: 612,
            name: Some("sshd".into()),
            uid: Some(0),
            user: Some("root".into()),
            exe: Observed::Known("/usr/sbin/sshd".into()),
        }]),
    }]);
    t
}

const VULNERABLE: &str = "1:7.4p1-10+deb9u4";
const PATCHED: &str = "1:7.4p1-10+deb9u6";

#[test]
fn the_planted_chain_is_ranked_first_and_each_missing_link_removes_it() {
    let moto = harness::moto();
    let out = harness::aws_env(&mut Command::new(harness::venv().join("bin/python")))
        .arg(harness::repo_root().join("testdata/moto/plant_exposure.py"))
        .arg(&moto.url)
        .output()
        .expect("run plant_exposure.py");
    assert!(out.status.success(), "plant_exposure.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let ids: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).expect("the planted ids");
    let inv = collect(&moto.url);
    let built = rampart_app::iam::estate(std::slice::from_ref(&inv));
    let estate = built.estate;
    let web = estate.principals.iter().find(|p| p.name == "web").expect("role web");
    assert_eq!(web.instances.len(), 4, "chain, closed, patched and silent run with role web: {:?}", web.instances);

    let dir = tempfile::tempdir().unwrap();
    let mut vulndb = rampart_hub::VulnStore::open(&dir.path().join("vulndb.db")).unwrap();
    let (stats, errors) = vulndb
        .import_path(&harness::repo_root().join("testdata/vulndb/openssh-stretch/data/DSA/list"), time::OffsetDateTime::now_utc())
        .unwrap();
    assert!(errors.is_empty() && stats.inserted > 0, "{errors:?}");

    let docs: Vec<HostDoc> = [
        ("chain", VULNERABLE, 22),
        ("closed", VULNERABLE, 22),
        ("patched", PATCHED, 22),
        ("silent", VULNERABLE, 2222),
        ("no-s3", VULNERABLE, 22),
        ("no-role", VULNERABLE, 22),
    ]
    .into_iter()
    .map(|(name, version, port)| HostDoc { source: format!("telemetry of {name}"), telemetry: telemetry(&ids[name], version, port) })
    .collect();
    let hosts = exposure::hosts(&docs, Some(&vulndb)).unwrap();
    let (report, findings) = exposure::findings(&inv, &estate, hosts, time::OffsetDateTime::now_utc());

    assert_eq!(report.paths.len(), 1, "{}", exposure::text(&report));
    let p = &report.paths[0];
    assert_eq!((p.rank, p.instance_id.as_str(), p.entry.port), (1, ids["chain"].as_str(), 22));
    assert_eq!(p.service.package.name, "openssh-server");
    assert_eq!(p.service.package.fixed.as_deref(), Some(PATCHED), "the version that fixes both advisories");
    let advisories: Vec<&str> = p.service.package.advisories.iter().map(|a| a.id.as_str()).collect();
    assert!(advisories.contains(&"DSA-4387-1") && advisories.contains(&"DSA-4387-2"), "{advisories:?}");
    assert!(p.role.ends_with(":role/web"), "{}", p.role);
    assert_eq!(p.reach.stores.len(), 1);
    assert_eq!(p.reach.stores[0].store, "arn:aws:s3:::crown-jewels");
    assert_eq!(
        p.fix.change,
        Change::CloseRule { group: ids["sg-open"].clone(), rule: "tcp 22 from 0.0.0.0/0".into(), protocol: "tcp".into(), port: 22 },
        "{}",
        exposure::text(&report)
    );
    assert!(p.alternatives.iter().any(|f| matches!(&f.change, Change::Patch { fixed, .. } if fixed == PATCHED)));

    let status_of = |name: &str| -> Vec<Status> {
        let id = &ids[name];
        findings.iter().filter(|f| f.resource.id.ends_with(&format!("instance/{id}"))).map(|f| f.status).collect()
    };
    assert_eq!(status_of("chain"), [Status::Failed]);
    for name in ["closed", "patched", "silent", "no-s3", "no-role"] {
        assert_eq!(status_of(name), [Status::Passed], "{name}: {}", exposure::text(&report));
    }
    // Without a vulnerability database the packages are unknown: NOT_AVAILABLE, never clear.
    let hosts = exposure::hosts(&docs[..1], None).unwrap();
    let (report, _) = exposure::findings(&inv, &estate, hosts, time::OffsetDateTime::now_utc());
    assert!(report.paths.is_empty());
    assert!(report.undecided.iter().any(|u| u.instance.ends_with(&ids["chain"]) && u.detail == "packages"), "{report:#?}");
}
