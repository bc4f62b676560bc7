//! IAM: account summary, password policy, users (console password, MFA, access keys),
//! groups, roles, policies with their documents, virtual MFA devices, credential report.
//!
//! Users, groups, roles and policies come from one paginated
//! `GetAccountAuthorizationDetails` listing instead of several calls per principal.

use crate::call::{client, Ctx};
use rampart_inventory::*;

pub(crate) async fn collect(ctx: &Ctx) -> Observed<Iam> {
    let iam = client!(ctx, aws_sdk_iam);
    let details = ctx.call(
        "iam:GetAccountAuthorizationDetails",
        None,
        iam.get_account_authorization_details().into_paginator().send().try_collect(),
    );
    let summary = async {
        match ctx.call("iam:GetAccountSummary", None, iam.get_account_summary().send()).await {
            Ok(o) => Observed::Known(
                o.summary_map()
                    .map(|m| m.iter().map(|(k, v)| (k.as_str().to_string(), *v as i64)).collect())
                    .unwrap_or_default(),
            ),
            Err(why) => Observed::Unknown(why),
        }
    };
    let password = async {
        match ctx.call_opt("iam:GetAccountPasswordPolicy", None, &["NoSuchEntity"], iam.get_account_password_policy().send()).await {
            Ok(Some(o)) => Observed::Known(o.password_policy().map(|p| PasswordPolicy {
                minimum_password_length: p.minimum_password_length().unwrap_or(0),
                require_symbols: p.require_symbols(),
                require_numbers: p.require_numbers(),
                require_uppercase_characters: p.require_uppercase_characters(),
                require_lowercase_characters: p.require_lowercase_characters(),
                allow_users_to_change_password: p.allow_users_to_change_password(),
                expire_passwords: p.expire_passwords(),
                max_password_age: p.max_password_age(),
                password_reuse_prevention: p.password_reuse_prevention(),
                hard_expiry: p.hard_expiry(),
            })),
            Ok(None) => Observed::Known(None),
            Err(why) => Observed::Unknown(why),
        }
    };
    let mfa = async {
        match ctx.call("iam:ListVirtualMFADevices", None, iam.list_virtual_mfa_devices().into_paginator().send().try_collect()).await {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.virtual_mfa_devices())
                    .map(|d| VirtualMfaDevice {
                        serial_number: d.serial_number().to_string(),
                        user_arn: d.user().map(|u| u.arn().to_string()),
                    })
                    .collect(),
            ),
            Err(why) => Observed::Unknown(why),
        }
    };
    let report = credential_report(ctx, &iam);
    let saml = async {
        match ctx.call("iam:ListSAMLProviders", None, iam.list_saml_providers().send()).await {
            Ok(o) => Observed::Known(o.saml_provider_list().iter().filter_map(|p| p.arn()).map(str::to_string).collect()),
            Err(why) => Observed::Unknown(why),
        }
    };
    let (details, account_summary, password_policy, virtual_mfa_devices, credential_report, saml_providers) =
        futures::join!(details, summary, password, mfa, report, saml);
    let mut out = Iam { account_summary, password_policy, virtual_mfa_devices, credential_report, saml_providers, ..Default::default() };
    // Without the authorization details the rest of IAM (summary, password policy, MFA
    // devices, credential report) is still worth having.
    let pages = match details {
        Ok(p) => p,
        Err(why) => {
            out.users = Observed::Unknown(why.clone());
            out.groups = Observed::Unknown(why.clone());
            out.roles = Observed::Unknown(why.clone());
            out.policies = Observed::Unknown(why);
            return Observed::Known(out);
        }
    };
    let (mut groups, mut roles, mut policies) = (Vec::new(), Vec::new(), Vec::new());
    let mut users = Vec::new();
    for page in &pages {
        for u in page.user_detail_list() {
            users.push(User {
                user_name: u.user_name().unwrap_or_default().to_string(),
                user_id: u.user_id().unwrap_or_default().to_string(),
                arn: u.arn().unwrap_or_default().to_string(),
                create_date: u.create_date().map(|d| d.to_string()),
                attached_policy_arns: Observed::Known(u.attached_managed_policies().iter().filter_map(|p| p.policy_arn().map(str::to_string)).collect()),
                inline_policies: Observed::Known(
                    u.user_policy_list()
                        .iter()
                        .map(|p| InlinePolicy { name: p.policy_name().unwrap_or_default().to_string(), document: decode(p.policy_document().unwrap_or_default()) })
                        .collect(),
                ),
                groups: Observed::Known(u.group_list().to_vec()),
                permissions_boundary_arn: Observed::Known(u.permissions_boundary().and_then(|b| b.permissions_boundary_arn()).map(str::to_string)),
                tags: Observed::Known(u.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()),
                ..Default::default()
            });
        }
        for g in page.group_detail_list() {
            groups.push(Group {
                group_name: g.group_name().unwrap_or_default().to_string(),
                arn: g.arn().unwrap_or_default().to_string(),
                attached_policy_arns: Observed::Known(g.attached_managed_policies().iter().filter_map(|p| p.policy_arn().map(str::to_string)).collect()),
                inline_policies: Observed::Known(
                    g.group_policy_list()
                        .iter()
                        .map(|p| InlinePolicy { name: p.policy_name().unwrap_or_default().to_string(), document: decode(p.policy_document().unwrap_or_default()) })
                        .collect(),
                ),
            });
        }
        for r in page.role_detail_list() {
            roles.push(Role {
                role_name: r.role_name().unwrap_or_default().to_string(),
                arn: r.arn().unwrap_or_default().to_string(),
                path: r.path().unwrap_or_default().to_string(),
                create_date: r.create_date().map(|d| d.to_string()),
                assume_role_policy_document: r.assume_role_policy_document().map(decode),
                attached_policy_arns: Observed::Known(r.attached_managed_policies().iter().filter_map(|p| p.policy_arn().map(str::to_string)).collect()),
                inline_policies: Observed::Known(
                    r.role_policy_list()
                        .iter()
                        .map(|p| InlinePolicy { name: p.policy_name().unwrap_or_default().to_string(), document: decode(p.policy_document().unwrap_or_default()) })
                        .collect(),
                ),
                last_used_date: r.role_last_used().and_then(|l| l.last_used_date()).map(|d| d.to_string()),
                role_id: r.role_id().map(str::to_string),
                permissions_boundary_arn: Observed::Known(r.permissions_boundary().and_then(|b| b.permissions_boundary_arn()).map(str::to_string)),
                tags: Observed::Known(r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()),
                instance_profiles: Observed::Known(
                    r.instance_profile_list()
                        .iter()
                        .map(|p| InstanceProfile { name: p.instance_profile_name().to_string(), arn: p.arn().to_string() })
                        .collect(),
                ),
                service_last_accessed: Observed::not_collected(),
            });
        }
        for p in page.policies() {
            let arn = p.arn().unwrap_or_default().to_string();
            let aws_managed = arn.contains(":iam::aws:policy/");
            let attachment_count = p.attachment_count().unwrap_or(0);
            let permissions_boundary_usage_count = p.permissions_boundary_usage_count().unwrap_or(0);
            // AWS-managed policies nobody uses (attached or as a boundary) are the same in
            // every account: skip them.
            if aws_managed && attachment_count == 0 && permissions_boundary_usage_count == 0 {
                continue;
            }
            let default_version_id = p.default_version_id().unwrap_or_default().to_string();
            let document = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| v.document())
                .map(|d| Observed::Known(decode(d)))
                .unwrap_or_else(|| Observed::Unknown("default policy version missing from GetAccountAuthorizationDetails".into()));
            // The name is the ARN's last segment when a server (moto) leaves `PolicyName` out.
            let policy_name = match p.policy_name() {
                Some(n) if !n.is_empty() => n.to_string(),
                _ => arn.rsplit('/').next().unwrap_or_default().to_string(),
            };
            policies.push(ManagedPolicy {
                policy_name,
                arn,
                aws_managed,
                attachment_count,
                default_version_id,
                document,
                permissions_boundary_usage_count,
            });
        }
    }
    let mut users: Vec<User> = futures::future::join_all(users.into_iter().map(|u| user_details(ctx, &iam, u))).await;
    let arns: Vec<String> = users.iter().map(|u| u.arn.clone()).chain(roles.iter().map(|r| r.arn.clone())).collect();
    let mut accessed = last_accessed(ctx, &iam, &arns).await.into_iter();
    for u in &mut users {
        u.service_last_accessed = accessed.next().unwrap_or_default();
    }
    for r in &mut roles {
        r.service_last_accessed = accessed.next().unwrap_or_default();
    }
    out.groups = Observed::Known(groups);
    out.roles = Observed::Known(roles);
    out.policies = Observed::Known(policies);
    out.users = Observed::Known(users);
    Observed::Known(out)
}

