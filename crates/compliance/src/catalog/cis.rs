//! CIS AWS Foundations Benchmark v3.0.0: every recommendation, numbered as in v3.0.0.
//!
//! CIS assigns no severities; where Security Hub maps a recommendation to one of its
//! controls (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-standards-cis.html)
//! the severity is that control's, otherwise MEDIUM for automated and LOW for manual ones.
//! The Security Hub control is named in a comment after each recommendation.

use crate::{Control, Standard};
use rampart_model::Severity::{Critical, High, Low, Medium};

pub static CIS_AWS_3_0: Standard = Standard {
    id: "cis-aws-3.0",
    title: "CIS AWS Foundations Benchmark v3.0.0",
    model: rampart_model::Standard::CisAws300,
    controls: CONTROLS,
};

static CONTROLS: &[Control] = &[
    // 1 Identity and Access Management
    Control::manual("1.1", "Maintain current contact details", Medium),
    Control::manual("1.2", "Ensure security contact information is registered", Medium), // Account.1
    Control::manual("1.3", "Ensure security questions are registered in the AWS account", Low),
    Control::auto("1.4", "Ensure no 'root' user account access key exists", Critical), // IAM.4
    Control::auto("1.5", "Ensure MFA is enabled for the 'root' user account", Critical), // IAM.9
    Control::manual("1.6", "Ensure hardware MFA is enabled for the 'root' user account", Critical), // IAM.6
    Control::manual("1.7", "Eliminate use of the 'root' user for administrative and daily tasks", Low),
    Control::auto("1.8", "Ensure IAM password policy requires minimum length of 14 or greater", Medium), // IAM.15
    Control::auto("1.9", "Ensure IAM password policy prevents password reuse", Low), // IAM.16
    Control::auto(
        "1.10",
        "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password",
        Medium,
    ), // IAM.5
    Control::manual(
        "1.11",
        "Do not setup access keys during initial user setup for all IAM users that have a console password",
        Low,
    ),
    Control::auto("1.12", "Ensure credentials unused for 45 days or greater are disabled", Medium), // IAM.22
    Control::auto("1.13", "Ensure there is only one active access key available for any single IAM user", Medium),
    Control::auto("1.14", "Ensure access keys are rotated every 90 days or less", Medium), // IAM.3
    Control::auto("1.15", "Ensure IAM Users Receive Permissions Only Through Groups", Low), // IAM.2
    Control::auto(
        "1.16",
        "Ensure IAM policies that allow full \"*:*\" administrative privileges are not attached",
        High,
    ), // IAM.1
    Control::auto("1.17", "Ensure a support role has been created to manage incidents with AWS Support", Low), // IAM.18
    Control::manual("1.18", "Ensure IAM instance roles are used for AWS resource access from instances", Low),
    Control::auto(
        "1.19",
        "Ensure that all the expired SSL/TLS certificates stored in AWS IAM are removed",
        Medium,
    ), // IAM.26
    Control::auto("1.20", "Ensure that IAM Access analyzer is enabled for all regions", High), // IAM.28
    Control::manual(
        "1.21",
        "Ensure IAM users are managed centrally via identity federation or AWS Organizations for multi-account environments",
        Low,
    ),
    Control::manual("1.22", "Ensure access to AWSCloudShellFullAccess is restricted", Medium), // IAM.27
    // 2 Storage
    Control::auto("2.1.1", "Ensure S3 Bucket Policy is set to deny HTTP requests", Medium), // S3.5
    Control::manual("2.1.2", "Ensure MFA Delete is enabled on S3 buckets", Low), // S3.20
    Control::manual(
        "2.1.3",
        "Ensure all data in Amazon S3 has been discovered, classified and secured when required",
        Low,
    ),
    Control::auto(
        "2.1.4",
        "Ensure that S3 Buckets are configured with 'Block public access (bucket settings)'",
        High,
    ), // S3.1, S3.8
    Control::auto("2.2.1", "Ensure EBS volume encryption is enabled in all regions", Medium), // EC2.7
    Control::auto("2.3.1", "Ensure that encryption-at-rest is enabled for RDS Instances", Medium), // RDS.3
    Control::auto("2.3.2", "Ensure Auto Minor Version Upgrade feature is Enabled for RDS Instances", High), // RDS.13
    Control::auto("2.3.3", "Ensure that public access is not given to RDS Instance", Critical), // RDS.2
    Control::auto("2.4.1", "Ensure that encryption is enabled for EFS file systems", Medium), // EFS.1
    // 3 Logging
    Control::auto("3.1", "Ensure CloudTrail is enabled in all regions", High), // CloudTrail.1
    Control::auto("3.2", "Ensure CloudTrail log file validation is enabled", Low), // CloudTrail.4
    Control::auto("3.3", "Ensure AWS Config is enabled in all regions", Medium), // Config.1
    Control::auto("3.4", "Ensure that S3 Bucket access logging is enabled on the CloudTrail S3 bucket", Low), // CloudTrail.7
    Control::auto("3.5", "Ensure CloudTrail logs are encrypted at rest using KMS CMKs", Medium), // CloudTrail.2
    Control::auto("3.6", "Ensure rotation for customer-created symmetric CMKs is enabled", Medium), // KMS.4
    Control::auto("3.7", "Ensure VPC flow logging is enabled in all VPCs", Medium), // EC2.6
    Control::auto("3.8", "Ensure that Object-level logging for write events is enabled for S3 bucket", Medium), // S3.22
    Control::auto("3.9", "Ensure that Object-level logging for read events is enabled for S3 bucket", Medium), // S3.23
    // 4 Monitoring (metric filters and alarms; assessed by hand in v3.0.0)
    Control::manual("4.1", "Ensure unauthorized API calls are monitored", Low),
    Control::manual("4.2", "Ensure management console sign-in without MFA is monitored", Low),
    Control::manual("4.3", "Ensure usage of 'root' account is monitored", Low),
    Control::manual("4.4", "Ensure IAM policy changes are monitored", Low),
    Control::manual("4.5", "Ensure CloudTrail configuration changes are monitored", Low),
    Control::manual("4.6", "Ensure AWS Management Console authentication failures are monitored", Low),
    Control::manual("4.7", "Ensure disabling or scheduled deletion of customer created CMKs is monitored", Low),
    Control::manual("4.8", "Ensure S3 bucket policy changes are monitored", Low),
    Control::manual("4.9", "Ensure AWS Config configuration changes are monitored", Low),
    Control::manual("4.10", "Ensure security group changes are monitored", Low),
    Control::manual("4.11", "Ensure Network Access Control Lists (NACL) changes are monitored", Low),
    Control::manual("4.12", "Ensure changes to network gateways are monitored", Low),
    Control::manual("4.13", "Ensure route table changes are monitored", Low),
    Control::manual("4.14", "Ensure VPC changes are monitored", Low),
    Control::manual("4.15", "Ensure AWS Organizations changes are monitored", Low),
    Control::auto("4.16", "Ensure AWS Security Hub is enabled", Medium), // SecurityHub.1
    // 5 Networking
    Control::auto(
        "5.1",
        "Ensure no Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports",
        Medium,
    ), // EC2.21
    Control::auto(
        "5.2",
        "Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports",
        High,
    ), // EC2.53
    Control::auto(
        "5.3",
        "Ensure no security groups allow ingress from ::/0 to remote server administration ports",
        High,
    ), // EC2.54
    Control::auto("5.4", "Ensure the default security group of every VPC restricts all traffic", High), // EC2.2
    Control::manual("5.5", "Ensure routing tables for VPC peering are \"least access\"", Low),
    Control::auto("5.6", "Ensure that EC2 Metadata Service only allows IMDSv2", High), // EC2.8
];
