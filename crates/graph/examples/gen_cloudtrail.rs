//! Generates CloudTrail log files of realistic shape for the ingest benchmark
//! (docs/benchmarks.md): `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
//! <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz`, one file per account, region
//! and five minutes (as CloudTrail delivers), each `{"Records": [...]}` gzip-compressed.
//!
//! ```sh
//! cargo run --release -p rampart-graph --example gen_cloudtrail -- --events 10000000 --out /var/tmp/ct10m
//! ```
//!
//! The records carry the fields of AWS's "CloudTrail record contents" (eventVersion,
//! userIdentity with sessionContext, eventTime, eventSource, eventName, awsRegion,
//! sourceIPAddress, userAgent, requestParameters, responseElements, requestID, eventID,
//! readOnly, resources, eventType, managementEvent, recipientAccountId, eventCategory,
//! tlsDetails). What is drawn, deterministically from `--seed`:
//! - callers by a Zipf law (exponent 1.1) over each account's population: instance-profile
//!   sessions (named by their instance id), Lambda and ECS role sessions, CI sessions,
//!   IAM Identity Center sessions of people, IAM users with access keys, AWS services
//!   (`AWSService`, `invokedBy`), rarely the root user; a few callers make most calls;
//! - each caller's own few services and actions (AWS's busiest management events:
//!   `AssumeRole`, KMS `Decrypt`/`GenerateDataKey`, `Describe*`, `Get*`, `List*`, CloudWatch
//!   Logs, ...), its own addresses (a workload's one public address or a VPC endpoint's
//!   private one; people's office and home addresses) and user agent (SDKs, the CLI,
//!   Terraform, the console);
//! - errors at AWS-like rates (about 3 %: `AccessDenied`, `ThrottlingException`,
//!   `ResourceNotFoundException`, ...);
//! - volume per hour with a daily rhythm (busier in working hours), over `--days` days from
//!   `--start`, split over three accounts and four regions (us-east-1 busiest).
//!
//! Two threads write files (each file's records sorted by time; gzip level 1: the level
//! changes the compressed size, not what is read). An example, not part of
//! the library: `rampart-graph` itself stays pure.

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// SplitMix64: small, fast, deterministic.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0')).collect()
    }
    fn upper(&mut self, n: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        (0..n).map(|_| A[self.below(A.len() as u64) as usize] as char).collect()
    }
    fn uuid(&mut self) -> String {
        format!("{}-{}-4{}-a{}-{}", self.hex(8), self.hex(4), self.hex(3), self.hex(3), self.hex(12))
    }
}

/// A cumulative table for drawing by weight.
struct Weighted {
    cum: Vec<f64>,
}

impl Weighted {
    fn new(w: impl IntoIterator<Item = f64>) -> Weighted {
        let mut cum = Vec::new();
        let mut t = 0.0;
        for x in w {
            t += x;
            cum.push(t);
        }
        Weighted { cum }
    }
    fn draw(&self, r: &mut Rng) -> usize {
        let x = r.unit() * self.cum.last().copied().unwrap_or(1.0);
        self.cum.partition_point(|c| *c < x).min(self.cum.len() - 1)
    }
}

/// An API operation: service, name, read-only, relative volume, shape of its parameters.
#[derive(Clone, Copy)]
struct Op {
    service: &'static str,
    name: &'static str,
    read_only: bool,
    weight: f64,
}

const fn op(service: &'static str, name: &'static str, read_only: bool, weight: f64) -> Op {
    Op { service, name, read_only, weight }
}

