//! Trusted Advisor's security checks, named as on
//! https://docs.aws.amazon.com/awssupport/latest/user/security-checks.html, plus the
//! Service Limits check the issue asks for (Trusted Advisor files it under "Service limits").
//!
//! Trusted Advisor marks items red or yellow; a control's severity here is that of its
//! red items. Names keep Trusted Advisor's en dash; matching also accepts `-` (see
//! [`crate::normalize_requirement`]).

use crate::{Control, Standard};
use rampart_model::Severity::{Critical, High, Low, Medium};

pub static TRUSTED_ADVISOR: Standard = Standard {
    id: "trusted-advisor",
    title: "AWS Trusted Advisor security checks",
    model: rampart_model::Standard::TrustedAdvisor,
    controls: CONTROLS,
};

static CONTROLS: &[Control] = &[
    Control::auto(
        "Amazon EBS Public Snapshots",
        "Amazon EBS Public Snapshots",
        Critical,
    ),
    Control::auto(
        "Amazon RDS Public Snapshots",
        "Amazon RDS Public Snapshots",
        Critical,
    ),
    Control::auto(
        "Amazon RDS Security Group Access Risk",
        "Amazon RDS Security Group Access Risk",
        High,
    ),
    Control::auto(
        "Amazon Route 53 MX Resource Record Sets and Sender Policy Framework",
        "Amazon Route 53 MX Resource Record Sets and Sender Policy Framework",
        Low,
    ),
    Control::auto(
        "Amazon S3 Bucket Permissions",
        "Amazon S3 Bucket Permissions",
        Critical,
    ),
    Control::auto("AWS CloudTrail Logging", "AWS CloudTrail Logging", High),
    Control::auto(
        "AWS Lambda Functions Using Deprecated Runtimes",
        "AWS Lambda Functions Using Deprecated Runtimes",
        Medium,
    ),
    Control::auto(
        "CloudFront Custom SSL Certificates in the IAM Certificate Store",
        "CloudFront Custom SSL Certificates in the IAM Certificate Store",
        High,
    ),
    Control::auto(
        "CloudFront SSL Certificate on the Origin Server",
        "CloudFront SSL Certificate on the Origin Server",
        High,
    ),
    Control::auto("ELB Listener Security", "ELB Listener Security", High),
    Control::auto("ELB Security Groups", "ELB Security Groups", High),
    Control::auto("Exposed Access Keys", "Exposed Access Keys", Critical),
    Control::auto("IAM Access Key Rotation", "IAM Access Key Rotation", High),
    Control::auto("IAM Password Policy", "IAM Password Policy", Medium),
    Control::auto("IAM Use", "IAM Use", Low),
    Control::auto("MFA on Root Account", "MFA on Root Account", Critical),
    Control::auto(
        "Security Groups – Specific Ports Unrestricted",
        "Security Groups – Specific Ports Unrestricted",
        Critical,
    ),
    Control::auto(
        "Security Groups – Unrestricted Access",
        "Security Groups – Unrestricted Access",
        High,
    ),
    Control::auto("Service Limits", "Service Limits", High),
    Control::manual(
        "AWS Well-Architected high risk issues for security",
        "AWS Well-Architected high risk issues for security",
        High,
    ),
];
