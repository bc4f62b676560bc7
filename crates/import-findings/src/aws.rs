//! Findings of AWS's own security services, from their API responses into ASFF as
//! Security Hub receives them from each integration, then read by the ASFF reader into
//! [`ImportedFinding`]s: one model whatever the source, so storing, deduplication by
//! (product ARN, id) and automation rules apply to them unchanged.
//!
//! Each service's input is its documented API response (what the SDK receives, what
//! `aws <service> get-findings` prints): Security Hub `GetFindings` (ASFF already),
//! GuardDuty `GetFindings`, Inspector2 `ListFindings`, IAM Access Analyzer `ListFindings`
//! and `ListFindingsV2`, Macie `GetFindings`, and AWS Config
//! `GetComplianceDetailsByConfigRule` (its `NON_COMPLIANT` evaluations become findings;
//! compliant ones are not findings).
//!
//! Product ARNs and finding ids follow Security Hub's integrations
//! (`arn:<partition>:securityhub:<region>::product/aws/guardduty`, the GuardDuty or
//! Inspector finding ARN as `Id`), so a finding read from GuardDuty and the same finding
//! read from Security Hub are one finding in the store.
//!
//! Severity:
//! - GuardDuty: its number, by GuardDuty's documented ranges: 1.0–3.9 LOW, 4.0–6.9
//!   MEDIUM, 7.0–8.9 HIGH, 9.0–10.0 CRITICAL (below 1.0, reserved: INFORMATIONAL).
//! - Inspector2: its label; `UNTRIAGED` is INFORMATIONAL.
//! - Macie: `severity.description` Low / Medium / High.
//! - IAM Access Analyzer (no severity of its own; Rampart's choice): access open to the
//!   public HIGH, other external access MEDIUM, unused and internal access LOW.
//! - AWS Config (no severity of its own; Rampart's choice): a non-compliant evaluation
//!   MEDIUM.

use crate::{DocumentError, FindingError, Format, ImportedFinding, Parsed, INVALID_INPUT};
use serde_json::{json, Map, Value};
use std::fmt;

/// An AWS service whose findings Rampart reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AwsSource {
    SecurityHub,
    GuardDuty,
    Inspector2,
    AccessAnalyzer,
    Macie,
    Config,
}

impl AwsSource {
    pub const ALL: [AwsSource; 6] = [
        AwsSource::SecurityHub,
        AwsSource::GuardDuty,
        AwsSource::Inspector2,
        AwsSource::AccessAnalyzer,
        AwsSource::Macie,
        AwsSource::Config,
    ];

    /// The name users type (`--sources`).
    pub fn as_str(self) -> &'static str {
        match self {
            AwsSource::SecurityHub => "securityhub",
            AwsSource::GuardDuty => "guardduty",
            AwsSource::Inspector2 => "inspector2",
            AwsSource::AccessAnalyzer => "accessanalyzer",
            AwsSource::Macie => "macie",
            AwsSource::Config => "config",
        }
    }

    pub fn parse(s: &str) -> Option<AwsSource> {
        AwsSource::ALL.into_iter().find(|a| a.as_str() == s.trim().to_ascii_lowercase())
    }

    /// Security Hub's product name for the integration.
    pub fn product_name(self) -> &'static str {
        match self {
            AwsSource::SecurityHub => "Security Hub",
            AwsSource::GuardDuty => "GuardDuty",
            AwsSource::Inspector2 => "Inspector",
            AwsSource::AccessAnalyzer => "IAM Access Analyzer",
            AwsSource::Macie => "Macie",
            AwsSource::Config => "Config",
        }
    }

    /// The last part of Security Hub's product ARN (`product/aws/<this>`).
    fn product_slug(self) -> &'static str {
        match self {
            AwsSource::SecurityHub => "securityhub",
            AwsSource::GuardDuty => "guardduty",
            AwsSource::Inspector2 => "inspector",
            AwsSource::AccessAnalyzer => "access-analyzer",
            AwsSource::Macie => "macie",
            AwsSource::Config => "config",
        }
    }

    /// Security Hub's product ARN of the integration in a region.
    pub fn product_arn(self, partition: &str, region: &str) -> String {
        format!("arn:{partition}:securityhub:{region}::product/aws/{}", self.product_slug())
    }

    /// The key of the findings list in the service's response.
    fn list_key(self) -> &'static str {
        match self {
            AwsSource::SecurityHub => "Findings",
            AwsSource::Config => "EvaluationResults",
            _ => "findings",
        }
    }
}

impl fmt::Display for AwsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a response does not say about its findings: where they were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceContext {
    /// The account read (Access Analyzer's V2 findings and Config's evaluations name none).
    pub account: Option<String>,
    /// The region read (Access Analyzer and Config findings name none).
    pub region: Option<String>,
    /// `aws` when not given.
    pub partition: Option<String>,
    /// The Access Analyzer analyzer the findings belong to (their ids are unique per
    /// analyzer).
    pub analyzer_arn: Option<String>,
}