/// AWS's busiest management events, roughly as they weigh in real trails.
const OPS: &[Op] = &[
    op("sts", "AssumeRole", false, 14.0),
    op("kms", "Decrypt", true, 12.0),
    op("kms", "GenerateDataKey", true, 6.0),
    op("sts", "GetCallerIdentity", true, 3.0),
    op("ec2", "DescribeInstances", true, 5.0),
    op("ec2", "DescribeSecurityGroups", true, 2.0),
    op("ec2", "DescribeNetworkInterfaces", true, 2.0),
    op("ec2", "DescribeVolumes", true, 1.0),
    op("ec2", "DescribeSubnets", true, 1.0),
    op("ec2", "CreateNetworkInterface", false, 0.3),
    op("ec2", "DeleteNetworkInterface", false, 0.3),
    op("ec2", "RunInstances", false, 0.05),
    op("ec2", "CreateTags", false, 0.2),
    op("logs", "CreateLogStream", false, 4.0),
    op("logs", "DescribeLogGroups", true, 1.5),
    op("logs", "DescribeLogStreams", true, 1.0),
    op("lambda", "ListFunctions20150331", true, 0.8),
    op("lambda", "GetFunction20150331v2", true, 0.5),
    op("dynamodb", "DescribeTable", true, 2.0),
    op("ssm", "GetParameter", true, 2.5),
    op("ssm", "GetParameters", true, 1.0),
    op("ssm", "UpdateInstanceInformation", false, 2.0),
    op("ssm", "ListInstanceAssociations", true, 1.5),
    op("secretsmanager", "GetSecretValue", true, 2.0),
    op("secretsmanager", "DescribeSecret", true, 0.5),
    op("iam", "GetRole", true, 1.0),
    op("iam", "ListRoles", true, 0.3),
    op("iam", "GetPolicyVersion", true, 0.4),
    op("iam", "ListAttachedRolePolicies", true, 0.4),
    op("iam", "GetUser", true, 0.2),
    op("iam", "CreateAccessKey", false, 0.01),
    op("ecr", "GetAuthorizationToken", true, 1.5),
    op("ecr", "BatchCheckLayerAvailability", true, 0.5),
    op("autoscaling", "DescribeAutoScalingGroups", true, 1.0),
    op("elasticloadbalancing", "DescribeTargetHealth", true, 1.0),
    op("rds", "DescribeDBInstances", true, 0.6),
    op("cloudformation", "DescribeStacks", true, 0.8),
    op("config", "PutEvaluations", false, 0.6),
    op("s3", "GetBucketLocation", true, 1.2),
    op("s3", "ListBuckets", true, 0.4),
    op("s3", "GetBucketPolicy", true, 0.3),
    op("s3", "GetBucketAcl", true, 0.5),
    op("s3", "PutBucketTagging", false, 0.02),
    op("cloudtrail", "DescribeTrails", true, 0.2),
    op("cloudtrail", "LookupEvents", true, 0.1),
    op("sqs", "GetQueueAttributes", true, 0.6),
    op("sns", "ListTopics", true, 0.2),
    op("events", "PutRule", false, 0.02),
    op("monitoring", "DescribeAlarms", true, 0.8),
    op("signin", "ConsoleLogin", false, 0.02),
];

const SERVICES_CALLING: &[&str] = &[
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "s3.amazonaws.com",
    "cloudformation.amazonaws.com",
    "autoscaling.amazonaws.com",
    "config.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "logs.amazonaws.com",
    "ssm.amazonaws.com",
];

const AGENTS_SDK: &[&str] = &[
    "aws-sdk-java/2.25.11 Linux/5.10.215-203.850.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
    "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.214-202.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
    "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.6",
    "aws-sdk-js/3.554.0 ua/2.0 os/linux#5.10.214 lang/js md/nodejs#20.12.2 api/dynamodb#3.554.0",
    "amazon-ssm-agent/3.3.380.0",
    "aws-sdk-rust/1.3.1 os/linux lang/rust/1.78.0",
];
const AGENTS_PEOPLE: &[&str] = &[
    "aws-cli/2.15.38 Python/3.11.8 Linux/6.5.0-28-generic exe/x86_64.ubuntu.22 prompt/off command/ec2.describe-instances",
    "aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/sts.get-caller-identity",
    "AWS Internal",
    "signin.amazonaws.com",
    "Terraform/1.8.1 (+https://www.terraform.io) terraform-provider-aws/5.46.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
];
const ERRORS: &[(&str, &str, f64)] = &[
    ("AccessDenied", "User is not authorized to perform this operation", 1.4),
    ("ThrottlingException", "Rate exceeded", 0.6),
    ("ResourceNotFoundException", "Requested resource not found", 0.5),
    ("Client.UnauthorizedOperation", "You are not authorized to perform this operation.", 0.3),
    ("NoSuchEntityException", "The role with name x cannot be found.", 0.2),
];

