use serde::{Deserialize, Serialize};

/// Resource kinds, named by their ASFF `Resources[].Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ResourceType {
    AwsAccount,
    AwsS3Bucket,
    AwsS3AccountPublicAccessBlock,
    AwsEc2SecurityGroup,
    AwsEc2Instance,
    AwsEc2NetworkInterface,
    AwsEc2Vpc,
    AwsEc2Subnet,
    AwsEc2NetworkAcl,
    AwsEc2Volume,
    AwsEc2Snapshot,
    AwsEc2Image,
    AwsEc2LaunchTemplate,
    AwsEc2VpnConnection,
    AwsEc2ClientVpnEndpoint,
    AwsEc2TransitGateway,
    /// A region's VPC Block Public Access options (no ASFF type of its own: `Other`).
    AwsEc2VpcBlockPublicAccessOptions,
    AwsIamUser,
    AwsIamRole,
    AwsIamPolicy,
    AwsIamGroup,
    AwsRdsDbInstance,
    AwsRdsDbSnapshot,
    AwsRdsDbClusterSnapshot,
    AwsRdsDbSecurityGroup,
    AwsRdsDbCluster,
    AwsRdsEventSubscription,
    AwsGuardDutyDetector,
    AwsS3AccessPoint,
    AwsS3MultiRegionAccessPoint,
    AwsElbLoadBalancer,
    AwsElbv2LoadBalancer,
    AwsCloudTrailTrail,
    AwsRoute53HostedZone,
    AwsCloudFrontDistribution,
    AwsCertificateManagerCertificate,
    AwsIamServerCertificate,
    AwsKmsKey,
    AwsLambdaFunction,
    AwsEcrRepository,
    AwsSnsTopic,
    AwsSqsQueue,
    AwsAutoScalingAutoScalingGroup,
    AwsAutoScalingLaunchConfiguration,
    AwsEfsFileSystem,
    AwsEfsAccessPoint,
    /// A CloudWatch Logs log group (no ASFF type of its own: `Other`).
    AwsLogsLogGroup,
    AwsCloudWatchAlarm,
    AwsSecretsManagerSecret,
    AwsEcsTaskDefinition,
    AwsEcsCluster,
    AwsEcsService,
    AwsCloudFormationStack,
    Other,
}