impl SourceContext {
    fn partition(&self) -> &str {
        self.partition.as_deref().unwrap_or("aws")
    }
}

/// The findings of one API response (`{"findings": [...]}`, `{"Findings": [...]}`,
/// `{"EvaluationResults": [...]}`), or of a plain list of them. For AWS Config only
/// the `NON_COMPLIANT` evaluations: the others are not findings.
pub fn response_findings(source: AwsSource, response: Value) -> Result<Vec<Value>, DocumentError> {
    let key = source.list_key();
    let items = match response {
        Value::Array(items) => items,
        Value::Object(mut m) => match m.remove(key) {
            Some(Value::Array(items)) => items,
            Some(_) => return Err(DocumentError::Shape(format!("\"{key}\" is not a list"))),
            None => return Err(DocumentError::Shape(format!("not a {} response: it has no \"{key}\" list", source.product_name()))),
        },
        _ => return Err(DocumentError::Shape(format!("expected a {} response object with \"{key}\"", source.product_name()))),
    };
    Ok(match source {
        AwsSource::Config => {
            items.into_iter().filter(|e| e.get("ComplianceType").and_then(Value::as_str) == Some("NON_COMPLIANT")).collect()
        }
        _ => items,
    })
}

/// Reads a saved API response of `source` (see [`response_findings`]) into findings.
pub fn parse_response(source: AwsSource, bytes: &[u8], ctx: &SourceContext) -> Result<Parsed, DocumentError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| DocumentError::NotJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
    })?;
    let items = response_findings(source, value)?;
    Ok(Parsed { format: Format::Asff, findings: parse_findings(source, items, ctx) })
}

/// Each native finding normalised and read; a finding that cannot be is an
/// `InvalidInput` error with its index, the others are read.
pub fn parse_findings(source: AwsSource, items: Vec<Value>, ctx: &SourceContext) -> Vec<Result<ImportedFinding, FindingError>> {
    items
        .into_iter()
        .enumerate()
        .map(|(index, v)| to_asff(source, &v, ctx, index).and_then(|asff| crate::asff::parse_finding(asff, index)))
        .collect()
}

/// One native finding as ASFF, as Security Hub's integration for `source` writes it.
pub fn to_asff(source: AwsSource, v: &Value, ctx: &SourceContext, index: usize) -> Result<Value, FindingError> {
    let fail = |message: String| FindingError {
        index,
        id: crate::id_or_index(v.get("id").or_else(|| v.get("Id")).or_else(|| v.get("findingArn")).and_then(Value::as_str), index),
        code: INVALID_INPUT,
        message,
    };
    if !v.is_object() {
        return Err(fail(format!("a {} finding must be a JSON object", source.product_name())));
    }
    match source {
        AwsSource::SecurityHub => Ok(v.clone()),
        AwsSource::GuardDuty => guardduty(v, ctx).map_err(fail),
        AwsSource::Inspector2 => inspector2(v, ctx).map_err(fail),
        AwsSource::AccessAnalyzer => access_analyzer(v, ctx).map_err(fail),
        AwsSource::Macie => macie(v, ctx).map_err(fail),
        AwsSource::Config => config(v, ctx).map_err(fail),
    }
}

// ---- helpers ----

type R<T> = Result<T, String>;

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

fn req<'a>(v: &'a Value, key: &str) -> R<&'a str> {
    s(v, key).ok_or_else(|| format!("{key} is required"))
}

/// A timestamp as RFC 3339: the REST APIs send strings, the JSON-RPC ones (Config,
/// Inspector2) epoch seconds (kept to the millisecond, as the services give them).
fn time_of(v: &Value, key: &str) -> R<Option<String>> {
    use time::format_description::well_known::Rfc3339;
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(t)) => crate::parse_time(t)
            .map(|t| Some(t.format(&Rfc3339).unwrap_or_default()))
            .ok_or_else(|| format!("{key} {t:?} is not an RFC 3339 timestamp")),
        Some(Value::Number(n)) => {
            let secs = n.as_f64().unwrap_or(f64::NAN);
            if !secs.is_finite() || !(0.0..=253_402_300_799.0).contains(&secs) {
                return Err(format!("{key} {n} is not a time in epoch seconds"));
            }
            let t = time::OffsetDateTime::from_unix_timestamp_nanos((secs * 1e3).round() as i128 * 1_000_000)
                .map_err(|e| format!("{key} {n}: {e}"))?;
            Ok(Some(t.format(&Rfc3339).unwrap_or_default()))
        }
        Some(_) => Err(format!("{key} must be a timestamp")),
    }
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..s.char_indices().nth(max - 1).map_or(i, |(j, _)| j)]),
        None => s.to_string(),
    }
}