const REGIONS: &[(&str, f64)] = &[("us-east-1", 0.5), ("eu-west-1", 0.25), ("us-west-2", 0.15), ("ap-southeast-2", 0.1)];
const ACCOUNTS: &[(&str, f64)] = &[("111122223333", 0.55), ("444455556666", 0.3), ("777788889999", 0.15)];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Instance,
    Lambda,
    Task,
    Ci,
    Sso,
    User,
    Service,
    Root,
}

/// A caller and its habits.
struct Caller {
    kind: Kind,
    identity: Value,
    ops: Vec<usize>,
    op_weights: Weighted,
    ips: Vec<String>,
    agent: &'static str,
    secrets: Vec<String>,
    invoked_by: Option<&'static str>,
}

fn public_ip(r: &mut Rng) -> String {
    let firsts = [3u64, 18, 34, 44, 52, 54, 81, 98, 151, 176, 185, 203];
    format!("{}.{}.{}.{}", firsts[r.below(firsts.len() as u64) as usize], r.below(256), r.below(256), 1 + r.below(254))
}

fn callers(account: &str, r: &mut Rng) -> Vec<Caller> {
    let mut out = Vec::new();
    let op_table = |r: &mut Rng, pool: &[usize], n: usize| -> (Vec<usize>, Weighted) {
        let mut ops: Vec<usize> = Vec::new();
        while ops.len() < n.min(pool.len()) {
            let i = pool[r.below(pool.len() as u64) as usize];
            if !ops.contains(&i) {
                ops.push(i);
            }
        }
        let w = Weighted::new(ops.iter().map(|i| OPS[*i].weight * (0.2 + r.unit())));
        (ops, w)
    };
    let all: Vec<usize> = (0..OPS.len()).filter(|i| OPS[*i].name != "ConsoleLogin").collect();
    let workload: Vec<usize> = all.iter().copied().filter(|i| OPS[*i].read_only || OPS[*i].weight >= 1.0).collect();
    let session = |role: &str, session: &str, issuer_type: &str, r: &mut Rng, extra: Value| {
        let role_id = format!("AROA{}", r.upper(17));
        let mut ctx = json!({
            "sessionIssuer": {"type": issuer_type, "principalId": role_id, "arn": format!("arn:aws:iam::{account}:role/{role}"), "accountId": account, "userName": role.rsplit('/').next().unwrap_or(role)},
            "webIdFederationData": {},
            "attributes": {"creationDate": "2026-11-01T00:00:00Z", "mfaAuthenticated": "false"}
        });
        if let (Some(c), Some(e)) = (ctx.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                c.insert(k.clone(), v.clone());
            }
        }
        json!({
            "type": "AssumedRole",
            "principalId": format!("{role_id}:{session}"),
            "arn": format!("arn:aws:sts::{account}:assumed-role/{}/{session}", role.rsplit('/').next().unwrap_or(role)),
            "accountId": account,
            "accessKeyId": format!("ASIA{}", r.upper(16)),
            "sessionContext": ctx
        })
    };
    // Instances: 240 of them, in 12 roles.
    for i in 0..240 {
        let id = format!("i-0{i:016x}");
        let role = format!("app-{}-instance", i % 12);
        let (ops, op_weights) = {
            let n = 4 + r.below(6) as usize;
            op_table(r, &workload, n)
        };
        let ip = if r.below(3) == 0 { format!("10.{}.{}.{}", r.below(4), r.below(256), 1 + r.below(254)) } else { public_ip(r) };
        out.push(Caller {
            kind: Kind::Instance,
            identity: session(&role, &id, "Role", r, json!({"ec2RoleDelivery": "2.0"})),
            ops,
            op_weights,
            ips: vec![ip],
            agent: AGENTS_SDK[r.below(AGENTS_SDK.len() as u64) as usize],
            secrets: vec![format!("prod/app-{}/db", i % 12)],
            invoked_by: None,
        });
    }
    // Lambda functions and ECS tasks: sessions named after the function or a task id.
    for i in 0..160 {
        let lambda = i < 100;
        let role = if lambda { format!("fn-{i}-role") } else { format!("ecs-task-{}-role", i % 20) };
        let name = if lambda { format!("fn-{i}") } else { r.hex(32) };
        let (ops, op_weights) = {
            let n = 3 + r.below(5) as usize;
            op_table(r, &workload, n)
        };
        out.push(Caller {
            kind: if lambda { Kind::Lambda } else { Kind::Task },
            identity: session(&role, &name, "Role", r, json!({})),
            ops,
            op_weights,
            ips: vec![public_ip(r), public_ip(r)],
            agent: AGENTS_SDK[r.below(AGENTS_SDK.len() as u64) as usize],
            secrets: vec![format!("prod/{role}/api-key")],
            invoked_by: None,
        });
    }
    // CI sessions.
    for i in 0..20 {
        let (ops, op_weights) = {
            let n = 10 + r.below(10) as usize;
            op_table(r, &all, n)
        };
        out.push(Caller {
            kind: Kind::Ci,
            identity: session("GitHubActionsDeploy", &format!("GitHubActions-{}", 1000 + i), "Role", r, json!({})),
            ops,
            op_weights,
            ips: (0..8).map(|_| public_ip(r)).collect(),
            agent: AGENTS_PEOPLE[4],
            secrets: vec!["ci/deploy-token".into()],
            invoked_by: None,
        });
    }
    // People: Identity Center sessions and IAM users.
    let office: Vec<String> = (0..6).map(|_| public_ip(r)).collect();
    for i in 0..60 {
        let sso = i < 45;
        let (ops, op_weights) = {
            let n = 8 + r.below(15) as usize;
            op_table(r, &all, n)
        };
        let mut ips = vec![office[r.below(office.len() as u64) as usize].clone(), public_ip(r)];
        ips.push(public_ip(r));
        let identity = if sso {
            let role = if i % 3 == 0 {
                "AWSReservedSSO_AdministratorAccess_0123456789abcdef"
            } else {
                "AWSReservedSSO_ReadOnlyAccess_fedcba9876543210"
            };
            session(&format!("aws-reserved/sso.amazonaws.com/{role}"), &format!("person{i}@example.com"), "Role", r, json!({}))
        } else {
            json!({
                "type": "IAMUser",
                "principalId": format!("AIDA{}", r.upper(17)),
                "arn": format!("arn:aws:iam::{account}:user/user{i}"),
                "accountId": account,
                "accessKeyId": format!("AKIA{}", r.upper(16)),
                "userName": format!("user{i}")
            })
        };
        out.push(Caller {
            kind: if sso { Kind::Sso } else { Kind::User },
            identity,
            ops,
            op_weights,
            ips,
            agent: AGENTS_PEOPLE[r.below(AGENTS_PEOPLE.len() as u64) as usize],
            secrets: vec![format!("team/person{i}")],
            invoked_by: None,
        });
    }
    // AWS services acting on their own.
    for svc in SERVICES_CALLING {
        let pool: Vec<usize> = all.iter().copied().filter(|i| matches!(OPS[*i].service, "kms" | "sts" | "ec2" | "logs")).collect();
        let (ops, op_weights) = op_table(r, &pool, 4);
        out.push(Caller {
            kind: Kind::Service,
            identity: json!({"type": "AWSService", "invokedBy": svc}),
            ops,
            op_weights,
            ips: vec![svc.to_string()],
            agent: svc,
            secrets: vec![],
            invoked_by: Some(svc),
        });
    }
    let (ops, op_weights) = op_table(r, &all, 3);
    out.push(Caller {
        kind: Kind::Root,
        identity: json!({"type": "Root", "principalId": account, "arn": format!("arn:aws:iam::{account}:root"), "accountId": account}),
        ops,
        op_weights,
        ips: vec![office[0].clone()],
        agent: AGENTS_PEOPLE[5],
        secrets: vec![],
        invoked_by: None,
    });
    // A random order, so that the Zipf law's head mixes kinds.
    for i in (1..out.len()).rev() {
        let j = r.below(i as u64 + 1) as usize;
        out.swap(i, j);
    }
    // The root user is kept at the tail (rare).
    if let Some(p) = out.iter().position(|c| c.kind == Kind::Root) {
        let root = out.remove(p);
        out.push(root);
    }
    out
}