/// Service last accessed data of each principal, in order: a report generated per principal
/// (`GenerateServiceLastAccessedDetails`, which changes nothing in the account) then read
/// (`GetServiceLastAccessedDetails`, polled until done). When the first principal's report
/// is refused (no permission, an organisation that disallows it, an endpoint without it),
/// every principal's is `Unknown` with that reason, without asking again for each.
async fn last_accessed(ctx: &Ctx, iam: &aws_sdk_iam::Client, arns: &[String]) -> Vec<Observed<Vec<ServiceLastAccessed>>> {
    let Some(first) = arns.first() else { return Vec::new() };
    let head = one_last_accessed(ctx, iam, first).await;
    if let Observed::Unknown(why) = &head {
        return arns.iter().map(|_| Observed::Unknown(why.clone())).collect();
    }
    let rest = futures::future::join_all(arns[1..].iter().map(|a| one_last_accessed(ctx, iam, a))).await;
    std::iter::once(head).chain(rest).collect()
}

async fn one_last_accessed(ctx: &Ctx, iam: &aws_sdk_iam::Client, arn: &str) -> Observed<Vec<ServiceLastAccessed>> {
    let job = match ctx.call("iam:GenerateServiceLastAccessedDetails", Some(arn), iam.generate_service_last_accessed_details().arn(arn).send()).await {
        Ok(o) => match o.job_id() {
            Some(id) => id.to_string(),
            None => return Observed::Unknown("iam:GenerateServiceLastAccessedDetails returned no job id".into()),
        },
        Err(why) => return Observed::Unknown(why),
    };
    for attempt in 0..6u32 {
        let out = match ctx.call("iam:GetServiceLastAccessedDetails", Some(arn), iam.get_service_last_accessed_details().job_id(&job).send()).await {
            Ok(o) => o,
            Err(why) => return Observed::Unknown(why),
        };
        match out.job_status().as_str() {
            "COMPLETED" => {
                return Observed::Known(
                    out.services_last_accessed()
                        .iter()
                        .map(|s| ServiceLastAccessed {
                            service_namespace: s.service_namespace().to_string(),
                            last_authenticated: s.last_authenticated().map(|d| d.to_string()),
                            last_authenticated_entity: s.last_authenticated_entity().map(str::to_string),
                        })
                        .collect(),
                )
            }
            "FAILED" => {
                let why = out.error().map(|e| e.message().to_string()).unwrap_or_default();
                return Observed::Unknown(format!("iam:GetServiceLastAccessedDetails: the report failed: {why}"));
            }
            _ => tokio::time::sleep(std::time::Duration::from_millis(200 << attempt)).await,
        }
    }
    Observed::Unknown("iam:GetServiceLastAccessedDetails: the report was still being generated".into())
}