fn account_ok(a: &str) -> R<String> {
    if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) {
        Ok(a.to_string())
    } else {
        Err(format!("account {a:?} is not a 12-digit account id"))
    }
}

/// The region of an ARN (`arn:aws:s3:::b` has none).
fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|r| !r.is_empty())
}

/// The ASFF resource type of a CloudFormation-style type (`AWS::S3::Bucket`), as Security
/// Hub names them; `Other` for the rest.
pub fn asff_resource_type(cfn: &str) -> &'static str {
    match cfn {
        "AWS::S3::Bucket" => "AwsS3Bucket",
        "AWS::S3Express::DirectoryBucket" => "AwsS3Bucket",
        "AWS::IAM::Role" => "AwsIamRole",
        "AWS::IAM::User" => "AwsIamUser",
        "AWS::IAM::Policy" => "AwsIamPolicy",
        "AWS::IAM::Group" => "AwsIamGroup",
        "AWS::KMS::Key" => "AwsKmsKey",
        "AWS::Lambda::Function" => "AwsLambdaFunction",
        "AWS::Lambda::LayerVersion" => "AwsLambdaLayerVersion",
        "AWS::SQS::Queue" => "AwsSqsQueue",
        "AWS::SNS::Topic" => "AwsSnsTopic",
        "AWS::SecretsManager::Secret" => "AwsSecretsManagerSecret",
        "AWS::EC2::Instance" => "AwsEc2Instance",
        "AWS::EC2::SecurityGroup" => "AwsEc2SecurityGroup",
        "AWS::EC2::Volume" => "AwsEc2Volume",
        "AWS::EC2::VPC" => "AwsEc2Vpc",
        "AWS::EC2::Subnet" => "AwsEc2Subnet",
        "AWS::EC2::NetworkAcl" => "AwsEc2NetworkAcl",
        "AWS::EC2::NetworkInterface" => "AwsEc2NetworkInterface",
        "AWS::EC2::EIP" => "AwsEc2Eip",
        "AWS::EC2::Snapshot" => "AwsEc2Snapshot",
        "AWS::RDS::DBInstance" => "AwsRdsDbInstance",
        "AWS::RDS::DBCluster" => "AwsRdsDbCluster",
        "AWS::RDS::DBSnapshot" => "AwsRdsDbSnapshot",
        "AWS::RDS::DBClusterSnapshot" => "AwsRdsDbClusterSnapshot",
        "AWS::ECR::Repository" => "AwsEcrRepository",
        "AWS::EFS::FileSystem" => "AwsEfsFileSystem",
        "AWS::DynamoDB::Table" => "AwsDynamoDbTable",
        "AWS::CloudTrail::Trail" => "AwsCloudTrailTrail",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "AwsElbv2LoadBalancer",
        "AWS::ElasticLoadBalancing::LoadBalancer" => "AwsElbLoadBalancer",
        "AWS::CloudFront::Distribution" => "AwsCloudFrontDistribution",
        "AWS::ACM::Certificate" => "AwsCertificateManagerCertificate",
        "AWS::AutoScaling::AutoScalingGroup" => "AwsAutoScalingAutoScalingGroup",
        "AWS::ECS::Cluster" => "AwsEcsCluster",
        "AWS::EKS::Cluster" => "AwsEksCluster",
        "AWS::Logs::LogGroup" => "AwsLogsLogGroup",
        _ => "Other",
    }
}

fn resource(kind: &str, id: &str, partition: &str, region: &str) -> Value {
    let mut m = Map::new();
    m.insert("Type".into(), json!(kind));
    m.insert("Id".into(), json!(id));
    m.insert("Partition".into(), json!(partition));
    if !region.is_empty() {
        m.insert("Region".into(), json!(region));
    }
    Value::Object(m)
}

