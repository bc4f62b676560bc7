//! Security Hub SecretsManager.3 (FSBP): secrets nobody has read in 90 days.
//!
//! The control: "This control checks whether your secrets have been accessed within a specified
//! number of days. The default value is 90 days. If a secret was not accessed within the
//! defined number of days, this control fails." Secrets Manager records the last access to the
//! day (`LastAccessedDate`). A secret never read is judged by its age: created within the 90
//! days it has not yet been unused that long and passes. One result per secret.

use super::each_secret;
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// The control's default number of days.
pub const MAX_DAYS: i64 = 90;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "secretsmanager_unused_90_days",
        title: "Secrets Manager secrets have not been read in the last 90 days",
        description: "A secret nobody reads is a credential nobody needs but anyone who can read it may still use; deleting it removes the risk and its cost.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "secretsmanager",
        resource_type: ResourceType::AwsSecretsManagerSecret,
        standards: &[StandardRef::fsbp("SecretsManager.3")],
        remediation: Remediation {
            console: "Secrets Manager console > Secrets > the secret > Actions > Delete secret (with a recovery window) once you have confirmed nothing uses it.",
            cli: "aws secretsmanager delete-secret --secret-id <arn> --recovery-window-in-days 30",
            url: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_secret(ctx, out, |_, _, s, res, out| {
        // A date after `now` (a clock ahead of the scan's) counts as today.
        let age = |t: &Option<String>| t.as_deref().and_then(parse_time).map(|t| days_since(t, ctx.now).max(0));
        match (age(&s.last_accessed), age(&s.created)) {
            (Some(d), _) if d <= MAX_DAYS => out.pass(res, format!("last read {d} days ago")),
            (Some(d), _) => out.fail(res, format!("last read {d} days ago (more than {MAX_DAYS})")),
            (None, Some(c)) if c <= MAX_DAYS => out.pass(res, format!("never read, created {c} days ago")),
            (None, Some(c)) => out.fail(res, format!("never read in the {c} days since it was created")),
            (None, None) => out.fail(res, "never read"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::secret;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Secret};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let read = |name: &str, when: &str| Secret { last_accessed: Some(when.into()), ..secret(name) };
        let mut inv = inventory();
        region(&mut inv).secrets = Observed::Known(vec![
            read("used", "2026-11-26T00:00:00Z"),
            read("day-90", "2026-08-29T12:00:00Z"),
            read("day-91", "2026-08-28T12:00:00Z"),
            secret("never-read"),
            Secret { created: Some("2026-11-20T00:00:00Z".into()), ..secret("new") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Passed]);
        region(&mut inv).secrets = Observed::Unknown("secretsmanager:ListSecrets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
