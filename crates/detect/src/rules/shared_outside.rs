//! An EBS snapshot, AMI or RDS snapshot shared with an outside account (neither the
//! owner's nor a trusted one) or made public: a copy of the data leaves the account.

use crate::rules::each;
use crate::{is, ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use serde_json::Value;

pub static RULE: Rule = Rule {
    id: "threat_shared_outside",
    title: "Snapshot or image shared outside the organization",
    guardduty_type: "Exfiltration:IAMUser/AnomalousBehavior",
    severity: Severity::High,
    tactic: "Exfiltration",
    technique: "T1537",
    technique_name: "Transfer Data to Cloud Account",
    description: "An EBS snapshot, an AMI or an RDS snapshot was shared with an account outside the organisation (or with everyone): that account can copy the data.",
    remediation: "Remove the share (modify the attribute to remove the account), find out whether the other account copied it, and review the principal's other actions.",
};

/// The accounts (or `all`) a request adds to a share.
fn added(e: &Event) -> Option<(String, Vec<String>)> {
    let ids = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|i| i.get("userId").or_else(|| i.get("group")).and_then(Value::as_str).map(str::to_string))
            .collect()
    };
    if is(e, "ec2.amazonaws.com", "ModifySnapshotAttribute") {
        let who = ids(e.request.pointer("/createVolumePermission/add/items"));
        return Some((format!("the EBS snapshot `{}`", param(e, "snapshotId").unwrap_or("?")), who));
    }
    if is(e, "ec2.amazonaws.com", "ModifyImageAttribute") {
        let who = ids(e.request.pointer("/launchPermission/add/items"));
        return Some((format!("the AMI `{}`", param(e, "imageId").unwrap_or("?")), who));
    }
    if e.source == "rds.amazonaws.com" && matches!(e.name.as_str(), "ModifyDBSnapshotAttribute" | "ModifyDBClusterSnapshotAttribute") {
        if param(e, "attributeName") != Some("restore") {
            return None;
        }
        let who = crate::policy::strings(e.request.get("valuesToAdd"));
        let id = param(e, "dBSnapshotIdentifier").or_else(|| param(e, "dBClusterSnapshotIdentifier")).unwrap_or("?");
        return Some((format!("the RDS snapshot `{id}`"), who));
    }
    None
}

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !ok(e) {
            return None;
        }
        let (what, who) = added(e)?;
        let outside: Vec<String> = who.into_iter().filter(|a| a == "all" || t.outside(a, &e.account)).collect();
        if outside.is_empty() {
            return None;
        }
        let to =
            outside.iter().map(|a| if a == "all" { "everyone".to_string() } else { format!("account {a}") }).collect::<Vec<_>>().join(", ");
        Some(format!("{} shared {what} with {to}.", e.name))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn shares_with_outside_accounts_or_everyone_are_seen_and_own_or_trusted_are_not() {
        let r = [
            record(
                "snap",
                "ec2",
                "ModifySnapshotAttribute",
                alice(),
                0,
                json!({"snapshotId": "snap-1", "attributeType": "CREATE_VOLUME_PERMISSION",
                "createVolumePermission": {"add": {"items": [{"userId": "999988887777"}]}}}),
            ),
            record(
                "ami",
                "ec2",
                "ModifyImageAttribute",
                alice(),
                1,
                json!({"imageId": "ami-1", "launchPermission": {"add": {"items": [{"group": "all"}]}}}),
            ),
            record(
                "rds",
                "rds",
                "ModifyDBSnapshotAttribute",
                alice(),
                2,
                json!({"dBSnapshotIdentifier": "db", "attributeName": "restore", "valuesToAdd": ["444455556666"]}),
            ),
            record(
                "remove",
                "ec2",
                "ModifySnapshotAttribute",
                alice(),
                3,
                json!({"snapshotId": "snap-1", "createVolumePermission": {"remove": {"items": [{"userId": "999988887777"}]}}}),
            ),
        ];
        assert_eq!(seen_by("threat_shared_outside", &r), vec![vec!["snap"], vec!["ami"], vec!["rds"]]);
        let trusted = crate::Thresholds { trusted_accounts: vec!["999988887777".into(), "444455556666".into()], ..Default::default() };
        let events = events(&r);
        let ids: Vec<Vec<String>> = crate::hits(&events, &trusted).iter().map(|h| h.event_ids()).collect();
        assert_eq!(ids, vec![vec!["ami".to_string()]]);
    }
}
