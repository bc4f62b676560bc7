//! CloudWatch Logs, CloudWatch alarms, Secrets Manager, ECS task definitions and CloudFormation
//! stacks collected from moto (`testdata/moto/plant_monitoring.py`), and what the checks make
//! of them: each check of `rampart_checks::MOTO_TESTED_IN_COLLECT_AWS` fails on one planted
//! resource and passes on another.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_checks::aws::cloudwatch as cw;
use rampart_collect_aws::{collect, Options};
use rampart_inventory::{Inventory, Observed};
use rampart_model::{CheckResult, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The CIS 4.x checks with the benchmark pattern each plants.
fn cis_patterns() -> BTreeMap<&'static str, &'static str> {
    [
        (&cw::monitoring_unauthorized_api_calls::CHECK, cw::monitoring_unauthorized_api_calls::PATTERNS),
        (&cw::monitoring_console_sign_in_without_mfa::CHECK, cw::monitoring_console_sign_in_without_mfa::PATTERNS),
        (&cw::monitoring_root_usage::CHECK, cw::monitoring_root_usage::PATTERNS),
        (&cw::monitoring_iam_policy_changes::CHECK, cw::monitoring_iam_policy_changes::PATTERNS),
        (&cw::monitoring_cloudtrail_changes::CHECK, cw::monitoring_cloudtrail_changes::PATTERNS),
        (&cw::monitoring_console_auth_failures::CHECK, cw::monitoring_console_auth_failures::PATTERNS),
        (&cw::monitoring_cmk_disable_or_deletion::CHECK, cw::monitoring_cmk_disable_or_deletion::PATTERNS),
        (&cw::monitoring_s3_bucket_policy_changes::CHECK, cw::monitoring_s3_bucket_policy_changes::PATTERNS),
        (&cw::monitoring_config_changes::CHECK, cw::monitoring_config_changes::PATTERNS),
        (&cw::monitoring_security_group_changes::CHECK, cw::monitoring_security_group_changes::PATTERNS),
        (&cw::monitoring_nacl_changes::CHECK, cw::monitoring_nacl_changes::PATTERNS),
        (&cw::monitoring_network_gateway_changes::CHECK, cw::monitoring_network_gateway_changes::PATTERNS),
        (&cw::monitoring_route_table_changes::CHECK, cw::monitoring_route_table_changes::PATTERNS),
        (&cw::monitoring_vpc_changes::CHECK, cw::monitoring_vpc_changes::PATTERNS),
        (&cw::monitoring_organizations_changes::CHECK, cw::monitoring_organizations_changes::PATTERNS),
    ]
    .into_iter()
    .map(|(c, p)| (c.meta.id, p[0]))
    .collect()
}

/// (check, the planted resource that fails it, the one that passes it).
const PLANTED: &[(&str, &str, &str)] = &[
    ("cloudwatch_alarm_action_configured", "silent", "muted"),
    ("cloudwatch_alarm_actions_enabled", "muted", "silent"),
    ("cloudwatch_log_group_retention", "app-logs", "cloudtrail-logs"),
    ("cloudwatch_log_group_kms_encryption", "app-logs", "cloudtrail-logs"),
    ("secretsmanager_rotation_enabled", "secret-public", "secret-rotating"),
    ("secretsmanager_secret_public", "secret-public", "secret-rotating"),
    ("ecs_task_definition_environment_secrets", "td-bad:1", "td-good:1"),
    ("ecs_task_definition_privileged_containers", "td-bad:1", "td-good:1"),
    ("ecs_task_definition_host_network_user", "td-bad:1", "td-good:1"),
    ("ecs_task_definition_host_pid_mode", "td-bad:1", "td-good:1"),
    ("ecs_task_definition_readonly_root_filesystem", "td-bad:1", "td-good:1"),
    ("ecs_task_definition_logging", "td-bad:1", "td-good:1"),
    ("ecs_cluster_container_insights", "cluster-plain", "cluster-insights"),
    ("ecs_service_public_ip", "svc-public", "svc-private"),
    ("cloudformation_stack_output_secrets", "stack-leaky", "stack-safe"),
    ("cloudformation_stack_termination_protection", "stack-leaky", "stack-safe"),
];

fn set_env() {
    // Test process only: the same static credentials the harness gives child processes, set
    // once before any client reads them.
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

/// A moto of its own planted in `mode`, collected in us-east-1.
fn plant_and_collect(mode: &str) -> Inventory {
    let moto = harness::moto();
    let patterns = serde_json::to_string(&cis_patterns()).unwrap();
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_monitoring.py"))
        .args([moto.url.as_str(), mode, patterns.as_str()])
        .output()
        .expect("run plant_monitoring.py");
    assert!(out.status.success(), "plant_monitoring.py failed: {}", String::from_utf8_lossy(&out.stderr));
    set_env();
    let opts = Options { regions: Some(vec!["us-east-1".into()]), endpoint_url: Some(moto.url.clone()), ..Options::default() };
    // As `rampart scan` does: the collection on a thread with an 8 MiB stack.
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
            rt.block_on(collect(&opts))
        })
        .expect("spawn collector thread")
        .join()
        .expect("collector thread")
        .expect("collect")
}