/// The ASFF skeleton every normaliser fills.
#[allow(clippy::too_many_arguments)]
fn finding(
    source: AwsSource,
    partition: &str,
    region: &str,
    id: &str,
    generator: &str,
    account: &str,
    types: Vec<String>,
    created: Option<String>,
    updated: Option<String>,
    severity: (&str, String),
    title: &str,
    description: &str,
    resources: Vec<Value>,
) -> R<Map<String, Value>> {
    let created = created.ok_or("createdAt is required")?;
    let updated = updated.unwrap_or_else(|| created.clone());
    let mut resources = resources;
    resources.truncate(32);
    let mut m = Map::new();
    m.insert("SchemaVersion".into(), json!("2018-10-08"));
    m.insert("Id".into(), json!(id));
    m.insert("ProductArn".into(), json!(source.product_arn(partition, region)));
    m.insert("ProductName".into(), json!(source.product_name()));
    m.insert("CompanyName".into(), json!("Amazon"));
    m.insert("Region".into(), json!(region));
    m.insert("GeneratorId".into(), json!(generator));
    m.insert("AwsAccountId".into(), json!(account_ok(account)?));
    m.insert("Types".into(), json!(types));
    m.insert("CreatedAt".into(), json!(created));
    m.insert("UpdatedAt".into(), json!(updated));
    m.insert("Severity".into(), json!({"Label": severity.0, "Original": severity.1}));
    m.insert("Title".into(), json!(truncate(if title.trim().is_empty() { id } else { title }, 256)));
    m.insert("Description".into(), json!(truncate(if description.trim().is_empty() { title } else { description }, 1024)));
    m.insert("Resources".into(), Value::Array(resources));
    Ok(m)
}

fn region_of(v: &Value, key: &str, ctx: &SourceContext) -> R<String> {
    s(v, key)
        .map(str::to_string)
        .or_else(|| ctx.region.clone())
        .ok_or_else(|| format!("{key} is required (or give the region the findings were read in)"))
}

// ---- GuardDuty ----

/// GuardDuty's severity levels (1.0–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10.0
/// critical).
pub fn guardduty_severity(n: f64) -> &'static str {
    if n >= 9.0 {
        "CRITICAL"
    } else if n >= 7.0 {
        "HIGH"
    } else if n >= 4.0 {
        "MEDIUM"
    } else if n >= 1.0 {
        "LOW"
    } else {
        "INFORMATIONAL"
    }
}

/// `UnauthorizedAccess:EC2/SSHBruteForce` → an ASFF type under the namespace of its
/// threat purpose (`TTPs/…`, `Effects/…` or `Unusual Behaviors/…`).
fn guardduty_type(t: &str) -> String {
    let purpose = t.split(':').next().unwrap_or(t);
    let namespace = match purpose {
        "Behavior" | "Backdoor" => "Unusual Behaviors",
        "CryptoCurrency" | "Impact" => "Effects",
        _ => "TTPs",
    };
    format!("{namespace}/{purpose}/{}", t.replace('/', "-"))
}

fn guardduty(v: &Value, ctx: &SourceContext) -> R<Value> {
    let partition = s(v, "partition").unwrap_or(ctx.partition()).to_string();
    let region = region_of(v, "region", ctx)?;
    let account = s(v, "accountId").map(str::to_string).or_else(|| ctx.account.clone()).ok_or("accountId is required")?;
    let native_id = req(v, "id")?;
    let arn =
        s(v, "arn").map(str::to_string).unwrap_or_else(|| format!("arn:{partition}:guardduty:{region}:{account}:finding/{native_id}"));
    let kind = req(v, "type")?;
    let severity = v.get("severity").and_then(Value::as_f64).ok_or("severity (a number) is required")?;
    let service = v.get("service").cloned().unwrap_or(Value::Null);
    let detector = s(&service, "detectorId").unwrap_or("unknown");
    let generator = format!("arn:{partition}:guardduty:{region}:{account}:detector/{detector}");
    let res = v.get("resource").cloned().unwrap_or(Value::Null);
    let resources = guardduty_resources(&res, &partition, &region, &account, &arn);
    let mut m = finding(
        AwsSource::GuardDuty,
        &partition,
        &region,
        &arn,
        &generator,
        &account,
        vec![guardduty_type(kind)],
        time_of(v, "createdAt")?,
        time_of(v, "updatedAt")?,
        (guardduty_severity(severity), format!("{severity}")),
        s(v, "title").unwrap_or(kind),
        s(v, "description").unwrap_or_default(),
        resources,
    )?;
    if let Some(t) = time_of(&service, "eventFirstSeen")? {
        m.insert("FirstObservedAt".into(), json!(t));
    }
    if let Some(t) = time_of(&service, "eventLastSeen")? {
        m.insert("LastObservedAt".into(), json!(t));
    }
    if service.get("archived").and_then(Value::as_bool) == Some(true) {
        m.insert("RecordState".into(), json!("ARCHIVED"));
    }
    m.insert(
        "ProductFields".into(),
        json!({
            "aws/guardduty/type": kind,
            "aws/guardduty/id": native_id,
            "aws/guardduty/resourceType": s(&res, "resourceType").unwrap_or("Unknown"),
            "aws/guardduty/count": service.get("count").map(|c| c.to_string()).unwrap_or_else(|| "1".into()),
        }),
    );
    Ok(Value::Object(m))
}

