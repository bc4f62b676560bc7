//! The escalation graph's benchmark: a generated estate of 10,000 principals
//! and 50,000 identity policies over 10 accounts, the full graph and every
//! principal's shortest path to administrator.
//!
//! `cargo run --release -p rampart-iam --example escalation_bench [principals]`
//!
//! The mix: most policies read a service (S3, DynamoDB, EC2 `Describe*`,
//! logs, KMS with conditions); a few percent assume roles, pass roles to
//! EC2/Lambda/ECS, create access keys, put role policies, send SSM commands
//! or update function code; 1% are administrators. Roles trust a service,
//! their account, one user or another account.

use rampart_iam::escalation::{FunctionLink, Goal, Graph, GroupLink, Links, ManagedPolicyLink};
use rampart_iam::{Estate, NamedPolicy, PrincipalInfo, PrincipalKind};
use std::collections::BTreeMap;
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
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 1000 < percent * 10
    }
}

fn policy(name: String, statements: &[String]) -> NamedPolicy {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","));
    NamedPolicy { name, document: rampart_policy::parse(&text).expect("generated policy parses") }
}

fn stmt(effect: &str, actions: &[&str], resource: &str, condition: &str) -> String {
    let acts = actions.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(",");
    let cond = if condition.is_empty() { String::new() } else { format!(r#","Condition":{condition}"#) };
    format!(r#"{{"Effect":"{effect}","Action":[{acts}],"Resource":"{resource}"{cond}}}"#)
}

fn account(i: usize) -> String {
    format!("{:012}", 100_000_000_000u64 + i as u64)
}

fn main() {
    let principals: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let accounts = 10;
    let per_account = principals / accounts;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut estate = Estate::default();
    let mut links = Links::default();
    let mut policies = 0usize;
    let t0 = Instant::now();
    for a in 0..accounts {
        let acct = account(a);
        for i in 0..per_account {
            let is_role = i % 2 == 1;
            let name = if is_role { format!("role-{i}") } else { format!("user-{i}") };
            let arn = format!("arn:aws:iam::{acct}:{}/{name}", if is_role { "role" } else { "user" });
            let mut identity = Vec::new();
            for k in 0..5 {
                let bucket = format!("arn:aws:s3:::data-{a}-{}/*", rng.below(500));
                let table = format!("arn:aws:dynamodb:us-east-1:{acct}:table/t{}", rng.below(300));
                let mut sts = vec![match rng.below(6) {
                    0 => stmt("Allow", &["s3:GetObject", "s3:PutObject"], &bucket, ""),
                    1 => stmt("Allow", &["dynamodb:GetItem", "dynamodb:Query"], &table, ""),
                    2 => stmt("Allow", &["ec2:Describe*", "cloudwatch:Get*"], "*", ""),
                    3 => stmt("Allow", &["logs:CreateLogStream", "logs:PutLogEvents"], "*", ""),
                    4 => stmt("Allow", &["kms:Decrypt"], "*", r#"{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}"#),
                    _ => stmt("Allow", &["sqs:SendMessage", "sqs:ReceiveMessage"], "*", r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#),
                }];
                if k == 0 {
                    // The rarer, IAM-relevant grants.
                    let roles = format!("arn:aws:iam::{acct}:role/role-{}*", rng.below(50));
                    match rng.below(100) {
                        0 => sts.push(stmt("Allow", &["*"], "*", "")),
                        1..=3 => sts.push(stmt("Allow", &["sts:AssumeRole"], "*", "")),
                        4..=5 => sts.push(stmt("Allow", &["sts:AssumeRole"], &roles, "")),
                        6 => sts.push(stmt("Allow", &["iam:PassRole", "ec2:RunInstances"], "*", "")),
                        7 => sts.push(stmt("Allow", &["iam:PassRole"], &roles, "")),
                        8 => sts.push(stmt("Allow", &["lambda:CreateFunction", "lambda:InvokeFunction", "iam:PassRole"], "*", "")),
                        9 => sts.push(stmt("Allow", &["iam:CreateAccessKey"], &format!("arn:aws:iam::{acct}:user/${{aws:username}}"), "")),
                        10 => sts.push(stmt("Allow", &["iam:CreateAccessKey", "iam:UpdateLoginProfile"], "*", "")),
                        11 => sts.push(stmt("Allow", &["iam:PutRolePolicy", "iam:AttachRolePolicy"], &roles, "")),
                        12 => sts.push(stmt("Allow", &["ssm:SendCommand", "ssm:StartSession"], "*", "")),
                        13 => sts.push(stmt("Allow", &["lambda:UpdateFunctionCode"], "*", "")),
                        14 => sts.push(stmt("Allow", &["iam:*"], "*", "")),
                        15 => sts.push(stmt("Allow", &["ecs:RegisterTaskDefinition", "ecs:RunTask", "iam:PassRole"], "*", "")),
                        16 => sts.push(stmt("Deny", &["iam:*"], "*", "")),
                        17 => sts.push(stmt("Allow", &["iam:AddUserToGroup", "iam:CreatePolicyVersion"], "*", "")),
                        _ => {}
                    }
                }
                identity.push(policy(format!("{name}-p{k}"), &sts));
                policies += 1;
            }
            let (trust, instances) = if is_role {
                let who = match rng.below(10) {
                    0..=3 => format!(
                        r#"{{"Service":"{}"}}"#,
                        ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"][rng.below(3)]
                    ),
                    4..=7 => format!(r#"{{"AWS":"arn:aws:iam::{acct}:root"}}"#),
                    8 => format!(r#"{{"AWS":"arn:aws:iam::{acct}:user/user-{}"}}"#, rng.below(per_account / 2) * 2),
                    _ => format!(r#"{{"AWS":"{}"}}"#, account(rng.below(accounts))),
                };
                let t = policy(format!("{name}-trust"), &[format!(r#"{{"Effect":"Allow","Principal":{who},"Action":"sts:AssumeRole"}}"#)]);
                let inst = if who.contains("ec2") && rng.chance(30) {
                    vec![format!("arn:aws:ec2:us-east-1:{acct}:instance/i-{a:02}{i:08}")]
                } else {
                    Vec::new()
                };
                if who.contains("lambda") {
                    links
                        .functions
                        .push(FunctionLink { arn: format!("arn:aws:lambda:us-east-1:{acct}:function:f-{i}"), role: arn.clone() });
                }
                (Some(t), inst)
            } else {
                (None, Vec::new())
            };
            estate.principals.push(PrincipalInfo {
                arn,
                account: acct.clone(),
                kind: if is_role { PrincipalKind::Role } else { PrincipalKind::User },
                name,
                id: None,
                identity,
                boundary: None,
                trust,
                tags: BTreeMap::new(),
                service_linked: false,
                instances,
            });
        }
        for g in 0..20 {
            let members = (0..10).map(|_| format!("arn:aws:iam::{acct}:user/user-{}", rng.below(per_account / 2) * 2)).collect();
            let admin = g == 0;
            let pols = vec![policy(format!("g{g}"), &[stmt("Allow", if admin { &["*"] } else { &["s3:List*"] }, "*", "")])];
            links.groups.push(GroupLink { arn: format!("arn:aws:iam::{acct}:group/g{g}"), account: acct.clone(), policies: pols, members });
        }
        for m in 0..50 {
            let holder = format!("arn:aws:iam::{acct}:user/user-{}", rng.below(per_account / 2) * 2);
            links.managed_policies.push(ManagedPolicyLink {
                arn: format!("arn:aws:iam::{acct}:policy/m{m}"),
                aws_managed: false,
                attached_to: vec![holder],
                other_versions: Vec::new(),
            });
        }
    }
    let generated = t0.elapsed();
    let t1 = Instant::now();
    let graph = Graph::build(&estate, &links);
    let built = t1.elapsed();
    let t2 = Instant::now();
    let paths = graph.paths(&Goal::Admin).expect("admin goal");
    let searched = t2.elapsed();
    let admins = (0..estate.principals.len()).filter(|&i| graph.is_admin(i)).count();
    let escalating = paths.iter().filter(|p| !p.edges.is_empty()).count();
    println!(
        "principals {} policies {policies} (+{} trust) groups {} managed {} functions {}",
        estate.principals.len(),
        estate.principals.iter().filter(|p| p.trust.is_some()).count(),
        links.groups.len(),
        links.managed_policies.len(),
        links.functions.len()
    );
    println!("generated in {:.2?}", generated);
    println!("graph: {} edges, {} engine evaluations, built in {:.2?}", graph.edges.len(), graph.evaluations, built);
    println!("paths to admin: {admins} administrators, {escalating} principals escalate, searched in {:.2?}", searched);
    println!("total {:.2?}", built + searched);
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for e in &graph.edges {
        *by.entry(e.technique.id()).or_default() += 1;
    }
    println!("edges by technique: {by:?}");
}