fn results(inv: &Inventory) -> Vec<CheckResult> {
    rampart_checks::run(inv, time::OffsetDateTime::now_utc(), &[]).results
}

fn status_of<'a>(results: &'a [CheckResult], check: &str, name: &str) -> Vec<(Status, &'a str)> {
    results.iter().filter(|r| r.check_id == check && r.resource.name == name).map(|r| (r.status, r.reason.as_str())).collect()
}

#[test]
fn the_docs_claim_exactly_what_this_test_shows() {
    let claimed: BTreeSet<&str> = rampart_checks::MOTO_TESTED_IN_COLLECT_AWS.iter().copied().collect();
    let shown: BTreeSet<&str> = cis_patterns().keys().copied().chain(PLANTED.iter().map(|(c, _, _)| *c)).collect();
    assert_eq!(claimed, shown);
    let docs = std::fs::read_to_string(harness::repo_root().join("docs/checks.md")).unwrap();
    let marked: BTreeSet<&str> =
        docs.lines().filter(|l| l.ends_with("| fail + pass (collect-aws test) |")).filter_map(|l| l.split('`').nth(1)).collect();
    assert_eq!(marked, shown, "docs/checks.md is stale: `UPDATE_DOCS=1 cargo test -p rampart-checks docs`");
}

#[test]
fn monitoring_secrets_ecs_and_stacks_fail_and_pass() {
    let inv = plant_and_collect("monitored");
    let region = &inv.accounts[0].regions[0];
    for (what, known) in [
        ("log groups", region.log_groups.known().is_some()),
        ("metric filters", region.metric_filters.known().is_some()),
        ("alarms", region.metric_alarms.known().is_some()),
        ("secrets", region.secrets.known().is_some()),
        ("task definitions", region.ecs_task_definitions.known().is_some()),
        ("clusters", region.ecs_clusters.known().is_some()),
        ("stacks", region.cloudformation_stacks.known().is_some()),
    ] {
        assert!(known, "{what} were not collected: {region:#?}");
    }
    let r = results(&inv);
    let account = inv.accounts[0].id.clone();
    for check in cis_patterns().keys() {
        let got = status_of(&r, check, &account);
        assert!(matches!(got.as_slice(), [(Status::Passed, _)]), "{check}: {got:?}");
    }
    for (check, fail, pass) in PLANTED {
        let (f, p) = (status_of(&r, check, fail), status_of(&r, check, pass));
        assert!(matches!(f.as_slice(), [(Status::Failed, _)]), "{check} on {fail}: {f:?}");
        assert!(matches!(p.as_slice(), [(Status::Passed, _)]), "{check} on {pass}: {p:?}");
    }

    // Only redacted matches of the planted key are in the inventory; never the secret whole.
    let json = serde_json::to_string(&inv).unwrap();
    assert!(!json.contains(&format!("{}{}", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2", "/Ae4Ku9M")), "a planted secret was stored whole");
    let td = region.ecs_task_definitions.known().unwrap().iter().find(|t| t.family == "td-bad").unwrap();
    let agent = td.containers.iter().find(|c| c.name == "agent").unwrap();
    assert_eq!(agent.environment_variable_names, ["AWS_ACCESS_KEY_ID", "LEGACY_TOKEN"]);
    assert_eq!(agent.environment_secrets.len(), 1, "{:?}", agent.environment_secrets);
    let leaky = region.cloudformation_stacks.known().unwrap().iter().find(|s| s.name == "stack-leaky").unwrap();
    assert_eq!(leaky.output_secrets.len(), 1, "{:?}", leaky.output_secrets);
    // The SNS subscription the CIS chain ends in was read.
    let sns = region.sns.known().unwrap();
    let subscribed = |name: &str| sns.iter().find(|t| t.arn.ends_with(&format!(":{name}"))).map(|t| t.subscriptions_confirmed.clone());
    assert_eq!(subscribed("cis-alarms"), Some(Observed::Known(1)));
    assert_eq!(subscribed("nobody-listens"), Some(Observed::Known(0)));
}

#[test]
fn every_cis_chain_broken_at_one_link_fails() {
    let inv = plant_and_collect("broken");
    let r = results(&inv);
    let account = inv.accounts[0].id.clone();
    let mut reasons = BTreeSet::new();
    for check in cis_patterns().keys() {
        let got = status_of(&r, check, &account);
        assert!(matches!(got.as_slice(), [(Status::Failed, _)]), "{check}: {got:?}");
        reasons.insert(got[0].1.split(": ").nth(1).unwrap_or_default().split('`').next().unwrap_or_default().to_string());
    }
    // The breaks are told apart: a pattern or log group (no filter), an alarm (none with enabled
    // actions on the metric), a topic (no confirmed subscription).
    assert_eq!(reasons.len(), 3, "{reasons:?}");
}
