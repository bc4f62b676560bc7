//! External access's benchmark: a generated estate of 100,000 resource policies over 100
//! accounts of one organisation (plus role trust policies and grants outside policies), and
//! the whole analysis under both zones of trust.
//!
//! `cargo run --release -p rampart-iam --example external_bench [resources]`
//!
//! The mix, per resource (a bucket, queue, topic, key, function, secret or repository): one to
//! three statements; most grant to the account itself or to a principal of it, some to a sister
//! account of the organisation, a few to an outside account, to everyone, to everyone pinned
//! by `aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceVpce` or `aws:SourceIp`, or to a
//! service with and without a source condition; some carry a `Deny` guard. One resource in
//! ten also has a grant outside its policy (snapshot sharing, a KMS grant).

use rampart_iam::external::{analyze, Zone, ZoneOfTrust};
use rampart_iam::{Estate, Grant, NamedPolicy, Organization, ResourceInfo};
use std::time::Instant;

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

const KINDS: &[(&str, &str, &str)] = &[
    ("AWS::S3::Bucket", "s3", "s3:GetObject"),
    ("AWS::SQS::Queue", "sqs", "sqs:SendMessage"),
    ("AWS::SNS::Topic", "sns", "sns:Publish"),
    ("AWS::KMS::Key", "kms", "kms:Decrypt"),
    ("AWS::Lambda::Function", "lambda", "lambda:InvokeFunction"),
    ("AWS::SecretsManager::Secret", "secretsmanager", "secretsmanager:GetSecretValue"),
    ("AWS::ECR::Repository", "ecr", "ecr:BatchGetImage"),
];

fn account(i: usize) -> String {
    format!("{:012}", 100_000_000_000u64 + i as u64)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let accounts = 100;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut org = Organization { id: "o-bench".into(), management_account: account(0), ..Organization::default() };
    for a in 0..accounts {
        org.accounts.insert(account(a));
    }
    let started = Instant::now();
    let mut resources = Vec::with_capacity(n);
    let mut statements_total = 0usize;
    for i in 0..n {
        let acct = account(rng.below(accounts));
        let (kind, svc, action) = KINDS[rng.below(KINDS.len())];
        let arn = format!("arn:aws:{svc}:us-east-1:{acct}:r{i}");
        let mut statements = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let st = match rng.below(100) {
                0..=49 => format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{acct}:role/app{}"}},"Action":"{action}","Resource":"*"}}"#,
                    rng.below(50)
                ),
                50..=64 => format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":["{action}","{svc}:List*"],"Resource":"*"}}"#,
                    account(rng.below(accounts))
                ),
                65..=69 => format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::999{:09}:root"}},"Action":"{svc}:*","Resource":"*"}}"#,
                    rng.below(1000)
                ),
                70..=72 => format!(r#"{{"Effect":"Allow","Principal":"*","Action":"{action}","Resource":"*"}}"#),
                73..=80 => format!(
                    r#"{{"Effect":"Allow","Principal":"*","Action":"{action}","Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalOrgID":"o-bench"}}}}}}"#
                ),
                81..=85 => format!(
                    r#"{{"Effect":"Allow","Principal":"*","Action":"{action}","Resource":"*","Condition":{{"StringEquals":{{"aws:SourceAccount":"{acct}"}}}}}}"#
                ),
                86..=89 => format!(
                    r#"{{"Effect":"Allow","Principal":"*","Action":"{action}","Resource":"*","Condition":{{"StringEquals":{{"aws:SourceVpce":"vpce-{}"}}}}}}"#,
                    rng.below(1000)
                ),
                90..=92 => format!(
                    r#"{{"Effect":"Allow","Principal":"*","Action":"{action}","Resource":"*","Condition":{{"IpAddress":{{"aws:SourceIp":"203.0.113.0/24"}}}}}}"#
                ),
                93..=96 => {
                    format!(r#"{{"Effect":"Allow","Principal":{{"Service":"events.amazonaws.com"}},"Action":"{action}","Resource":"*"}}"#)
                }
                _ => format!(
                    r#"{{"Effect":"Deny","Principal":"*","Action":"{svc}:*","Resource":"*","Condition":{{"StringNotEquals":{{"aws:PrincipalOrgID":"o-bench"}}}}}}"#
                ),
            };
            statements.push(st);
        }
        statements_total += statements.len();
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","));
        let document = rampart_policy::parse(&text).expect("generated policy parses");
        let mut r = ResourceInfo {
            arn,
            account: acct,
            region: Some("us-east-1".into()),
            kind: kind.into(),
            policies: vec![NamedPolicy { name: "policy".into(), document }],
            ..ResourceInfo::default()
        };
        if rng.below(10) == 0 {
            r.grants.push(Grant {
                grantee: if rng.below(2) == 0 { "all".into() } else { account(rng.below(accounts + 50)) },
                actions: vec!["ec2:CreateVolume".into()],
                source: "snapshot attribute createVolumePermission".into(),
            });
        }
        resources.push(r);
    }
    let estate = Estate { resources, organization: Some(org), ..Estate::default() };
    println!("generated {n} resource policies ({statements_total} statements) over {accounts} accounts in {:.2?}", started.elapsed());
    let mut trust = ZoneOfTrust::new(Zone::Account);
    for v in 0..500 {
        trust.networks.insert(format!("vpce-{v}"), account(v % accounts));
    }
    for zone in [Zone::Account, Zone::Organization] {
        trust.zone = zone;
        let t = Instant::now();
        let out = analyze(&estate, &trust).expect("analysis");
        let took = t.elapsed();
        let external = out.iter().filter(|a| a.is_external()).count();
        println!(
            "zone {}: {} grants to principals outside the account, {external} external, in {took:.2?} ({:.2} µs per resource)",
            zone.as_str(),
            out.len(),
            took.as_secs_f64() * 1e6 / n as f64
        );
    }
}
