//! AWS Organizations as the scanned account sees it: the organisation it belongs to
//! (`DescribeOrganization`, which any member may call) and, where the account may read them
//! (the management account or a delegated administrator), the roots, OUs and accounts and
//! the SCPs and RCPs with their content and targets — what the IAM engine needs to give
//! each account its levels of organisation policies.
//!
//! In a member account the first listing (`ListRoots`) is refused: the tree and the policies
//! are then `Unknown` with that reason, and nothing more is asked.

use crate::call::{client, Ctx};
use rampart_inventory::{Observed, OrgMember, OrgPolicy, OrgUnit, Organization};

pub(crate) async fn collect(ctx: &Ctx) -> Observed<Option<Organization>> {
    let org = client!(ctx, aws_sdk_organizations);
    let described = ctx
        .call_opt("organizations:DescribeOrganization", None, &["AWSOrganizationsNotInUseException"], org.describe_organization().send())
        .await;
    let o = match described {
        Ok(None) => return Observed::Known(None),
        Ok(Some(out)) => match out.organization() {
            Some(o) => o.clone(),
            None => return Observed::Unknown("organizations:DescribeOrganization returned no organization".into()),
        },
        Err(why) => return Observed::Unknown(why),
    };
    let mut out = Organization {
        id: o.id().unwrap_or_default().to_string(),
        arn: o.arn().unwrap_or_default().to_string(),
        management_account_id: o.master_account_id().unwrap_or_default().to_string(),
        feature_set: o.feature_set().map(|f| f.as_str().to_string()).unwrap_or_default(),
        ..Organization::default()
    };
    let roots = match ctx.call("organizations:ListRoots", None, org.list_roots().into_paginator().send().try_collect()).await {
        Ok(pages) => pages,
        Err(why) => {
            out.units = Observed::Unknown(why.clone());
            out.accounts = Observed::Unknown(why.clone());
            out.policies = Observed::Unknown(why);
            return Observed::Known(Some(out));
        }
    };
    let mut units: Vec<OrgUnit> = roots
        .iter()
        .flat_map(|p| p.roots())
        .map(|r| OrgUnit {
            id: r.id().unwrap_or_default().to_string(),
            arn: r.arn().unwrap_or_default().to_string(),
            name: r.name().unwrap_or_default().to_string(),
            parent_id: None,
            enabled_policy_types: r
                .policy_types()
                .iter()
                .filter(|t| t.status().is_some_and(|s| s.as_str() == "ENABLED"))
                .filter_map(|t| t.r#type().map(|t| t.as_str().to_string()))
                .collect(),
        })
        .collect();
    let (tree, policies) = futures::join!(tree(ctx, &org, &mut units), policies(ctx, &org));
    match tree {
        Ok(accounts) => {
            out.units = Observed::Known(units);
            out.accounts = Observed::Known(accounts);
        }
        Err(why) => {
            out.units = Observed::Unknown(why.clone());
            out.accounts = Observed::Unknown(why);
        }
    }
    out.policies = policies;
    Observed::Known(Some(out))
}

/// Walks the tree from the roots in `units`, adding every OU to it; returns the accounts.
async fn tree(ctx: &Ctx, org: &aws_sdk_organizations::Client, units: &mut Vec<OrgUnit>) -> Result<Vec<OrgMember>, String> {
    let mut accounts = Vec::new();
    let mut next = 0;
    while next < units.len() {
        let parent = units[next].id.clone();
        next += 1;
        let ous = ctx.call(
            "organizations:ListOrganizationalUnitsForParent",
            Some(&parent),
            org.list_organizational_units_for_parent().parent_id(&parent).into_paginator().send().try_collect(),
        );
        let members = ctx.call(
            "organizations:ListAccountsForParent",
            Some(&parent),
            org.list_accounts_for_parent().parent_id(&parent).into_paginator().send().try_collect(),
        );
        let (ous, members) = futures::join!(ous, members);
        for ou in ous?.iter().flat_map(|p| p.organizational_units()) {
            units.push(OrgUnit {
                id: ou.id().unwrap_or_default().to_string(),
                arn: ou.arn().unwrap_or_default().to_string(),
                name: ou.name().unwrap_or_default().to_string(),
                parent_id: Some(parent.clone()),
                enabled_policy_types: Vec::new(),
            });
        }
        for a in members?.iter().flat_map(|p| p.accounts()) {
            let state = a.state().map(|s| s.as_str().to_string()).or_else(|| a.status().map(|s| s.as_str().to_string()));
            accounts.push(OrgMember {
                id: a.id().unwrap_or_default().to_string(),
                name: a.name().unwrap_or_default().to_string(),
                parent_id: parent.clone(),
                state: state.unwrap_or_else(|| "UNKNOWN".into()),
            });
        }
    }
    Ok(accounts)
}

/// The SCPs and RCPs, each with its content and targets.
async fn policies(ctx: &Ctx, org: &aws_sdk_organizations::Client) -> Observed<Vec<OrgPolicy>> {
    use aws_sdk_organizations::types::PolicyType;
    let mut out = Vec::new();
    for kind in [PolicyType::ServiceControlPolicy, PolicyType::ResourceControlPolicy] {
        let listed = ctx
            .call("organizations:ListPolicies", None, org.list_policies().filter(kind.clone()).into_paginator().send().try_collect())
            .await;
        let summaries: Vec<_> = match listed {
            Ok(pages) => pages.iter().flat_map(|p| p.policies()).cloned().collect(),
            Err(why) => return Observed::Unknown(why),
        };
        let read = futures::future::join_all(summaries.iter().map(|s| async {
            let id = s.id().unwrap_or_default();
            let content = ctx.call("organizations:DescribePolicy", Some(id), org.describe_policy().policy_id(id).send());
            let targets = ctx.call(
                "organizations:ListTargetsForPolicy",
                Some(id),
                org.list_targets_for_policy().policy_id(id).into_paginator().send().try_collect(),
            );
            let (content, targets) = futures::join!(content, targets);
            let content = content?.policy().and_then(|p| p.content()).unwrap_or_default().to_string();
            let targets = targets?.iter().flat_map(|p| p.targets()).filter_map(|t| t.target_id().map(str::to_string)).collect();
            Ok::<_, String>(OrgPolicy {
                id: id.to_string(),
                arn: s.arn().unwrap_or_default().to_string(),
                name: s.name().unwrap_or_default().to_string(),
                policy_type: kind.as_str().to_string(),
                aws_managed: s.aws_managed(),
                content,
                targets,
            })
        }))
        .await;
        for p in read {
            match p {
                Ok(p) => out.push(p),
                Err(why) => return Observed::Unknown(why),
            }
        }
    }
    Observed::Known(out)
}