impl ResourceType {
    /// The ASFF type string.
    pub fn asff(self) -> &'static str {
        match self {
            ResourceType::AwsAccount => "AwsAccount",
            ResourceType::AwsS3Bucket => "AwsS3Bucket",
            ResourceType::AwsS3AccountPublicAccessBlock => "AwsS3AccountPublicAccessBlock",
            ResourceType::AwsEc2SecurityGroup => "AwsEc2SecurityGroup",
            ResourceType::AwsEc2Instance => "AwsEc2Instance",
            ResourceType::AwsEc2NetworkInterface => "AwsEc2NetworkInterface",
            ResourceType::AwsEc2Vpc => "AwsEc2Vpc",
            ResourceType::AwsEc2Subnet => "AwsEc2Subnet",
            ResourceType::AwsEc2NetworkAcl => "AwsEc2NetworkAcl",
            ResourceType::AwsEc2Volume => "AwsEc2Volume",
            ResourceType::AwsEc2Snapshot => "AwsEc2Snapshot",
            ResourceType::AwsEc2Image => "AwsEc2Image",
            ResourceType::AwsEc2LaunchTemplate => "AwsEc2LaunchTemplate",
            ResourceType::AwsEc2VpnConnection => "AwsEc2VpnConnection",
            ResourceType::AwsEc2ClientVpnEndpoint => "AwsEc2ClientVpnEndpoint",
            ResourceType::AwsEc2TransitGateway => "AwsEc2TransitGateway",
            ResourceType::AwsEc2VpcBlockPublicAccessOptions => "Other",
            ResourceType::AwsIamUser => "AwsIamUser",
            ResourceType::AwsIamRole => "AwsIamRole",
            ResourceType::AwsIamPolicy => "AwsIamPolicy",
            ResourceType::AwsIamGroup => "AwsIamGroup",
            ResourceType::AwsRdsDbInstance => "AwsRdsDbInstance",
            ResourceType::AwsRdsDbSnapshot => "AwsRdsDbSnapshot",
            ResourceType::AwsRdsDbClusterSnapshot => "AwsRdsDbClusterSnapshot",
            ResourceType::AwsRdsDbSecurityGroup => "AwsRdsDbSecurityGroup",
            ResourceType::AwsRdsDbCluster => "AwsRdsDbCluster",
            ResourceType::AwsRdsEventSubscription => "AwsRdsEventSubscription",
            ResourceType::AwsGuardDutyDetector => "AwsGuardDutyDetector",
            ResourceType::AwsS3AccessPoint => "AwsS3AccessPoint",
            ResourceType::AwsS3MultiRegionAccessPoint => "Other",
            ResourceType::AwsElbLoadBalancer => "AwsElbLoadBalancer",
            ResourceType::AwsElbv2LoadBalancer => "AwsElbv2LoadBalancer",
            ResourceType::AwsCloudTrailTrail => "AwsCloudTrailTrail",
            ResourceType::AwsRoute53HostedZone => "AwsRoute53HostedZone",
            ResourceType::AwsCloudFrontDistribution => "AwsCloudFrontDistribution",
            ResourceType::AwsCertificateManagerCertificate => "AwsCertificateManagerCertificate",
            ResourceType::AwsIamServerCertificate => "Other",
            ResourceType::AwsKmsKey => "AwsKmsKey",
            ResourceType::AwsLambdaFunction => "AwsLambdaFunction",
            ResourceType::AwsEcrRepository => "AwsEcrRepository",
            ResourceType::AwsSnsTopic => "AwsSnsTopic",
            ResourceType::AwsSqsQueue => "AwsSqsQueue",
            ResourceType::AwsAutoScalingAutoScalingGroup => "AwsAutoScalingAutoScalingGroup",
            ResourceType::AwsAutoScalingLaunchConfiguration => "AwsAutoScalingLaunchConfiguration",
            ResourceType::AwsEfsFileSystem => "AwsEfsFileSystem",
            ResourceType::AwsEfsAccessPoint => "AwsEfsAccessPoint",
            ResourceType::AwsLogsLogGroup => "Other",
            ResourceType::AwsCloudWatchAlarm => "AwsCloudWatchAlarm",
            ResourceType::AwsSecretsManagerSecret => "AwsSecretsManagerSecret",
            ResourceType::AwsEcsTaskDefinition => "AwsEcsTaskDefinition",
            ResourceType::AwsEcsCluster => "AwsEcsCluster",
            ResourceType::AwsEcsService => "AwsEcsService",
            ResourceType::AwsCloudFormationStack => "AwsCloudFormationStack",
            ResourceType::Other => "Other",
        }
    }
}

/// The resource a result is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Resource {
    /// ARN where the resource has one, otherwise its id.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ResourceType,
    pub account: String,
    /// Region, or `global` isn't used: global resources carry the partition's home region.
    pub region: String,
    pub partition: String,
    /// Friendly name (bucket name, group name) for tables.
    pub name: String,
}

/// Why some data could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    AccessDenied,
    RegionDisabled,
    Timeout,
    Throttled,
    ServerError,
    NotSupported,
    Malformed,
    Other,
}

impl GapKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GapKind::AccessDenied => "access denied",
            GapKind::RegionDisabled => "region not enabled",
            GapKind::Timeout => "timed out",
            GapKind::Throttled => "throttled",
            GapKind::ServerError => "server error",
            GapKind::NotSupported => "not supported by the endpoint",
            GapKind::Malformed => "malformed response",
            GapKind::Other => "failed",
        }
    }
}

/// Data the collector could not read: checks that need it report NOT_AVAILABLE.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Gap {
    /// The IAM action of the failed call, e.g. `s3:GetBucketPolicy`.
    pub action: String,
    pub kind: GapKind,
    pub account: String,
    pub region: String,
    /// The resource the call was about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The error message as the service or the transport gave it.
    pub message: String,
}

impl Gap {
    /// One line for a warning: what failed, where, and why.
    pub fn summary(&self) -> String {
        let on = self.resource.as_deref().map(|r| format!(" on `{r}`")).unwrap_or_default();
        format!(
            "{} {} in {}/{}{}: {}",
            self.action,
            self.kind.as_str(),
            self.account,
            self.region,
            on,
            self.message
        )
    }
}