/// The resources a GuardDuty finding names, as Security Hub's integration lists them;
/// the finding itself (`Other`) when it names none Rampart knows.
fn guardduty_resources(res: &Value, partition: &str, region: &str, account: &str, finding_arn: &str) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(i) = res.get("instanceDetails").and_then(|d| s(d, "instanceId")) {
        out.push(resource("AwsEc2Instance", &format!("arn:{partition}:ec2:{region}:{account}:instance/{i}"), partition, region));
    }
    if let Some(k) = res.get("accessKeyDetails") {
        if let Some(id) = s(k, "accessKeyId") {
            let mut r = resource("AwsIamAccessKey", id, partition, region);
            r["Details"] = json!({"AwsIamAccessKey": {"PrincipalName": s(k, "userName").unwrap_or_default(), "PrincipalType": s(k, "userType").unwrap_or_default(), "PrincipalId": s(k, "principalId").unwrap_or_default()}});
            out.push(r);
        }
    }
    for b in res.get("s3BucketDetails").and_then(Value::as_array).into_iter().flatten() {
        if let Some(arn) = s(b, "arn").map(str::to_string).or_else(|| s(b, "name").map(|n| format!("arn:{partition}:s3:::{n}"))) {
            out.push(resource("AwsS3Bucket", &arn, partition, region));
        }
    }
    let arns: [(&str, &str, &str); 4] = [
        ("eksClusterDetails", "arn", "AwsEksCluster"),
        ("ecsClusterDetails", "arn", "AwsEcsCluster"),
        ("lambdaDetails", "functionArn", "AwsLambdaFunction"),
        ("rdsDbInstanceDetails", "dbInstanceArn", "AwsRdsDbInstance"),
    ];
    for (key, field, kind) in arns {
        if let Some(arn) = res.get(key).and_then(|d| s(d, field)) {
            out.push(resource(kind, arn, partition, region));
        }
    }
    if out.is_empty() {
        out.push(resource("Other", finding_arn, partition, region));
    }
    out
}

// ---- Inspector2 ----

fn inspector2(v: &Value, ctx: &SourceContext) -> R<Value> {
    let arn = req(v, "findingArn")?;
    let account = s(v, "awsAccountId").map(str::to_string).or_else(|| ctx.account.clone()).ok_or("awsAccountId is required")?;
    let region = arn_region(arn).map(str::to_string).or_else(|| ctx.region.clone()).ok_or("findingArn names no region")?;
    let partition = arn.split(':').nth(1).filter(|p| !p.is_empty()).unwrap_or(ctx.partition()).to_string();
    let label = match req(v, "severity")? {
        "UNTRIAGED" => "INFORMATIONAL",
        l @ ("INFORMATIONAL" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL") => l,
        other => return Err(format!("severity {other:?} is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNTRIAGED")),
    };
    let kind = s(v, "type").unwrap_or("PACKAGE_VULNERABILITY");
    let types = vec![match kind {
        "NETWORK_REACHABILITY" => "Software and Configuration Checks/AWS Security Best Practices/Network Reachability".to_string(),
        "CODE_VULNERABILITY" => "Software and Configuration Checks/Vulnerabilities/Code Vulnerabilities".to_string(),
        _ => "Software and Configuration Checks/Vulnerabilities/CVE".to_string(),
    }];
    let mut resources = Vec::new();
    for r in v.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let id = req(r, "id")?;
        let kind = match s(r, "type").unwrap_or_default() {
            "AWS_EC2_INSTANCE" => "AwsEc2Instance",
            "AWS_ECR_CONTAINER_IMAGE" => "AwsEcrContainerImage",
            "AWS_ECR_REPOSITORY" => "AwsEcrRepository",
            "AWS_LAMBDA_FUNCTION" => "AwsLambdaFunction",
            _ => "Other",
        };
        // Instances are named by id; Security Hub names them by ARN.
        let id = if kind == "AwsEc2Instance" && id.starts_with("i-") {
            format!("arn:{partition}:ec2:{}:{account}:instance/{id}", s(r, "region").unwrap_or(&region))
        } else {
            id.to_string()
        };
        let mut out = resource(kind, &id, s(r, "partition").unwrap_or(&partition), s(r, "region").unwrap_or(&region));
        if let Some(tags) = r.get("tags").filter(|t| t.as_object().is_some_and(|m| !m.is_empty())) {
            out["Tags"] = tags.clone();
        }
        resources.push(out);
    }
    if resources.is_empty() {
        return Err("resources is required (at least one)".into());
    }
    let mut m = finding(
        AwsSource::Inspector2,
        &partition,
        &region,
        arn,
        &format!("AWSInspector/{kind}"),
        &account,
        types,
        time_of(v, "firstObservedAt")?,
        time_of(v, "updatedAt")?,
        (label, req(v, "severity")?.to_string()),
        s(v, "title").unwrap_or(arn),
        s(v, "description").unwrap_or_default(),
        resources,
    )?;
    if let Some(t) = time_of(v, "firstObservedAt")? {
        m.insert("FirstObservedAt".into(), json!(t));
    }
    if let Some(t) = time_of(v, "lastObservedAt")? {
        m.insert("LastObservedAt".into(), json!(t));
    }
    match s(v, "status") {
        Some("CLOSED") => {
            m.insert("RecordState".into(), json!("ARCHIVED"));
            m.insert("Workflow".into(), json!({"Status": "RESOLVED"}));
        }
        Some("SUPPRESSED") => {
            m.insert("Workflow".into(), json!({"Status": "SUPPRESSED"}));
        }
        _ => {}
    }
    if let Some(rec) = v.get("remediation").and_then(|r| r.get("recommendation")) {
        let mut out = Map::new();
        if let Some(t) = s(rec, "text") {
            out.insert("Text".into(), json!(truncate(t, 512)));
        }
        // The API spells it `Url`.
        if let Some(u) = s(rec, "Url").or_else(|| s(rec, "url")) {
            out.insert("Url".into(), json!(u));
        }
        if !out.is_empty() {
            m.insert("Remediation".into(), json!({"Recommendation": out}));
        }
    }
    if let Some(p) = v.get("packageVulnerabilityDetails") {
        m.insert("Vulnerabilities".into(), json!([inspector2_vulnerability(v, p)]));
    }
    let mut fields = Map::new();
    fields.insert("aws/inspector/FindingStatus".into(), json!(s(v, "status").unwrap_or("ACTIVE")));
    if let Some(n) = v.get("inspectorScore").and_then(Value::as_f64) {
        fields.insert("aws/inspector/inspectorScore".into(), json!(n.to_string()));
    }
    m.insert("ProductFields".into(), Value::Object(fields));
    Ok(Value::Object(m))
}

