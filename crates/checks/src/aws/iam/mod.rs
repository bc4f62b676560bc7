//! IAM checks and what they share: the account resource, reaching the IAM data, and reading
//! the credential report.

pub mod access_key_rotation;
pub mod credentials_unused_45_days;
pub mod iam_use;
pub mod password_policy;
pub mod policy_full_admin;
pub mod policy_service_wildcard;
pub mod root_access_key;
pub mod root_mfa;
pub mod user_console_mfa;
pub mod user_policies_attached;
pub mod root_hardware_mfa;
pub mod credentials_unused_90_days;
pub mod user_initial_access_key;
pub mod user_one_active_key;
pub mod support_role;
pub mod expired_server_certificates;
pub mod access_analyzer_enabled;
pub mod inline_policy_full_admin;
pub mod user_administrator_access;
pub mod group_administrator_access;
pub mod role_administrator_access;
pub mod role_unused;
pub mod unused_permissions;
pub mod root_recent_use;
pub mod user_hardware_mfa;
pub mod securityaudit_role;
pub mod policy_permissive_role_assumption;
pub mod role_cross_account_read_only;
pub mod cloudshell_full_access;
pub mod inline_policy_service_wildcard;
pub mod administrator_access_with_mfa;
pub mod saml_provider;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, CredentialReportRow, Iam, InlinePolicy, Observed};
use rampart_model::{Resource, ResourceType};

/// Calls `f` with the parsed default version of every customer managed policy; NOT_AVAILABLE
/// for policies (or accounts) whose documents could not be read, and for malformed documents.
pub(crate) fn each_customer_policy(
    ctx: &crate::Ctx,
    out: &mut Emit,
    mut f: impl FnMut(&rampart_inventory::ManagedPolicy, &rampart_policy::PolicyDocument, Resource, &mut Emit),
) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let policies = match &iam.policies {
            Observed::Known(p) => p,
            Observed::Unknown(why) => {
                out.not_available(account_resource(account), format!("managed policies could not be read: {why}"));
                continue;
            }
        };
        for p in policies.iter().filter(|p| !p.aws_managed) {
            let res = resource(account, &account.home_region, ResourceType::AwsIamPolicy, p.arn.clone(), &p.policy_name);
            match &p.document {
                Observed::Unknown(why) => out.not_available(res, format!("policy document could not be read: {why}")),
                Observed::Known(text) => match rampart_policy::parse_maybe_url_encoded(text) {
                    Err(e) => out.malformed(res, format!("policy document {} is not valid: {e}", p.default_version_id)),
                    Ok(doc) => f(p, &doc, res, out),
                },
            }
        }
    }
}

/// The credential report's name for the root user's row.
pub const ROOT_ROW: &str = "<root_account>";

/// The account itself, for account-wide IAM results.
pub fn account_resource(account: &Account) -> Resource {
    resource(
        account,
        &account.home_region,
        ResourceType::AwsAccount,
        format!("arn:{}:iam::{}:root", account.partition, account.id),
        &account.id,
    )
}

/// The account's IAM data, or NOT_AVAILABLE on the account when IAM could not be read.
pub fn known_iam<'a>(account: &'a Account, out: &mut Emit) -> Option<&'a Iam> {
    match &account.iam {
        Observed::Known(iam) => Some(iam),
        Observed::Unknown(why) => {
            out.not_available(account_resource(account), format!("IAM could not be read: {why}"));
            None
        }
    }
}

/// The IAM users' rows of the credential report (the root row left out), or NOT_AVAILABLE on
/// the account when the report could not be read.
pub fn user_rows<'a>(account: &'a Account, out: &mut Emit) -> Option<Vec<&'a CredentialReportRow>> {
    let iam = known_iam(account, out)?;
    match &iam.credential_report {
        Observed::Known(rows) => Some(rows.iter().filter(|r| r.get("user").map(String::as_str) != Some(ROOT_ROW)).collect()),
        Observed::Unknown(why) => {
            out.not_available(account_resource(account), format!("credential report could not be read: {why}"));
            None
        }
    }
}

