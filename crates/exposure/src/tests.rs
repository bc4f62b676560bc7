//! Paths over hand-built inputs: the planted chain is found with its fix, removing any one
//! link removes it, unread links are NOT_AVAILABLE, and ranking follows exploitability ×
//! blast radius.

use super::*;
use rampart_iam::{NamedPolicy, PrincipalInfo, PrincipalKind};
use rampart_reach::set::{AddrSet, PortSet};
use rampart_reach::Protocol;

const ACCOUNT: &str = "123456789012";
const ROLE: &str = "arn:aws:iam::123456789012:role/web";
const BUCKET: &str = "arn:aws:s3:::crown-jewels";

fn pol(name: &str, json: &str) -> NamedPolicy {
    NamedPolicy { name: name.into(), document: rampart_policy::parse(json).unwrap() }
}

fn role(arn: &str, identity: Vec<NamedPolicy>) -> PrincipalInfo {
    PrincipalInfo {
        arn: arn.into(),
        account: ACCOUNT.into(),
        kind: PrincipalKind::Role,
        name: arn.rsplit('/').next().unwrap().into(),
        id: None,
        identity,
        boundary: None,
        trust: None,
        tags: Default::default(),
        service_linked: false,
        instances: Vec::new(),
    }
}

fn s3_all() -> NamedPolicy {
    pol(
        "s3-all",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Data","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::crown-jewels","arn:aws:s3:::crown-jewels/*"]}]}"#,
    )
}

fn estate(policies: Vec<NamedPolicy>) -> Estate {
    Estate { principals: vec![role(ROLE, policies)], ..Estate::default() }
}

fn bucket() -> DataStore {
    DataStore {
        arn: BUCKET.into(),
        kind: StoreKind::S3Bucket,
        account: ACCOUNT.into(),
        region: "eu-west-1".into(),
        name: "crown-jewels".into(),
        public: false,
        holds_secrets: false,
    }
}

fn range(port: u16, rules: &[&str]) -> ExposedRange {
    ExposedRange {
        protocol: Protocol::TCP,
        family: Family::Ipv4,
        ports: PortSet::point(port),
        sources: vec!["0.0.0.0/0".into()],
        sources_text: "the whole internet".into(),
        source_set: AddrSet::full(),
        steps: vec![
            Step { component_id: "igw-1".into(), component_type: ComponentType::Igw, rules: vec![] },
            Step {
                component_id: "sg-ssh".into(),
                component_type: ComponentType::SecurityGroup,
                rules: rules.iter().map(|r| r.to_string()).collect(),
            },
            Step { component_id: "eni-1".into(), component_type: ComponentType::Eni, rules: vec![] },
        ],
    }
}

fn openssh(fixed: Option<&str>) -> VulnerablePackage {
    VulnerablePackage {
        name: "openssh-server".into(),
        version: "1:7.4p1-10+deb9u4".into(),
        kind: "deb".into(),
        fixed: fixed.map(str::to_string),
        advisories: vec![Advisory {
            id: "DSA-4387-1".into(),
            aliases: vec!["CVE-2019-6111".into()],
            severity: Some(Severity::Medium),
            cvss: Some(5.9),
            vector: Some("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:N/I:H/A:H".into()),
            fixed: fixed.map(str::to_string),
            known_exploited: false,
        }],
    }
}

fn sshd(port: u16) -> Listener {
    Listener { protocol: "tcp".into(), address: "0.0.0.0".parse().unwrap(), port, processes: vec!["sshd".into()] }
}

fn instance(id: &str, role: Option<&str>, exposed: Vec<ExposedRange>, host: Option<Host>) -> Instance {
    Instance {
        arn: format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/{id}"),
        id: id.into(),
        account: ACCOUNT.into(),
        region: "eu-west-1".into(),
        partition: "aws".into(),
        name: id.into(),
        role: Observed::Known(role.map(str::to_string)),
        instance_profile: role.map(|_| format!("arn:aws:iam::{ACCOUNT}:instance-profile/web")),
        exposure: Observed::Known(exposed.into_iter().map(|r| ("eni-1".to_string(), r)).collect()),
        host,
    }
}

fn host(listeners: Vec<Listener>, vulnerable: Vec<VulnerablePackage>) -> Option<Host> {
    Some(Host { source: "telemetry.json".into(), listeners: Observed::Known(listeners), vulnerable: Observed::Known(vulnerable) })
}

/// The planted chain: internet → sg-ssh tcp/22 → sshd from a vulnerable openssh-server →
/// role web with s3:* on the bucket.
fn planted() -> (Estate, Instance) {
    (
        estate(vec![s3_all()]),
        instance(
            "i-web",
            Some(ROLE),
            vec![range(22, &["tcp 22 from 0.0.0.0/0"])],
            host(vec![sshd(22)], vec![openssh(Some("1:7.4p1-10+deb9u5"))]),
        ),
    )
}

fn run(estate: &Estate, instances: &[Instance]) -> Report {
    paths(Input { estate, instances, stores: &[bucket()] })
}

#[test]
fn the_planted_chain_is_a_path_with_its_evidence_and_fix() {
    let (estate, inst) = planted();
    let report = run(&estate, &[inst.clone()]);
    assert_eq!(report.paths.len(), 1, "{report:#?}");
    let p = &report.paths[0];
    assert_eq!((p.rank, p.entry.port, p.service.package.name.as_str(), p.role.as_str()), (1, 22, "openssh-server", ROLE));
    assert_eq!(p.blast, Blast::StoreAdmin, "s3:* includes PutBucketPolicy");
    let access = &p.reach.stores[0];
    assert_eq!((access.store.as_str(), access.level), (BUCKET, Level::Admin));
    assert_eq!(access.statements, ["s3-all #0 (Data)"]);
    // SSH should never face the internet: closing the one rule is the fix; patching and
    // narrowing the one statement are the alternatives.
    assert_eq!(
        p.fix.change,
        Change::CloseRule { group: "sg-ssh".into(), rule: "tcp 22 from 0.0.0.0/0".into(), protocol: "tcp".into(), port: 22 }
    );
    let alt: Vec<&Change> = p.alternatives.iter().map(|f| &f.change).collect();
    assert!(matches!(alt[0], Change::Patch { fixed, .. } if fixed == "1:7.4p1-10+deb9u5"), "{alt:?}");
    assert!(matches!(alt[1], Change::NarrowRole { statement, .. } if statement == "s3-all #0 (Data)"), "{alt:?}");
    // A finding whose id is the path's, stable across runs.
    let f =
        findings(Input { estate: &estate, instances: &[inst.clone()], stores: &[bucket()] }, &report, rampart_model::Timestamp::UNIX_EPOCH);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].status, f[0].id.as_str()), (Status::Failed, p.id.as_str()));
    assert!(f[0].reason.starts_with("#1 "), "{}", f[0].reason);
    assert!(f[0].reason.contains("revoke the rule `tcp 22 from 0.0.0.0/0` of security group sg-ssh"), "{}", f[0].reason);
    let again = run(&estate, &[inst]);
    assert_eq!(again.paths[0].id, p.id);
}

#[test]
fn removing_any_one_link_removes_the_path() {
    let (estate, inst) = planted();
    let mut variants: Vec<(&str, Estate, Instance)> = Vec::new();
    let mut closed = inst.clone();
    closed.exposure = Observed::Known(Vec::new());
    variants.push(("security group closed", estate.clone(), closed));
    let mut patched = inst.clone();
    patched.host = host(vec![sshd(22)], Vec::new());
    variants.push(("package patched", estate.clone(), patched));
    let mut silent = inst.clone();
    silent.host = host(vec![sshd(2222)], vec![openssh(None)]);
    variants.push(("nothing listens on 22", estate.clone(), silent));
    let mut local = inst.clone();
    local.host = host(vec![Listener { address: "127.0.0.1".parse().unwrap(), ..sshd(22) }], vec![openssh(None)]);
    variants.push(("sshd on loopback only", estate.clone(), local));
    let ec2_only = pol("ec2", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#);
    variants.push(("role without s3", self::estate(vec![ec2_only]), inst.clone()));
    let mut no_role = inst.clone();
    no_role.role = Observed::Known(None);
    no_role.instance_profile = None;
    variants.push(("no role", estate.clone(), no_role));
    for (what, estate, inst) in variants {
        let report = run(&estate, &[inst.clone()]);
        assert!(report.paths.is_empty(), "{what}: {:#?}", report.paths);
        assert!(report.undecided.is_empty(), "{what}: {:#?}", report.undecided);
        assert_eq!(report.clear, [inst.arn.clone()], "{what}");
        let f = findings(Input { estate: &estate, instances: &[inst], stores: &[bucket()] }, &report, rampart_model::Timestamp::UNIX_EPOCH);
        assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Passed], "{what}");
    }
}

#[test]
fn a_deny_or_a_boundary_takes_the_role_link_away() {
    let (_, inst) = planted();
    let deny = pol("deny", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#);
    assert!(run(&estate(vec![s3_all(), deny]), &[inst.clone()]).paths.is_empty());
    let mut bounded = estate(vec![s3_all()]);
    bounded.principals[0].boundary =
        Some(vec![pol("b", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#)]);
    assert!(run(&bounded, &[inst]).paths.is_empty());
}

#[test]
fn unread_links_are_not_available_never_clear() {
    let (estate, inst) = planted();
    let mut cases: Vec<(&str, Instance)> = Vec::new();
    let mut no_agent = inst.clone();
    no_agent.host = None;
    cases.push(("telemetry", no_agent));
    let mut sockets = inst.clone();
    sockets.host = Some(Host {
        source: "t".into(),
        listeners: Observed::Unknown("not read".into()),
        vulnerable: Observed::Known(vec![openssh(None)]),
    });
    cases.push(("telemetry", sockets));
    let mut pkgs = inst.clone();
    pkgs.host = Some(Host {
        source: "t".into(),
        listeners: Observed::Known(vec![sshd(22)]),
        vulnerable: Observed::Unknown("no vulnerability database".into()),
    });
    cases.push(("packages", pkgs));
    let mut net = inst.clone();
    net.exposure = Observed::Unknown("ec2:DescribeSecurityGroups AccessDenied".into());
    cases.push(("network", net));
    let mut profile = inst.clone();
    profile.role = Observed::Unknown("iam:GetInstanceProfile AccessDenied".into());
    cases.push(("role", profile));
    let mut blind = inst.clone();
    blind.host = host(vec![Listener { processes: vec![], ..sshd(22) }], vec![openssh(None)]);
    cases.push(("tcp/22", blind));
    for (detail, inst) in cases {
        let report = run(&estate, &[inst.clone()]);
        assert!(report.paths.is_empty() && report.clear.is_empty(), "{detail}: {report:#?}");
        assert_eq!(report.undecided.len(), 1, "{detail}");
        assert_eq!(report.undecided[0].detail, detail);
        let f = findings(Input { estate: &estate, instances: &[inst], stores: &[bucket()] }, &report, rampart_model::Timestamp::UNIX_EPOCH);
        assert_eq!(f[0].status, Status::NotAvailable, "{detail}");
    }
    // A role the estate does not hold is unknown too.
    let report = run(&Estate::default(), &[planted().1]);
    assert_eq!(report.undecided[0].detail, "role");
}

#[test]
fn ranking_puts_the_worse_vulnerability_and_the_wider_role_first() {
    let admin = "arn:aws:iam::123456789012:role/admin";
    let reader = "arn:aws:iam::123456789012:role/reader";
    let mut estate = estate(vec![s3_all()]);
    estate
        .principals
        .push(role(admin, vec![pol("admin", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)]));
    estate.principals.push(role(
        reader,
        vec![pol(
            "read",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::crown-jewels/*"}]}"#,
        )],
    ));
    let critical = VulnerablePackage {
        advisories: vec![Advisory {
            id: "CVE-2024-6387".into(),
            aliases: vec![],
            severity: Some(Severity::High),
            cvss: Some(8.1),
            vector: Some("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H".into()),
            fixed: None,
            known_exploited: true,
        }],
        ..openssh(None)
    };
    let exposed = || vec![range(22, &["tcp 22 from 0.0.0.0/0"])];
    let instances = vec![
        instance("i-read", Some(reader), exposed(), host(vec![sshd(22)], vec![openssh(None)])),
        instance("i-admin", Some(admin), exposed(), host(vec![sshd(22)], vec![openssh(None)])),
        instance("i-kev", Some(ROLE), exposed(), host(vec![sshd(22)], vec![critical])),
        instance("i-store", Some(ROLE), exposed(), host(vec![sshd(22)], vec![openssh(None)])),
    ];
    let report = run(&estate, &instances);
    let order: Vec<&str> = report.paths.iter().map(|p| p.instance_id.as_str()).collect();
    // KEV 8.1 + 2 + 0.5 = 10.6 × 3 = 31.8; admin 6.4 × 4 = 25.6; store admin 6.4 × 3 = 19.2; read 6.4 × 1.
    assert_eq!(
        order,
        ["i-kev", "i-admin", "i-store", "i-read"],
        "{:#?}",
        report.paths.iter().map(|p| (p.score, &p.instance_id)).collect::<Vec<_>>()
    );
    assert_eq!(report.paths.iter().map(|p| p.rank).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(report.paths[0].severity, Severity::Critical);
    assert_eq!(report.paths[1].blast, Blast::AccountAdmin);
    assert_eq!(report.paths[3].blast, Blast::Read);
    assert_eq!(report.paths[3].severity, Severity::Medium);
}

#[test]
fn the_fix_is_the_change_that_breaks_the_most_paths() {
    // Two instances behind one security group rule, both running the role: closing the
    // rule breaks both; with two rules admitting 22, closing one breaks nothing and is not
    // offered.
    let (estate, a) = planted();
    let mut b = a.clone();
    b.id = "i-two".into();
    b.arn = format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-two");
    let report = run(&estate, &[a.clone(), b]);
    assert_eq!(report.paths.len(), 2);
    for p in &report.paths {
        assert!(matches!(p.fix.change, Change::CloseRule { .. }), "{:?}", p.fix);
        assert_eq!(p.fix.breaks, 2);
        let narrow = p.alternatives.iter().find(|f| matches!(f.change, Change::NarrowRole { .. })).unwrap();
        assert_eq!(narrow.breaks, 2, "one statement of one role: both paths");
    }
    let mut two_rules = a;
    two_rules.exposure = Observed::Known(vec![("eni-1".into(), range(22, &["tcp 22 from 0.0.0.0/0", "tcp 0-1024 from 0.0.0.0/0"]))]);
    let report = run(&estate, &[two_rules]);
    let p = &report.paths[0];
    assert!(matches!(p.fix.change, Change::Patch { .. }), "{:?}", p.fix);
    assert!(!p.alternatives.iter().any(|f| matches!(f.change, Change::CloseRule { .. })));
}

#[test]
fn a_web_port_is_patched_before_it_is_closed() {
    let (estate, mut inst) = planted();
    let nginx = VulnerablePackage { name: "nginx".into(), ..openssh(Some("1.22.1-9+deb12u1")) };
    inst.exposure = Observed::Known(vec![("eni-1".into(), range(443, &["tcp 443 from 0.0.0.0/0"]))]);
    inst.host = host(vec![Listener { processes: vec!["nginx".into()], ..sshd(443) }], vec![nginx]);
    let report = run(&estate, &[inst]);
    assert!(matches!(&report.paths[0].fix.change, Change::Patch { package, .. } if package == "nginx"), "{:?}", report.paths[0].fix);
}

#[test]
fn a_path_serialises_for_the_console() {
    let (estate, inst) = planted();
    let report = run(&estate, &[inst]);
    let v = serde_json::to_value(&report).unwrap();
    let p = &v["paths"][0];
    assert_eq!(p["entry"]["port"], 22);
    assert_eq!(p["entry"]["steps"][1]["componentType"], "SECURITY_GROUP");
    assert_eq!(p["fix"]["change"]["link"], "close_rule");
    assert_eq!(p["blast"], "store_admin");
    assert_eq!(p["reach"]["stores"][0]["level"], "admin");
}
