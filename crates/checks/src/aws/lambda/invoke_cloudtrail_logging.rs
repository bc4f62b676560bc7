//! Lambda functions whose invocations no multi-region trail records.
//!
//! Prowler's `awslambda_function_invoke_api_operations_cloudtrail_logging_enabled` (see
//! `crate::prowler`): a function passes when a trail records Lambda data events (the `Invoke`
//! API) for it. Here the trail must be a multi-region one; its event selectors count when a
//! basic selector has a data resource of type `AWS::Lambda::Function` whose values include the
//! all-functions prefix (`arn:<partition>:lambda`) or the function's ARN, or an advanced
//! selector has `eventCategory` = `Data` and `resources.type` = `AWS::Lambda::Function` with no
//! other field than `readOnly` and `resources.ARN` (equal to, or a prefix of, the function's
//! ARN). One result per function.

use super::each_function;
use crate::aws::cloudtrail::logging_trails;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use serde_json::Value;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_invoke_cloudtrail_logging",
        title: "Lambda function invocations are not recorded by a multi-region trail",
        description: "Without Lambda data events CloudTrail does not record who invoked a function and when: abuse of a function (or of credentials that can invoke it) leaves no trace.",
        severity: Severity::Low,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "CloudTrail console > Trails > a multi-region trail > Data events > Edit: add Lambda, log all current and future functions (or the function).",
            cli: "aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors '[{\"FieldSelectors\":[{\"Field\":\"eventCategory\",\"Equals\":[\"Data\"]},{\"Field\":\"resources.type\",\"Equals\":[\"AWS::Lambda::Function\"]}]}]'",
            url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
        },
    },
    run,
};

/// Whether `selectors` (as `GetEventSelectors` returns them) record the invocations of the
/// function `arn`; `None` when they are not that JSON.
pub(crate) fn records_invocations(selectors: &str, arn: &str) -> Option<bool> {
    let v: Value = serde_json::from_str(selectors).ok()?;
    let basic = v["EventSelectors"].as_array().cloned().unwrap_or_default().into_iter().any(|s| {
        s["DataResources"].as_array().is_some_and(|d| {
            d.iter().any(|r| {
                r["Type"] == "AWS::Lambda::Function"
                    && r["Values"].as_array().is_some_and(|vals| {
                        vals.iter()
                            .filter_map(Value::as_str)
                            .any(|x| x == arn || (x.starts_with("arn:") && x.ends_with(":lambda") && x.matches(':').count() == 2))
                    })
            })
        })
    });
    let advanced = v["AdvancedEventSelectors"].as_array().cloned().unwrap_or_default().into_iter().any(|s| {
        let fields = s["FieldSelectors"].as_array().cloned().unwrap_or_default();
        let equals = |f: &Value, want: &str| f["Equals"].as_array().is_some_and(|e| e.len() == 1 && e[0] == want);
        let has = |name: &str, want: &str| fields.iter().any(|f| f["Field"] == name && equals(f, want));
        has("eventCategory", "Data")
            && has("resources.type", "AWS::Lambda::Function")
            && fields.iter().all(|f| match f["Field"].as_str() {
                Some("eventCategory") | Some("resources.type") | Some("readOnly") => true,
                Some("resources.ARN") => {
                    let list =
                        |k: &str| f[k].as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>());
                    match (list("Equals"), list("StartsWith")) {
                        (Some(e), None) => e.iter().any(|x| x == arn),
                        (None, Some(p)) => p.iter().any(|x| arn.starts_with(x.as_str())),
                        _ => false,
                    }
                }
                _ => false,
            })
    });
    Some(basic || advanced)
}

fn run(ctx: &Ctx, out: &mut Emit) {
    let mut trails_of: Vec<(String, (Vec<(String, rampart_inventory::Observed<String>)>, Vec<String>))> = Vec::new();
    each_function(ctx, out, |_, res, out| {
        if !trails_of.iter().any(|(a, _)| *a == res.account) {
            let account = ctx.inventory.accounts.iter().find(|a| a.id == res.account).expect("the function's account");
            let (trails, unreadable) = logging_trails(account);
            trails_of.push((res.account.clone(), (trails.into_iter().map(|(a, s)| (a.to_string(), s)).collect(), unreadable)));
        }
        let (trails, unreadable) = &trails_of.iter().find(|(a, _)| *a == res.account).expect("cached above").1;
        let mut undecided = unreadable.clone();
        for (trail, selectors) in trails {
            match selectors.as_result().map(|s| records_invocations(s, &res.id)) {
                Ok(Some(true)) => return out.pass(res, format!("multi-region trail {trail} records its invocations")),
                Ok(Some(false)) => {}
                Ok(None) => undecided.push(format!("the event selectors of {trail} are not readable JSON")),
                Err(why) => undecided.push(format!("the event selectors of {trail} could not be read: {why}")),
            }
        }
        if !undecided.is_empty() {
            out.not_available(res, undecided.join("; "));
        } else if trails.is_empty() {
            out.fail(res, "no multi-region trail");
        } else {
            out.fail(res, "no multi-region trail records the function's invocations (Lambda data events)");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::aws::cloudtrail::tests::trail;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    #[test]
    fn selectors() {
        let basic = |v: &str| {
            format!(
                r#"{{"EventSelectors":[{{"ReadWriteType":"All","DataResources":[{{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}},{{"Type":"AWS::Lambda::Function","Values":["{v}"]}}]}}]}}"#
            )
        };
        assert_eq!(records_invocations(&basic("arn:aws:lambda"), F), Some(true));
        assert_eq!(records_invocations(&basic(F), F), Some(true));
        assert_eq!(records_invocations(&basic("arn:aws:lambda:us-east-1:123456789012:function:other"), F), Some(false));
        let adv = |extra: &str| {
            format!(
                r#"{{"AdvancedEventSelectors":[{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::Lambda::Function"]}}{extra}]}}]}}"#
            )
        };
        assert_eq!(records_invocations(&adv(""), F), Some(true));
        assert_eq!(
            records_invocations(&adv(r#",{"Field":"resources.ARN","StartsWith":["arn:aws:lambda:us-east-1:123456789012:function:"]}"#), F),
            Some(true)
        );
        assert_eq!(
            records_invocations(&adv(r#",{"Field":"resources.ARN","Equals":["arn:aws:lambda:us-east-1:123456789012:function:g"]}"#), F),
            Some(false)
        );
        assert_eq!(records_invocations(&adv(r#",{"Field":"eventName","Equals":["Invoke"]}"#), F), Some(false));
        assert_eq!(records_invocations("not json", F), None);
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = with_function(|_| {});
        assert_eq!(single(&CHECK, &inv).0, Status::Failed, "no trail");
        let mut t = trail("main", "us-east-1");
        region(&mut inv).cloudtrail = Observed::Known(vec![t.clone()]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed, "management events only");
        t.event_selectors = Observed::Known(r#"{"EventSelectors":[{"ReadWriteType":"All","DataResources":[{"Type":"AWS::Lambda::Function","Values":["arn:aws:lambda"]}]}]}"#.into());
        region(&mut inv).cloudtrail = Observed::Known(vec![t.clone()]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        t.event_selectors = Observed::Unknown("cloudtrail:GetEventSelectors access denied".into());
        region(&mut inv).cloudtrail = Observed::Known(vec![t]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
