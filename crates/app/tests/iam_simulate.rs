//! `iam simulate` end to end (issue 14 item 1): an organisation and an IAM estate planted in
//! moto (`testdata/moto/plant_iam.py`), read by the real collector (the management account
//! with the caller's credentials, the member through its role), built into the estate by
//! `rampart_app::iam::estate`, and simulated: allowed through a group's managed policy,
//! implicitDeny with the missing `aws:SourceIp`, allowed once it is given, explicitDeny by the
//! role's permissions boundary, implicitDeny outside it, explicitDeny by the OU's SCP in the
//! member account.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_app::iam::{self, Question, Refusal};
use rampart_collect_aws::org::{MemberRole, Scanner};
use rampart_collect_aws::Options;
use rampart_iam::{Decision, PolicyKind};
use rampart_inventory::{Inventory, Observed};
use std::process::Command;

fn read(url: &str, member: &str) -> Inventory {
    read_with(url, Some(member))
}

fn read_with(url: &str, member: Option<&str>) -> Inventory {
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
    let opts = Options { regions: Some(vec!["us-east-1".into()]), endpoint_url: Some(url.to_string()), ..Default::default() };
    let member = member.map(str::to_string);
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(async move {
                let scanner = Scanner::new(&opts).await.expect("identity");
                let own = scanner.read_own().await;
                let mut inv = Inventory::new(time::OffsetDateTime::now_utc());
                inv.accounts = vec![own];
                if let Some(member) = member {
                    let role = MemberRole { name: "RampartAudit".into(), external_id: None };
                    inv.accounts.push(scanner.read_member(&member, &role).await.expect("member role assumed"));
                }
                inv
            })
        })
        .expect("spawn collector thread")
        .join()
        .expect("collector thread")
}