fn params(op: &Op, c: &Caller, account: &str, region: &str, r: &mut Rng) -> (Value, Value, Vec<Value>) {
    match (op.service, op.name) {
        ("sts", "AssumeRole") => {
            let role = format!("arn:aws:iam::{account}:role/app-{}-role", r.below(30));
            let session = format!("session-{}", r.hex(8));
            (
                json!({"roleArn": role, "roleSessionName": session, "durationSeconds": 3600}),
                json!({
                    "credentials": {"accessKeyId": format!("ASIA{}", r.upper(16)), "sessionToken": r.hex(120), "expiration": "Dec 8, 2026, 1:00:00 AM"},
                    "assumedRoleUser": {"assumedRoleId": format!("AROA{}:{session}", r.upper(17)), "arn": format!("arn:aws:sts::{account}:assumed-role/app-role/{session}")}
                }),
                vec![json!({"accountId": account, "type": "AWS::IAM::Role", "ARN": role})],
            )
        }
        ("kms", _) => {
            // A few keys per account and region (the S3, EBS, Secrets Manager and app keys).
            let k = r.below(8);
            let key = format!("arn:aws:kms:{region}:{account}:key/{}-0000-4000-a000-{k:012}", &account[..8]);
            (
                json!({"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "keyId": key, "encryptionContext": {"aws:s3:arn": format!("arn:aws:s3:::data-{account}/obj/{}", r.hex(10))}}),
                Value::Null,
                vec![json!({"accountId": account, "type": "AWS::KMS::Key", "ARN": key})],
            )
        }
        ("ec2", "DescribeInstances") => (
            json!({"instancesSet": {"items": [{"instanceId": format!("i-0{:016x}", r.below(240))}]}, "filterSet": {}}),
            Value::Null,
            vec![],
        ),
        ("ssm", "GetParameter") => {
            (json!({"name": format!("/app/{}/config", r.below(20)), "withDecryption": r.below(4) == 0}), Value::Null, vec![])
        }
        ("secretsmanager", _) => {
            let secret = c.secrets.first().cloned().unwrap_or_else(|| "shared/secret".into());
            (json!({"secretId": secret}), Value::Null, vec![])
        }
        ("logs", "CreateLogStream") => (
            json!({"logGroupName": format!("/aws/lambda/fn-{}", r.below(100)), "logStreamName": format!("2026/12/07/[$LATEST]{}", r.hex(32))}),
            Value::Null,
            vec![],
        ),
        ("s3", "ListBuckets") => (json!({"Host": "s3.amazonaws.com"}), Value::Null, vec![]),
        ("s3", _) => (json!({"bucketName": format!("data-{account}-{}", r.below(15)), "Host": "s3.amazonaws.com"}), Value::Null, vec![]),
        ("dynamodb", _) => (json!({"tableName": format!("orders-{}", r.below(10))}), Value::Null, vec![]),
        ("iam", "GetRole") => (json!({"roleName": format!("app-{}-role", r.below(30))}), Value::Null, vec![]),
        (_, name) if name.starts_with("Describe") || name.starts_with("List") => (json!({}), Value::Null, vec![]),
        _ => (json!({"clientToken": r.uuid()}), json!({"requestId": r.uuid()}), vec![]),
    }
}

/// One file's records.
#[allow(clippy::too_many_arguments)]
fn file_records(n: usize, account: &str, region: &str, start: i64, callers: &[Caller], zipf: &Weighted, r: &mut Rng) -> Vec<Value> {
    let mut times: Vec<i64> = (0..n).map(|_| start + r.below(300) as i64).collect();
    times.sort_unstable();
    let errors = Weighted::new(ERRORS.iter().map(|e| e.2));
    let mut out = Vec::with_capacity(n);
    for t in times {
        let c = &callers[zipf.draw(r)];
        let op = &OPS[c.ops[c.op_weights.draw(r)]];
        let failed = c.kind != Kind::Service && r.unit() < 0.03;
        let (mut request, mut response, resources) = params(op, c, account, region, r);
        let time = time::OffsetDateTime::from_unix_timestamp(t).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let time_text = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            time.year(),
            time.month() as u8,
            time.day(),
            time.hour(),
            time.minute(),
            time.second()
        );
        let host = format!("{}.{region}.amazonaws.com", op.service);
        let mut rec = json!({
            "eventVersion": "1.09",
            "userIdentity": c.identity,
            "eventTime": time_text,
            "eventSource": format!("{}.amazonaws.com", op.service),
            "eventName": op.name,
            "awsRegion": region,
            "sourceIPAddress": c.ips[r.below(c.ips.len() as u64) as usize],
            "userAgent": c.agent,
        });
        let o = rec.as_object_mut().expect("an object");
        if failed {
            let (code, message, _) = ERRORS[errors.draw(r)];
            o.insert("errorCode".into(), json!(code));
            o.insert("errorMessage".into(), json!(message));
            response = Value::Null;
        }
        if op.name == "ConsoleLogin" {
            request = Value::Null;
            response = json!({"ConsoleLogin": if failed { "Failure" } else { "Success" }});
            o.insert(
                "additionalEventData".into(),
                json!({"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "Yes"}),
            );
        }
        o.insert("requestParameters".into(), request);
        o.insert("responseElements".into(), response);
        o.insert("requestID".into(), json!(r.uuid()));
        o.insert("eventID".into(), json!(r.uuid()));
        o.insert("readOnly".into(), json!(op.read_only));
        if !resources.is_empty() {
            o.insert("resources".into(), json!(resources));
        }
        o.insert("eventType".into(), json!(if op.name == "ConsoleLogin" { "AwsConsoleSignIn" } else { "AwsApiCall" }));
        o.insert("managementEvent".into(), json!(true));
        o.insert("recipientAccountId".into(), json!(account));
        o.insert("eventCategory".into(), json!("Management"));
        if c.invoked_by.is_none() {
            o.insert(
                "tlsDetails".into(),
                json!({"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}),
            );
        } else {
            o.insert("sharedEventID".into(), json!(r.uuid()));
        }
        out.push(rec);
    }
    out
}

/// Relative volume of an hour of the day (UTC): busier in working hours.
fn rhythm(hour: i64) -> f64 {
    match hour {
        8..=18 => 1.6,
        6..=7 | 19..=21 => 1.0,
        _ => 0.55,
    }
}

struct Plan {
    account: usize,
    region: usize,
    start: i64,
    n: usize,
}

fn main() {
    let mut events: u64 = 1_000_000;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 13;
    let mut days: i64 = 7;
    let mut start = time::macros::datetime!(2026-11-30 00:00 UTC).unix_timestamp();
    let mut threads = 2usize;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--events" => events = v.parse().expect("--events N"),
            "--out" => out = Some(PathBuf::from(v)),
            "--seed" => seed = v.parse().expect("--seed N"),
            "--days" => days = v.parse().expect("--days N"),
            "--threads" => threads = v.parse().expect("--threads N"),
            "--start" => {
                let d = time::Date::parse(&v, time::macros::format_description!("[year]-[month]-[day]")).expect("--start YYYY-MM-DD");
                start = d.midnight().assume_utc().unix_timestamp();
            }
            other => {
                eprintln!("unknown argument `{other}`: use --events N --out DIR [--days D] [--start YYYY-MM-DD] [--seed S] [--threads T]");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let Some(out) = out else {
        eprintln!("--out DIR is required");
        std::process::exit(2);
    };
    // One file per account, region and five minutes; its size by the weights and rhythm,
    // rounded with the remainder carried so the total is exact.
    let slots = days * 288;
    let total_weight: f64 = (0..slots).map(|s| rhythm((s / 12) % 24)).sum::<f64>();
    let mut plans = Vec::new();
    let mut carry = 0.0f64;
    let mut assigned = 0u64;
    for (a, (_, aw)) in ACCOUNTS.iter().enumerate() {
        for (g, (_, gw)) in REGIONS.iter().enumerate() {
            for s in 0..slots {
                let want = events as f64 * aw * gw * rhythm((s / 12) % 24) / total_weight + carry;
                let n = want.floor() as u64;
                carry = want - n as f64;
                let n = n.min(events - assigned);
                assigned += n;
                if n > 0 {
                    plans.push(Plan { account: a, region: g, start: start + s * 300, n: n as usize });
                }
            }
        }
    }
    if assigned < events {
        if let Some(p) = plans.last_mut() {
            p.n += (events - assigned) as usize;
        }
    }
    let t0 = std::time::Instant::now();
    let plans = std::sync::Arc::new(plans);
    let mut handles = Vec::new();
    for t in 0..threads.max(1) {
        let plans = plans.clone();
        let out = out.clone();
        handles.push(std::thread::spawn(move || {
            let mut setup = Rng(seed);
            let people: Vec<Vec<Caller>> = ACCOUNTS.iter().map(|(acct, _)| callers(acct, &mut setup)).collect();
            let zipfs: Vec<Weighted> = people.iter().map(|p| Weighted::new((1..=p.len()).map(|k| 1.0 / (k as f64).powf(1.1)))).collect();
            let mut bytes = 0u64;
            for (k, p) in plans.iter().enumerate().filter(|(k, _)| k % threads.max(1) == t) {
                let mut r = Rng(seed ^ (k as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
                let account = ACCOUNTS[p.account].0;
                let region = REGIONS[p.region].0;
                let records = file_records(p.n, account, region, p.start, &people[p.account], &zipfs[p.account], &mut r);
                let at = time::OffsetDateTime::from_unix_timestamp(p.start).expect("a time");
                let dir =
                    out.join(format!("AWSLogs/{account}/CloudTrail/{region}/{:04}/{:02}/{:02}", at.year(), at.month() as u8, at.day()));
                let name = format!(
                    "{account}_CloudTrail_{region}_{:04}{:02}{:02}T{:02}{:02}Z_{}.json.gz",
                    at.year(),
                    at.month() as u8,
                    at.day(),
                    at.hour(),
                    at.minute(),
                    r.upper(16)
                );
                bytes += write(&dir, &name, &records);
            }
            bytes
        }));
    }
    let bytes: u64 = handles.into_iter().map(|h| h.join().expect("a writer thread")).sum();
    eprintln!(
        "{events} events in {} files, {:.1} MiB compressed, under {} ({:.1} s)",
        plans.len(),
        bytes as f64 / (1u64 << 20) as f64,
        out.display(),
        t0.elapsed().as_secs_f64()
    );
}

fn write(dir: &Path, name: &str, records: &[Value]) -> u64 {
    std::fs::create_dir_all(dir).expect("the output folder");
    let path = dir.join(name);
    let file = std::fs::File::create(&path).expect("an output file");
    let mut gz = GzEncoder::new(std::io::BufWriter::with_capacity(1 << 16, file), Compression::fast());
    serde_json::to_writer(&mut gz, &json!({ "Records": records })).expect("writing");
    let mut w = gz.finish().expect("gzip");
    w.flush().expect("flush");
    std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
}
