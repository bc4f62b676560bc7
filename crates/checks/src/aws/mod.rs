//! Checks of AWS services, one folder per service, one file per check.

pub mod acm;
pub mod autoscaling;
pub mod cloudformation;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod elb;
pub mod guardduty;
pub mod iam;
pub mod inspector;
pub mod kms;
pub mod lambda;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod secretsmanager;
pub mod securityhub;
pub mod servicequotas;
pub mod sns;
pub mod sqs;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, Observed, Region};
use rampart_model::{ResourceType, Timestamp};

/// Calls `f` for every item of a regional service's list (KMS keys, ECR repositories, ...),
/// and reports NOT_AVAILABLE once per region whose list could not be read.
///
/// `service` and `what` name the placeholder resource of such a region:
/// `arn:<partition>:<service>:<region>:<account>:<what>/*`.
pub(crate) fn each_regional<T>(
    ctx: &Ctx,
    out: &mut Emit,
    service: &str,
    kind: ResourceType,
    what: &str,
    list: fn(&Region) -> &Observed<Vec<T>>,
    mut f: impl FnMut(&Account, &Region, &T, &mut Emit),
) {
    for (account, region) in ctx.inventory.regions() {
        match list(region) {
            Observed::Known(items) => {
                for item in items {
                    f(account, region, item, out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, kind, account.arn(service, &region.name, &format!("{what}/*")), &format!("all {what}s"));
                out.not_available(res, format!("{what}s could not be listed in {}: {why}", region.name));
            }
        }
    }
}

/// Judges a resource policy (SNS topic, SQS queue, KMS key) with
/// [`rampart_policy::public_statements`]: FAILED when a statement grants to the public, PASSED
/// when none does or there is no policy, NOT_AVAILABLE when it could not be read or parsed.
///
/// `account_keys` are the service's condition keys that name the requester's account and pin
/// a statement like S3's keys do (`kms:CallerAccount`).
pub(crate) fn judge_public_policy(res: rampart_model::Resource, policy: &Observed<Option<String>>, account_keys: &[&str], out: &mut Emit) {
    let text = match policy {
        Observed::Known(Some(t)) => t,
        Observed::Known(None) => return out.pass(res, "no resource policy"),
        Observed::Unknown(why) => return out.not_available(res, format!("the policy could not be read: {why}")),
    };
    match rampart_policy::parse_maybe_url_encoded(text) {
        Err(e) => out.malformed(res, format!("the policy is not valid: {e}")),
        Ok(doc) => {
            let public = rampart_policy::public_statements_with(&doc, account_keys);
            if public.is_empty() {
                out.pass(res, "no policy statement grants access to everyone");
            } else {
                let which: Vec<String> = public
                    .iter()
                    .map(|st| {
                        let actions = st.action.as_ref().map(|a| a.join(", ")).unwrap_or_else(|| "NotAction".into());
                        match &st.sid {
                            Some(sid) => format!("`{sid}` ({actions})"),
                            None => format!("({actions})"),
                        }
                    })
                    .collect();
                out.fail(res, format!("statements allow anyone without a restricting condition: {}", which.join("; ")));
            }
        }
    }
}

/// Parses an RFC 3339 time as the collector and the credential report write it
/// (`2026-11-28T00:22:19Z`, `2026-11-28T00:22:19.58141Z`, `2026-11-28T00:22:19+00:00`).
pub(crate) fn parse_time(text: &str) -> Option<Timestamp> {
    Timestamp::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// Whole days from `then` to `now` (negative when `then` is in the future).
pub(crate) fn days_since(then: Timestamp, now: Timestamp) -> i64 {
    (now - then).whole_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        let now = crate::testkit::now();
        for t in ["2026-11-27T12:00:00Z", "2026-11-27T12:00:00.5Z", "2026-11-27T12:00:00+00:00"] {
            assert_eq!(days_since(parse_time(t).unwrap(), now), 0, "{t}");
        }
        assert_eq!(days_since(parse_time("2026-08-29T12:00:00Z").unwrap(), now), 90);
        assert!(parse_time("N/A").is_none());
        assert!(parse_time("no_information").is_none());
    }
}