fn ask(built: &iam::Built, principal: &str, action: &str, resource: &str, context: &[(&str, &str)]) -> rampart_iam::Answer {
    let q = Question {
        principal: principal.into(),
        actions: vec![action.into()],
        resource: resource.into(),
        context: context.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    iam::simulate(built, &q).expect("answered").results.remove(0).1
}

#[test]
fn simulate_on_a_collected_organisation() {
    let moto = harness::moto();
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_iam.py"))
        .args([moto.url.as_str(), "RampartAudit"])
        .output()
        .expect("run plant_iam.py");
    assert!(out.status.success(), "plant_iam.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let planted: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plant_iam.py prints JSON");
    let (mgmt, member) = (planted["management"].as_str().unwrap(), planted["member"].as_str().unwrap());
    let inv = read(&moto.url, member);

    // What the collector read.
    let account = &inv.accounts[0];
    let iam_read = account.iam.known().expect("IAM read");
    let app = iam_read.roles.known().unwrap().iter().find(|r| r.role_name == "app").expect("role app");
    assert_eq!(app.permissions_boundary_arn, Observed::Known(Some(format!("arn:aws:iam::{mgmt}:policy/app-boundary"))));
    assert_eq!(app.tags.known().unwrap().get("env").map(String::as_str), Some("prod"));
    assert!(app.role_id.as_deref().is_some_and(|i| i.starts_with("AROA")), "{:?}", app.role_id);
    let profiles = app.instance_profiles.known().unwrap();
    assert_eq!(profiles.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["app"]);
    assert!(app.service_last_accessed.known().is_none(), "moto has no service last accessed data: NOT_AVAILABLE, not empty");
    let alice = iam_read.users.known().unwrap().iter().find(|u| u.user_name == "alice").unwrap();
    assert_eq!(alice.tags.known().unwrap().get("team").map(String::as_str), Some("blue"));
    assert_eq!(alice.permissions_boundary_arn, Observed::Known(None));
    let org = account.organization.known().expect("organisation read").as_ref().expect("in an organisation");
    assert_eq!(org.management_account_id, mgmt);
    let policies = org.policies.known().expect("SCPs listed by the management account");
    let scp = policies.iter().find(|p| p.name == "deny-s3-delete").expect("planted SCP");
    assert_eq!(scp.targets, [planted["ou"].as_str().unwrap()]);
    assert!(org.units.known().unwrap().iter().any(|u| u.id == planted["ou"] && u.name == "prod"));
    let member_org = inv.accounts[1].organization.known().unwrap().as_ref().unwrap();
    assert_eq!(member_org.id, org.id);

    let built = iam::estate(std::slice::from_ref(&inv));
    let estate = &built.estate;
    let o = estate.organization.as_ref().expect("organisation in the estate");
    let levels = &o.scps[member];
    assert_eq!(levels.len(), 3, "root, OU prod, the account");
    assert!(levels[1].iter().any(|p| p.name == "deny-s3-delete"));
    let role = estate.principal(&format!("arn:aws:iam::{mgmt}:role/app")).unwrap();
    assert_eq!(role.instances, [format!("arn:aws:ec2:us-east-1:{mgmt}:instance/{}", planted["instance"].as_str().unwrap())]);
    assert!(role.boundary.is_some());
    let slr = estate.principals.iter().find(|p| p.name == "AWSServiceRoleForAutoScaling").expect("service-linked role");
    assert!(slr.service_linked);

    let alice = format!("arn:aws:iam::{mgmt}:user/alice");
    let obj = "arn:aws:s3:::data/report.csv";
    let a = ask(&built, &alice, "s3:GetObject", obj, &[]);
    assert_eq!(a.decision, Decision::Allowed, "{a:?}");
    assert!(a
        .matched
        .iter()
        .any(|m| m.policy == format!("group/readers/arn:aws:iam::{mgmt}:policy/read-data") && m.sid.as_deref() == Some("Read")));
    let a = ask(&built, &alice, "s3:PutObject", obj, &[]);
    assert_eq!((a.decision, a.missing_context_keys.clone()), (Decision::ImplicitDeny, vec!["aws:SourceIp".to_string()]), "{a:?}");
    let a = ask(&built, &alice, "s3:PutObject", obj, &[("aws:SourceIp", "203.0.113.9")]);
    assert_eq!(a.decision, Decision::Allowed, "{a:?}");
    let a = ask(&built, &alice, "ec2:RunInstances", "*", &[]);
    assert_eq!(a.decision, Decision::ImplicitDeny);

    let app = format!("arn:aws:iam::{mgmt}:role/app");
    let a = ask(&built, &app, "s3:DeleteBucket", "arn:aws:s3:::data", &[]);
    assert_eq!(a.decision, Decision::ExplicitDeny, "{a:?}");
    assert!(a.matched.iter().any(|m| m.kind == PolicyKind::Boundary && m.sid.as_deref() == Some("KeepBuckets")));
    assert_eq!(ask(&built, &app, "iam:CreateUser", "*", &[]).decision, Decision::ImplicitDeny, "outside the boundary");
    assert_eq!(ask(&built, &app, "s3:GetObject", obj, &[]).decision, Decision::Allowed);

    // The management account is not subject to SCPs; the member in OU prod is.
    let bob = format!("arn:aws:iam::{member}:user/bob");
    let a = ask(&built, &bob, "s3:DeleteObject", obj, &[]);
    assert_eq!(a.decision, Decision::ExplicitDeny, "{a:?}");
    assert!(a.matched.iter().any(|m| m.kind == PolicyKind::Scp && m.policy == "deny-s3-delete" && m.sid.as_deref() == Some("NoDeletes")));
    assert_eq!(ask(&built, &bob, "s3:GetObject", obj, &[]).decision, Decision::Allowed);

    // Bad input.
    let q = Question {
        principal: format!("arn:aws:iam::{mgmt}:user/alicia"),
        actions: vec!["s3:GetObject".into()],
        resource: "*".into(),
        context: vec![],
    };
    match iam::simulate(&built, &q) {
        Err(Refusal::UnknownPrincipal { nearest, .. }) => assert_eq!(nearest[0], alice),
        other => panic!("{other:?}"),
    }
    assert!(matches!(iam::parse_context(&["aws:SourceIp".into()]), Err(Refusal::BadContext(_))));
}

/// A member account may describe its organisation but not list its policies: the tree and the
/// SCPs are NOT_AVAILABLE after one refused `ListRoots` (one gap, nothing more asked), and the
/// estate says that SCPs are not applied instead of applying none silently.
#[test]
fn an_organisation_whose_policies_cannot_be_listed_is_not_taken_as_without_scps() {
    let moto = harness::moto();
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_iam.py"))
        .args([moto.url.as_str(), "RampartAudit"])
        .output()
        .expect("run plant_iam.py");
    assert!(out.status.success(), "plant_iam.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let proxy = harness::deny_proxy(&moto, &["organizations:ListRoots"]);
    let inv = read_with(&proxy.url, None);
    let account = &inv.accounts[0];
    let org = account.organization.known().expect("described").as_ref().expect("in an organisation");
    assert!(org.units.known().is_none() && org.accounts.known().is_none() && org.policies.known().is_none(), "{org:?}");
    let org_gaps: Vec<&str> = account.gaps.iter().filter(|g| g.action.starts_with("organizations:")).map(|g| g.action.as_str()).collect();
    assert_eq!(org_gaps, ["organizations:ListRoots"]);
    let built = iam::estate(std::slice::from_ref(&inv));
    assert!(built.estate.organization.as_ref().is_some_and(|o| o.scps.is_empty()));
    assert!(built.warnings.iter().any(|w| w.contains("SCPs and RCPs not read")), "{:?}", built.warnings);
}
