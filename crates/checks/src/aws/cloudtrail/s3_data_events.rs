//! What CIS 3.8 and 3.9 share: whether a multi-region trail records the S3 object-level (data)
//! events of every bucket.
//!
//! Security Hub S3.22 / S3.23 (CIS v3.0.0 3.8 / 3.9): the account passes when at least one
//! multi-region trail logs all write (3.8) or read (3.9) data events of S3 objects in all
//! buckets. Basic selectors: a data resource of type `AWS::S3::Object` whose values include the
//! all-buckets prefix (`arn:aws:s3` or `arn:aws:s3:::`, any partition), with `ReadWriteType`
//! `All` or the matching `WriteOnly`/`ReadOnly`. Advanced selectors: `eventCategory` = `Data`
//! and `resources.type` = `AWS::S3::Object`, `readOnly` absent or equal to the matching value,
//! and no other field (any other narrows the buckets or events recorded). One result per
//! account, in its home region.

use super::logging_trails;
use crate::{resource, Ctx, Emit};
use rampart_model::ResourceType;
use serde_json::Value;

/// Whether `selectors` record every S3 object write (`write`) or read (`!write`) data event;
/// `None` when they are not the JSON `GetEventSelectors` returns.
pub(crate) fn records_all_s3_object_events(selectors: &str, write: bool) -> Option<bool> {
    let v: Value = serde_json::from_str(selectors).ok()?;
    let wanted_rw = if write { "WriteOnly" } else { "ReadOnly" };
    let basic = v["EventSelectors"].as_array().cloned().unwrap_or_default().into_iter().any(|s| {
        let rw = s["ReadWriteType"].as_str().unwrap_or("All");
        (rw == "All" || rw == wanted_rw)
            && s["DataResources"].as_array().is_some_and(|d| {
                d.iter().any(|r| {
                    r["Type"] == "AWS::S3::Object"
                        && r["Values"].as_array().is_some_and(|vals| {
                            vals.iter().filter_map(Value::as_str).any(|x| {
                                let x = x.trim_end_matches(":::");
                                x.starts_with("arn:") && x.ends_with(":s3") && x.matches(':').count() == 2
                            })
                        })
                })
            })
    });
    let read_only = if write { "false" } else { "true" };
    let advanced = v["AdvancedEventSelectors"].as_array().cloned().unwrap_or_default().into_iter().any(|s| {
        let fields = s["FieldSelectors"].as_array().cloned().unwrap_or_default();
        let equals = |f: &Value, want: &str| f["Equals"].as_array().is_some_and(|e| e.len() == 1 && e[0] == want);
        let has = |name: &str, want: &str| fields.iter().any(|f| f["Field"] == name && equals(f, want));
        has("eventCategory", "Data")
            && has("resources.type", "AWS::S3::Object")
            && fields.iter().all(|f| match f["Field"].as_str() {
                Some("eventCategory") | Some("resources.type") => true,
                Some("readOnly") => equals(f, read_only),
                _ => false,
            })
    });
    Some(basic || advanced)
}

