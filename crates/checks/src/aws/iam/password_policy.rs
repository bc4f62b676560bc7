//! The account password policy: present, and as strong as CIS and Trusted Advisor ask.
//!
//! Trusted Advisor "IAM Password Policy": red when no policy is set, yellow when a content
//! requirement (uppercase, lowercase, number, symbol) is off. CIS AWS Foundations v3.0.0 1.8
//! (minimum length 14) and 1.9 (prevent reuse; the benchmark's audit expects 24); Security Hub
//! IAM.7 (all four character classes). Length and reuse come from `thresholds.password_min_length`
//! and `thresholds.password_reuse_prevention` (defaults 14 and 24), which can only be stricter
//! than CIS's numbers: a configured 12 never makes CIS 1.8 pass (`Thresholds::within_benchmarks`).

use super::{account_resource, known_iam};
use crate::{Check, Ctx, Emit, Thresholds};
use rampart_inventory::{Observed, PasswordPolicy};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_password_policy",
        title: "IAM password policy is missing or weak",
        description: "Without a strong password policy IAM users can choose short, simple or reused console passwords that are easy to guess or crack.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[
            StandardRef::ta("IAM Password Policy"),
            StandardRef::cis("1.8"),
            StandardRef::cis("1.9"),
            StandardRef::fsbp("IAM.7"),
        ],
        remediation: Remediation {
            console: "IAM console > Account settings > Password policy > Edit: choose a custom policy with minimum length 14, require uppercase, lowercase, numbers and symbols, and prevent reuse of the last 24 passwords.",
            cli: "aws iam update-account-password-policy --minimum-password-length 14 --require-uppercase-characters --require-lowercase-characters --require-numbers --require-symbols --password-reuse-prevention 24",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
        },
    },
    run,
};

/// What a policy lacks, in the order CIS and Trusted Advisor list it; `t` is bounded by CIS's
/// own numbers first.
pub fn weaknesses(p: &PasswordPolicy, t: &Thresholds) -> Vec<String> {
    let t = t.within_benchmarks();
    let (min_length, min_reuse) = (i64::from(t.password_min_length), i64::from(t.password_reuse_prevention));
    let mut weak = Vec::new();
    if i64::from(p.minimum_password_length) < min_length {
        weak.push(format!("minimum length {} (< {min_length})", p.minimum_password_length));
    }
    match p.password_reuse_prevention {
        Some(n) if i64::from(n) >= min_reuse => {}
        Some(n) => weak.push(format!("prevents reuse of the last {n} passwords only (< {min_reuse})")),
        None if min_reuse == 0 => {}
        None => weak.push("password reuse is not prevented".to_string()),
    }
    for (on, what) in [
        (p.require_uppercase_characters, "uppercase letters"),
        (p.require_lowercase_characters, "lowercase letters"),
        (p.require_numbers, "numbers"),
        (p.require_symbols, "symbols"),
    ] {
        if !on {
            weak.push(format!("{what} not required"));
        }
    }
    weak
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        match &iam.password_policy {
            Observed::Unknown(why) => out.not_available(res, format!("password policy could not be read: {why}")),
            Observed::Known(None) => out.fail_with(res, Severity::High, "no account password policy is set"),
            Observed::Known(Some(p)) => {
                let t = ctx.thresholds.within_benchmarks();
                let weak = weaknesses(p, &t);
                if weak.is_empty() {
                    out.pass(
                        res,
                        format!(
                            "the password policy requires length {} or more, all character classes, and prevents reuse of {} or more passwords",
                            t.password_min_length, t.password_reuse_prevention
                        ),
                    );
                } else {
                    out.fail(res, format!("weak password policy: {}", weak.join(", ")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn strong() -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: 14,
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            password_reuse_prevention: Some(24),
            ..Default::default()
        }
    }

    fn with(p: Observed<Option<PasswordPolicy>>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        iam(&mut inv).password_policy = p;
        inv
    }

    #[test]
    fn pass() {
        assert_eq!(single(&CHECK, &with(Observed::Known(Some(strong())))).0, Status::Passed);
    }

    #[test]
    fn fail() {
        let r = run_check(&CHECK, &with(Observed::Known(None)));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::High)));

        let r = run_check(&CHECK, &with(Observed::Known(Some(PasswordPolicy { minimum_password_length: 13, ..strong() }))));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None));
        assert!(r[0].reason.contains("minimum length 13"), "{}", r[0].reason);

        let (s, why) = single(&CHECK, &with(Observed::Known(Some(PasswordPolicy { password_reuse_prevention: Some(5), require_symbols: false, ..strong() }))));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("reuse") && why.contains("symbols"), "{why}");
        let (s, _) = single(&CHECK, &with(Observed::Known(Some(PasswordPolicy { password_reuse_prevention: None, ..strong() }))));
        assert_eq!(s, Status::Failed);
    }

    #[test]
    fn configured_thresholds_change_the_verdict() {
        let inv = with(Observed::Known(Some(PasswordPolicy { minimum_password_length: 12, password_reuse_prevention: Some(10), ..strong() })));
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("(< 14)") && why.contains("(< 24)"), "{why}");
        // A looser threshold (which the config loader rejects) never makes CIS 1.8 or 1.9 pass.
        let lax = crate::Thresholds { password_min_length: 12, password_reuse_prevention: 10, ..Default::default() };
        let r = run_check_with(&CHECK, &inv, &lax);
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("minimum length 12 (< 14)") && r[0].reason.contains("(< 24)"), "{}", r[0].reason);
        let r = run_check_with(&CHECK, &with(Observed::Known(Some(strong()))), &lax);
        assert_eq!(r[0].status, Status::Passed);
        assert!(r[0].reason.contains("length 14") && r[0].reason.contains("reuse of 24"), "{}", r[0].reason);
        let strict = crate::Thresholds { password_min_length: 20, ..Default::default() };
        let r = run_check_with(&CHECK, &with(Observed::Known(Some(strong()))), &strict);
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("minimum length 14 (< 20)"), "{}", r[0].reason);
    }

    #[test]
    fn not_available() {
        assert_eq!(single(&CHECK, &with(Observed::Unknown("iam:GetAccountPasswordPolicy access denied".into()))).0, Status::NotAvailable);
        let mut inv = inventory();
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