/// The resource of the IAM user a credential report row is about.
pub fn row_resource(account: &Account, row: &CredentialReportRow) -> Resource {
    let name = row.get("user").cloned().unwrap_or_default();
    let arn = row
        .get("arn")
        .cloned()
        .unwrap_or_else(|| format!("arn:{}:iam::{}:user/{name}", account.partition, account.id));
    resource(account, &account.home_region, ResourceType::AwsIamUser, arn, &name)
}

/// A credential report field, `""` when the column is missing.
pub fn field<'a>(row: &'a CredentialReportRow, column: &str) -> &'a str {
    row.get(column).map(String::as_str).unwrap_or("")
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::CredentialReportRow;

    /// A credential report row for `user` with the given `column=value` pairs.
    pub fn row(user: &str, fields: &[(&str, &str)]) -> CredentialReportRow {
        let mut r = CredentialReportRow::new();
        r.insert("user".into(), user.into());
        r.insert("arn".into(), format!("arn:aws:iam::123456789012:user/{user}"));
        for col in ["access_key_1_active", "access_key_2_active", "password_enabled", "mfa_active"] {
            r.insert(col.into(), "false".into());
        }
        for col in ["access_key_1_last_rotated", "access_key_2_last_rotated", "access_key_1_last_used_date", "access_key_2_last_used_date", "password_last_used"] {
            r.insert(col.into(), "N/A".into());
        }
        r.insert("user_creation_time".into(), "2026-11-01T00:00:00+00:00".into());
        for (k, v) in fields {
            r.insert((*k).into(), (*v).into());
        }
        r
    }
}

/// Calls `judge` with the inline policies of every IAM user, group and role; a list that could
/// not be read is one NOT_AVAILABLE result for all its identities.
pub fn each_identity_inline_policies(
    ctx: &Ctx,
    out: &mut Emit,
    judge: fn(&Account, ResourceType, &str, &str, &Observed<Vec<InlinePolicy>>, &mut Emit),
) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let lists = [
            (
                ResourceType::AwsIamUser,
                "users",
                iam.users.as_result().map(|v| v.iter().map(|u| (&u.arn, &u.user_name, &u.inline_policies)).collect::<Vec<_>>()),
            ),
            (
                ResourceType::AwsIamGroup,
                "groups",
                iam.groups.as_result().map(|v| v.iter().map(|g| (&g.arn, &g.group_name, &g.inline_policies)).collect()),
            ),
            (
                ResourceType::AwsIamRole,
                "roles",
                iam.roles.as_result().map(|v| v.iter().map(|r| (&r.arn, &r.role_name, &r.inline_policies)).collect()),
            ),
        ];
        for (kind, what, list) in lists {
            match list {
                Ok(identities) => {
                    for (arn, name, inline) in identities {
                        judge(account, kind, arn, name, inline, out);
                    }
                }
                Err(why) => {
                    let arn = format!("arn:{}:iam::{}:{}/*", account.partition, account.id, &what[..what.len() - 1]);
                    out.not_available(
                        resource(account, &account.home_region, kind, arn, &format!("all {what}")),
                        format!("IAM {what} could not be read: {why}"),
                    );
                }
            }
        }
    }
}

/// One result per account: PASSED when some role has the AWS managed policy `policy`
/// attached, NOT_AVAILABLE when none is known to and some role's attachments were not read,
/// FAILED otherwise.
pub fn account_has_role_with_managed_policy(ctx: &Ctx, out: &mut Emit, policy: &str) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        let roles = match &iam.roles {
            Observed::Known(r) => r,
            Observed::Unknown(why) => {
                out.not_available(res, format!("IAM roles could not be read: {why}"));
                continue;
            }
        };
        let arn = format!("arn:{}:iam::aws:policy/{policy}", account.partition);
        let holder = roles.iter().find(|r| matches!(&r.attached_policy_arns, Observed::Known(a) if a.contains(&arn)));
        let unknown: Vec<&str> =
            roles.iter().filter(|r| matches!(r.attached_policy_arns, Observed::Unknown(_))).map(|r| r.role_name.as_str()).collect();
        match holder {
            Some(r) => out.pass(res, format!("role `{}` has {policy}", r.role_name)),
            None if !unknown.is_empty() => {
                out.not_available(res, format!("the attached policies of role(s) {} could not be read", unknown.join(", ")))
            }
            None => out.fail(res, format!("no role has the {policy} policy attached")),
        }
    }
}
