//! Many accounts against moto: the organisation's accounts listed with their states, a member
//! read through its role (its own resources, not the caller's), and the guard: the calls made
//! for other accounts are exactly those of the management policy, and Organizations' and STS's
//! writes are still refused before they are sent.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_collect_aws::actions::ORG_ACTIONS;
use rampart_collect_aws::org::{MemberRole, Scanner};
use rampart_collect_aws::{guard, Options};
use std::process::Command;

fn set_env() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
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
    });
}

fn plant_org(moto: &harness::Server) -> serde_json::Value {
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_org.py"))
        .args([moto.url.as_str(), "RampartAudit", "us-east-1"])
        .output()
        .expect("run plant_org.py");
    assert!(out.status.success(), "plant_org.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("plant_org.py prints JSON")
}

/// As `rampart scan` does: on a thread with an 8 MiB stack (a debug build of a collection nests
/// deeper than a 2 MiB test thread allows).
fn on_big_stack<F: std::future::Future<Output = ()> + 'static>(body: fn() -> F) {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(body()))
        .expect("spawn")
        .join()
        .expect("test body");
}

#[test]
fn members_are_listed_and_read_through_their_role_and_writes_stay_refused() {
    on_big_stack(members_body);
}

async fn members_body() {
    let moto = harness::moto();
    let org = plant_org(&moto);
    set_env();
    let opts = Options { regions: Some(vec!["us-east-1".into()]), endpoint_url: Some(moto.url.clone()), ..Options::default() };
    let scanner = Scanner::new(&opts).await.expect("identity");
    assert_eq!(scanner.account_id(), org["management"].as_str().unwrap());

    let listed = scanner.list_accounts().await.expect("ListAccounts");
    assert_eq!(listed.len(), 5, "{listed:?}");
    let closed = listed.iter().find(|a| a.id == org["closed"].as_str().unwrap()).unwrap();
    assert_eq!((closed.state.as_str(), closed.is_active(), closed.name.as_str()), ("SUSPENDED", false, "member-closed"));
    assert_eq!(listed.iter().filter(|a| a.is_active()).count(), 4);

    let member = org["members"][0].as_str().unwrap();
    let role = MemberRole { name: "RampartAudit".into(), external_id: Some("ext-42".into()) };
    let account = scanner.read_member(member, &role).await.expect("role assumed");
    assert_eq!(account.id, member);
    assert_eq!(account.regions.len(), 1);
    let ec2 = account.regions[0].ec2.known().expect("EC2 read in the member account");
    let open: Vec<&str> = ec2.security_groups.iter().filter(|g| g.group_name == "open-ssh").map(|g| g.owner_id.as_str()).collect();
    assert_eq!(open, [member], "the member's own group, not the caller's");
    let own = scanner.read_own().await;
    assert_eq!(own.id, scanner.account_id());

    // What was sent for other accounts is what the management policy allows.
    let sent = guard::sent_operations();
    for op in ["Organizations:ListAccounts", "STS:AssumeRole"] {
        assert!(sent.contains(op), "{op} not sent: {sent:?}");
        let action = op.to_ascii_lowercase();
        assert!(ORG_ACTIONS.iter().any(|a| a.to_ascii_lowercase() == action), "{op} is not in the management policy");
    }

    // Organizations' and STS's writes are refused before anything is sent.
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest()).endpoint_url(&moto.url).load().await;
    let orgs = aws_sdk_organizations::Client::from_conf(
        aws_sdk_organizations::config::Builder::from(&conf).interceptor(guard::ReadOnlyGuard).build(),
    );
    let err = orgs.create_account().account_name("sneaky").email("s@example.com").send().await.expect_err("CreateAccount must be refused");
    assert!(format!("{err:?}").contains("only sends read-only calls"), "{err:?}");
    let err = orgs.leave_organization().send().await.expect_err("LeaveOrganization must be refused");
    assert!(format!("{err:?}").contains("only sends read-only calls"), "{err:?}");
    let sts = aws_sdk_sts::Client::from_conf(aws_sdk_sts::config::Builder::from(&conf).interceptor(guard::ReadOnlyGuard).build());
    let err = sts
        .assume_role_with_web_identity()
        .role_arn(format!("arn:aws:iam::{member}:role/RampartAudit"))
        .role_session_name("x1")
        .web_identity_token("t")
        .send()
        .await
        .expect_err("only AssumeRole is vetted");
    assert!(format!("{err:?}").contains("only sends read-only calls"), "{err:?}");
    assert_eq!(scanner.list_accounts().await.unwrap().len(), 5, "no account was created");
}

#[test]
fn a_refused_role_is_that_accounts_gap_and_names_the_role() {
    on_big_stack(refused_body);
}

