//! `iam simulate`'s benchmark: one simulation (look up the principal and the resource, gather
//! its policies — identity, boundary, SCP levels, the resource's — derive the context keys,
//! evaluate) on a generated estate of 10,000 principals and 50,000 policies over 10 accounts
//! of one organisation, with 2,000 buckets holding bucket policies.
//!
//! `cargo run --release -p rampart-iam --example simulate_bench [principals]`
//!
//! Each principal has 5 identity policies of 3–6 statements (service reads and writes on
//! scoped resources, conditions on tags, source IP, MFA and time; 5% deny statements); one
//! in five has a permissions boundary; every account has an SCP level of two policies under
//! the root's FullAWSAccess. 20,000 questions: random principal, action and resource.

use rampart_iam::{Context, Decision, Estate, NamedPolicy, Organization, PrincipalInfo, PrincipalKind, ResourceInfo};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SERVICES: &[(&str, &[&str])] = &[
    ("s3", &["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetBucketPolicy"]),
    ("dynamodb", &["GetItem", "PutItem", "Query", "Scan", "DeleteTable"]),
    ("ec2", &["DescribeInstances", "RunInstances", "TerminateInstances", "CreateTags"]),
    ("kms", &["Decrypt", "Encrypt", "GenerateDataKey", "ScheduleKeyDeletion"]),
    ("sqs", &["SendMessage", "ReceiveMessage", "DeleteQueue"]),
    ("iam", &["PassRole", "CreateAccessKey", "PutRolePolicy", "GetRole"]),
];

fn doc(statements: &[String]) -> rampart_policy::PolicyDocument {
    rampart_policy::parse(&format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(",")))
        .expect("generated policy parses")
}