fn inspector2_vulnerability(v: &Value, p: &Value) -> Value {
    let packages: Vec<Value> = p
        .get("vulnerablePackages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|k| {
            let mut o = Map::new();
            for (from, to) in [
                ("name", "Name"),
                ("version", "Version"),
                ("release", "Release"),
                ("arch", "Architecture"),
                ("packageManager", "PackageManager"),
                ("fixedInVersion", "FixedInVersion"),
                ("remediation", "Remediation"),
                ("filePath", "FilePath"),
            ] {
                if let Some(x) = s(k, from) {
                    o.insert(to.into(), json!(x));
                }
            }
            if let Some(e) = k.get("epoch").and_then(Value::as_i64) {
                o.insert("Epoch".into(), json!(e.to_string()));
            }
            Value::Object(o)
        })
        .collect();
    let cvss: Vec<Value> = p
        .get("cvss")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| json!({"BaseScore": c.get("baseScore"), "BaseVector": s(c, "scoringVector"), "Version": s(c, "version"), "Source": s(c, "source")}))
        .collect();
    let mut vendor = Map::new();
    if let Some(n) = s(p, "source") {
        vendor.insert("Name".into(), json!(n));
    }
    if let Some(u) = s(p, "sourceUrl") {
        vendor.insert("Url".into(), json!(u));
    }
    if let Some(x) = s(p, "vendorSeverity") {
        vendor.insert("VendorSeverity".into(), json!(x));
    }
    let mut out = json!({
        "Id": s(p, "vulnerabilityId").unwrap_or_default(),
        "VulnerablePackages": packages,
        "Cvss": cvss,
        "Vendor": vendor,
        "ReferenceUrls": p.get("referenceUrls").cloned().unwrap_or(json!([])),
        "RelatedVulnerabilities": p.get("relatedVulnerabilities").cloned().unwrap_or(json!([])),
    });
    if let Some(f) = s(v, "fixAvailable") {
        out["FixAvailable"] = json!(f);
    }
    if let Some(e) = s(v, "exploitAvailable") {
        out["ExploitAvailable"] = json!(e);
    }
    out
}

// ---- IAM Access Analyzer ----

