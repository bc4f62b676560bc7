//! Acceptance: Stratus Red Team's detonation logs (testdata/cloudtrail/stratus-red-team,
//! Apache-2.0). Each of the 35 techniques is listed below: covered, with the detections it
//! must raise (their ATT&CK technique and the operations of the records they must name), or
//! not covered, with why.

use rampart_detect::{hits, Thresholds};
use std::path::PathBuf;

enum Expect {
    /// (rule id, `TTPs/<tactic>/<technique>`, the operations of the records it names)
    Covered(&'static [(&'static str, &'static str, &'static [&'static str])]),
    NotCovered(&'static str),
}
use Expect::*;

const TABLE: &[(&str, Expect)] = &[
    ("aws.credential-access.ec2-get-password-data", Covered(&[("threat_password_data_burst", "TTPs/Credential Access/T1552", &["GetPasswordData"])])),
    ("aws.credential-access.ec2-steal-instance-credentials", Covered(&[("threat_instance_credentials_outside", "TTPs/Credential Access/T1552.005", &["GetCallerIdentity", "DescribeInstances"])])),
    ("aws.credential-access.secretsmanager-batch-retrieve-secrets", Covered(&[("threat_secrets_read_burst", "TTPs/Credential Access/T1555.006", &["BatchGetSecretValue"])])),
    ("aws.credential-access.secretsmanager-retrieve-secrets", Covered(&[("threat_secrets_read_burst", "TTPs/Credential Access/T1555.006", &["GetSecretValue"])])),
    ("aws.credential-access.ssm-retrieve-securestring-parameters", Covered(&[("threat_secrets_read_burst", "TTPs/Credential Access/T1555.006", &["GetParameters"])])),
    ("aws.defense-evasion.cloudtrail-delete", Covered(&[("threat_logging_disabled", "TTPs/Defense Evasion/T1562.008", &["DeleteTrail"])])),
    ("aws.defense-evasion.cloudtrail-event-selectors", Covered(&[("threat_logging_reduced", "TTPs/Defense Evasion/T1562.008", &["PutEventSelectors"])])),
    ("aws.defense-evasion.cloudtrail-stop", Covered(&[("threat_logging_disabled", "TTPs/Defense Evasion/T1562.008", &["StopLogging"])])),
    ("aws.defense-evasion.dns-delete-logs", Covered(&[("threat_logging_disabled", "TTPs/Defense Evasion/T1562.008", &["DeleteResolverQueryLogConfig"])])),
    ("aws.defense-evasion.organizations-leave", Covered(&[("threat_organization_leave", "TTPs/Defense Evasion/T1666", &["LeaveOrganization"])])),
    ("aws.defense-evasion.vpc-remove-flow-logs", Covered(&[("threat_logging_disabled", "TTPs/Defense Evasion/T1562.008", &["DeleteFlowLogs"])])),
    ("aws.discovery.ec2-download-user-data", Covered(&[("threat_access_denied_burst", "TTPs/Discovery/T1580", &["DescribeInstanceAttribute"])])),
    ("aws.execution.ec2-launch-unusual-instances", NotCovered("one refused RunInstances of a GPU type: what is unusual for an account needs a baseline of its instance types (the investigation profiles), not a rule")),
    ("aws.execution.ec2-user-data", NotCovered("ModifyInstanceAttribute of userData is also how deployments change instances: ordinary administration without a baseline")),
    ("aws.execution.ssm-send-command", NotCovered("SendCommand is ordinary administration; telling an attacker's apart needs the principal's baseline")),
    ("aws.execution.ssm-start-session", NotCovered("StartSession is ordinary administration; telling an attacker's apart needs the principal's baseline")),
    ("aws.exfiltration.ec2-security-group-open-port-22-ingress", Covered(&[("threat_firewall_opened", "TTPs/Defense Evasion/T1562.007", &["AuthorizeSecurityGroupIngress"])])),
    ("aws.exfiltration.ec2-share-ami", Covered(&[("threat_shared_outside", "TTPs/Exfiltration/T1537", &["ModifyImageAttribute"])])),
    ("aws.exfiltration.ec2-share-ebs-snapshot", Covered(&[("threat_shared_outside", "TTPs/Exfiltration/T1537", &["ModifySnapshotAttribute"])])),
    ("aws.exfiltration.rds-share-snapshot", Covered(&[("threat_shared_outside", "TTPs/Exfiltration/T1537", &["ModifyDBSnapshotAttribute"])])),
    ("aws.impact.bedrock-invoke-model", NotCovered("model access and invocation are ordinary Bedrock use; GuardDuty has no CloudTrail finding type for them")),
    ("aws.initial-access.console-login-without-mfa", Covered(&[("threat_console_login_without_mfa", "TTPs/Initial Access/T1078.004", &["ConsoleLogin"])])),
    ("aws.lateral-movement.ec2-instance-connect", NotCovered("SendSSHPublicKey is how every EC2 Instance Connect session starts")),
    ("aws.lateral-movement.ec2-serial-console-send-ssh-public-key", NotCovered("serial console access is an administrator's tool; no detection yet for enabling it")),
    ("aws.persistence.iam-backdoor-role", Covered(&[("threat_role_trust_opened", "TTPs/Persistence/T1098", &["UpdateAssumeRolePolicy"])])),
    ("aws.persistence.iam-backdoor-user", Covered(&[("threat_access_key_for_other_user", "TTPs/Persistence/T1098.001", &["CreateAccessKey"])])),
    ("aws.persistence.iam-create-admin-user", Covered(&[
        ("threat_admin_granted", "TTPs/Privilege Escalation/T1098.003", &["AttachUserPolicy"]),
        ("threat_access_key_for_other_user", "TTPs/Persistence/T1098.001", &["CreateAccessKey"]),
    ])),
    ("aws.persistence.iam-create-backdoor-role", Covered(&[
        ("threat_role_trust_opened", "TTPs/Persistence/T1098", &["CreateRole"]),
        ("threat_admin_granted", "TTPs/Privilege Escalation/T1098.003", &["AttachRolePolicy"]),
    ])),
    ("aws.persistence.iam-create-user-login-profile", Covered(&[("threat_login_profile_for_other_user", "TTPs/Persistence/T1098.001", &["CreateLoginProfile"])])),
    ("aws.persistence.lambda-backdoor-function", Covered(&[("threat_lambda_permission_opened", "TTPs/Persistence/T1098", &["AddPermission20150331v2"])])),
    ("aws.persistence.lambda-layer-extension", NotCovered("UpdateFunctionConfiguration adding a layer is an ordinary deployment")),
    ("aws.persistence.lambda-overwrite-code", NotCovered("UpdateFunctionCode is an ordinary deployment")),
    ("aws.persistence.rolesanywhere-create-trust-anchor", NotCovered("a new IAM Roles Anywhere trust anchor: no detection yet")),
    ("aws.persistence.sts-federation-token", NotCovered("GetFederationToken is ordinary for brokers; telling an attacker's apart needs the principal's baseline")),
    ("aws.privilege-escalation.iam-update-user-login-profile", Covered(&[("threat_login_profile_for_other_user", "TTPs/Persistence/T1098.001", &["UpdateLoginProfile"])])),
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cloudtrail/stratus-red-team")
}

#[test]
fn the_table_lists_every_detonation_file() {
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .expect("testdata/cloudtrail/stratus-red-team")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
    files.sort();
    let listed: Vec<String> = TABLE.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(files, listed);
    assert_eq!(files.len(), 35);
    for (name, expect) in TABLE {
        if let NotCovered(why) = expect {
            assert!(why.len() > 20, "{name}: say why it is not covered");
        }
    }
}

#[test]
fn every_covered_technique_raises_its_detection_with_its_attack_id_naming_the_records() {
    let t = Thresholds::default();
    let mut covered = 0;
    for (name, expect) in TABLE {
        let Covered(wanted) = expect else { continue };
        covered += 1;
        let bytes = std::fs::read(dir().join(format!("{name}.json"))).unwrap();
        let mut events = Vec::new();
        rampart_cloudtrail::read_events(name, &bytes, rampart_cloudtrail::MAX_INFLATED, &mut |r| {
            events.push(r.unwrap_or_else(|m| panic!("{name}: {m:?}")))
        })
        .unwrap();
        let found = hits(&events, &t);
        for (rule, ttp, operations) in *wanted {
            let hit = found
                .iter()
                .find(|h| h.rule.id == *rule)
                .unwrap_or_else(|| panic!("{name}: no {rule}; raised: {:?}", found.iter().map(|h| h.rule.id).collect::<Vec<_>>()));
            assert_eq!(hit.rule.ttp(), *ttp, "{name}");
            assert!(!hit.events.is_empty(), "{name}");
            for e in &hit.events {
                assert!(operations.contains(&e.name.as_str()), "{name}: {rule} names {} ({})", e.id, e.name);
                assert!(!e.id.is_empty());
            }
            // Every operation listed is among the records named.
            for op in *operations {
                assert!(hit.events.iter().any(|e| e.name == *op), "{name}: {rule} names no {op}");
            }
            // The finding carries the same: technique and eventIDs.
            let f = rampart_detect::to_finding(hit);
            assert_eq!(rampart_detect::ttps(&f).collect::<Vec<_>>(), vec![*ttp]);
            for e in &hit.events {
                assert!(f.detail.contains(&e.id), "{name}: {} not in {}", e.id, f.detail);
            }
        }
    }
    assert_eq!(covered, 24);
}