/// One result per account: does a multi-region trail record every S3 object `write` (or read) event?
pub(crate) fn judge(ctx: &Ctx, out: &mut Emit, write: bool) {
    let what = if write { "write" } else { "read" };
    for account in &ctx.inventory.accounts {
        let res = resource(account, &account.home_region, ResourceType::AwsAccount, format!("arn:{}:cloudtrail::{}:s3-{what}-data-events", account.partition, account.id), &account.id);
        let (multi_region, unreadable) = logging_trails(account);
        let mut undecided = unreadable.clone();
        let mut good = None;
        for (arn, selectors) in &multi_region {
            match selectors.as_result().map(|s| (s, records_all_s3_object_events(s, write))) {
                Ok((_, Some(true))) => good = Some(*arn),
                Ok((_, Some(false))) => {}
                Ok((_, None)) => undecided.push(format!("the event selectors of {arn} are not readable JSON")),
                Err(why) => undecided.push(format!("the event selectors of {arn} could not be read: {why}")),
            }
        }
        if let Some(arn) = good {
            out.pass(res, format!("multi-region trail {arn} records every S3 object {what} event"));
        } else if !undecided.is_empty() {
            out.not_available(res, undecided.join("; "));
        } else if multi_region.is_empty() {
            out.fail(res, "no multi-region trail");
        } else {
            out.fail(res, format!("no multi-region trail records the {what} data events of every S3 bucket"));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testkit::*;
    use crate::Check;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    /// Pass, fail and not-available of `check`, whose passing selectors have `read_write_type`.
    pub fn pass_fail_not_available(check: &Check, read_write_type: &str) {
        use super::super::tests::trail;
        let mut inv = inventory();
        assert_eq!(single(check, &inv).0, Status::Failed, "no trail");
        region(&mut inv).cloudtrail = Observed::Known(vec![trail("main", "us-east-1")]);
        let (s, why) = single(check, &inv);
        assert_eq!(s, Status::Failed, "management events only: {why}");
        let mut t = trail("main", "us-east-1");
        t.event_selectors = Observed::Known(format!(
            r#"{{"EventSelectors":[{{"ReadWriteType":"{read_write_type}","IncludeManagementEvents":true,"DataResources":[{{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}}]}}]}}"#
        ));
        region(&mut inv).cloudtrail = Observed::Known(vec![t.clone()]);
        assert_eq!(single(check, &inv).0, Status::Passed);
        // The same selectors on a single-region trail do not count.
        t.is_multi_region_trail = false;
        region(&mut inv).cloudtrail = Observed::Known(vec![t.clone()]);
        assert_eq!(single(check, &inv).0, Status::Failed);
        t.is_multi_region_trail = true;
        t.event_selectors = Observed::Unknown("cloudtrail:GetEventSelectors denied".into());
        region(&mut inv).cloudtrail = Observed::Known(vec![t]);
        assert_eq!(single(check, &inv).0, Status::NotAvailable);
        region(&mut inv).cloudtrail = Observed::Unknown("cloudtrail:DescribeTrails denied".into());
        assert_eq!(single(check, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn selectors() {
        let basic = |rw: &str, values: &str| format!(r#"{{"EventSelectors":[{{"ReadWriteType":"{rw}","IncludeManagementEvents":true,"DataResources":[{{"Type":"AWS::S3::Object","Values":{values}}}]}}]}}"#);
        assert_eq!(records_all_s3_object_events(&basic("All", r#"["arn:aws:s3"]"#), true), Some(true));
        assert_eq!(records_all_s3_object_events(&basic("WriteOnly", r#"["arn:aws:s3:::"]"#), true), Some(true));
        assert_eq!(records_all_s3_object_events(&basic("WriteOnly", r#"["arn:aws:s3"]"#), false), Some(false));
        assert_eq!(records_all_s3_object_events(&basic("All", r#"["arn:aws-us-gov:s3"]"#), false), Some(true));
        assert_eq!(records_all_s3_object_events(&basic("All", r#"["arn:aws:s3:::one-bucket/"]"#), true), Some(false), "one bucket only");
        let advanced = |extra: &str| format!(r#"{{"AdvancedEventSelectors":[{{"Name":"s3","FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::S3::Object"]}}{extra}]}}]}}"#);
        assert_eq!(records_all_s3_object_events(&advanced(""), true), Some(true));
        assert_eq!(records_all_s3_object_events(&advanced(""), false), Some(true));
        assert_eq!(records_all_s3_object_events(&advanced(r#",{"Field":"readOnly","Equals":["false"]}"#), true), Some(true));
        assert_eq!(records_all_s3_object_events(&advanced(r#",{"Field":"readOnly","Equals":["false"]}"#), false), Some(false));
        assert_eq!(records_all_s3_object_events(&advanced(r#",{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::logs/"]}"#), true), Some(false));
        assert_eq!(records_all_s3_object_events(r#"{"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[]}]}"#, true), Some(false));
        assert_eq!(records_all_s3_object_events("not json", true), None);
    }
}
