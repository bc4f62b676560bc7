//! Ordinary CloudTrail activity, generated: what an account of a small team does on a
//! working day, in the shape CloudTrail records it. The detections' clean set
//! (`tests/clean.rs`) is built from it: none of the medium-or-higher detections may fire on
//! it. Deterministic (a seed), no clock.
//!
//! Who acts: four web instances (an instance role, from their public address or a VPC
//! endpoint's private one), a Lambda function, three engineers signing in to the console
//! with MFA (IAM users) or through IAM Identity Center (roles), a CI user that assumes a
//! deploy role, a backup role that shares snapshots with the organisation's backup account
//! ([`ORG_ACCOUNT`]), AWS services acting for the account, and the root user once, signing
//! in with MFA. What they do: reads (describe, list, get), the same few secrets and
//! parameters read again and again, deployments, key rotation, narrow security-group rules,
//! trails kept complete, a few refused calls and temporary-object deletions.

use serde_json::{json, Value};
use time::OffsetDateTime;

/// The account the activity happens in.
pub const ACCOUNT: &str = "111122223333";
/// The organisation's backup account, which snapshots are shared with (a trusted account).
pub const ORG_ACCOUNT: &str = "444455556666";

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            (b >> 48) & 0x3fff | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

const CLI: &str = "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1014-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#";
const CONSOLE: &str = "AWS Internal";
const SDK: &str = "aws-sdk-java/2.25.10 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard";
const BOTO: &str = "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.209-219.812.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.51";

fn user(name: &str) -> Value {
    json!({"type": "IAMUser", "principalId": format!("AIDA{}", name.to_uppercase()), "arn": format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
           "accountId": ACCOUNT, "accessKeyId": format!("AKIA{}EXAMPLE", name.to_uppercase()), "userName": name})
}

fn session(role: &str, session: &str, instance: bool, mfa: bool) -> Value {
    let mut v = json!({"type": "AssumedRole", "principalId": format!("AROA{}:{session}", role.to_uppercase().replace('-', "")),
        "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}"), "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLESESSION",
        "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": format!("AROA{}", role.to_uppercase().replace('-', "")),
            "arn": format!("arn:aws:iam::{ACCOUNT}:role/{role}"), "accountId": ACCOUNT, "userName": role},
            "attributes": {"creationDate": "2026-12-07T08:00:00Z", "mfaAuthenticated": if mfa { "true" } else { "false" }}}});
    if instance {
        v["sessionContext"]["ec2RoleDelivery"] = json!("2.0");
    }
    v
}

fn service(name: &str) -> Value {
    json!({"type": "AWSService", "invokedBy": name})
}

/// One record.
#[allow(clippy::too_many_arguments)]
fn record(
    rng: &mut Rng,
    at: OffsetDateTime,
    who: Value,
    source: &str,
    name: &str,
    ip: &str,
    agent: &str,
    request: Value,
    read_only: bool,
) -> Value {
    json!({
        "eventVersion": "1.09", "userIdentity": who, "eventTime": rampart_model::rfc3339(at),
        "eventSource": format!("{source}.amazonaws.com"), "eventName": name, "awsRegion": "eu-west-1",
        "sourceIPAddress": ip, "userAgent": agent, "requestParameters": request, "responseElements": null,
        "requestID": rng.uuid(), "eventID": rng.uuid(), "readOnly": read_only, "eventType": "AwsApiCall",
        "managementEvent": true, "recipientAccountId": ACCOUNT, "eventCategory": "Management"
    })
}

const INSTANCES: [(&str, &str); 4] = [
    ("i-0a1b2c3d4e5f60001", "203.0.113.10"),
    ("i-0a1b2c3d4e5f60002", "203.0.113.11"),
    ("i-0a1b2c3d4e5f60003", "203.0.113.12"),
    ("i-0a1b2c3d4e5f60004", "203.0.113.13"),
];
const ENGINEERS: [(&str, &str); 3] = [("alice", "198.51.100.7"), ("bob", "198.51.100.8"), ("carol", "198.51.100.9")];

