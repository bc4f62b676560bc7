//! A small, fixed set of findings for the renderers' tests: every status, several
//! severities, a detail, standards, a global resource and gaps. Timestamps are fixed,
//! so snapshots need no redaction.

use rampart_model::{
    Category, CheckMeta, CheckResult, Finding, Gap, GapKind, Remediation, Resource, ResourceType, RunInfo, Severity, StandardRef, Status,
    Timestamp, WorkflowStatus,
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
    description: "Checks whether the account's root user signs in with multi-factor authentication.",
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
        incomplete: Vec::new(),
    }
}

pub fn resource(kind: ResourceType, id: &str, region: &str, name: &str) -> Resource {
    Resource { id: id.into(), kind, account: ACCOUNT.into(), region: region.into(), partition: "aws".into(), name: name.into() }
}

fn finding(meta: &CheckMeta, resource: Resource, status: Status, detail: &str, reason: &str) -> Finding {
    let result = CheckResult { check_id: meta.id, resource, status, detail: detail.into(), reason: reason.into(), severity: None };
    let mut f = Finding::from_result(meta, result, T1);
    f.first_observed = T0;
    f
}

/// One run, five findings (PASSED, FAILED ×2, WARNING, NOT_AVAILABLE) and two gaps.
pub fn small() -> (RunInfo, Vec<Finding>, Vec<Gap>) {
    let bucket = |name: &str| resource(ResourceType::AwsS3Bucket, &format!("arn:aws:s3:::{name}"), "eu-west-1", name);
    let sg =
        resource(ResourceType::AwsEc2SecurityGroup, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc", "eu-west-1", "bastion");
    let root = resource(ResourceType::AwsAccount, "arn:aws:iam::123456789012:root", "us-east-1", "");
    let key =
        resource(ResourceType::AwsKmsKey, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "us-east-1", "");

    let mut notified = finding(&SG_OPEN, sg.clone(), Status::Failed, "tcp/3389", "Inbound rule allows tcp/3389 (RDP) from 0.0.0.0/0.");
    notified.workflow_status = WorkflowStatus::Notified;

    let findings = vec![
        finding(&S3_PUBLIC, bucket("logs"), Status::Passed, "", "Bucket `logs` grants no public access."),
        finding(&S3_PUBLIC, bucket("www-assets"), Status::Failed, "", "Bucket policy allows s3:GetObject to Principal \"*\"."),
        finding(&SG_OPEN, sg, Status::Failed, "tcp/22", "Inbound rule allows tcp/22 (SSH) from 0.0.0.0/0."),
        notified,
        finding(&KMS_ROTATION, key, Status::Warning, "", "Rotation is off; the key is pending deletion."),
        finding(&ROOT_MFA, root, Status::NotAvailable, "", "iam:GetAccountSummary was denied, so root MFA could not be read."),
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
    let statuses = [Status::Passed, Status::Failed, Status::Warning, Status::NotAvailable];
    (0..n)
        .map(|i| {
            let meta = metas[i % metas.len()];
            let name = format!("bucket-{i:06}");
            let r = resource(meta.resource_type, &format!("arn:aws:s3:::{name}"), "eu-west-1", &name);
            finding(meta, r, statuses[i % statuses.len()], "", "Result reason for this resource.")
        })
        .collect()
}

const HOST_CVE: CheckMeta = CheckMeta {
    id: "host_cve",
    title: "Vulnerable package",
    description: "An installed package is in a version affected by a published vulnerability advisory (OSV, Debian security tracker, Alpine secdb).",
    severity: Severity::Medium,
    category: Category::Security,
    service: "host",
    resource_type: ResourceType::AwsEc2Instance,
    standards: &[StandardRef::inspector("Common Vulnerabilities and Exposures")],
    remediation: Remediation {
        console: "Upgrade the package to the fixed version named in the finding (or later) with the system's package manager, then restart the services that use it.",
        cli: "apt-get install --only-upgrade <package>",
        url: "https://osv.dev/",
    },
};

/// A host's CVE findings as `rampart scan host` builds them from `testdata/severity`: an
/// OS package (libssl1.1 of Debian 11, DSA-5103-1, HIGH by GitHub's CVSS of
/// CVE-2022-0778), a language package (openssl-src in a Cargo.lock, RUSTSEC-2022-0014,
/// the same CVE) and an OS advisory no source rates (unknown), then one configuration
/// finding of the same host.
pub fn vulnerabilities() -> (RunInfo, Vec<Finding>) {
    use rampart_model::{CvssScore, Vendor, Vulnerability, VulnerablePackage};
    let host =
        resource(ResourceType::AwsEc2Instance, "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc123def4567890", "us-east-1", "web-1");
    let cvss = CvssScore {
        version: "3.1".into(),
        base_score: 7.5,
        base_vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into(),
        source: "GHSA-x3mh-jvjw-3xwx".into(),
    };
    let with = |detail: &str, reason: &str, v: Vulnerability| {
        let mut f = finding(&HOST_CVE, host.clone(), Status::Failed, detail, reason);
        f.severity = v.severity.unwrap_or(Severity::Informational);
        f.vulnerability = Some(Box::new(v));
        f
    };
    let os = Vulnerability {
        id: "DSA-5103-1".into(),
        advisory: "DSA-5103-1".into(),
        related: vec!["CVE-2021-4160".into(), "CVE-2022-0778".into()],
        severity: Some(Severity::High),
        severity_source: "CVSS 3.1 score 7.5 of GHSA-x3mh-jvjw-3xwx".into(),
        cvss: vec![cvss.clone()],
        package: VulnerablePackage {
            name: "libssl1.1".into(),
            version: "1.1.1k".into(),
            epoch: None,
            release: Some("1+deb11u1".into()),
            architecture: Some("amd64".into()),
            package_manager: "DPKG".into(),
            ecosystem: "Debian:11".into(),
            source_name: Some("openssl".into()),
            fixed_in_version: Some("1.1.1k-1+deb11u2".into()),
            remediation: Some("Upgrade libssl1.1 (built from openssl) to the build of openssl 1.1.1k-1+deb11u2 or later".into()),
            file_path: "var/lib/dpkg/status".into(),
        },
        vendor: Vendor {
            name: "Debian".into(),
            url: Some("https://security-tracker.debian.org/tracker/DSA-5103-1".into()),
            severity: None,
            created_at: Some("2022-03-15T00:00:00Z".into()),
            updated_at: Some("2022-03-15T00:00:00Z".into()),
        },
        reference_urls: vec!["https://security-tracker.debian.org/tracker/DSA-5103-1".into()],
    };
    let lang = Vulnerability {
        id: "CVE-2022-0778".into(),
        advisory: "RUSTSEC-2022-0014".into(),
        related: vec!["RUSTSEC-2022-0014".into(), "GHSA-x3mh-jvjw-3xwx".into()],
        severity: Some(Severity::High),
        severity_source: "CVSS 3.1 score 7.5 of GHSA-x3mh-jvjw-3xwx".into(),
        cvss: vec![cvss],
        package: VulnerablePackage {
            name: "openssl-src".into(),
            version: "111.17.0+1.1.1m".into(),
            package_manager: "CARGO".into(),
            ecosystem: "crates.io".into(),
            fixed_in_version: Some("111.18.0".into()),
            remediation: Some("Upgrade openssl-src to 111.18.0 or later".into()),
            file_path: "srv/app/Cargo.lock".into(),
            ..VulnerablePackage::default()
        },
        vendor: Vendor {
            name: "RustSec".into(),
            url: Some("https://rustsec.org/advisories/RUSTSEC-2022-0014.html".into()),
            severity: None,
            created_at: Some("2022-03-15T12:00:00Z".into()),
            updated_at: Some("2023-06-13T13:10:24Z".into()),
        },
        reference_urls: vec![
            "https://rustsec.org/advisories/RUSTSEC-2022-0014.html".into(),
            "https://crates.io/crates/openssl-src".into(),
            "https://www.openssl.org/news/secadv/20220315.txt".into(),
        ],
    };
    let unknown = Vulnerability {
        id: "CVE-2005-3178".into(),
        advisory: "DSA-858-1".into(),
        related: vec!["DSA-858-1".into()],
        severity: None,
        severity_source: String::new(),
        cvss: Vec::new(),
        package: VulnerablePackage {
            name: "xloadimage".into(),
            version: "4.1".into(),
            release: Some("14.2".into()),
            architecture: Some("amd64".into()),
            package_manager: "DPKG".into(),
            ecosystem: "Debian:3.1".into(),
            fixed_in_version: None,
            file_path: "var/lib/dpkg/status".into(),
            ..VulnerablePackage::default()
        },
        vendor: Vendor {
            name: "Debian".into(),
            url: Some("https://security-tracker.debian.org/tracker/DSA-858-1".into()),
            ..Vendor::default()
        },
        reference_urls: vec!["https://security-tracker.debian.org/tracker/DSA-858-1".into()],
    };
    let findings = vec![
        with(
            "Debian:11 libssl1.1 1.1.1k-1+deb11u1 DSA-5103-1 var/lib/dpkg/status",
            "libssl1.1 1.1.1k-1+deb11u1 (var/lib/dpkg/status) is affected by DSA-5103-1 (CVE-2021-4160, CVE-2022-0778); fixed in 1.1.1k-1+deb11u2",
            os,
        ),
        with(
            "crates.io openssl-src 111.17.0+1.1.1m RUSTSEC-2022-0014 srv/app/Cargo.lock",
            "openssl-src 111.17.0+1.1.1m (srv/app/Cargo.lock) is affected by RUSTSEC-2022-0014 (CVE-2022-0778, GHSA-x3mh-jvjw-3xwx); fixed in 111.18.0",
            lang,
        ),
        with(
            "Debian:3.1 xloadimage 4.1-14.2 DSA-858-1 var/lib/dpkg/status",
            "xloadimage 4.1-14.2 (var/lib/dpkg/status) is affected by DSA-858-1 (CVE-2005-3178); no fixed version yet",
            unknown,
        ),
        finding(
            &KMS_ROTATION,
            host,
            Status::Failed,
            "",
            "A configuration finding of the same host keeps its class and types.",
        ),
    ];
    let mut run = run();
    run.source = "host:web-1".into();
    (run, findings)
}