fn statement(rng: &mut Rng, account: &str) -> String {
    let (svc, actions) = SERVICES[rng.below(SERVICES.len())];
    let action = if rng.below(4) == 0 { format!("{svc}:*") } else { format!("{svc}:{}", actions[rng.below(actions.len())]) };
    let resource = match svc {
        "s3" => format!("arn:aws:s3:::bucket-{}/*", rng.below(2000)),
        "iam" => format!("arn:aws:iam::{account}:role/team-{}-*", rng.below(50)),
        _ if rng.below(3) == 0 => "*".to_string(),
        _ => format!("arn:aws:{svc}:us-east-1:{account}:*"),
    };
    let condition = match rng.below(6) {
        0 => r#","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:ResourceTag/team}"}}"#.to_string(),
        1 => r#","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}"#.to_string(),
        2 => r#","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#.to_string(),
        3 => r#","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}"#.to_string(),
        _ => String::new(),
    };
    let effect = if rng.below(20) == 0 { "Deny" } else { "Allow" };
    format!(r#"{{"Effect":"{effect}","Action":"{action}","Resource":"{resource}"{condition}}}"#)
}

fn main() {
    let principals: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let accounts: Vec<String> = (0..10).map(|i| format!("{:012}", 100_000_000_000u64 + i)).collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let t0 = Instant::now();
    let mut estate = Estate::default();
    let mut policies = 0usize;
    for i in 0..principals {
        let account = accounts[i % accounts.len()].clone();
        let kind = if i % 2 == 0 { PrincipalKind::User } else { PrincipalKind::Role };
        let name = format!("p{i}");
        let arn = match kind {
            PrincipalKind::User => format!("arn:aws:iam::{account}:user/{name}"),
            _ => format!("arn:aws:iam::{account}:role/{name}"),
        };
        let identity: Vec<NamedPolicy> = (0..5)
            .map(|k| {
                let n = 3 + rng.below(4);
                let sts: Vec<String> = (0..n).map(|_| statement(&mut rng, &account)).collect();
                NamedPolicy { name: format!("{name}-{k}"), document: doc(&sts) }
            })
            .collect();
        policies += identity.len();
        let boundary = (rng.below(5) == 0).then(|| {
            policies += 1;
            vec![NamedPolicy { name: "boundary".into(), document: doc(&[statement(&mut rng, &account), statement(&mut rng, &account)]) }]
        });
        let mut tags = BTreeMap::new();
        tags.insert("team".to_string(), format!("t{}", rng.below(20)));
        estate.principals.push(PrincipalInfo {
            arn,
            account,
            kind,
            name,
            id: Some(format!("AIDA{i:016}")),
            identity,
            boundary,
            trust: None,
            tags,
            service_linked: false,
            instances: Vec::new(),
        });
    }
    for b in 0..2000 {
        let account = accounts[b % accounts.len()].clone();
        let mut tags = BTreeMap::new();
        tags.insert("team".to_string(), format!("t{}", b % 20));
        let other = &accounts[(b + 1) % accounts.len()];
        let policy = doc(&[format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{other}:root"}},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-{b}","arn:aws:s3:::bucket-{b}/*"],"Condition":{{"StringEquals":{{"aws:PrincipalOrgID":"o-bench"}}}}}}"#
        )]);
        policies += 1;
        estate.resources.push(ResourceInfo {
            arn: format!("arn:aws:s3:::bucket-{b}"),
            account,
            region: Some("us-east-1".into()),
            kind: "AWS::S3::Bucket".into(),
            policies: vec![NamedPolicy { name: "bucket policy".into(), document: policy }],
            tags,
            grants: Vec::new(),
        });
    }
    let mut org = Organization { id: "o-bench".into(), management_account: "999999999999".into(), ..Organization::default() };
    let full = NamedPolicy { name: "FullAWSAccess".into(), document: doc(&[r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#.into()]) };
    for a in &accounts {
        org.accounts.insert(a.clone());
        let deny = NamedPolicy {
            name: "guardrails".into(),
            document: doc(&[
                r#"{"Effect":"Deny","Action":["kms:ScheduleKeyDeletion","dynamodb:DeleteTable"],"Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin-*"}}}"#.into(),
                r#"{"Effect":"Deny","NotAction":["s3:*","dynamodb:*","ec2:*","kms:*","sqs:*","iam:*","sts:*"],"Resource":"*"}"#.into(),
            ]),
        };
        policies += 2;
        org.scps.insert(a.clone(), vec![vec![full.clone()], vec![full.clone(), deny]]);
    }
    policies += 1;
    estate.organization = Some(org);
    eprintln!("estate: {} principals, {} policies, built in {:.2?}", estate.principals.len(), policies, t0.elapsed());

    let mut ctx = Context::new();
    ctx.insert("aws:SourceIp", "10.1.2.3");
    ctx.insert("aws:CurrentTime", "2026-12-08T04:00:00Z");
    ctx.insert("aws:MultiFactorAuthPresent", "true");
    let questions: Vec<(String, String, String)> = (0..20_000)
        .map(|_| {
            let p = &estate.principals[rng.below(estate.principals.len())];
            let (svc, actions) = SERVICES[rng.below(SERVICES.len())];
            let action = format!("{svc}:{}", actions[rng.below(actions.len())]);
            let resource = match svc {
                "s3" => format!("arn:aws:s3:::bucket-{}/k", rng.below(2000)),
                "iam" => format!("arn:aws:iam::{}:role/team-{}-x", p.account, rng.below(50)),
                _ => format!("arn:aws:{svc}:us-east-1:{}:thing/x", p.account),
            };
            (p.arn.clone(), action, resource)
        })
        .collect();
    let mut times: Vec<Duration> = Vec::with_capacity(questions.len());
    let mut counts = [0usize; 3];
    for (p, a, r) in &questions {
        let t = Instant::now();
        let answer = estate.simulate(p, a, r, &ctx).expect("principal in the estate");
        times.push(t.elapsed());
        counts[match answer.decision {
            Decision::Allowed => 0,
            Decision::ExplicitDeny => 1,
            Decision::ImplicitDeny => 2,
        }] += 1;
    }
    times.sort();
    let total: Duration = times.iter().sum();
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "{} simulations: mean {:.1?}, p50 {:.1?}, p99 {:.1?}, max {:.1?}; allowed {}, explicitDeny {}, implicitDeny {}",
        times.len(),
        total / times.len() as u32,
        pct(50),
        pct(99),
        times[times.len() - 1],
        counts[0],
        counts[1],
        counts[2]
    );
}
