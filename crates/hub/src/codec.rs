//! Model values to and from their stored text.

use rampart_model::{
    GapKind, RecordState, ResourceType, Severity, Status, Timestamp, WorkflowStatus,
};
use serde::{de::DeserializeOwned, Serialize};
use time::format_description::well_known::Rfc3339;

/// A value the database holds that this build cannot read: (what, value).
pub(crate) type Invalid = (&'static str, String);

/// Drops sub-second precision: what the store keeps of a timestamp.
pub(crate) fn truncate(t: Timestamp) -> Timestamp {
    let t = t.to_offset(time::UtcOffset::UTC);
    t - time::Duration::nanoseconds(i64::from(t.nanosecond()))
}

pub(crate) fn time_to_text(t: Timestamp) -> String {
    rampart_model::rfc3339(t)
}

pub(crate) fn time_from_text(s: &str) -> Result<Timestamp, Invalid> {
    Timestamp::parse(s, &Rfc3339).map_err(|_| ("timestamp", s.to_string()))
}

pub(crate) fn severity_from_text(s: &str) -> Result<Severity, Invalid> {
    // `FromStr` accepts the ASFF labels the store writes.
    s.parse().map_err(|_| ("severity", s.to_string()))
}

pub(crate) fn status_from_text(s: &str) -> Result<Status, Invalid> {
    Status::parse(s).ok_or_else(|| ("status", s.to_string()))
}

pub(crate) fn workflow_from_text(s: &str) -> Result<WorkflowStatus, Invalid> {
    WorkflowStatus::parse(s).ok_or_else(|| ("workflow status", s.to_string()))
}

pub(crate) fn record_state_from_text(s: &str) -> Result<RecordState, Invalid> {
    match s {
        "ACTIVE" => Ok(RecordState::Active),
        "ARCHIVED" => Ok(RecordState::Archived),
        _ => Err(("record state", s.to_string())),
    }
}

/// Resource types are stored by their serde name, not `asff()`, which maps several
/// kinds to `Other` and so would not round-trip.
pub(crate) fn resource_type_to_text(t: ResourceType) -> String {
    enum_to_text(&t)
}

pub(crate) fn resource_type_from_text(s: &str) -> Result<ResourceType, Invalid> {
    enum_from_text(s).ok_or_else(|| ("resource type", s.to_string()))
}

pub(crate) fn gap_kind_to_text(k: GapKind) -> String {
    enum_to_text(&k)
}

pub(crate) fn gap_kind_from_text(s: &str) -> Result<GapKind, Invalid> {
    enum_from_text(s).ok_or_else(|| ("gap kind", s.to_string()))
}

/// A finding's vulnerability as the JSON the `vulnerability` column holds.
pub(crate) fn vulnerability_to_json(v: &rampart_model::Vulnerability) -> String {
    // Invariant: a Vulnerability is strings, numbers, options and lists, which always
    // serialize to JSON (serde_json writes a non-finite float as null, without error).
    serde_json::to_string(v).expect("a vulnerability serializes")
}

pub(crate) fn vulnerability_from_json(s: &str) -> Result<rampart_model::Vulnerability, Invalid> {
    serde_json::from_str(s).map_err(|_| ("finding vulnerability", s.chars().take(80).collect()))
}

pub(crate) fn strings_to_json(v: &[String]) -> String {
    // Invariant: a list of strings always serializes to JSON.
    serde_json::to_string(v).expect("a list of strings serializes")
}

pub(crate) fn strings_from_json(what: &'static str, s: &str) -> Result<Vec<String>, Invalid> {
    serde_json::from_str(s).map_err(|_| (what, s.to_string()))
}

/// The serde name of a unit variant, e.g. `AwsS3Bucket` or `access_denied`.
fn enum_to_text<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        // Invariant: only called with fieldless enums, which serialize as strings.
        other => unreachable!("a fieldless enum serializes as a string, got {other:?}"),
    }
}

fn enum_from_text<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip() {
        for t in [
            ResourceType::AwsS3Bucket,
            ResourceType::AwsIamServerCertificate,
            ResourceType::Other,
        ] {
            assert_eq!(
                resource_type_from_text(&resource_type_to_text(t)).unwrap(),
                t
            );
        }
        assert_eq!(
            resource_type_to_text(ResourceType::AwsEc2SecurityGroup),
            "AwsEc2SecurityGroup"
        );
        assert_eq!(gap_kind_to_text(GapKind::AccessDenied), "access_denied");
        assert_eq!(
            gap_kind_from_text("region_disabled").unwrap(),
            GapKind::RegionDisabled
        );
        assert!(resource_type_from_text("AwsNope").is_err());
        for s in Severity::ALL {
            assert_eq!(severity_from_text(s.label()).unwrap(), s);
        }
    }

    #[test]
    fn time_round_trips_to_the_second() {
        let t = time::macros::datetime!(2026-11-27 23:57:00.987654321 +02:00);
        let text = time_to_text(t);
        assert_eq!(text, "2026-11-27T21:57:00Z");
        assert_eq!(time_from_text(&text).unwrap(), truncate(t));
        assert_eq!(truncate(t).nanosecond(), 0);
        assert!(time_from_text("yesterday").is_err());
    }
}
