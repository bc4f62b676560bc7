//! Who made a call: the principal a detection's finding is about.

use rampart_cloudtrail::Event;
use rampart_model::{Resource, ResourceType};
use serde_json::Value;

/// The principal behind a record, as a finding's resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Groups one principal's records: the caller's ARN (a role session's, with its session
    /// name), else its principal id or access key.
    pub key: String,
    /// For titles: `user/alice`, `role/deploy (session i-0abc)`, `root`.
    pub name: String,
    /// An IAM user, the role of a session, the account (root), or `Other`.
    pub resource: Resource,
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The partition of an ARN, `aws` when there is none.
pub(crate) fn partition(arn: &str) -> String {
    arn.strip_prefix("arn:").and_then(|r| r.split(':').next()).filter(|p| !p.is_empty()).unwrap_or("aws").to_string()
}

/// The caller's `userIdentity.type`.
pub(crate) fn kind(e: &Event) -> &str {
    text(&e.user_identity, "type").unwrap_or("")
}

/// The caller's IAM user name when it is an IAM user.
pub(crate) fn user_name(e: &Event) -> Option<&str> {
    (kind(e) == "IAMUser").then(|| text(&e.user_identity, "userName")).flatten()
}

/// Whether the caller is an AWS service acting for someone (`invokedBy`) or is one.
pub(crate) fn by_service(e: &Event) -> bool {
    matches!(kind(e), "AWSService" | "AWSAccount") || text(&e.user_identity, "invokedBy").is_some()
}

/// The instance whose role credentials made the call (`ec2RoleDelivery` in the session
/// context, the session named by the instance id), if any.
pub(crate) fn instance_session(e: &Event) -> Option<&str> {
    let ctx = e.user_identity.get("sessionContext")?;
    ctx.get("ec2RoleDelivery")?;
    let arn = text(&e.user_identity, "arn")?;
    let session = arn.rsplit('/').next()?;
    session.starts_with("i-").then_some(session)
}

impl Actor {
    pub fn of(e: &Event) -> Actor {
        let u = &e.user_identity;
        let account = text(u, "accountId").unwrap_or(&e.account).to_string();
        let arn = text(u, "arn").unwrap_or("");
        let key = [text(u, "arn"), text(u, "principalId"), text(u, "accessKeyId")]
            .into_iter()
            .flatten()
            .next()
            .unwrap_or("unknown principal")
            .to_string();
        let resource = |id: String, kind: ResourceType, name: String| Resource {
            partition: partition(&id),
            id,
            kind,
            account: account.clone(),
            region: e.region.clone(),
            name,
        };
        match kind(e) {
            "IAMUser" => {
                let name = text(u, "userName").map(str::to_string).unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn).to_string());
                let id = if arn.is_empty() { key.clone() } else { arn.to_string() };
                Actor { key, name: format!("user/{name}"), resource: resource(id, ResourceType::AwsIamUser, name) }
            }
            "Root" => {
                let id = if arn.is_empty() { format!("arn:aws:iam::{account}:root") } else { arn.to_string() };
                Actor { key, name: format!("root of {account}"), resource: resource(id, ResourceType::AwsAccount, account.clone()) }
            }
            "AssumedRole" => {
                let issuer = u.get("sessionContext").and_then(|c| c.get("sessionIssuer"));
                let role_arn = issuer.and_then(|i| text(i, "arn")).unwrap_or(arn).to_string();
                let role = issuer.and_then(|i| text(i, "userName")).map(str::to_string).unwrap_or_else(|| {
                    // arn:aws:sts::123:assumed-role/ROLE/SESSION
                    arn.split('/').nth(1).unwrap_or(arn).to_string()
                });
                let session = arn.rsplit('/').next().unwrap_or("");
                Actor {
                    key,
                    name: format!("role/{role} (session {session})"),
                    resource: resource(role_arn, ResourceType::AwsIamRole, role),
                }
            }
            other => {
                let id = if arn.is_empty() { key.clone() } else { arn.to_string() };
                let shown = if other.is_empty() { id.clone() } else { format!("{other} {id}") };
                Actor { key, name: shown.clone(), resource: resource(id, ResourceType::Other, shown) }
            }
        }
    }
}