async fn user_details(ctx: &Ctx, iam: &aws_sdk_iam::Client, mut u: User) -> User {
    let name = u.user_name.clone();
    let n = name.as_str();
    let login = ctx.call_opt("iam:GetLoginProfile", Some(n), &["NoSuchEntity"], iam.get_login_profile().user_name(n).send());
    let mfa = ctx.call("iam:ListMFADevices", Some(n), iam.list_mfa_devices().user_name(n).into_paginator().send().try_collect());
    let keys = ctx.call("iam:ListAccessKeys", Some(n), iam.list_access_keys().user_name(n).into_paginator().send().try_collect());
    let (login, mfa, keys) = futures::join!(login, mfa, keys);
    u.login_profile = match login {
        Ok(p) => Observed::Known(p.is_some()),
        Err(why) => Observed::Unknown(why),
    };
    u.mfa_devices = match mfa {
        Ok(pages) => Observed::Known(pages.iter().flat_map(|p| p.mfa_devices()).map(|d| d.serial_number().to_string()).collect()),
        Err(why) => Observed::Unknown(why),
    };
    u.access_keys = match keys {
        Ok(pages) => {
            let metas: Vec<_> = pages.iter().flat_map(|p| p.access_key_metadata()).cloned().collect();
            let keys = futures::future::join_all(metas.iter().map(|k| async move {
                let id = k.access_key_id().unwrap_or_default().to_string();
                let last = ctx.call("iam:GetAccessKeyLastUsed", Some(n), iam.get_access_key_last_used().access_key_id(&id).send()).await;
                let (last_used_date, last_used_service) = match last {
                    Ok(o) => {
                        let l = o.access_key_last_used();
                        (
                            Observed::Known(l.and_then(|l| l.last_used_date()).map(|d| d.to_string())),
                            l.map(|l| l.service_name().to_string()).filter(|s| s != "N/A"),
                        )
                    }
                    Err(why) => (Observed::Unknown(why), None),
                };
                AccessKey {
                    access_key_id: id,
                    status: k.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    create_date: k.create_date().map(|d| d.to_string()),
                    last_used_date,
                    last_used_service,
                }
            }))
            .await;
            Observed::Known(keys)
        }
        Err(why) => Observed::Unknown(why),
    };
    u
}

