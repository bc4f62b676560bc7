//! Security Hub SecretsManager.4 (FSBP): secrets have been rotated in the last 90 days.
//!
//! The control: "This control checks whether your secrets have been rotated at least once
//! within 90 days." Rotation being configured is not enough: the last rotation date counts
//! (`LastRotatedDate`). A secret never rotated is judged by its age: created within the 90
//! days it passes (it cannot be older than its rotation period), older it fails. One result
//! per secret.

use super::each_secret;
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// The control's period.
pub const MAX_DAYS: i64 = 90;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "secretsmanager_rotated_within_90_days",
        title: "Secrets Manager secrets have not been rotated in the last 90 days",
        description: "Rotation that is configured but failing, or never configured, leaves the same secret valid for months; the date of the last rotation shows what really happened.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "secretsmanager",
        resource_type: ResourceType::AwsSecretsManagerSecret,
        standards: &[StandardRef::fsbp("SecretsManager.4")],
        remediation: Remediation {
            console: "Secrets Manager console > Secrets > the secret > Rotation > Rotate secret immediately; then check why scheduled rotation did not run (the rotation function's logs).",
            cli: "aws secretsmanager rotate-secret --secret-id <arn>",
            url: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot_rotation.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_secret(ctx, out, |_, _, s, res, out| {
        // A date after `now` (a clock ahead of the scan's) counts as today.
        let age = |t: &Option<String>| t.as_deref().and_then(parse_time).map(|t| days_since(t, ctx.now).max(0));
        match (age(&s.last_rotated), age(&s.created)) {
            (Some(d), _) if d <= MAX_DAYS => out.pass(res, format!("last rotated {d} days ago")),
            (Some(d), _) => out.fail(res, format!("last rotated {d} days ago (more than {MAX_DAYS})")),
            (None, Some(c)) if c <= MAX_DAYS => out.pass(res, format!("never rotated, created {c} days ago")),
            (None, Some(c)) => out.fail(res, format!("never rotated in the {c} days since it was created")),
            (None, None) => out.fail(res, "never rotated"),
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
        // testkit's now is 2026-11-27T12:00Z.
        let rotated = |name: &str, when: &str| Secret { rotation_enabled: true, last_rotated: Some(when.into()), ..secret(name) };
        let mut inv = inventory();
        region(&mut inv).secrets = Observed::Known(vec![
            rotated("recent", "2026-11-01T00:00:00Z"),
            rotated("day-90", "2026-08-29T12:00:00Z"),
            rotated("day-91", "2026-08-28T12:00:00Z"),
            // Rotation configured but it never ran, on an old secret.
            Secret { rotation_enabled: true, ..secret("never") },
            Secret { created: Some("2026-11-20T00:00:00Z".into()), ..secret("new") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Passed]);
        region(&mut inv).secrets = Observed::Unknown("secretsmanager:ListSecrets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