/// Read-only console calls: (service, operation, request).
fn console_read(rng: &mut Rng) -> (&'static str, &'static str, Value) {
    let reads: [(&str, &str, Value); 18] = [
        ("ec2", "DescribeInstances", json!({"filterSet": {}, "instancesSet": {}})),
        ("ec2", "DescribeSecurityGroups", json!({"filterSet": {}})),
        ("ec2", "DescribeVpcs", json!({"filterSet": {}})),
        ("s3", "ListBuckets", json!({"host": "s3.amazonaws.com"})),
        ("s3", "GetBucketPolicy", json!({"bucketName": "acme-web-assets", "policy": ""})),
        ("iam", "ListRoles", json!(null)),
        ("iam", "ListUsers", json!(null)),
        ("iam", "GetRole", json!({"roleName": "web-app"})),
        ("cloudtrail", "DescribeTrails", json!(null)),
        ("cloudtrail", "GetTrailStatus", json!({"name": "org-trail"})),
        ("cloudtrail", "LookupEvents", json!({"maxResults": 50})),
        ("monitoring", "DescribeAlarms", json!({"maxRecords": 100})),
        ("rds", "DescribeDBInstances", json!(null)),
        ("lambda", "ListFunctions20150331", json!(null)),
        ("logs", "DescribeLogGroups", json!({"limit": 50})),
        ("guardduty", "ListDetectors", json!(null)),
        ("securityhub", "GetFindings", json!({"maxResults": 100})),
        ("config", "DescribeConfigRules", json!(null)),
    ];
    rng.pick(&reads).clone()
}

