//! Security Hub SecretsManager.1 (FSBP): secrets rotate automatically.
//!
//! The control: "This control checks whether a secret stored in AWS Secrets Manager is
//! configured with automatic rotation." One result per secret.

use super::each_secret;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "secretsmanager_rotation_enabled",
        title: "Secrets Manager secrets do not rotate automatically",
        description: "A secret that never changes stays valid for as long as anyone who ever saw it keeps a copy; automatic rotation limits how long a leaked secret is useful.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "secretsmanager",
        resource_type: ResourceType::AwsSecretsManagerSecret,
        standards: &[StandardRef::fsbp("SecretsManager.1")],
        remediation: Remediation {
            console: "Secrets Manager console > Secrets > the secret > Rotation > Edit rotation: turn on Automatic rotation with a schedule and a rotation function.",
            cli: "aws secretsmanager rotate-secret --secret-id <arn> --rotation-lambda-arn <function-arn> --rotation-rules AutomaticallyAfterDays=30",
            url: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_secret(ctx, out, |_, _, s, res, out| {
        if s.rotation_enabled {
            let when = match (&s.rotation_days, &s.rotation_schedule) {
                (_, Some(expr)) => format!(" ({expr})"),
                (Some(d), None) => format!(" (every {d} days)"),
                (None, None) => String::new(),
            };
            out.pass(res, format!("automatic rotation is on{when}"));
        } else {
            out.fail(res, "automatic rotation is off");
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
        let mut inv = inventory();
        region(&mut inv).secrets =
            Observed::Known(vec![Secret { rotation_enabled: true, rotation_days: Some(30), ..secret("rotating") }, secret("static")]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).secrets = Observed::Unknown("secretsmanager:ListSecrets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
