//! A small, fixed set of findings for the renderers' tests: every status, several
//! severities, a detail, standards, a global resource and gaps. Timestamps are fixed,
//! so snapshots need no redaction.

use rampart_model::{Category, 
    CheckMeta, CheckResult, Finding, Gap, GapKind, Remediation, Resource, ResourceType, RunInfo,
    Severity, StandardRef, Status, Timestamp, WorkflowStatus,
};
use time::macros::datetime;

pub const ACCOUNT: &str = "123456789012";

const S3_PUBLIC: CheckMeta = CheckMeta {
    id: "s3_bucket_public_read",
    title: "S3 bucket allows public read",
    description: "Checks whether an S3 bucket grants read access to everyone through its ACL or policy.",
    severity: Severity::High,
        category: Category::Security,
    service: "s3",
    resource_type: ResourceType::AwsS3Bucket,
    standards: &[StandardRef::fsbp("S3.2"), StandardRef::ta("Amazon S3 Bucket Permissions")],
    remediation: Remediation {
        console: "In the S3 console, open the bucket, choose Permissions and turn on Block all public access.",
        cli: "aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    },
};

const SG_OPEN: CheckMeta = CheckMeta {
    id: "ec2_sg_open_admin_port",
    title: "Security group allows ingress from 0.0.0.0/0 to an administration port",
    description: "Checks whether a security group allows unrestricted inbound traffic to SSH, RDP or other administration ports.",
    severity: Severity::Critical,
        category: Category::Security,
    service: "ec2",
    resource_type: ResourceType::AwsEc2SecurityGroup,
    standards: &[StandardRef::cis("5.2"), StandardRef::fsbp("EC2.53")],
    remediation: Remediation {
        console: "In the EC2 console, open the security group and remove or narrow the inbound rule.",
        cli: "aws ec2 revoke-security-group-ingress --group-id <sg> --protocol tcp --port <port> --cidr 0.0.0.0/0",
        url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
    },
};

const ROOT_MFA: CheckMeta = CheckMeta {
    id: "iam_root_mfa",
    title: "Root user has MFA enabled",
    description:
        "Checks whether the account's root user signs in with multi-factor authentication.",
    severity: Severity::Critical,
        category: Category::Security,
    service: "iam",
    resource_type: ResourceType::AwsAccount,
    standards: &[StandardRef::cis("1.5")],
    remediation: Remediation {
        console: "Sign in as the root user, open Security credentials and assign an MFA device.",
        cli: "",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_mfa.html",
    },
};

const KMS_ROTATION: CheckMeta = CheckMeta {
    id: "kms_key_rotation",
    title: "KMS key rotation is enabled",
    description: "Checks whether customer managed KMS keys rotate yearly.",
    severity: Severity::Medium,
        category: Category::Security,
    service: "kms",
    resource_type: ResourceType::AwsKmsKey,
    standards: &[StandardRef::cis("3.6")],
    remediation: Remediation {
        console: "In the KMS console, open the key and turn on automatic rotation.",
        cli: "aws kms enable-key-rotation --key-id <key>",
        url: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    },
};

pub const T0: Timestamp = datetime!(2026-11-20 08:00:00 UTC);
pub const T1: Timestamp = datetime!(2026-11-27 23:55:00 UTC);

pub fn run() -> RunInfo {
    RunInfo {
        id: "20261127T235500Z-1a2b".into(),
        started_at: T1,
        finished_at: datetime!(2026-11-27 23:57:13 UTC),
        source: "aws".into(),
        accounts: vec![ACCOUNT.into()],
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        tool_version: "0.1.0".into(),
        checks: Vec::new(),
    }
}

pub fn resource(kind: ResourceType, id: &str, region: &str, name: &str) -> Resource {
    Resource {
        id: id.into(),
        kind,
        account: ACCOUNT.into(),
        region: region.into(),
        partition: "aws".into(),
        name: name.into(),
    }
}

fn finding(
    meta: &CheckMeta,
    resource: Resource,
    status: Status,
    detail: &str,
    reason: &str,
) -> Finding {
    let result = CheckResult {
        check_id: meta.id,
        resource,
        status,
        detail: detail.into(),
        reason: reason.into(),
        severity: None,
    };
    let mut f = Finding::from_result(meta, result, T1);
    f.first_observed = T0;
    f
}

/// One run, five findings (PASSED, FAILED ×2, WARNING, NOT_AVAILABLE) and two gaps.
pub fn small() -> (RunInfo, Vec<Finding>, Vec<Gap>) {
    let bucket = |name: &str| {
        resource(
            ResourceType::AwsS3Bucket,
            &format!("arn:aws:s3:::{name}"),
            "eu-west-1",
            name,
        )
    };
    let sg = resource(
        ResourceType::AwsEc2SecurityGroup,
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
        "eu-west-1",
        "bastion",
    );
    let root = resource(
        ResourceType::AwsAccount,
        "arn:aws:iam::123456789012:root",
        "us-east-1",
        "",
    );
    let key = resource(
        ResourceType::AwsKmsKey,
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "us-east-1",
        "",
    );

    let mut notified = finding(
        &SG_OPEN,
        sg.clone(),
        Status::Failed,
        "tcp/3389",
        "Inbound rule allows tcp/3389 (RDP) from 0.0.0.0/0.",
    );
    notified.workflow_status = WorkflowStatus::Notified;

    let findings = vec![
        finding(
            &S3_PUBLIC,
            bucket("logs"),
            Status::Passed,
            "",
            "Bucket `logs` grants no public access.",
        ),
        finding(
            &S3_PUBLIC,
            bucket("www-assets"),
            Status::Failed,
            "",
            "Bucket policy allows s3:GetObject to Principal \"*\".",
        ),
        finding(
            &SG_OPEN,
            sg,
            Status::Failed,
            "tcp/22",
            "Inbound rule allows tcp/22 (SSH) from 0.0.0.0/0.",
        ),
        notified,
        finding(
            &KMS_ROTATION,
            key,
            Status::Warning,
            "",
            "Rotation is off; the key is pending deletion.",
        ),
        finding(
            &ROOT_MFA,
            root,
            Status::NotAvailable,
            "",
            "iam:GetAccountSummary was denied, so root MFA could not be read.",
        ),
    ];
    let gaps = vec![
        Gap {
            action: "iam:GetAccountSummary".into(),
            kind: GapKind::AccessDenied,
            account: ACCOUNT.into(),
            region: "us-east-1".into(),
            resource: None,
            message: "User: arn:aws:sts::123456789012:assumed-role/audit/x is not authorized to perform: iam:GetAccountSummary".into(),
        },
        Gap {
            action: "s3:GetBucketPolicy".into(),
            kind: GapKind::AccessDenied,
            account: ACCOUNT.into(),
            region: "eu-west-1".into(),
            resource: Some("arn:aws:s3:::private-data".into()),
            message: "Access Denied".into(),
        },
    ];
    (run(), findings, gaps)
}

/// `n` findings spread over checks, statuses and severities, for size tests.
pub fn many(n: usize) -> Vec<Finding> {
    let metas = [&S3_PUBLIC, &SG_OPEN, &ROOT_MFA, &KMS_ROTATION];
    let statuses = [
        Status::Passed,
        Status::Failed,
        Status::Warning,
        Status::NotAvailable,
    ];
    (0..n)
        .map(|i| {
            let meta = metas[i % metas.len()];
            let name = format!("bucket-{i:06}");
            let r = resource(
                meta.resource_type,
                &format!("arn:aws:s3:::{name}"),
                "eu-west-1",
                &name,
            );
            finding(
                meta,
                r,
                statuses[i % statuses.len()],
                "",
                "Result reason for this resource.",
            )
        })
        .collect()
}