/// Generates (if needed) and reads the credential report, parsed into rows.
async fn credential_report(ctx: &Ctx, iam: &aws_sdk_iam::Client) -> Observed<Vec<CredentialReportRow>> {
    for attempt in 0..5 {
        match ctx.call_opt("iam:GetCredentialReport", None, &["ReportNotPresent", "ReportExpired", "ReportInProgress"], iam.get_credential_report().send()).await {
            Ok(Some(out)) => {
                return match out.content() {
                    Some(b) => Observed::Known(parse_credential_report(&String::from_utf8_lossy(b.as_ref()))),
                    None => Observed::Unknown("iam:GetCredentialReport returned no content".into()),
                };
            }
            Ok(None) if attempt < 4 => {
                if let Err(why) = ctx.call("iam:GenerateCredentialReport", None, iam.generate_credential_report().send()).await {
                    return Observed::Unknown(why);
                }
                tokio::time::sleep(std::time::Duration::from_millis(200 << attempt)).await;
            }
            Ok(None) => break,
            Err(why) => return Observed::Unknown(why),
        }
    }
    Observed::Unknown("iam:GetCredentialReport: the report was still being generated".into())
}

/// The credential report is CSV with a header row; no field contains a comma.
pub(crate) fn parse_credential_report(text: &str) -> Vec<CredentialReportRow> {
    let mut lines = text.lines();
    let Some(header) = lines.next() else { return Vec::new() };
    let cols: Vec<&str> = header.split(',').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| cols.iter().zip(l.split(',')).map(|(k, v)| (k.to_string(), v.to_string())).collect())
        .collect()
}

/// IAM returns policy documents URL-encoded.
pub(crate) fn decode(doc: &str) -> String {
    if doc.trim_start().starts_with('{') {
        doc.to_string()
    } else {
        percent_encoding::percent_decode_str(doc).decode_utf8_lossy().into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_report_rows() {
        let rows = parse_credential_report("user,arn,mfa_active\n<root_account>,arn:aws:iam::1:root,false\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["mfa_active"], "false");
        assert!(parse_credential_report("").is_empty());
    }

    #[test]
    fn decodes_documents() {
        assert_eq!(decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(decode("{\"a\":1}"), "{\"a\":1}");
    }
}