/// `count` records of ordinary activity from `start`, in time order.
pub fn benign(count: usize, seed: u64, start: OffsetDateTime) -> Vec<Value> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::with_capacity(count);
    let mut at = start;
    let mut deploy_run = 1000;
    // The root user signs in once, with MFA, about a third of the way in.
    let root_at = count / 3;
    while out.len() < count {
        at += time::Duration::seconds(1 + rng.below(20) as i64);
        if out.len() == root_at {
            let root = json!({"type": "Root", "principalId": ACCOUNT, "arn": format!("arn:aws:iam::{ACCOUNT}:root"), "accountId": ACCOUNT});
            let mut login = record(&mut rng, at, root.clone(), "signin", "ConsoleLogin", "198.51.100.7", CONSOLE, json!(null), false);
            login["eventType"] = json!("AwsConsoleSignIn");
            login["responseElements"] = json!({"ConsoleLogin": "Success"});
            login["additionalEventData"] =
                json!({"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "Yes"});
            out.push(login);
            out.push(record(&mut rng, at, root, "iam", "GetAccountSummary", "198.51.100.7", CONSOLE, json!(null), true));
            continue;
        }
        let roll = rng.below(100);
        let r = match roll {
            // A web instance: its secret and parameter, metrics, its own tags.
            0..=29 => {
                let (id, public) = *rng.pick(&INSTANCES);
                let ip = if rng.chance(30) { format!("10.0.{}.{}", 1 + rng.below(3), 10 + rng.below(200)) } else { public.to_string() };
                let who = session("web-app", id, true, false);
                match rng.below(5) {
                    0 => record(&mut rng, at, who, "secretsmanager", "GetSecretValue", &ip, SDK, json!({"secretId": "prod/web/db"}), true),
                    1 => record(
                        &mut rng,
                        at,
                        who,
                        "ssm",
                        "GetParameter",
                        &ip,
                        SDK,
                        json!({"name": "/web/prod/api-key", "withDecryption": true}),
                        true,
                    ),
                    2 => record(
                        &mut rng,
                        at,
                        who,
                        "ssm",
                        "GetParameters",
                        &ip,
                        SDK,
                        json!({"names": ["/web/prod/feature-flags", "/web/prod/region"], "withDecryption": false}),
                        true,
                    ),
                    3 => record(
                        &mut rng,
                        at,
                        who,
                        "ec2",
                        "DescribeTags",
                        &ip,
                        SDK,
                        json!({"filterSet": {"items": [{"name": "resource-id", "valueSet": {"items": [{"value": id}]}}]}}),
                        true,
                    ),
                    _ => record(&mut rng, at, who, "kms", "Decrypt", &ip, SDK, json!({"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}), true),
                }
            }
            // The orders function: its one secret, its table, its queue.
            30..=44 => {
                let ip = format!("3.249.{}.{}", rng.below(256), rng.below(256));
                let who = session("orders-fn", "orders-fn", false, false);
                match rng.below(3) {
                    0 => record(
                        &mut rng,
                        at,
                        who,
                        "secretsmanager",
                        "GetSecretValue",
                        &ip,
                        BOTO,
                        json!({"secretId": "prod/orders/payment-key"}),
                        true,
                    ),
                    1 => record(&mut rng, at, who, "dynamodb", "DescribeTable", &ip, BOTO, json!({"tableName": "orders"}), true),
                    _ => record(&mut rng, at, who, "sqs", "GetQueueUrl", &ip, BOTO, json!({"queueName": "orders-events"}), true),
                }
            }
            // Engineers in the console, as IAM users with MFA or through Identity Center.
            45..=66 => {
                let (name, ip) = *rng.pick(&ENGINEERS);
                let who = if rng.chance(50) {
                    user(name)
                } else {
                    session("AWSReservedSSO_AdministratorAccess_0123456789abcdef", &format!("{name}@example.com"), false, false)
                };
                let (svc, op, req) = console_read(&mut rng);
                let mut r = record(&mut rng, at, who, svc, op, ip, CONSOLE, req, true);
                // Now and then a page asks for something the engineer may not read.
                if rng.chance(4) {
                    r["errorCode"] = json!("AccessDenied");
                    r["errorMessage"] = json!("User is not authorized to perform this action");
                }
                r
            }
            // Sign-ins: IAM users with MFA, Identity Center (MFA at the provider), a mistyped password.
            67..=70 => {
                let (name, ip) = *rng.pick(&ENGINEERS);
                let (who, mfa, result) = match rng.below(4) {
                    0 | 1 => (user(name), "Yes", "Success"),
                    2 => (
                        session("AWSReservedSSO_AdministratorAccess_0123456789abcdef", &format!("{name}@example.com"), false, false),
                        "No",
                        "Success",
                    ),
                    _ => (user(name), "No", "Failure"),
                };
                let mut r = record(
                    &mut rng,
                    at,
                    who,
                    "signin",
                    "ConsoleLogin",
                    ip,
                    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
                    json!(null),
                    false,
                );
                r["eventType"] = json!("AwsConsoleSignIn");
                r["responseElements"] = json!({"ConsoleLogin": result});
                r["additionalEventData"] =
                    json!({"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": mfa});
                if result == "Failure" {
                    r["errorMessage"] = json!("Failed authentication");
                }
                r
            }
            // CI: the ci user assumes the deploy role, which deploys.
            71..=82 => {
                let ip = "192.0.2.50";
                if rng.chance(15) {
                    deploy_run += 1;
                    let req = json!({"roleArn": format!("arn:aws:iam::{ACCOUNT}:role/deploy"), "roleSessionName": format!("gha-{deploy_run}"), "durationSeconds": 3600});
                    record(&mut rng, at, user("ci-bot"), "sts", "AssumeRole", ip, CLI, req, true)
                } else {
                    let who = session("deploy", &format!("gha-{deploy_run}"), false, false);
                    match rng.below(7) {
                        0 => record(&mut rng, at, who, "cloudformation", "DescribeStacks", ip, CLI, json!({"stackName": "web"}), true),
                        1 => record(
                            &mut rng,
                            at,
                            who,
                            "cloudformation",
                            "UpdateStack",
                            ip,
                            CLI,
                            json!({"stackName": "web", "capabilities": ["CAPABILITY_IAM"]}),
                            false,
                        ),
                        2 => record(
                            &mut rng,
                            at,
                            who,
                            "lambda",
                            "UpdateFunctionCode20150331v2",
                            ip,
                            CLI,
                            json!({"functionName": "orders-fn", "publish": true}),
                            false,
                        ),
                        3 => record(&mut rng, at, who, "ecr", "GetAuthorizationToken", ip, CLI, json!(null), true),
                        4 => record(
                            &mut rng,
                            at,
                            who,
                            "ecs",
                            "UpdateService",
                            ip,
                            CLI,
                            json!({"cluster": "web", "service": "web", "forceNewDeployment": true}),
                            false,
                        ),
                        5 => {
                            let req = json!({"groupId": "sg-0web", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                                "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16", "description": "vpc"}]}}]}});
                            record(&mut rng, at, who, "ec2", "AuthorizeSecurityGroupIngress", ip, CLI, req, false)
                        }
                        _ => record(
                            &mut rng,
                            at,
                            who,
                            "ecs",
                            "DescribeServices",
                            ip,
                            CLI,
                            json!({"cluster": "web", "services": ["web"]}),
                            true,
                        ),
                    }
                }
            }
            // AWS services acting for the account.
            83..=90 => {
                let (svc, by, op) = *rng.pick(&[
                    ("sts", "lambda.amazonaws.com", "AssumeRole"),
                    ("kms", "secretsmanager.amazonaws.com", "Decrypt"),
                    ("kms", "s3.amazonaws.com", "GenerateDataKey"),
                    ("sts", "ecs-tasks.amazonaws.com", "AssumeRole"),
                ]);
                record(&mut rng, at, service(by), svc, op, by, by, json!(null), true)
            }
            // Temporary objects removed by the web app.
            91..=92 => {
                let (id, public) = INSTANCES[0];
                let req = json!({"bucketName": "acme-web-tmp", "key": format!("uploads/tmp-{}", rng.below(1_000_000))});
                let mut r = record(&mut rng, at, session("web-app", id, true, false), "s3", "DeleteObject", public, SDK, req, false);
                r["managementEvent"] = json!(false);
                r["eventCategory"] = json!("Data");
                r
            }
            // Backups: snapshots shared with the organisation's backup account.
            93..=94 => {
                let who = session("backup", "backup-job", false, false);
                let snap = format!("snap-0{:016x}", rng.next() >> 4);
                if rng.chance(50) {
                    record(
                        &mut rng,
                        at,
                        who,
                        "ec2",
                        "CreateSnapshot",
                        "backup.amazonaws.com",
                        "backup.amazonaws.com",
                        json!({"volumeId": "vol-0web"}),
                        false,
                    )
                } else {
                    let req = json!({"snapshotId": snap, "attributeType": "CREATE_VOLUME_PERMISSION",
                        "createVolumePermission": {"add": {"items": [{"userId": ORG_ACCOUNT}]}}});
                    record(&mut rng, at, who, "ec2", "ModifySnapshotAttribute", "backup.amazonaws.com", "backup.amazonaws.com", req, false)
                }
            }
            // Administration by alice: key rotation, a role for a new function, trails kept complete.
            _ => {
                let (name, ip) = ENGINEERS[0];
                let who = user(name);
                match rng.below(6) {
                    0 => record(&mut rng, at, who, "iam", "CreateAccessKey", ip, CLI, json!(null), false),
                    1 => record(
                        &mut rng,
                        at,
                        who,
                        "iam",
                        "UpdateAccessKey",
                        ip,
                        CLI,
                        json!({"accessKeyId": "AKIAOLDKEYEXAMPLE", "status": "Inactive"}),
                        false,
                    ),
                    2 => {
                        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
                        let role = format!("fn-{}", rng.below(100));
                        record(
                            &mut rng,
                            at,
                            who,
                            "iam",
                            "CreateRole",
                            ip,
                            CLI,
                            json!({"roleName": role, "assumeRolePolicyDocument": trust.to_string()}),
                            false,
                        )
                    }
                    3 => record(
                        &mut rng,
                        at,
                        who,
                        "iam",
                        "AttachRolePolicy",
                        ip,
                        CLI,
                        json!({"roleName": "orders-fn", "policyArn": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"}),
                        false,
                    ),
                    4 => {
                        let req = json!({"trailName": "org-trail", "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": true,
                            "dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::acme-web-tmp/"]}], "excludeManagementEventSources": []}]});
                        record(&mut rng, at, who, "cloudtrail", "PutEventSelectors", ip, CLI, req, false)
                    }
                    _ => record(
                        &mut rng,
                        at,
                        who,
                        "cloudtrail",
                        "UpdateTrail",
                        ip,
                        CLI,
                        json!({"name": "org-trail", "isMultiRegionTrail": true, "enableLogFileValidation": true}),
                        false,
                    ),
                }
            }
        };
        out.push(r);
    }
    out.truncate(count);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_seed_gives_the_same_records_and_every_one_reads() {
        let start = time::macros::datetime!(2026-12-07 08:00 UTC);
        let a = super::benign(500, 7, start);
        assert_eq!(a, super::benign(500, 7, start));
        assert_ne!(a, super::benign(500, 8, start));
        assert_eq!(a.len(), 500);
        let events: Vec<_> = a.iter().map(|r| rampart_cloudtrail::log::event(r).unwrap()).collect();
        let ids: std::collections::BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), 500);
        assert!(events.windows(2).all(|w| w[0].time <= w[1].time));
    }
}