fn access_analyzer(v: &Value, ctx: &SourceContext) -> R<Value> {
    let id = req(v, "id")?;
    let res = s(v, "resource").ok_or("resource is required")?;
    let cfn_type = s(v, "resourceType").unwrap_or_default();
    let account = s(v, "resourceOwnerAccount")
        .map(str::to_string)
        .or_else(|| arn_account(res).map(str::to_string))
        .or_else(|| ctx.account.clone())
        .ok_or("resourceOwnerAccount is required")?;
    let region = ctx
        .analyzer_arn
        .as_deref()
        .and_then(arn_region)
        .map(str::to_string)
        .or_else(|| ctx.region.clone())
        .or_else(|| arn_region(res).map(str::to_string))
        .ok_or("the region is unknown: give the region the findings were read in")?;
    let partition = res.split(':').nth(1).filter(|p| res.starts_with("arn:") && !p.is_empty()).unwrap_or(ctx.partition()).to_string();
    let analyzer =
        ctx.analyzer_arn.clone().unwrap_or_else(|| format!("arn:{partition}:access-analyzer:{region}:{account}:analyzer/unknown"));
    // V2 findings say which kind; V1 findings are external access.
    let finding_type = s(v, "findingType").unwrap_or("ExternalAccess");
    let public = v.get("isPublic").and_then(Value::as_bool) == Some(true);
    let (label, types, title) = match finding_type {
        "ExternalAccess" if public => {
            ("HIGH", "Effects/Data Exposure/External Access Granted", format!("{cfn_type} {res} allows public access"))
        }
        "ExternalAccess" => (
            "MEDIUM",
            "Software and Configuration Checks/AWS Security Best Practices/External Access Granted",
            format!("{cfn_type} {res} allows cross-account access"),
        ),
        "InternalAccess" => (
            "LOW",
            "Software and Configuration Checks/AWS Security Best Practices/Internal Access Granted",
            format!("{cfn_type} {res} is accessible inside the zone of trust"),
        ),
        other => ("LOW", "Software and Configuration Checks/AWS Security Best Practices/Unused Access", format!("{other}: {res}")),
    };
    let mut description = title.clone();
    if let Some(p) = v.get("principal").and_then(Value::as_object).filter(|p| !p.is_empty()) {
        let who: Vec<String> =
            p.iter().map(|(k, v)| format!("{k}: {}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect();
        description.push_str(&format!(". Principal {}", who.join(", ")));
    }
    if let Some(a) = v.get("action").and_then(Value::as_array).filter(|a| !a.is_empty()) {
        let acts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
        description.push_str(&format!("; actions {}", acts.join(", ")));
    }
    let mut r = resource(asff_resource_type(cfn_type), res, &partition, &region);
    if let Some(p) = v.get("principal").filter(|p| p.as_object().is_some_and(|m| !m.is_empty())) {
        r["Details"] = json!({"Other": {"Principal": p.to_string()}});
    }
    let mut m = finding(
        AwsSource::AccessAnalyzer,
        &partition,
        &region,
        &format!("{analyzer}/{id}"),
        &analyzer,
        &account,
        vec![types.to_string()],
        time_of(v, "createdAt")?,
        time_of(v, "updatedAt")?,
        (label, finding_type.to_string()),
        &title,
        &description,
        vec![r],
    )?;
    if let Some(t) = time_of(v, "analyzedAt")? {
        m.insert("LastObservedAt".into(), json!(t));
    }
    match s(v, "status") {
        Some("RESOLVED") => {
            m.insert("RecordState".into(), json!("ARCHIVED"));
            m.insert("Workflow".into(), json!({"Status": "RESOLVED"}));
        }
        Some("ARCHIVED") => {
            m.insert("RecordState".into(), json!("ARCHIVED"));
        }
        _ => {}
    }
    let mut fields = Map::new();
    fields.insert("aws/access-analyzer/findingId".into(), json!(id));
    fields.insert("aws/access-analyzer/findingType".into(), json!(finding_type));
    if let Some(p) = v.get("isPublic").and_then(Value::as_bool) {
        fields.insert("aws/access-analyzer/isPublic".into(), json!(p.to_string()));
    }
    if let Some(a) = v.get("action").and_then(Value::as_array) {
        let acts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
        fields.insert("aws/access-analyzer/action".into(), json!(acts.join(",")));
    }
    m.insert("ProductFields".into(), Value::Object(fields));
    Ok(Value::Object(m))
}

// ---- Macie ----

fn macie(v: &Value, ctx: &SourceContext) -> R<Value> {
    let id = req(v, "id")?;
    let partition = s(v, "partition").unwrap_or(ctx.partition()).to_string();
    let region = region_of(v, "region", ctx)?;
    let account = s(v, "accountId").map(str::to_string).or_else(|| ctx.account.clone()).ok_or("accountId is required")?;
    let kind = req(v, "type")?;
    let sev = v.get("severity").cloned().unwrap_or(Value::Null);
    let label = match s(&sev, "description") {
        Some("Low") => "LOW",
        Some("Medium") => "MEDIUM",
        Some("High") => "HIGH",
        Some(other) => return Err(format!("severity.description {other:?} is not Low, Medium or High")),
        None => return Err("severity.description is required".into()),
    };
    let category = s(v, "category").unwrap_or("POLICY");
    let ty = if category == "CLASSIFICATION" || kind.starts_with("SensitiveData") {
        format!("Sensitive Data Identifications/{}", kind.replace('/', "-"))
    } else {
        format!("Software and Configuration Checks/AWS Security Best Practices/{}", kind.replace('/', "-"))
    };
    let affected = v.get("resourcesAffected").cloned().unwrap_or(Value::Null);
    let mut resources = Vec::new();
    if let Some(b) = affected.get("s3Bucket") {
        let arn = s(b, "arn").map(str::to_string).or_else(|| s(b, "name").map(|n| format!("arn:{partition}:s3:::{n}")));
        if let Some(arn) = arn {
            let mut r = resource("AwsS3Bucket", &arn, &partition, &region);
            let tags: Map<String, Value> = b
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|t| Some((s(t, "key")?.to_string(), json!(s(t, "value").unwrap_or_default()))))
                .collect();
            if !tags.is_empty() {
                r["Tags"] = Value::Object(tags);
            }
            resources.push(r);
        }
    }
    if let Some(o) = affected.get("s3Object") {
        let bucket = s(o, "bucketArn").map(str::to_string);
        if let (Some(bucket), Some(key)) = (bucket, s(o, "key")) {
            resources.push(resource("AwsS3Object", &format!("{bucket}/{key}"), &partition, &region));
        }
    }
    if resources.is_empty() {
        return Err("resourcesAffected names no S3 bucket".into());
    }
    let mut m = finding(
        AwsSource::Macie,
        &partition,
        &region,
        &format!("arn:{partition}:macie2:{region}:{account}:finding/{id}"),
        &format!("aws/macie/{kind}"),
        &account,
        vec![ty],
        time_of(v, "createdAt")?,
        time_of(v, "updatedAt")?,
        (label, s(&sev, "description").unwrap_or_default().to_string()),
        s(v, "title").unwrap_or(kind),
        s(v, "description").unwrap_or_default(),
        resources,
    )?;
    if v.get("archived").and_then(Value::as_bool) == Some(true) {
        m.insert("RecordState".into(), json!("ARCHIVED"));
    }
    let mut fields = Map::new();
    fields.insert("aws/macie/type".into(), json!(kind));
    fields.insert("aws/macie/category".into(), json!(category));
    if let Some(n) = sev.get("score").and_then(Value::as_i64) {
        fields.insert("aws/macie/severityScore".into(), json!(n.to_string()));
    }
    if v.get("sample").and_then(Value::as_bool) == Some(true) {
        fields.insert("aws/macie/sample".into(), json!("true"));
    }
    m.insert("ProductFields".into(), Value::Object(fields));
    Ok(Value::Object(m))
}

// ---- AWS Config ----

fn config(v: &Value, ctx: &SourceContext) -> R<Value> {
    let compliance = req(v, "ComplianceType")?;
    if compliance != "NON_COMPLIANT" {
        return Err(format!("ComplianceType {compliance:?}: only NON_COMPLIANT evaluations are findings"));
    }
    let q = v
        .get("EvaluationResultIdentifier")
        .and_then(|i| i.get("EvaluationResultQualifier"))
        .ok_or("EvaluationResultIdentifier.EvaluationResultQualifier is required")?;
    let rule = req(q, "ConfigRuleName")?;
    let res_type = req(q, "ResourceType")?;
    let res_id = req(q, "ResourceId")?;
    let account = ctx.account.clone().ok_or("the account is unknown: give the account the evaluations were read in")?;
    let region = ctx.region.clone().ok_or("the region is unknown: give the region the evaluations were read in")?;
    let partition = ctx.partition().to_string();
    let recorded = time_of(v, "ResultRecordedTime")?;
    let invoked = time_of(v, "ConfigRuleInvokedTime")?;
    let created = recorded.clone().or(invoked.clone());
    let annotation = s(v, "Annotation");
    let title = format!("AWS Config rule {rule}: {res_type} {res_id} is NON_COMPLIANT");
    let description = match annotation {
        Some(a) => format!("{title}: {a}"),
        None => title.clone(),
    };
    let mut m = finding(
        AwsSource::Config,
        &partition,
        &region,
        &format!("arn:{partition}:config:{region}:{account}:config-rule/{rule}/finding/{res_type}/{res_id}"),
        &format!("config-rule/{rule}"),
        &account,
        vec!["Software and Configuration Checks/AWS Config Analysis".to_string()],
        created,
        recorded,
        ("MEDIUM", compliance.to_string()),
        &title,
        &description,
        vec![resource(asff_resource_type(res_type), res_id, &partition, &region)],
    )?;
    m.insert("Compliance".into(), json!({"Status": "FAILED"}));
    if let Some(t) = invoked {
        m.insert("LastObservedAt".into(), json!(t));
    }
    m.insert(
        "ProductFields".into(),
        json!({"aws/config/ConfigRuleName": rule, "aws/config/ResourceType": res_type, "aws/config/ComplianceType": compliance}),
    );
    Ok(Value::Object(m))
}
