//! Lambda function policies that let anyone invoke or manage the function.
//!
//! Security Hub Lambda.1 (FSBP). A function is public when an `Allow` statement of its
//! resource-based policy names everyone (`"*"` or `{"AWS": "*"}`) and no condition pins the
//! caller with a fixed value (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOwner`,
//! `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`, `aws:SourceVpc(e)`); or
//! when it lets the S3 service invoke it without `aws:SourceAccount` / `aws:SourceOwner`, since
//! any account's bucket could then trigger it. As Security Hub does, values with wildcards or
//! policy variables do not pin. One result per function.
//!
//! Every statement is judged: one public statement fails the function beside statements that are
//! pinned (test `several_statements`).
//!
//! AWS: "This control checks whether the Lambda function resource-based policy prohibits public
//! access outside of your account. ... The control also fails if a Lambda function is invoked
//! from Amazon S3 and the policy does not include a condition for `AWS:SourceAccount`" (Security
//! Hub Lambda.1).

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use rampart_policy::{Condition, Effect, Principal, Statement};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_public_access",
        title: "Lambda function policies allow public access",
        description: "A resource-based policy that grants everyone access lets any AWS account, or anyone on the internet through a function URL, invoke the function or change it.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[StandardRef::fsbp("Lambda.1")],
        remediation: Remediation {
            console: "Lambda console > the function > Configuration > Permissions > Resource-based policy statements: delete or edit the statements with principal *; add a Source account or Source ARN condition for service principals.",
            cli: "aws lambda get-policy --function-name <function>; aws lambda remove-permission --function-name <function> --statement-id <sid>; aws lambda add-permission --function-name <function> --statement-id <sid> --action lambda:InvokeFunction --principal s3.amazonaws.com --source-account <account-id> --source-arn <bucket-arn>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
        },
    },
    run,
};

const PINNING_KEYS: &[&str] = &[
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:SourceVpc",
    "aws:SourceVpce",
];

/// Whether `c` restricts the caller to fixed values of `keys`.
fn pins(c: &Condition, keys: &[&str]) -> bool {
    let op = c.operator.trim_end_matches("IfExists");
    let op = op.rsplit(':').next().unwrap_or(op);
    (op.starts_with("String") || op.starts_with("Arn"))
        && !op.contains("Not")
        && keys.iter().any(|k| c.key.eq_ignore_ascii_case(k))
        && !c.values.is_empty()
        && c.values.iter().all(|v| !v.contains('*') && !v.contains('?') && !v.contains("${"))
}

/// Why the statement makes the function public, if it does.
fn public_because(s: &Statement) -> Option<String> {
    if s.effect != Effect::Allow {
        return None;
    }
    let name = s.sid.as_deref().map(|sid| format!("statement `{sid}`")).unwrap_or_else(|| "a statement".to_string());
    match &s.principal {
        Some(Principal::Any) => {}
        Some(Principal::Specific(m)) if m.get("AWS").is_some_and(|v| v.iter().any(|x| x == "*")) => {}
        Some(Principal::Specific(m)) if m.get("Service").is_some_and(|v| v.iter().any(|x| x == "s3.amazonaws.com")) => {
            return (!s.conditions.iter().any(|c| pins(c, &["aws:SourceAccount", "aws:SourceOwner"]))).then(|| {
                format!("{name} lets S3 invoke the function without an aws:SourceAccount condition: any account's bucket can trigger it")
            });
        }
        _ => return None,
    }
    (!s.conditions.iter().any(|c| pins(c, PINNING_KEYS)))
        .then(|| format!("{name} grants access to everyone (principal *) without a condition that pins the caller"))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| {
        let text = match &f.policy {
            Observed::Known(None) => return out.pass(res, "the function has no resource-based policy"),
            Observed::Known(Some(t)) => t,
            Observed::Unknown(why) => return out.not_available(res, format!("function policy could not be read: {why}")),
        };
        let doc = match rampart_policy::parse(text) {
            Ok(d) => d,
            Err(e) => return out.malformed(res, format!("function policy is not valid: {e}")),
        };
        let reasons: Vec<String> = doc.statements.iter().filter_map(public_because).collect();
        if reasons.is_empty() {
            out.pass(res, "no statement of the function policy grants public access");
        } else {
            out.fail(res, reasons.join("; "));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn policy(stmt: &str) -> Status {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{stmt}]}}"#);
        single(&CHECK, &with_function(|f| f.policy = Observed::Known(Some(text)))).0
    }

    #[test]
    fn pass() {
        assert_eq!(single(&CHECK, &with_function(|_| {})).0, Status::Passed);
        assert_eq!(
            policy(
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"lambda:InvokeFunction","Resource":"*"}"#
            ),
            Status::Passed
        );
        assert_eq!(
            policy(
                r#"{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"}}}"#
            ),
            Status::Passed
        );
        assert_eq!(
            policy(
                r#"{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}"#
            ),
            Status::Passed
        );
        assert_eq!(policy(r#"{"Effect":"Deny","Principal":"*","Action":"lambda:*","Resource":"*"}"#), Status::Passed);
    }

    #[test]
    fn fail() {
        assert_eq!(policy(r#"{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}"#), Status::Failed);
        // A function URL without authentication.
        assert_eq!(
            policy(
                r#"{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"*","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}"#
            ),
            Status::Failed
        );
        assert_eq!(
            policy(
                r#"{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringLike":{"aws:SourceAccount":"*"}}}"#
            ),
            Status::Failed
        );
        assert_eq!(
            policy(
                r#"{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"123456789012"}}}"#
            ),
            Status::Failed
        );
        assert_eq!(
            policy(
                r#"{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"}}}"#
            ),
            Status::Failed
        );
    }

    #[test]
    fn several_statements() {
        let pinned = r#"{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"}}}"#;
        let public = r#"{"Sid":"open","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}"#;
        let deny = r#"{"Sid":"deny","Effect":"Deny","Principal":"*","Action":"lambda:DeleteFunction","Resource":"*"}"#;
        assert_eq!(policy(&format!("{pinned},{deny}")), Status::Passed);
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{pinned},{public},{deny}]}}"#);
        let (s, why) = single(&CHECK, &with_function(|f| f.policy = Observed::Known(Some(text))));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("statement `open`") && !why.contains("`s3`"), "{why}");
    }

    #[test]
    fn not_available() {
        assert_eq!(
            single(&CHECK, &with_function(|f| f.policy = Observed::Unknown("lambda:GetPolicy access denied".into()))).0,
            Status::NotAvailable
        );
        assert_eq!(single(&CHECK, &with_function(|f| f.policy = Observed::Known(Some("[".into())))).0, Status::NotAvailable);
        let mut inv = inventory();
        region(&mut inv).lambda = Observed::Unknown("lambda:ListFunctions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
