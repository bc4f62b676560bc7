//! Lambda functions on runtimes that are deprecated or will be within 180 days.
//!
//! Trusted Advisor "AWS Lambda Functions Using Deprecated Runtimes": red for a function whose
//! runtime is deprecated, yellow when its deprecation is within 180 days. The dates are
//! `lambda_supported_runtime`'s table (the Lambda Developer Guide's). FSBP Lambda.2 judges only
//! the red half, which is why this is a check of its own. Container-image functions have no
//! managed runtime and are not evaluated. One result per `.zip` function.

use super::each_function;
use super::supported_runtime::deprecation;
use crate::aws::days_since;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_deprecated_runtime",
        title: "Lambda functions use runtimes deprecated or deprecated within 180 days",
        description: "A deprecated runtime gets no security patches; one that is about to be deprecated leaves less than six months to test and move the function.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[StandardRef::ta("AWS Lambda Functions Using Deprecated Runtimes")],
        remediation: Remediation {
            console: "Lambda console > the function > Code > Runtime settings > Edit: choose the newest runtime of the language (after testing the code on it).",
            cli: "aws lambda update-function-configuration --function-name <function> --runtime <newer-runtime>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
        },
    },
    run,
};

/// Trusted Advisor's warning period before a deprecation date.
const WARN_DAYS: i64 = 180;

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| match deprecation(f) {
        Ok(None) => {}
        Err(why) => out.not_available(res, why),
        Ok(Some((runtime, date, deprecated))) => {
            let left = -days_since(deprecated, ctx.now);
            if ctx.now >= deprecated {
                out.fail(res, format!("runtime `{runtime}` is deprecated since {date}"));
            } else if left <= WARN_DAYS {
                out.fail_with(res, Severity::Low, format!("runtime `{runtime}` is deprecated on {date}, in {left} days"));
            } else {
                out.pass(res, format!("runtime `{runtime}` is supported until {date}, more than {WARN_DAYS} days away"));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn run_for(r: &str) -> rampart_model::CheckResult {
        run_check(&CHECK, &with_function(|f| f.runtime = Some(r.into()))).remove(0)
    }

    #[test]
    fn pass_fail_not_available() {
        // now = 2026-11-27T12:00Z (testkit)
        let r = run_for("python3.7");
        assert_eq!((r.status, r.severity), (Status::Failed, None), "{}", r.reason);
        // nodejs22.x is deprecated on 2027-04-30: 153 whole days away.
        let r = run_for("nodejs22.x");
        assert_eq!((r.status, r.severity), (Status::Failed, Some(Severity::Low)), "{}", r.reason);
        assert!(r.reason.contains("in 153 days"), "{}", r.reason);
        assert_eq!(run_for("provided.al2023").status, Status::Passed);
        assert_eq!(run_for("cobol1.0").status, Status::NotAvailable);
        assert!(run_check(&CHECK, &with_function(|f| f.package_type = Some("Image".into()))).is_empty());
    }
}
