//! GuardDuty findings into the graph: each finding → the entities it names.
//!
//! A document is a `GetFindings` response (`{"Findings": [...]}`, `aws guardduty
//! get-findings` output), an array of findings, one finding, EventBridge events
//! (`"detail-type": "GuardDuty Finding"`, the finding in `detail`) or findings one per line
//! (GuardDuty's export to S3 writes JSON Lines, gzip-compressed); field names are read in
//! either case (`Resource` as the API answers, `resource` as EventBridge and exports write).
//!
//! A finding (its ARN, else its id) is an entity of kind `finding`; [`Rel::FindingOf`] goes
//! from it to each entity it names, its type as detail, in the hour of its `updatedAt`:
//! the instance (`InstanceDetails.InstanceId`), the access key and its principal
//! (`AccessKeyDetails`: an IAM user, a role by name, the root), buckets
//! (`S3BucketDetails[].Arn`), the remote addresses of its action (API call, network
//! connection, port probes) and the account.

use crate::summary::{EntityKind, Rel, Summariser, Tally};
use crate::Malformed;
use serde_json::{Map, Value};
use std::io::Read;

/// A findings document that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindingsFileError {
    #[error("`{file}` is not a valid gzip stream: {message}")]
    Gzip { file: String, message: String },
    #[error("`{file}` inflates to more than {limit} bytes: not a findings file")]
    TooLarge { file: String, limit: u64 },
    #[error("`{file}` is not JSON: {message}")]
    NotJson { file: String, message: String },
    #[error("`{file}` holds no GuardDuty finding")]
    NoFindings { file: String },
}

/// Findings read from a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FindingStats {
    pub findings: u64,
    pub malformed: u64,
}

/// A field by its name as the API writes it (`Resource`) or as EventBridge and exports
/// write it (`resource`).
fn field<'a>(o: &'a Value, name: &str) -> Option<&'a Value> {
    let obj = o.as_object()?;
    obj.get(name).or_else(|| {
        let mut lower = name.to_string();
        lower[..1].make_ascii_lowercase();
        obj.get(&lower)
    })
}

