//! AWS Organizations as one account sees it: the organisation it belongs to and, when the
//! account may read them (the management account or a delegated administrator), the tree of
//! roots, OUs and accounts and the SCPs and RCPs with their targets.

use crate::Observed;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Organization {
    /// `o-…`.
    pub id: String,
    pub arn: String,
    pub management_account_id: String,
    /// `ALL` or `CONSOLIDATED_BILLING` (SCPs and RCPs need `ALL`).
    pub feature_set: String,
    /// Roots and OUs (`ListRoots`, `ListOrganizationalUnitsForParent`); `Unknown` in a member
    /// account, which may not list them.
    #[serde(default)]
    pub units: Observed<Vec<OrgUnit>>,
    /// Every account and its parent (`ListAccountsForParent`).
    #[serde(default)]
    pub accounts: Observed<Vec<OrgMember>>,
    /// SCPs and RCPs with their content and targets (`ListPolicies`, `DescribePolicy`,
    /// `ListTargetsForPolicy`).
    #[serde(default)]
    pub policies: Observed<Vec<OrgPolicy>>,
}

/// A root (`r-…`) or an OU (`ou-…`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: String,
    pub arn: String,
    pub name: String,
    /// `None` for a root.
    pub parent_id: Option<String>,
    /// For a root: the policy types enabled on it (`SERVICE_CONTROL_POLICY`,
    /// `RESOURCE_CONTROL_POLICY`, …) with status `ENABLED`.
    #[serde(default)]
    pub enabled_policy_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrgMember {
    pub id: String,
    pub name: String,
    /// The root or OU holding the account.
    pub parent_id: String,
    /// `ACTIVE`, `SUSPENDED`, …
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrgPolicy {
    pub id: String,
    pub arn: String,
    pub name: String,
    /// `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`.
    pub policy_type: String,
    pub aws_managed: bool,
    /// The policy document, as returned.
    pub content: String,
    /// The roots, OUs and accounts it is attached to (`r-…`, `ou-…`, account ids).
    pub targets: Vec<String>,
}
