//! Lambda functions on deprecated runtimes.
//!
//! Security Hub Lambda.2 (FSBP) fails a function whose runtime is not in its list of supported
//! runtimes. Rampart compares the runtime with the deprecation dates of the Lambda Developer
//! Guide (<https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html>, "Supported
//! runtimes" and "Deprecated runtimes"; projected dates are AWS's and may move): a runtime is
//! unsupported from its deprecation date on, compared with `ctx.now`. Functions packaged as
//! container images have no managed runtime and are not evaluated; a runtime missing from the
//! table is NOT_AVAILABLE. One result per `.zip` function.
//!
//! AWS: "This control checks that the Lambda function settings for runtimes match the expected
//! values set for the supported runtimes for each language" (Security Hub Lambda.2; its list is a
//! parameter AWS updates). Rampart's list is the deprecation table below: a runtime fails from the
//! first instant of its deprecation date (`fail`).

use super::each_function;
use crate::aws::parse_time;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// Runtime identifier and the date (UTC) Lambda deprecates (or deprecated) it.
pub const DEPRECATION: &[(&str, &str)] = &[
    // Node.js
    ("nodejs", "2016-10-31"),
    ("nodejs4.3", "2020-03-05"),
    ("nodejs4.3-edge", "2019-04-30"),
    ("nodejs6.10", "2019-08-12"),
    ("nodejs8.10", "2020-03-06"),
    ("nodejs10.x", "2021-07-30"),
    ("nodejs12.x", "2023-03-31"),
    ("nodejs14.x", "2023-12-04"),
    ("nodejs16.x", "2024-06-12"),
    ("nodejs18.x", "2025-09-01"),
    ("nodejs20.x", "2026-04-30"),
    ("nodejs22.x", "2027-04-30"),
    ("nodejs24.x", "2028-04-30"),
    // Python
    ("python2.7", "2021-07-15"),
    ("python3.6", "2022-07-18"),
    ("python3.7", "2023-12-04"),
    ("python3.8", "2024-10-14"),
    ("python3.9", "2025-12-15"),
    ("python3.10", "2026-06-30"),
    ("python3.11", "2026-06-30"),
    ("python3.12", "2028-10-31"),
    ("python3.13", "2029-06-30"),
    ("python3.14", "2029-06-30"),
    // Java
    ("java8", "2024-01-08"),
    ("java8.al2", "2026-06-30"),
    ("java11", "2026-06-30"),
    ("java17", "2026-06-30"),
    ("java21", "2029-06-30"),
    ("java25", "2029-06-30"),
    // .NET
    ("dotnetcore1.0", "2019-07-30"),
    ("dotnetcore2.0", "2019-05-30"),
    ("dotnetcore2.1", "2022-01-05"),
    ("dotnetcore3.1", "2023-04-03"),
    ("dotnet6", "2024-12-20"),
    ("dotnet8", "2026-11-10"),
    ("dotnet10", "2028-11-14"),
    // Ruby
    ("ruby2.5", "2021-07-30"),
    ("ruby2.7", "2023-12-07"),
    ("ruby3.2", "2026-03-31"),
    ("ruby3.3", "2027-03-31"),
    ("ruby3.4", "2028-03-31"),
    // Go and OS-only
    ("go1.x", "2024-01-08"),
    ("provided", "2024-01-08"),
    ("provided.al2", "2026-06-30"),
    ("provided.al2023", "2029-06-30"),
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_supported_runtime",
        title: "Lambda functions use deprecated runtimes",
        description: "After its deprecation date a runtime gets no more security patches and no technical support, and Lambda later blocks updates to functions that use it.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[StandardRef::fsbp("Lambda.2")],
        remediation: Remediation {
            console: "Lambda console > the function > Code > Runtime settings > Edit: choose a supported runtime (after testing the code on it).",
            cli: "aws lambda update-function-configuration --function-name <function> --runtime <supported-runtime>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
        },
    },
    run,
};

/// The deprecation date of `runtime`, if Rampart knows it.
pub fn deprecation_date(runtime: &str) -> Option<&'static str> {
    DEPRECATION.iter().find(|(r, _)| *r == runtime).map(|(_, d)| *d)
}

/// The runtime of a `.zip` function with its deprecation date and time; `Ok(None)` for container
/// images (no managed runtime), `Err` with why it cannot be judged.
pub(crate) fn deprecation(f: &rampart_inventory::LambdaFunction) -> Result<Option<(&str, &'static str, rampart_model::Timestamp)>, String> {
    if f.package_type.as_deref() == Some("Image") {
        return Ok(None);
    }
    let runtime = f.runtime.as_deref().filter(|r| !r.is_empty()).ok_or("the function's runtime is not known")?;
    let date = deprecation_date(runtime).ok_or_else(|| format!("rampart does not know the runtime `{runtime}`"))?;
    // The table holds valid dates; a test parses every one.
    let at = parse_time(&format!("{date}T00:00:00Z")).ok_or_else(|| format!("bad deprecation date `{date}` for `{runtime}`"))?;
    Ok(Some((runtime, date, at)))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| match deprecation(f) {
        Ok(None) => {}
        Err(why) => out.not_available(res, why),
        Ok(Some((runtime, date, deprecated))) if ctx.now >= deprecated => out.fail(res, format!("runtime `{runtime}` is deprecated since {date}")),
        Ok(Some((runtime, date, _))) => out.pass(res, format!("runtime `{runtime}` is supported until {date}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    fn runtime(r: Option<&str>) -> (Status, String) {
        single(&CHECK, &with_function(|f| f.runtime = r.map(Into::into)))
    }

    #[test]
    fn table_is_valid() {
        let mut seen = std::collections::HashSet::new();
        for (r, d) in DEPRECATION {
            assert!(seen.insert(r), "{r} twice");
            assert!(parse_time(&format!("{d}T00:00:00Z")).is_some(), "{r}: {d}");
        }
    }

    #[test]
    fn pass() {
        let (s, why) = runtime(Some("python3.13"));
        assert_eq!(s, Status::Passed);
        assert!(why.contains("2029-06-30"), "{why}");
        assert_eq!(runtime(Some("nodejs22.x")).0, Status::Passed);
    }

    #[test]
    fn fail() {
        // testkit's now is 2026-11-27.
        for r in ["python3.9", "nodejs20.x", "go1.x", "dotnet8"] {
            assert_eq!(runtime(Some(r)).0, Status::Failed, "{r}");
        }
    }

    #[test]
    fn not_available_or_not_evaluated() {
        assert_eq!(runtime(Some("cobol1.x")).0, Status::NotAvailable);
        assert_eq!(runtime(None).0, Status::NotAvailable);
        let inv = with_function(|f| {
            f.runtime = None;
            f.package_type = Some("Image".into());
        });
        assert!(run_check(&CHECK, &inv).is_empty());
        let mut inv = inventory();
        region(&mut inv).lambda = Observed::Unknown("lambda:ListFunctions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