async fn refused_body() {
    let moto = harness::moto();
    let refused = "210987654321";
    let proxy = harness::deny_proxy(&moto, &[&format!("sts:AssumeRole?RoleArn=arn:aws:iam::{refused}:role/Audit")]);
    set_env();
    let opts = Options { regions: Some(vec!["us-east-1".into()]), endpoint_url: Some(proxy.url.clone()), ..Options::default() };
    let scanner = Scanner::new(&opts).await.expect("identity");
    let role = MemberRole { name: "Audit".into(), external_id: None };
    let failed = scanner.read_member(refused, &role).await.expect_err("refused by the proxy");
    assert_eq!(failed.id, refused);
    assert!(failed.iam.known().is_none(), "nothing read");
    assert_eq!(failed.regions.len(), 1);
    assert!(failed.regions[0].ec2.known().is_none() && failed.regions[0].cloudtrail.known().is_none(), "nothing read");
    assert_eq!(failed.gaps.len(), 1, "{:?}", failed.gaps);
    let gap = &failed.gaps[0];
    assert_eq!(
        (gap.action.as_str(), gap.kind, gap.account.as_str(), gap.resource.as_deref()),
        ("sts:AssumeRole", rampart_model::GapKind::AccessDenied, refused, None)
    );
    assert!(
        gap.message.starts_with(&format!(
            "role `arn:aws:iam::{refused}:role/Audit` could not be assumed, nothing of the account was read: AccessDenied (HTTP 403)"
        )),
        "{}",
        gap.message
    );
    // Another account's role is assumed through the same proxy.
    assert!(scanner.read_member("210987654322", &role).await.is_ok());
}

#[test]
fn an_account_read_part_by_part_equals_the_account_read_whole() {
    on_big_stack(parts_body);
}

/// What a worker does (`Scanner::read_part`): a member's global services, then each region
/// alone; put together they are the account `read_member` reads in one go. A refused role
/// is an error of the part (nothing read), and so is another account without a role.
async fn parts_body() {
    use rampart_collect_aws::org::PartRead;
    let moto = harness::moto();
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_org.py"))
        .args([moto.url.as_str(), "RampartAudit", "us-east-1", "eu-west-1"])
        .output()
        .expect("run plant_org.py");
    assert!(out.status.success(), "plant_org.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let org: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let member = org["members"][0].as_str().unwrap();
    let refused = org["members"][1].as_str().unwrap();
    let proxy = harness::deny_proxy(&moto, &[&format!("sts:AssumeRole?RoleArn=arn:aws:iam::{refused}:role/RampartAudit")]);
    set_env();
    let regions = vec!["eu-west-1".to_string(), "us-east-1".to_string()];
    let opts = Options { regions: Some(regions.clone()), endpoint_url: Some(proxy.url.clone()), ..Options::default() };
    let scanner = Scanner::new(&opts).await.expect("identity");
    let role = MemberRole { name: "RampartAudit".into(), external_id: None };

    let whole = scanner.read_member(member, &role).await.expect("role assumed");
    let PartRead::Global(mut parts) = scanner.read_part(member, Some(&role), None).await.expect("global part") else {
        panic!("not global")
    };
    assert!(parts.regions.is_empty(), "the global part holds no region");
    assert!(parts.iam.known().is_some(), "IAM read");
    for r in &regions {
        let PartRead::Region { region, gaps } = scanner.read_part(member, Some(&role), Some(r)).await.expect("region part") else {
            panic!("not a region")
        };
        assert_eq!(&region.name, r);
        parts.regions.push(region);
        parts.gaps.extend(gaps);
    }
    parts.gaps.sort_by(|a, b| (&a.region, &a.action, &a.resource).cmp(&(&b.region, &b.action, &b.resource)));
    // The credential report is generated anew on each read: compare everything but its time.
    let strip = |a: &rampart_inventory::Account| {
        let mut v = serde_json::to_value(a).unwrap();
        v["iam"]["value"]["credential_report"]["generated"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&parts), strip(&whole));
    let ec2 = parts.regions[1].ec2.known().expect("EC2 read");
    assert!(ec2.security_groups.iter().any(|g| g.group_name == "open-ssh" && g.owner_id == member), "the member's own group");

    // The caller's own account needs no role; another account does; a refused role fails the part.
    let own = scanner.read_part(scanner.account_id(), None, Some("us-east-1")).await.expect("own account");
    assert!(matches!(own, PartRead::Region { .. }));
    let err = scanner.read_part(member, None, None).await.expect_err("no role for a member");
    assert!(err.contains("no member role is given"), "{err}");
    let err = scanner.read_part(refused, Some(&role), Some("us-east-1")).await.expect_err("refused by the proxy");
    assert!(
        err.starts_with(&format!("sts:AssumeRole access denied: role `arn:aws:iam::{refused}:role/RampartAudit` could not be assumed")),
        "{err}"
    );
    let err = scanner.read_part(member, Some(&role), Some("xx-nowhere-1")).await.expect_err("unknown region");
    assert!(err.contains("unknown region `xx-nowhere-1`"), "{err}");
}