fn text<'a>(o: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = o;
    for p in path {
        cur = field(cur, p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

fn is_finding(o: &Map<String, Value>) -> bool {
    ["Type", "type"].iter().any(|k| o.contains_key(*k)) && ["Id", "id", "Arn", "arn"].iter().any(|k| o.contains_key(*k))
}

/// Reads a findings document (gzip or plain, at most `limit` bytes inflated) into `sum`,
/// each finding that cannot be read a [`Malformed`] (`finding N`, from 0).
pub fn observe_findings(
    file: &str,
    bytes: &[u8],
    limit: u64,
    sum: &mut Summariser,
    malformed: &mut dyn FnMut(Malformed),
) -> Result<FindingStats, FindingsFileError> {
    let text_bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .take(limit.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| FindingsFileError::Gzip { file: file.into(), message: e.to_string() })?;
        out
    } else {
        bytes.to_vec()
    };
    if text_bytes.len() as u64 > limit {
        return Err(FindingsFileError::TooLarge { file: file.into(), limit });
    }
    let mut stats = FindingStats::default();
    let mut index = 0usize;
    let mut any = false;
    for v in serde_json::Deserializer::from_slice(&text_bytes).into_iter::<Value>() {
        let v = match v {
            Ok(v) => v,
            Err(e) if !any => return Err(FindingsFileError::NotJson { file: file.into(), message: e.to_string() }),
            Err(e) => {
                stats.malformed += 1;
                malformed(Malformed {
                    file: file.into(),
                    position: format!("finding {index}"),
                    message: format!("not JSON from here on: {e}"),
                });
                break;
            }
        };
        let items: Vec<Value> = match v {
            Value::Array(a) => a,
            Value::Object(mut o) => match o.remove("Findings").or_else(|| o.remove("findings")) {
                Some(Value::Array(a)) => a,
                _ if !any && !(is_finding(&o) || o.contains_key("detail")) => {
                    return Err(FindingsFileError::NoFindings { file: file.into() })
                }
                _ => vec![Value::Object(o)],
            },
            _ if !any => return Err(FindingsFileError::NoFindings { file: file.into() }),
            other => vec![other],
        };
        any = true;
        for item in items {
            let at = index;
            index += 1;
            let finding = match &item {
                Value::Object(o) if o.contains_key("detail") && !is_finding(o) => o.get("detail").cloned().unwrap_or(Value::Null),
                _ => item,
            };
            match observe_finding(&finding, sum) {
                Ok(()) => stats.findings += 1,
                Err(message) => {
                    stats.malformed += 1;
                    malformed(Malformed { file: file.into(), position: format!("finding {at}"), message });
                }
            }
        }
    }
    if !any {
        return Err(FindingsFileError::NoFindings { file: file.into() });
    }
    Ok(stats)
}

/// One finding's relationships.
pub fn observe_finding(f: &Value, sum: &mut Summariser) -> Result<(), String> {
    if !f.is_object() {
        return Err("a finding is a JSON object".into());
    }
    let id = text(f, &["Arn"]).or(text(f, &["Id"])).ok_or("a finding without `Arn` or `Id`")?;
    let kind = text(f, &["Type"]).ok_or("a finding without `Type`")?;
    let when = text(f, &["UpdatedAt"]).or(text(f, &["CreatedAt"])).ok_or("a finding without `UpdatedAt` or `CreatedAt`")?;
    let at = time::OffsetDateTime::parse(when, &time::format_description::well_known::Rfc3339)
        .map_err(|_| format!("`UpdatedAt` `{}` is not an RFC 3339 time", crate::summary::clip(when)))?
        .unix_timestamp();
    let account = text(f, &["AccountId"]).unwrap_or("");
    sum.entity(id, EntityKind::Finding, at);
    let mut named: Vec<(String, EntityKind)> = Vec::new();
    if !account.is_empty() {
        named.push((account.to_string(), EntityKind::Account));
    }
    let resource = field(f, "Resource").cloned().unwrap_or(Value::Null);
    if let Some(i) = text(&resource, &["InstanceDetails", "InstanceId"]) {
        named.push((i.to_string(), EntityKind::Ec2Instance));
    }
    if let Some(k) = text(&resource, &["AccessKeyDetails", "AccessKeyId"]).filter(|k| crate::trail::is_key_id(k)) {
        named.push((k.to_string(), EntityKind::AccessKey));
    }
    let user = text(&resource, &["AccessKeyDetails", "UserName"]);
    match (text(&resource, &["AccessKeyDetails", "UserType"]), user) {
        (Some("IAMUser"), Some(u)) if !account.is_empty() => named.push((format!("arn:aws:iam::{account}:user/{u}"), EntityKind::IamUser)),
        (Some("AssumedRole"), Some(r)) if !account.is_empty() => {
            named.push((format!("arn:aws:iam::{account}:role/{r}"), EntityKind::IamRole))
        }
        (Some("Root"), _) if !account.is_empty() => named.push((format!("arn:aws:iam::{account}:root"), EntityKind::Root)),
        _ => {}
    }
    if let Some(Value::Array(buckets)) = field(&resource, "S3BucketDetails") {
        for b in buckets {
            if let Some(arn) = text(b, &["Arn"]) {
                named.push((arn.to_string(), EntityKind::S3Bucket));
            }
        }
    }
    let action = field(f, "Service").and_then(|s| field(s, "Action")).cloned().unwrap_or(Value::Null);
    let mut remote = |details: Option<&Value>| {
        if let Some(ip) =
            details.and_then(|d| text(d, &["IpAddressV4"]).or(text(d, &["IpAddressV6"]))).and_then(|s| s.parse::<std::net::IpAddr>().ok())
        {
            named.push((ip.to_string(), EntityKind::IpAddress));
        }
    };
    for a in ["AwsApiCallAction", "NetworkConnectionAction", "KubernetesApiCallAction", "RdsLoginAttemptAction"] {
        remote(field(&action, a).and_then(|x| field(x, "RemoteIpDetails")));
    }
    if let Some(Value::Array(probes)) = field(&action, "PortProbeAction").and_then(|p| field(p, "PortProbeDetails")) {
        for p in probes.iter().take(20) {
            remote(field(p, "RemoteIpDetails"));
        }
    }
    named.sort();
    named.dedup();
    for (other, k) in named {
        sum.entity(&other, k, at);
        sum.add(id, Rel::FindingOf, &other, kind, Tally::one(at, true));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finding(id: &str) -> Value {
        json!({
            "AccountId": "111122223333", "Arn": format!("arn:aws:guardduty:us-east-1:111122223333:detector/d/finding/{id}"), "Id": id,
            "Type": "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", "UpdatedAt": "2026-11-30T08:10:00.000Z",
            "Severity": 8,
            "Resource": {"ResourceType": "AccessKey", "AccessKeyDetails": {"AccessKeyId": "ASIAEXAMPLEEXAMPLE01", "UserName": "Web", "UserType": "AssumedRole"},
                         "InstanceDetails": {"InstanceId": "i-0123456789abcdef0"}},
            "Service": {"Action": {"ActionType": "AWS_API_CALL", "AwsApiCallAction": {"Api": "ListBuckets", "RemoteIpDetails": {"IpAddressV4": "203.0.113.50"}}}}
        })
    }

    fn read(bytes: &[u8]) -> (Result<FindingStats, FindingsFileError>, crate::Batch, Vec<Malformed>) {
        let mut sum = Summariser::new(1000);
        let mut bad = Vec::new();
        let r = observe_findings("f.json", bytes, 1 << 20, &mut sum, &mut |m| bad.push(m));
        (r, sum.drain(), bad)
    }

    #[test]
    fn a_finding_names_its_instance_key_role_address_and_account() {
        let doc = json!({"Findings": [finding("a"), {"Id": "b"}]}).to_string();
        let (r, batch, bad) = read(doc.as_bytes());
        assert_eq!(r.unwrap(), FindingStats { findings: 1, malformed: 1 });
        assert_eq!(bad[0].position, "finding 1");
        let dsts: Vec<&str> = batch.summaries.iter().map(|s| s.dst.as_str()).collect();
        assert_eq!(
            dsts,
            ["111122223333", "203.0.113.50", "ASIAEXAMPLEEXAMPLE01", "arn:aws:iam::111122223333:role/Web", "i-0123456789abcdef0"]
        );
        assert!(batch.summaries.iter().all(|s| s.rel == Rel::FindingOf && s.detail.starts_with("UnauthorizedAccess:")));
        assert!(batch.entities.iter().any(|e| e.kind == EntityKind::Finding && e.id.ends_with("/finding/a")));
    }

    #[test]
    fn eventbridge_and_export_shapes_in_either_case() {
        let lower = |v: Value| -> Value {
            fn walk(v: Value) -> Value {
                match v {
                    Value::Object(o) => Value::Object(
                        o.into_iter()
                            .map(|(k, v)| {
                                let mut k = k;
                                k[..1].make_ascii_lowercase();
                                (k, walk(v))
                            })
                            .collect(),
                    ),
                    Value::Array(a) => Value::Array(a.into_iter().map(walk).collect()),
                    other => other,
                }
            }
            walk(v)
        };
        let lines = format!(
            "{}\n{}\n",
            json!({"detail-type": "GuardDuty Finding", "source": "aws.guardduty", "detail": lower(finding("c"))}),
            lower(finding("d"))
        );
        let (r, batch, _) = read(lines.as_bytes());
        assert_eq!(r.unwrap().findings, 2);
        assert_eq!(batch.summaries.len(), 10);
        assert!(matches!(read(br#"{"hello": 1}"#).0, Err(FindingsFileError::NoFindings { .. })));
        assert!(matches!(read(b"nope").0, Err(FindingsFileError::NotJson { .. })));
    }
}
