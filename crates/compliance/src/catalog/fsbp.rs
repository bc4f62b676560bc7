//! AWS Foundational Security Best Practices v1.0.0: the controls of the services Rampart
//! collects (IAM, S3, EC2 incl. VPC and EBS, EC2 Auto Scaling, RDS, ELB, CloudTrail, CloudFront,
//! KMS, Lambda, ECR, ECS, EFS, Secrets Manager, SNS, SQS, ACM, Config, GuardDuty,
//! Security Hub).
//!
//! Ids, titles and severities as in Security Hub's control reference
//! (https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html and the
//! per-service pages `<service>-controls.html`). Controls that Security Hub maps only to CIS,
//! PCI DSS or NIST (e.g. `IAM.9`, `EC2.13`) are not part of this standard.

use crate::{Control, Standard};
use rampart_model::Severity::{Critical, High, Low, Medium};

pub static FSBP: Standard = Standard {
    id: "fsbp",
    title: "AWS Foundational Security Best Practices v1.0.0",
    model: rampart_model::Standard::Fsbp,
    controls: CONTROLS,
};

static CONTROLS: &[Control] = &[
    // ACM
    Control::auto("ACM.1", "Imported and ACM-issued certificates should be renewed after a specified time period", Medium),
    Control::auto("ACM.2", "RSA certificates managed by ACM should use a key length of at least 2,048 bits", High),
    // Auto Scaling (AutoScaling.4, the launch configuration hop limit, was retired in April 2024)
    Control::auto("AutoScaling.1", "Auto Scaling groups associated with a load balancer should use ELB health checks", Low),
    Control::auto("AutoScaling.2", "Amazon EC2 Auto Scaling group should cover multiple Availability Zones", Medium),
    Control::auto(
        "AutoScaling.3",
        "Auto Scaling group launch configurations should configure EC2 instances to require Instance Metadata Service Version 2 (IMDSv2)",
        High,
    ),
    Control::auto(
        "AutoScaling.5",
        "Amazon EC2 instances launched using Auto Scaling group launch configurations should not have Public IP addresses",
        High,
    ),
    Control::auto("AutoScaling.6", "Auto Scaling groups should use multiple instance types in multiple Availability Zones", Medium),
    Control::auto("AutoScaling.9", "Amazon EC2 Auto Scaling groups should use Amazon EC2 launch templates", Medium),
    // CloudFront
    Control::auto("CloudFront.1", "CloudFront distributions should have a default root object configured", High),
    Control::auto("CloudFront.3", "CloudFront distributions should require encryption in transit", Medium),
    Control::auto("CloudFront.4", "CloudFront distributions should have origin failover configured", Low),
    Control::auto("CloudFront.5", "CloudFront distributions should have logging enabled", Medium),
    Control::auto("CloudFront.6", "CloudFront distributions should have WAF enabled", Medium),
    Control::auto("CloudFront.7", "CloudFront distributions should use custom SSL/TLS certificates", Low),
    Control::auto("CloudFront.8", "CloudFront distributions should use SNI to serve HTTPS requests", Low),
    Control::auto("CloudFront.9", "CloudFront distributions should encrypt traffic to custom origins", Medium),
    Control::auto(
        "CloudFront.10",
        "CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins",
        Medium,
    ),
    Control::auto("CloudFront.12", "CloudFront distributions should not point to non-existent S3 origins", High),
    Control::auto("CloudFront.13", "CloudFront distributions should use origin access control", Medium),
    // CloudTrail
    Control::auto(
        "CloudTrail.1",
        "CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events",
        High,
    ),
    Control::auto("CloudTrail.2", "CloudTrail should have encryption at-rest enabled", Medium),
    Control::auto("CloudTrail.4", "CloudTrail log file validation should be enabled", Low),
    Control::auto("CloudTrail.5", "CloudTrail trails should be integrated with Amazon CloudWatch Logs", Low),
    // Config
    Control::auto("Config.1", "AWS Config should be enabled and use the service-linked role for resource recording", Medium),
    // EC2, EBS and VPC
    Control::auto("EC2.1", "Amazon EBS snapshots should not be publicly restorable", Critical),
    Control::auto("EC2.2", "VPC default security groups should not allow inbound or outbound traffic", High),
    Control::auto("EC2.3", "Attached Amazon EBS volumes should be encrypted at-rest", Medium),
    Control::auto("EC2.4", "Stopped EC2 instances should be removed after a specified time period", Medium),
    Control::auto("EC2.6", "VPC flow logging should be enabled in all VPCs", Medium),
    Control::auto("EC2.7", "EBS default encryption should be enabled", Medium),
    Control::auto("EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)", High),
    Control::auto("EC2.9", "Amazon EC2 instances should not have a public IPv4 address", High),
    Control::auto(
        "EC2.10",
        "Amazon EC2 should be configured to use VPC endpoints that are created for the Amazon EC2 service",
        Medium,
    ),
    Control::auto("EC2.15", "Amazon EC2 subnets should not automatically assign public IP addresses", Medium),
    Control::auto("EC2.16", "Unused Network Access Control Lists should be removed", Low),
    Control::auto("EC2.17", "Amazon EC2 instances should not use multiple ENIs", Low),
    Control::auto("EC2.18", "Security groups should only allow unrestricted incoming traffic for authorized ports", High),
    Control::auto("EC2.19", "Security groups should not allow unrestricted access to ports with high risk", Critical),
    Control::auto("EC2.20", "Both VPN tunnels for an AWS Site-to-Site VPN connection should be up", Medium),
    Control::auto("EC2.21", "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389", Medium),
    Control::auto("EC2.23", "Amazon EC2 Transit Gateways should not automatically accept VPC attachment requests", High),
    Control::auto("EC2.24", "Amazon EC2 paravirtual instance types should not be used", Medium),
    Control::auto("EC2.25", "Amazon EC2 launch templates should not assign public IPs to network interfaces", High),
    Control::auto("EC2.51", "EC2 Client VPN endpoints should have client connection logging enabled", Low),
    Control::auto(
        "EC2.53",
        "EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports",
        High,
    ),
    Control::auto(
        "EC2.54",
        "EC2 security groups should not allow ingress from ::/0 to remote server administration ports",
        High,
    ),
    Control::auto("EC2.55", "VPCs should be configured with an interface endpoint for ECR API", Medium),
    Control::auto("EC2.56", "VPCs should be configured with an interface endpoint for Docker Registry", Medium),
    Control::auto("EC2.57", "VPCs should be configured with an interface endpoint for Systems Manager", Medium),
    Control::auto(
        "EC2.58",
        "VPCs should be configured with an interface endpoint for Systems Manager Incident Manager Contacts",
        Medium,
    ),
    Control::auto(
        "EC2.60",
        "VPCs should be configured with an interface endpoint for Systems Manager Incident Manager",
        Medium,
    ),
    Control::auto("EC2.170", "EC2 launch templates should use Instance Metadata Service Version 2 (IMDSv2)", Low),
    Control::auto("EC2.171", "EC2 VPN connections should have logging enabled", Medium),
    Control::auto("EC2.172", "EC2 VPC Block Public Access settings should block internet gateway traffic", Medium),
    Control::auto("EC2.180", "EC2 network interfaces should have source/destination checking enabled", Medium),
    Control::auto("EC2.181", "EC2 launch templates should enable encryption for attached EBS volumes", Medium),
    Control::auto("EC2.182", "Block public access settings should be enabled for EBS snapshots", High),
    // ECR
    Control::auto("ECR.1", "ECR private repositories should have image scanning configured", High),
    Control::auto("ECR.2", "ECR private repositories should have tag immutability configured", Medium),
    Control::auto("ECR.3", "ECR repositories should have at least one lifecycle policy configured", Medium),
    // ECS (ECS.10, the latest Fargate platform version, and the task set and capacity provider
    // controls need data Rampart does not read)
    Control::auto("ECS.1", "Amazon ECS task definitions should have secure networking modes and user definitions", High),
    Control::auto("ECS.2", "ECS services should not have public IP addresses assigned to them automatically", High),
    Control::auto("ECS.3", "ECS task definitions should not share the host's process namespace", High),
    Control::auto("ECS.4", "ECS containers should run as non-privileged", High),
    Control::auto("ECS.5", "ECS containers should be limited to read-only access to root filesystems", High),
    Control::auto("ECS.8", "Secrets should not be passed as container environment variables", High),
    Control::auto("ECS.9", "ECS task definitions should have a logging configuration", High),
    Control::auto("ECS.12", "ECS clusters should use Container Insights", Medium),
    // EFS (EFS.2, file systems in AWS Backup plans, needs the backup plans, which Rampart does not read)
    Control::auto("EFS.1", "Elastic File System should be configured to encrypt file data at-rest using AWS KMS", Medium),
    Control::auto("EFS.3", "EFS access points should enforce a root directory", Medium),
    Control::auto("EFS.4", "EFS access points should enforce a user identity", Medium),
    Control::auto(
        "EFS.6",
        "EFS mount targets should not be associated with subnets that assign public IP addresses on launch",
        Medium,
    ),
    Control::auto("EFS.7", "EFS file systems should have automatic backups enabled", Medium),
    Control::auto("EFS.8", "EFS file systems should be encrypted at rest", Medium),
    // Elastic Load Balancing
    Control::auto("ELB.1", "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS", Medium),
    Control::auto(
        "ELB.2",
        "Classic Load Balancers with SSL/HTTPS listeners should use a certificate provided by AWS Certificate Manager",
        Medium,
    ),
    Control::auto("ELB.3", "Classic Load Balancer listeners should be configured with HTTPS or TLS termination", Medium),
    Control::auto("ELB.4", "Application Load Balancer should be configured to drop invalid http headers", Medium),
    Control::auto("ELB.5", "Application and Classic Load Balancers logging should be enabled", Medium),
    Control::auto(
        "ELB.6",
        "Application, Gateway, and Network Load Balancers should have deletion protection enabled",
        Medium,
    ),
    Control::auto("ELB.7", "Classic Load Balancers should have connection draining enabled", Low),
    Control::auto(
        "ELB.8",
        "Classic Load Balancers with SSL listeners should use a predefined security policy that has strong AWS Configuration",
        Medium,
    ),
    Control::auto("ELB.9", "Classic Load Balancers should have cross-zone load balancing enabled", Medium),
    Control::auto("ELB.10", "Classic Load Balancer should span multiple Availability Zones", Medium),
    Control::auto(
        "ELB.12",
        "Application Load Balancer should be configured with defensive or strictest desync mitigation mode",
        Medium,
    ),
    Control::auto("ELB.13", "Application, Network and Gateway Load Balancers should span multiple Availability Zones", Medium),
    Control::auto(
        "ELB.14",
        "Classic Load Balancer should be configured with defensive or strictest desync mitigation mode",
        Medium,
    ),
    // GuardDuty
    Control::auto("GuardDuty.1", "GuardDuty should be enabled", High),
    Control::auto("GuardDuty.5", "GuardDuty EKS Audit Log Monitoring should be enabled", High),
    Control::auto("GuardDuty.6", "GuardDuty Lambda Protection should be enabled", High),
    Control::auto("GuardDuty.7", "GuardDuty EKS Runtime Monitoring should be enabled", High),
    Control::auto("GuardDuty.9", "GuardDuty RDS Protection should be enabled", High),
    Control::auto("GuardDuty.10", "GuardDuty S3 Protection should be enabled", High),
    // IAM
    Control::auto("IAM.1", "IAM policies should not allow full \"*\" administrative privileges", High),
    Control::auto("IAM.2", "IAM users should not have IAM policies attached", Low),
    Control::auto("IAM.3", "IAM users' access keys should be rotated every 90 days or less", Medium),
    Control::auto("IAM.4", "IAM root user access key should not exist", Critical),
    Control::auto("IAM.5", "MFA should be enabled for all IAM users that have a console password", Medium),
    Control::auto("IAM.6", "Hardware MFA should be enabled for the root user", Critical),
    Control::auto("IAM.7", "Password policies for IAM users should have strong configurations", Medium),
    Control::auto("IAM.8", "Unused IAM user credentials should be removed", Medium),
    Control::auto(
        "IAM.21",
        "IAM customer managed policies that you create should not allow wildcard actions for services",
        Low,
    ),
    // KMS
    Control::auto("KMS.1", "IAM customer managed policies should not allow decryption actions on all KMS keys", Medium),
    Control::auto(
        "KMS.2",
        "IAM principals should not have IAM inline policies that allow decryption actions on all KMS keys",
        Medium,
    ),
    Control::auto("KMS.3", "AWS KMS keys should not be deleted unintentionally", Critical),
    Control::auto("KMS.5", "KMS keys should not be publicly accessible", Critical),
    // Lambda
    Control::auto("Lambda.1", "Lambda function policies should prohibit public access", Critical),
    Control::auto("Lambda.2", "Lambda functions should use supported runtimes", Medium),
    Control::auto("Lambda.5", "VPC Lambda functions should operate in multiple Availability Zones", Medium),
    // RDS
    Control::auto("RDS.1", "RDS snapshot should be private", Critical),
    Control::auto(
        "RDS.2",
        "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration",
        Critical,
    ),
    Control::auto("RDS.3", "RDS DB instances should have encryption at-rest enabled", Medium),
    Control::auto("RDS.4", "RDS cluster snapshots and database snapshots should be encrypted at rest", Medium),
    Control::auto("RDS.5", "RDS DB instances should be configured with multiple Availability Zones", Medium),
    Control::auto("RDS.6", "Enhanced monitoring should be configured for RDS DB instances", Low),
    Control::auto("RDS.7", "RDS clusters should have deletion protection enabled", Low),
    Control::auto("RDS.8", "RDS DB instances should have deletion protection enabled", Low),
    Control::auto("RDS.9", "RDS DB instances should publish logs to CloudWatch Logs", Medium),
    Control::auto("RDS.10", "IAM authentication should be configured for RDS instances", Medium),
    Control::auto("RDS.11", "RDS instances should have automatic backups enabled", Medium),
    Control::auto("RDS.12", "IAM authentication should be configured for RDS clusters", Medium),
    Control::auto("RDS.13", "RDS automatic minor version upgrades should be enabled", High),
    Control::auto("RDS.14", "Amazon Aurora clusters should have backtracking enabled", Medium),
    Control::auto("RDS.15", "RDS DB clusters should be configured for multiple Availability Zones", Medium),
    Control::auto("RDS.16", "RDS DB clusters should be configured to copy tags to snapshots", Low),
    Control::auto("RDS.17", "RDS DB instances should be configured to copy tags to snapshots", Low),
    Control::auto(
        "RDS.19",
        "Existing RDS event notification subscriptions should be configured for critical cluster events",
        Low,
    ),
    Control::auto(
        "RDS.20",
        "Existing RDS event notification subscriptions should be configured for critical database instance events",
        Low,
    ),
    Control::auto(
        "RDS.21",
        "An RDS event notifications subscription should be configured for critical database parameter group events",
        Low,
    ),
    Control::auto(
        "RDS.22",
        "An RDS event notifications subscription should be configured for critical database security group events",
        Low,
    ),
    Control::auto("RDS.23", "RDS instances should not use a database engine default port", Low),
    Control::auto("RDS.24", "RDS Database Clusters should use a custom administrator username", Medium),
    Control::auto("RDS.25", "RDS database instances should use a custom administrator username", Medium),
    Control::auto("RDS.27", "RDS DB clusters should be encrypted at rest", Medium),
    Control::auto("RDS.34", "Aurora MySQL DB clusters should publish audit logs to CloudWatch Logs", Medium),
    Control::auto("RDS.35", "RDS DB clusters should have automatic minor version upgrade enabled", Medium),
    // S3
    Control::auto("S3.1", "S3 general purpose buckets should have block public access settings enabled", Medium),
    Control::auto("S3.2", "S3 general purpose buckets should block public read access", Critical),
    Control::auto("S3.3", "S3 general purpose buckets should block public write access", Critical),
    Control::auto("S3.5", "S3 general purpose buckets should require requests to use SSL", Medium),
    Control::auto("S3.6", "S3 general purpose bucket policies should restrict access to other AWS accounts", High),
    Control::auto("S3.8", "S3 general purpose buckets should block public access", High),
    Control::auto("S3.9", "S3 general purpose buckets should have server access logging enabled", Medium),
    Control::auto("S3.12", "ACLs should not be used to manage user access to S3 general purpose buckets", Medium),
    Control::auto("S3.13", "S3 general purpose buckets should have Lifecycle configurations", Low),
    Control::auto("S3.19", "S3 access points should have block public access settings enabled", Critical),
    Control::auto("S3.24", "S3 Multi-Region Access Points should have block public access settings enabled", High),
    // Secrets Manager (SecretsManager.2, rotation that succeeds, needs the rotation's outcome, which
    // ListSecrets does not give)
    Control::auto("SecretsManager.1", "Secrets Manager secrets should have automatic rotation enabled", Medium),
    Control::auto("SecretsManager.3", "Remove unused Secrets Manager secrets", Medium),
    Control::auto("SecretsManager.4", "Secrets Manager secrets should be rotated within a specified number of days", Medium),
    // Security Hub
    Control::auto("SecurityHub.1", "Security Hub should be enabled", High),
    // SNS
    Control::auto("SNS.1", "SNS topics should be encrypted at-rest using AWS KMS", Medium),
    Control::auto("SNS.4", "SNS topic access policies should not allow public access", High),
    // SQS
    Control::auto("SQS.1", "Amazon SQS queues should be encrypted at rest", Medium),
    Control::auto("SQS.3", "SQS queue access policies should not allow public access", High),
];
