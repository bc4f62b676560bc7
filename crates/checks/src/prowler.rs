//! Parity with Prowler's AWS checks, as data: for every check id of Prowler 5.46.0's AWS
//! provider (`testdata/prowler/aws-checks-5.46.0.tsv`, read from the metadata files of its
//! wheel), the Rampart checks with the same meaning, those that cover it differently, or why
//! there is none.
//!
//! Prowler's ids are used only as identifiers for the comparison; the judgements and the
//! words are Rampart's. Every id of a service Rampart collects is judged one by one in
//! [`TABLE`]; the ids of a service it does not collect share their service's reason in
//! [`UNCOLLECTED`]. The tests below keep both complete and exact against the list, and
//! `docs/checks.md` is generated from them ([`crate::checks_markdown`]).

/// How Rampart stands against one Prowler check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parity {
    /// These Rampart checks PASS and FAIL on the same resources for the same reason.
    Equivalent(&'static [&'static str]),
    /// These Rampart checks cover the same risk with a different definition (stricter, a
    /// standard's wording instead of Prowler's, several Prowler checks in one result); the
    /// text says how they differ.
    Partial(&'static [&'static str], &'static str),
    /// No Rampart check; the text says why.
    Missing(&'static str),
}

/// The Prowler release the table was made against.
pub const PROWLER_VERSION: &str = "5.46.0";

/// The `check_id<TAB>service` list of that release.
pub const PROWLER_AWS_CHECKS: &str = include_str!("../../../testdata/prowler/aws-checks-5.46.0.tsv");

/// `(check id, service)` of every Prowler AWS check, in the list's order.
pub fn prowler_checks() -> Vec<(&'static str, &'static str)> {
    PROWLER_AWS_CHECKS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(id, service)| (id.trim(), service.trim()))
        .collect()
}

/// Rampart's standing on Prowler check `id` of `service`: its [`TABLE`] entry, else its
/// service's reason from [`UNCOLLECTED`].
pub fn parity(id: &str, service: &str) -> Option<Parity> {
    TABLE
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, p)| *p)
        .or_else(|| UNCOLLECTED.iter().find(|(s, _)| *s == service).map(|(_, why)| Parity::Missing(why)))
}

/// Whether Rampart collects Prowler's service `service` (its ids are judged one by one).
pub fn collected(service: &str) -> bool {
    !UNCOLLECTED.iter().any(|(s, _)| *s == service)
}

/// The Prowler ids mapped (equivalent or partial) to Rampart check `check`.
pub fn mapped_to(check: &str) -> Vec<(&'static str, bool)> {
    TABLE
        .iter()
        .filter_map(|(id, p)| match p {
            Parity::Equivalent(ids) if ids.contains(&check) => Some((*id, true)),
            Parity::Partial(ids, _) if ids.contains(&check) => Some((*id, false)),
            _ => None,
        })
        .collect()
}

/// Prowler services Rampart does not collect, with the reason shared by all their checks.
pub static UNCOLLECTED: &[(&str, &str)] = &[
    ("account", "service not collected (account): needs the account's contact details (account:GetContactInformation, GetAlternateContact); planned"),
    ("acmpca", "service not collected (acmpca): AWS Private CA is not inventoried"),
    ("amplify", "service not collected (amplify)"),
    ("apigateway", "service not collected (apigateway): REST APIs, stages and authorizers are not inventoried; planned"),
    ("apigatewayv2", "service not collected (apigatewayv2): HTTP and WebSocket APIs are not inventoried; planned"),
    ("appstream", "service not collected (appstream)"),
    ("appsync", "service not collected (appsync)"),
    ("athena", "service not collected (athena)"),
    ("backup", "service not collected (backup): AWS Backup plans, vaults and recovery points are not inventoried; planned"),
    ("batch", "service not collected (batch)"),
    ("bedrock", "service not collected (bedrock)"),
    ("codeartifact", "service not collected (codeartifact)"),
    ("codebuild", "service not collected (codebuild)"),
    ("codecommit", "service not collected (codecommit)"),
    ("codepipeline", "service not collected (codepipeline)"),
    ("cognito", "service not collected (cognito)"),
    ("datapipeline", "service not collected (datapipeline)"),
    ("datasync", "service not collected (datasync)"),
    ("directconnect", "service not collected (directconnect)"),
    ("directoryservice", "service not collected (directoryservice)"),
    ("dlm", "service not collected (dlm): Data Lifecycle Manager policies are not inventoried"),
    ("dms", "service not collected (dms)"),
    ("documentdb", "service not collected (documentdb)"),
    ("drs", "service not collected (drs)"),
    ("dynamodb", "service not collected (dynamodb): tables are not inventoried; planned"),
    ("eks", "service not collected (eks): clusters are not inventoried; planned"),
    ("elasticache", "service not collected (elasticache)"),
    ("elasticbeanstalk", "service not collected (elasticbeanstalk)"),
    ("emr", "service not collected (emr)"),
    ("eventbridge", "service not collected (eventbridge)"),
    ("firehose", "service not collected (firehose)"),
    ("fms", "service not collected (fms)"),
    ("fsx", "service not collected (fsx)"),
    ("glacier", "service not collected (glacier)"),
    ("glue", "service not collected (glue)"),
    ("inspector2", "service not collected (inspector2): Amazon Inspector's own status and findings are not read; Rampart assesses hosts, images and functions itself (`rampart scan host`, `scan image`, `scan lambda`, `inspector_network_reachability`)"),
    ("kafka", "service not collected (kafka)"),
    ("kinesis", "service not collected (kinesis)"),
    ("lightsail", "service not collected (lightsail)"),
    ("macie", "service not collected (macie)"),
    ("memorydb", "service not collected (memorydb)"),
    ("mq", "service not collected (mq)"),
    ("neptune", "service not collected (neptune)"),
    ("networkfirewall", "service not collected (networkfirewall)"),
    ("opensearch", "service not collected (opensearch): domains are not inventoried; planned"),
    ("organizations", "service not collected (organizations): Rampart scans accounts, not the organization's policies and delegated administrators"),
    ("redshift", "service not collected (redshift)"),
    ("resourceexplorer2", "service not collected (resourceexplorer2)"),
    ("rolesanywhere", "service not collected (rolesanywhere)"),
    ("sagemaker", "service not collected (sagemaker)"),
    ("servicecatalog", "service not collected (servicecatalog)"),
    ("ses", "service not collected (ses)"),
    ("shield", "service not collected (shield)"),
    ("ssm", "service not collected (ssm): Systems Manager documents, managed instances and patch compliance are not inventoried; planned"),
    ("ssmincidents", "service not collected (ssmincidents)"),
    ("stepfunctions", "service not collected (stepfunctions)"),
    ("storagegateway", "service not collected (storagegateway)"),
    ("transfer", "service not collected (transfer)"),
    ("trustedadvisor", "service not collected (trustedadvisor): Rampart evaluates Trusted Advisor's checks itself instead of reading Trusted Advisor's results or the support plan"),
    ("waf", "service not collected (waf): WAF Classic web ACLs are not inventoried (only the web ACL id a CloudFront distribution names)"),
    ("wafv2", "service not collected (wafv2): web ACLs and their rules and logging are not inventoried (only the web ACL id a CloudFront distribution names)"),
    ("wellarchitected", "service not collected (wellarchitected)"),
    ("workspaces", "service not collected (workspaces)"),
];

use Parity::{Equivalent, Missing, Partial};

// Reasons shared by several entries.
const REACH: &str = "Rampart computes which ports of each instance the internet can actually reach (routes, network ACLs, security groups, load balancers) and reports every reachable port as one result, whatever the service; Prowler looks for an open security group on a public instance, per service";
const SG_ADMIN: &str = "one result per security group covers SSH (22) and RDP (3389) together (CIS 5.2/5.3)";
const SG_HIGH_RISK: &str = "one result per security group for every port of Security Hub EC2.19's high-risk list, which includes these";
const SG_ANY: &str =
    "stricter: fails a group that opens to 0.0.0.0/0 or ::/0 any port but 25, 80 and 443 (Trusted Advisor), these among them";
const NACL_ADMIN: &str = "one result per network ACL covers SSH (22) and RDP (3389) together (CIS 5.1)";
const PASSWORD: &str = "one result judges the whole password policy: length, reuse and the four character classes (CIS 1.8/1.9, Security Hub IAM.7, Trusted Advisor)";
const UNUSED: &str = "one result per user judges passwords and access keys together (CIS 1.12, credential report)";
const ADMIN_POLICY: &str =
    "one check for attached and unattached customer managed policies (Security Hub IAM.1); an unattached one fails at low severity";
const SERVICE_WILDCARD: &str =
    "Security Hub IAM.21 fails a customer managed policy allowing any `service:*`, this service among them; inline policies are not judged";
const LISTENER: &str = "Trusted Advisor's listener security (and Security Hub ELB.3/ELB.8): a load balancer without an encrypted listener, or with a policy allowing TLS older than 1.2 or weak ciphers, fails";
const LB_REACH: &str = "Rampart reports what of a load balancer the internet can reach (its listeners through its security groups and subnets) in `inspector_network_reachability`, instead of failing every internet-facing load balancer";
const BACKUP: &str =
    "needs AWS Backup plans and their protected resources (backup), which the inventory does not hold; planned with the backup service";
const TRAIL_HISTORY: &str =
    "Prowler-specific heuristic over CloudTrail event history (LookupEvents); Rampart reads configuration, not event history";
const ENCLAVE: &str =
    "needs Nitro Enclave data (the instance's EnclaveOptions, attestation conditions and key usage), which the inventory does not hold";
const ACCESS_ADVISOR: &str =
    "needs IAM Access Advisor's per-service last access (iam:GenerateServiceLastAccessedDetails), which the inventory does not hold";
const ADMIN_ACCESS: &str = "only the AWS managed AdministratorAccess policy counts; Prowler goes by the name, so it also flags a customer managed policy named AdministratorAccess (whose document `iam_policy_full_admin` judges)";
const INLINE_SERVICE_WILDCARD: &str = "stricter: Security Hub IAM.21's definition applied to inline policies fails any `service:*` (and `*`), this service among them; one result per user, group or role rather than per policy";
const ORGS: &str =
    "needs AWS Organizations data (delegated administrators, organization-wide settings); Rampart scans accounts, not the organization";

const CIS_MONITORING: &str = "stricter: CIS's whole audit in one result per account: a logging multi-region trail that records all management events sends to a log group with a metric filter whose pattern means what the benchmark's does (compared as parsed expressions, a term more or less fails), an alarm with enabled actions on the filter's metric, and an SNS topic among its ALARM actions with a confirmed subscription; Prowler matches the pattern with a regular expression on the log group of any trail and does not look at the alarm's actions or topic";
const ECS_LATEST: &str = "only the latest ACTIVE revision of each task definition family is judged, as Security Hub and AWS Config do; Prowler judges every ACTIVE revision";

/// Every Prowler check of a service Rampart collects, judged one by one.
pub static TABLE: &[(&str, Parity)] = &[
    // Access Analyzer
    ("accessanalyzer_enabled", Equivalent(&["iam_access_analyzer_enabled"])),
    ("accessanalyzer_enabled_without_findings", Missing("needs Access Analyzer's findings (access-analyzer:ListFindings), which the inventory does not hold")),
    // ACM
    ("acm_certificates_expiration_check", Equivalent(&["acm_certificate_expiry"])),
    ("acm_certificates_transparency_logs_enabled", Missing("AWS removed the opt-out: the SDK deprecates `CertificateTransparencyLoggingPreference` (\"Certificate transparency logging opt-out is no longer available\"), so every ACM certificate is logged and the setting Prowler judges no longer exists")),
    ("acm_certificates_with_secure_key_algorithms", Partial(&["acm_rsa_key_length"], "Security Hub ACM.2: RSA keys shorter than 2,048 bits fail; Prowler also judges elliptic-curve algorithms")),
    // Auto Scaling
    ("autoscaling_find_secrets_ec2_launch_configuration", Missing("needs the user data of launch configurations, which the inventory does not hold (Prowler deprecates this check with launch configurations)")),
    ("autoscaling_group_capacity_rebalance_enabled", Partial(&["autoscaling_group_capacity_rebalance"], "judges groups attached to a Classic Load Balancer or a target group; Prowler judges only groups attached to both")),
    ("autoscaling_group_elb_health_check_enabled", Equivalent(&["autoscaling_group_elb_health_check"])),
    ("autoscaling_group_launch_configuration_no_public_ip", Equivalent(&["autoscaling_launch_config_public_ip"])),
    ("autoscaling_group_launch_configuration_requires_imdsv2", Equivalent(&["autoscaling_launch_config_imdsv2"])),
    ("autoscaling_group_multiple_az", Equivalent(&["autoscaling_group_multi_az"])),
    ("autoscaling_group_multiple_instance_types", Equivalent(&["autoscaling_group_multiple_instance_types"])),
    ("autoscaling_group_using_ec2_launch_template", Equivalent(&["autoscaling_group_launch_template"])),
    // Lambda
    ("awslambda_function_env_vars_not_encrypted_with_cmk", Equivalent(&["lambda_function_environment_cmk"])),
    ("awslambda_function_inside_vpc", Equivalent(&["lambda_function_in_vpc"])),
    ("awslambda_function_invoke_api_operations_cloudtrail_logging_enabled", Partial(&["lambda_function_invoke_cloudtrail_logging"], "only multi-region trails count; Prowler also counts a single-region trail in the function's Region")),
    ("awslambda_function_no_dead_letter_queue", Equivalent(&["lambda_function_dead_letter_queue"])),
    ("awslambda_function_no_secrets_in_code", Missing("needs the function's code, which a scan of the account does not download; `rampart scan secrets` finds AWS keys in a downloaded package's files and `rampart scan lambda` assesses its dependencies")),
    ("awslambda_function_no_secrets_in_variables", Partial(&["lambda_function_environment_secrets"], "finds AWS access keys with the `rampart scan secrets` detector, run over the values at collection time; Prowler's detector also flags passwords, private keys and other tokens")),
    ("awslambda_function_not_publicly_accessible", Equivalent(&["lambda_function_public_access"])),
    ("awslambda_function_url_cors_policy", Equivalent(&["lambda_function_url_cors_any_origin"])),
    ("awslambda_function_url_public", Equivalent(&["lambda_function_url_public"])),
    ("awslambda_function_using_cross_account_layers", Equivalent(&["lambda_function_cross_account_layers"])),
    ("awslambda_function_using_supported_runtimes", Equivalent(&["lambda_supported_runtime"])),
    ("awslambda_function_vpc_multi_az", Equivalent(&["lambda_vpc_multi_az"])),
    ("awslambda_layer_no_secrets_in_content", Missing("needs Lambda layers and their content, which the inventory does not hold")),
    // CloudFront
    ("cloudfront_distributions_custom_ssl_certificate", Equivalent(&["cloudfront_custom_certificate"])),
    ("cloudfront_distributions_default_root_object", Equivalent(&["cloudfront_default_root_object"])),
    ("cloudfront_distributions_field_level_encryption_enabled", Equivalent(&["cloudfront_field_level_encryption"])),
    ("cloudfront_distributions_geo_restrictions_enabled", Equivalent(&["cloudfront_geo_restriction"])),
    ("cloudfront_distributions_https_enabled", Equivalent(&["cloudfront_viewer_https"])),
    ("cloudfront_distributions_https_sni_enabled", Equivalent(&["cloudfront_sni"])),
    ("cloudfront_distributions_logging_enabled", Equivalent(&["cloudfront_logging"])),
    ("cloudfront_distributions_multiple_origin_failover_configured", Equivalent(&["cloudfront_origin_failover"])),
    ("cloudfront_distributions_origin_traffic_encrypted", Equivalent(&["cloudfront_custom_origin_https"])),
    ("cloudfront_distributions_pqc_tls_enabled", Missing("Prowler-specific: post-quantum TLS policies are in no standard Rampart maps")),
    ("cloudfront_distributions_s3_origin_access_control", Equivalent(&["cloudfront_s3_origin_access_control"])),
    ("cloudfront_distributions_s3_origin_non_existent_bucket", Equivalent(&["cloudfront_s3_origin_exists"])),
    ("cloudfront_distributions_using_deprecated_ssl_protocols", Equivalent(&["cloudfront_origin_ssl_protocols"])),
    ("cloudfront_distributions_using_waf", Equivalent(&["cloudfront_waf"])),
    // CloudFormation
    ("cloudformation_stack_cdktoolkit_bootstrap_version", Missing("needs the CDKToolkit stack's `BootstrapVersion` parameter; the inventory holds stacks' termination protection and outputs, not their parameters")),
    ("cloudformation_stack_outputs_find_secrets", Partial(&["cloudformation_stack_output_secrets"], "finds AWS access keys with the `rampart scan secrets` detector, run over the output values at collection time; Prowler's detector also flags passwords, private keys and other tokens")),
    ("cloudformation_stacks_termination_protection_enabled", Equivalent(&["cloudformation_stack_termination_protection"])),
    // CloudTrail
    ("cloudtrail_bedrock_logging_enabled", Missing("Prowler-specific: Bedrock data events are in no standard Rampart maps")),
    ("cloudtrail_bucket_requires_mfa_delete", Partial(&["s3_bucket_mfa_delete"], "judges every bucket, the trails' buckets among them")),
    ("cloudtrail_cloudwatch_logging_enabled", Partial(&["cloudtrail_cloudwatch_logs"], "Security Hub CloudTrail.5: a trail fails without a CloudWatch Logs log group; Prowler also requires a delivery in the last 24 hours, which needs the trail's delivery status (not held)")),
    ("cloudtrail_insights_exist", Equivalent(&["cloudtrail_insights_enabled"])),
    ("cloudtrail_kms_encryption_enabled", Equivalent(&["cloudtrail_kms_encryption"])),
    ("cloudtrail_log_file_validation_enabled", Equivalent(&["cloudtrail_log_file_validation"])),
    ("cloudtrail_logs_s3_bucket_access_logging_enabled", Equivalent(&["cloudtrail_bucket_access_logging"])),
    ("cloudtrail_logs_s3_bucket_is_not_publicly_accessible", Equivalent(&["cloudtrail_bucket_public"])),
    ("cloudtrail_multi_region_enabled", Partial(&["cloudtrail_logging"], "one result per region (a logging trail covers it) plus one per account for a logging multi-region trail with all management events (CIS 3.1, Security Hub CloudTrail.1)")),
    ("cloudtrail_multi_region_enabled_logging_management_events", Partial(&["cloudtrail_logging"], "the account's result requires a logging multi-region trail recording read and write management events; the same check also judges each region")),
    ("cloudtrail_s3_dataevents_read_enabled", Equivalent(&["cloudtrail_s3_object_read_events"])),
    ("cloudtrail_s3_dataevents_write_enabled", Equivalent(&["cloudtrail_s3_object_write_events"])),
    ("cloudtrail_threat_detection_enumeration", Missing(TRAIL_HISTORY)),
    ("cloudtrail_threat_detection_llm_jacking", Missing(TRAIL_HISTORY)),
    ("cloudtrail_threat_detection_privilege_escalation", Missing(TRAIL_HISTORY)),
    // CloudWatch and CloudWatch Logs
    ("cloudwatch_alarm_actions_alarm_state_configured", Equivalent(&["cloudwatch_alarm_action_configured"])),
    ("cloudwatch_alarm_actions_enabled", Equivalent(&["cloudwatch_alarm_actions_enabled"])),
    ("cloudwatch_changes_to_network_acls_alarm_configured", Partial(&["cloudwatch_monitoring_nacl_changes"], CIS_MONITORING)),
    ("cloudwatch_changes_to_network_gateways_alarm_configured", Partial(&["cloudwatch_monitoring_network_gateway_changes"], CIS_MONITORING)),
    ("cloudwatch_changes_to_network_route_tables_alarm_configured", Partial(&["cloudwatch_monitoring_route_table_changes"], CIS_MONITORING)),
    ("cloudwatch_changes_to_vpcs_alarm_configured", Partial(&["cloudwatch_monitoring_vpc_changes"], CIS_MONITORING)),
    ("cloudwatch_cross_account_sharing_disabled", Partial(&["cloudwatch_cross_account_sharing"], "one result per account, failing with the role and whom it trusts named; Prowler reports the role itself when it fails and the account when it passes")),
    ("cloudwatch_log_group_agentcore_data_protection_policy_enabled", Missing("needs log groups' data protection policies (logs:GetDataProtectionPolicy) and Bedrock AgentCore's log groups, which the inventory does not hold")),
    ("cloudwatch_log_group_kms_encryption_enabled", Equivalent(&["cloudwatch_log_group_kms_encryption"])),
    ("cloudwatch_log_group_no_secrets_in_logs", Missing("needs the log events themselves (logs:FilterLogEvents); Rampart reads configuration, not log data")),
    ("cloudwatch_log_group_not_publicly_accessible", Missing("needs CloudWatch Logs resource policies (logs:DescribeResourcePolicies), which the inventory does not hold")),
    ("cloudwatch_log_group_retention_policy_specific_days_enabled", Equivalent(&["cloudwatch_log_group_retention"])),
    ("cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled", Partial(&["cloudwatch_monitoring_config_changes"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled", Partial(&["cloudwatch_monitoring_cloudtrail_changes"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_authentication_failures", Partial(&["cloudwatch_monitoring_console_auth_failures"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_aws_organizations_changes", Partial(&["cloudwatch_monitoring_organizations_changes"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk", Partial(&["cloudwatch_monitoring_cmk_disable_or_deletion"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_for_s3_bucket_policy_changes", Partial(&["cloudwatch_monitoring_s3_bucket_policy_changes"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_policy_changes", Partial(&["cloudwatch_monitoring_iam_policy_changes"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_root_usage", Partial(&["cloudwatch_monitoring_root_usage"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_security_group_changes", Partial(&["cloudwatch_monitoring_security_group_changes"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_sign_in_without_mfa", Partial(&["cloudwatch_monitoring_console_sign_in_without_mfa"], CIS_MONITORING)),
    ("cloudwatch_log_metric_filter_unauthorized_api_calls", Partial(&["cloudwatch_monitoring_unauthorized_api_calls"], CIS_MONITORING)),
    // Config
    ("config_delegated_admin_and_org_aggregator_all_regions", Missing(ORGS)),
    ("config_recorder_all_regions_enabled", Partial(&["config_recorder_enabled"], "stricter: the recorder must also record all supported resource types (Security Hub Config.1, CIS 3.3)")),
    ("config_recorder_using_aws_service_role", Equivalent(&["config_recorder_service_role"])),
    // EC2
    ("ec2_ami_account_block_public_access", Equivalent(&["ec2_ami_block_public_access"])),
    ("ec2_ami_public", Equivalent(&["ec2_ami_public"])),
    ("ec2_client_vpn_endpoint_connection_logging_enabled", Equivalent(&["ec2_client_vpn_connection_logging"])),
    ("ec2_confidential_workload_host_imdsv2_not_enforced", Missing(ENCLAVE)),
    ("ec2_confidential_workload_host_not_running", Missing(ENCLAVE)),
    ("ec2_confidential_workload_host_public_ip", Missing(ENCLAVE)),
    ("ec2_confidential_workload_host_unrestricted_ingress", Missing(ENCLAVE)),
    ("ec2_confidential_workload_host_vsock_proxy_exposed", Missing(ENCLAVE)),
    ("ec2_ebs_default_encryption", Equivalent(&["ec2_ebs_default_encryption"])),
    ("ec2_ebs_public_snapshot", Equivalent(&["ec2_ebs_public_snapshots"])),
    ("ec2_ebs_snapshot_account_block_public_access", Equivalent(&["ec2_ebs_snapshot_block_public_access"])),
    ("ec2_ebs_snapshots_encrypted", Equivalent(&["ec2_ebs_snapshot_encrypted"])),
    ("ec2_ebs_volume_encryption", Partial(&["ec2_ebs_attached_volumes_encrypted"], "Security Hub EC2.3 judges attached volumes only; Prowler every volume")),
    ("ec2_ebs_volume_protected_by_backup_plan", Missing(BACKUP)),
    ("ec2_ebs_volume_snapshots_exists", Partial(&["ec2_ebs_volume_recent_snapshot"], "stricter: Trusted Advisor also fails a volume whose newest snapshot is more than 7 days old; Prowler accepts any snapshot")),
    ("ec2_elastic_ip_shodan", Missing("Prowler-specific: asks Shodan (a third party) about each address; Rampart sends nothing outside AWS")),
    ("ec2_elastic_ip_unassigned", Partial(&["ec2_eip_unassociated"], "Trusted Advisor: an address associated with a stopped instance also fails")),
    ("ec2_instance_account_imdsv2_enabled", Equivalent(&["ec2_instance_metadata_defaults_imdsv2"])),
    ("ec2_instance_detailed_monitoring_enabled", Equivalent(&["ec2_instance_detailed_monitoring"])),
    ("ec2_instance_imdsv2_enabled", Equivalent(&["ec2_imdsv2_required"])),
    ("ec2_instance_internet_facing_with_instance_profile", Equivalent(&["ec2_instance_public_with_instance_profile"])),
    ("ec2_instance_managed_by_ssm", Missing("needs Systems Manager's managed instances (ssm), which the inventory does not hold")),
    ("ec2_instance_older_than_specific_days", Missing("Prowler-specific age threshold that no standard Rampart maps has; the inventory holds the launch time")),
    ("ec2_instance_paravirtual_type", Equivalent(&["ec2_instance_paravirtual"])),
    ("ec2_instance_port_cassandra_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_cifs_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_elasticsearch_kibana_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_ftp_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_kafka_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_kerberos_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_ldap_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_memcached_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_mongodb_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_mysql_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_oracle_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_postgresql_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_rdp_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_redis_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_sqlserver_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_ssh_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_port_telnet_exposed_to_internet", Partial(&["inspector_network_reachability"], REACH)),
    ("ec2_instance_profile_attached", Equivalent(&["ec2_instance_profile_attached"])),
    ("ec2_instance_public_ip", Equivalent(&["ec2_instance_public_ip"])),
    ("ec2_instance_secrets_user_data", Partial(&["ec2_instance_user_data_secrets"], "finds AWS access keys with the `rampart scan secrets` detector; Prowler's detector also flags passwords, private keys and other tokens, and decompresses gzip user data")),
    ("ec2_instance_stopped_older_than_specific_days", Equivalent(&["ec2_instance_stopped_too_long"])),
    ("ec2_instance_uses_single_eni", Equivalent(&["ec2_instance_multiple_enis"])),
    ("ec2_instance_with_outdated_ami", Missing("needs the deprecation time of the AMIs instances run from, including AMIs of other owners, which the inventory does not hold (it lists the account's own images)")),
    ("ec2_launch_template_imdsv2_required", Partial(&["ec2_launch_template_imdsv2"], "Security Hub EC2.170 judges the default version; Prowler every version")),
    ("ec2_launch_template_no_public_ip", Partial(&["ec2_launch_template_public_ip"], "Security Hub EC2.25 judges the default version; Prowler every version")),
    ("ec2_launch_template_no_secrets", Partial(&["ec2_launch_template_user_data_secrets"], "finds AWS access keys in the user data of every version with the `rampart scan secrets` detector, run at collection time; Prowler's detector also flags passwords, private keys and other tokens, and decompresses gzip user data")),
    ("ec2_networkacl_allow_ingress_any_port", Partial(&["ec2_nacl_admin_ports_unrestricted"], "an ACL open to the internet on every port also opens 22 and 3389 and fails CIS 5.1; one open on other ports only passes")),
    ("ec2_networkacl_allow_ingress_tcp_port_22", Partial(&["ec2_nacl_admin_ports_unrestricted"], NACL_ADMIN)),
    ("ec2_networkacl_allow_ingress_tcp_port_3389", Partial(&["ec2_nacl_admin_ports_unrestricted"], NACL_ADMIN)),
    ("ec2_networkacl_unused", Equivalent(&["ec2_nacl_unused"])),
    ("ec2_securitygroup_allow_ingress_from_internet_to_all_ports", Partial(&["ec2_sg_unrestricted_access"], SG_ANY)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_any_port", Partial(&["ec2_sg_unrestricted_access"], "Trusted Advisor: ports 25, 80 and 443 may be open to the world; Prowler accepts none but exempts groups attached only to some interface types or owners")),
    ("ec2_securitygroup_allow_ingress_from_internet_to_any_port_from_ip", Missing("Prowler-specific: treats a rule whose source is one public address as a finding; no standard Rampart maps does")),
    ("ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports", Partial(&["ec2_sg_high_risk_ports"], "Security Hub EC2.19's port list, which holds Prowler's default list and more")),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22", Partial(&["ec2_sg_admin_ports_unrestricted"], SG_ADMIN)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389", Partial(&["ec2_sg_admin_ports_unrestricted"], SG_ADMIN)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_cassandra_7199_9160_8888", Partial(&["ec2_sg_unrestricted_access"], SG_ANY)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_elasticsearch_kibana_9200_9300_5601", Partial(&["ec2_sg_high_risk_ports"], SG_HIGH_RISK)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_ftp_20_21", Partial(&["ec2_sg_high_risk_ports"], SG_HIGH_RISK)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_kafka_9092", Partial(&["ec2_sg_unrestricted_access"], SG_ANY)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_memcached_11211", Partial(&["ec2_sg_unrestricted_access"], SG_ANY)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mongodb_27017_27018", Partial(&["ec2_sg_unrestricted_access"], SG_ANY)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306", Partial(&["ec2_sg_high_risk_ports"], SG_HIGH_RISK)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_oracle_1521_2483", Partial(&["ec2_sg_unrestricted_access"], SG_ANY)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_postgres_5432", Partial(&["ec2_sg_high_risk_ports"], SG_HIGH_RISK)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_redis_6379", Partial(&["ec2_sg_unrestricted_access"], SG_ANY)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_sql_server_1433_1434", Partial(&["ec2_sg_high_risk_ports"], SG_HIGH_RISK)),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_telnet_23", Partial(&["ec2_sg_high_risk_ports"], SG_HIGH_RISK)),
    ("ec2_securitygroup_allow_wide_open_public_ipv4", Missing("Prowler-specific heuristic (public IPv4 ranges from /1 to /23); no standard Rampart maps has it; the inventory holds the rules")),
    ("ec2_securitygroup_default_restrict_traffic", Equivalent(&["ec2_default_sg_restricts_all"])),
    ("ec2_securitygroup_from_launch_wizard", Equivalent(&["ec2_security_group_launch_wizard"])),
    ("ec2_securitygroup_not_used", Equivalent(&["ec2_security_group_unused"])),
    ("ec2_securitygroup_with_many_ingress_egress_rules", Partial(&["ec2_sg_large_number_of_rules"], "Trusted Advisor's rule count (more than 50 rules fails); Prowler counts inbound and outbound rules apart")),
    ("ec2_transitgateway_auto_accept_vpc_attachments", Equivalent(&["ec2_transit_gateway_auto_accept_attachments"])),
    // ECR
    ("ecr_registry_enhanced_scanning_enabled", Partial(&["ecr_registry_enhanced_scanning"], "stricter: enhanced scanning without a rule naming a repository (which scans nothing) also fails; Prowler passes any ENHANCED registry")),
    ("ecr_registry_scan_images_on_push_enabled", Partial(&["ecr_image_scanning"], "judges each repository's scan-on-push setting (Security Hub ECR.1); registry-level scanning rules are not read")),
    ("ecr_repositories_lifecycle_policy_enabled", Equivalent(&["ecr_lifecycle_policy"])),
    ("ecr_repositories_not_publicly_accessible", Partial(&["ecr_repository_public"], "S3's definition of a public policy: a statement allowing everyone that a condition pins to fixed accounts, organizations, sources or networks is not public")),
    ("ecr_repositories_scan_images_on_push_enabled", Equivalent(&["ecr_image_scanning"])),
    ("ecr_repositories_scan_vulnerabilities_in_latest_image", Missing("needs ECR's image scan findings, which the inventory does not hold; `rampart scan image` assesses a saved image itself")),
    ("ecr_repositories_tag_immutability", Equivalent(&["ecr_tag_immutability"])),
    ("ecr_repository_image_no_secrets", Missing("needs the images' layers, which a scan of the account does not pull; `rampart scan image` reads a saved image")),
    // ECS
    ("ecs_cluster_container_insights_enabled", Equivalent(&["ecs_cluster_container_insights"])),
    ("ecs_service_fargate_latest_platform_version", Missing("needs the latest Fargate platform version of each operating system family, which no read API of the account gives; services' launch types are collected")),
    ("ecs_service_no_assign_public_ip", Equivalent(&["ecs_service_public_ip"])),
    ("ecs_task_definitions_containers_readonly_access", Partial(&["ecs_task_definition_readonly_root_filesystem"], ECS_LATEST)),
    ("ecs_task_definitions_host_namespace_not_shared", Partial(&["ecs_task_definition_host_pid_mode"], ECS_LATEST)),
    ("ecs_task_definitions_host_networking_mode_users", Partial(&["ecs_task_definition_host_network_user"], "only the latest ACTIVE revision of each family (as Security Hub ECS.1); a user of uid 0 (`0`, `0:0`) or `root:<group>` counts as root")),
    ("ecs_task_definitions_logging_block_mode", Missing("not judged yet: whether a blocking log mode is a finding depends on the account's default log driver mode (ecs:ListAccountSettings), which the inventory does not hold; each container's `mode` option is collected")),
    ("ecs_task_definitions_logging_enabled", Partial(&["ecs_task_definition_logging"], ECS_LATEST)),
    ("ecs_task_definitions_no_environment_secrets", Partial(&["ecs_task_definition_environment_secrets"], "fails on Security Hub ECS.8's variable names and on AWS access keys that the `rampart scan secrets` detector finds in the values at collection; Prowler's detector also flags passwords, private keys and other tokens; only the latest ACTIVE revision of each family")),
    ("ecs_task_definitions_no_privileged_containers", Partial(&["ecs_task_definition_privileged_containers"], ECS_LATEST)),
    ("ecs_task_set_no_assign_public_ip", Missing("needs ECS task sets (ecs:DescribeTaskSets), which the inventory does not hold (clusters, services and task definitions are collected)")),
    // EFS
    ("efs_access_point_enforce_root_directory", Equivalent(&["efs_access_point_root_directory"])),
    ("efs_access_point_enforce_user_identity", Equivalent(&["efs_access_point_user_identity"])),
    ("efs_encryption_at_rest_enabled", Equivalent(&["efs_encrypted"])),
    ("efs_have_backup_enabled", Equivalent(&["efs_automatic_backups"])),
    ("efs_mount_target_not_publicly_accessible", Equivalent(&["efs_mount_target_public_subnet"])),
    ("efs_multi_az_enabled", Equivalent(&["efs_multi_az"])),
    ("efs_not_publicly_accessible", Partial(&["efs_file_system_public"], "the same failures (no policy, or a statement allowing everyone); a statement is public by the definition the SNS, SQS and KMS checks share, so a condition pinning the caller's account or organization restricts it where Prowler's own list of keys may differ")),
    // ELB (classic)
    ("elb_connection_draining_enabled", Equivalent(&["elb_classic_connection_draining"])),
    ("elb_cross_zone_load_balancing_enabled", Equivalent(&["elb_classic_cross_zone"])),
    ("elb_desync_mitigation_mode", Equivalent(&["elb_classic_desync_mitigation"])),
    ("elb_insecure_ssl_ciphers", Partial(&["elb_listener_security"], LISTENER)),
    ("elb_internet_facing", Partial(&["inspector_network_reachability"], LB_REACH)),
    ("elb_is_in_multiple_az", Equivalent(&["elb_multi_az"])),
    ("elb_logging_enabled", Equivalent(&["elb_logging"])),
    ("elb_ssl_listeners", Partial(&["elb_listener_security"], LISTENER)),
    ("elb_ssl_listeners_use_acm_certificate", Equivalent(&["elb_classic_acm_certificate"])),
    // ELB (application, network, gateway)
    ("elbv2_alb_drop_invalid_header_fields_enabled", Equivalent(&["elb_alb_drop_invalid_headers"])),
    ("elbv2_cross_zone_load_balancing_enabled", Equivalent(&["elb_v2_cross_zone"])),
    ("elbv2_deletion_protection", Equivalent(&["elb_deletion_protection"])),
    ("elbv2_desync_mitigation_mode", Partial(&["elb_alb_desync_mitigation"], "Security Hub ELB.12: the mode must be defensive or strictest; Prowler also accepts monitor mode when invalid headers are dropped")),
    ("elbv2_insecure_ssl_ciphers", Partial(&["elb_listener_security"], LISTENER)),
    ("elbv2_internet_facing", Partial(&["inspector_network_reachability"], LB_REACH)),
    ("elbv2_is_in_multiple_az", Equivalent(&["elb_multi_az"])),
    ("elbv2_listener_fips_tls_enabled", Missing("Prowler-specific: FIPS TLS policies are in no standard Rampart maps")),
    ("elbv2_listener_pqc_tls_enabled", Missing("Prowler-specific: post-quantum TLS policies are in no standard Rampart maps")),
    ("elbv2_listeners_underneath", Equivalent(&["elb_v2_without_listeners"])),
    ("elbv2_logging_enabled", Equivalent(&["elb_logging"])),
    ("elbv2_nlb_tls_termination_enabled", Partial(&["elb_listener_security"], LISTENER)),
    ("elbv2_ssl_listeners", Partial(&["elb_listener_security", "elb_alb_http_redirect"], "Trusted Advisor's listener security and Security Hub ELB.1 (HTTP listeners redirect to HTTPS) together")),
    ("elbv2_waf_acl_attached", Missing("needs the web ACLs associated with load balancers (wafv2), which the inventory does not hold")),
    // GuardDuty
    ("guardduty_ai_protection_enabled", Missing("Prowler-specific: AI Protection is in no standard Rampart maps; the inventory holds the detector's features")),
    ("guardduty_centrally_managed", Missing("needs the detector's administrator account (guardduty:GetAdministratorAccount), which the inventory does not hold")),
    ("guardduty_delegated_admin_enabled_all_regions", Missing(ORGS)),
    ("guardduty_ec2_malware_protection_enabled", Equivalent(&["guardduty_ec2_malware_protection"])),
    ("guardduty_eks_audit_log_enabled", Equivalent(&["guardduty_eks_audit_logs"])),
    ("guardduty_eks_runtime_monitoring_enabled", Equivalent(&["guardduty_eks_runtime_monitoring"])),
    ("guardduty_is_enabled", Equivalent(&["guardduty_enabled"])),
    ("guardduty_lambda_protection_enabled", Equivalent(&["guardduty_lambda_protection"])),
    ("guardduty_no_high_severity_findings", Missing("needs GuardDuty's findings, which the inventory does not hold")),
    ("guardduty_rds_protection_enabled", Equivalent(&["guardduty_rds_protection"])),
    ("guardduty_runtime_monitoring_enabled", Equivalent(&["guardduty_runtime_monitoring"])),
    ("guardduty_s3_protection_enabled", Equivalent(&["guardduty_s3_protection"])),
    // IAM
    ("iam_administrator_access_with_mfa", Equivalent(&["iam_administrator_access_with_mfa"])),
    ("iam_avoid_root_usage", Partial(&["iam_root_recent_use"], "the most recent use of the password or either access key counts; Prowler looks at the password's last use when there is one, and at a key's only otherwise")),
    ("iam_aws_attached_policy_no_administrative_privileges", Partial(&["iam_user_administrator_access", "iam_group_administrator_access", "iam_role_administrator_access"], "AdministratorAccess is the AWS managed policy that allows `*` on `*`: Rampart reports each user, group and role holding it; Prowler reports the policy once when it is attached, and would also catch another AWS managed policy with such a statement")),
    ("iam_check_saml_providers_sts", Equivalent(&["iam_saml_provider"])),
    ("iam_customer_attached_policy_no_administrative_privileges", Partial(&["iam_policy_full_admin"], ADMIN_POLICY)),
    ("iam_customer_unattached_policy_no_administrative_privileges", Partial(&["iam_policy_full_admin"], ADMIN_POLICY)),
    ("iam_group_administrator_access_policy", Partial(&["iam_group_administrator_access"], ADMIN_ACCESS)),
    ("iam_inline_policy_allows_privilege_escalation", Missing("Prowler-specific list of action combinations that allow privilege escalation; no standard Rampart maps has it")),
    ("iam_inline_policy_no_administrative_privileges", Partial(&["iam_inline_policy_full_admin"], "Security Hub IAM.1's definition: an Allow statement of `*` on `*`; Prowler also counts NotAction and NotResource forms and subtracts what Deny statements take away")),
    ("iam_inline_policy_no_full_access_to_cloudtrail", Partial(&["iam_inline_policy_service_wildcard"], INLINE_SERVICE_WILDCARD)),
    ("iam_inline_policy_no_full_access_to_kms", Partial(&["iam_inline_policy_service_wildcard"], INLINE_SERVICE_WILDCARD)),
    ("iam_inline_policy_no_wildcard_marketplace_subscribe", Missing("Prowler-specific: Marketplace subscriptions are in no standard Rampart maps")),
    ("iam_no_custom_policy_permissive_role_assumption", Equivalent(&["iam_policy_permissive_role_assumption"])),
    ("iam_no_expired_server_certificates_stored", Equivalent(&["iam_expired_server_certificates"])),
    ("iam_no_root_access_key", Equivalent(&["iam_root_access_key"])),
    ("iam_password_policy_expires_passwords_within_90_days_or_less", Missing("CIS v3.0.0 no longer asks for password expiry (NIST SP 800-63B advises against it), so Rampart does not judge it")),
    ("iam_password_policy_lowercase", Partial(&["iam_password_policy"], PASSWORD)),
    ("iam_password_policy_minimum_length_14", Partial(&["iam_password_policy"], PASSWORD)),
    ("iam_password_policy_number", Partial(&["iam_password_policy"], PASSWORD)),
    ("iam_password_policy_reuse_24", Partial(&["iam_password_policy"], PASSWORD)),
    ("iam_password_policy_symbol", Partial(&["iam_password_policy"], PASSWORD)),
    ("iam_password_policy_uppercase", Partial(&["iam_password_policy"], PASSWORD)),
    ("iam_policy_allows_privilege_escalation", Missing("Prowler-specific list of action combinations that allow privilege escalation; no standard Rampart maps has it")),
    ("iam_policy_attached_only_to_group_or_roles", Equivalent(&["iam_user_policies_attached"])),
    ("iam_policy_cloudshell_admin_not_attached", Equivalent(&["iam_cloudshell_full_access"])),
    ("iam_policy_no_agentcore_workload_access_token_wildcard", Missing("Prowler-specific: Bedrock AgentCore permissions are in no standard Rampart maps")),
    ("iam_policy_no_full_access_to_cloudtrail", Partial(&["iam_policy_service_wildcard"], SERVICE_WILDCARD)),
    ("iam_policy_no_full_access_to_kms", Partial(&["iam_policy_service_wildcard"], SERVICE_WILDCARD)),
    ("iam_policy_no_wildcard_marketplace_subscribe", Missing("Prowler-specific: Marketplace subscriptions are in no standard Rampart maps")),
    ("iam_policy_passrole_to_bedrock_agentcore_restricted", Missing("Prowler-specific: Bedrock AgentCore permissions are in no standard Rampart maps")),
    ("iam_role_access_not_stale_to_bedrock", Missing(ACCESS_ADVISOR)),
    ("iam_role_administratoraccess_policy", Partial(&["iam_role_administrator_access"], ADMIN_ACCESS)),
    ("iam_role_cross_account_readonlyaccess_policy", Partial(&["iam_role_cross_account_read_only"], "only the AWS managed ReadOnlyAccess policy counts (Prowler goes by the name), and an `AWS` principal counts as another account's when its account id differs (Prowler looks for the account id as a substring)")),
    ("iam_role_cross_service_confused_deputy_prevention", Missing("not implemented yet: Prowler fails every role a service may assume unless its trust policy has an aws:SourceAccount or aws:SourceArn condition, EC2 instance roles included; which services pass those keys when they assume a role is to be settled per service first (the inventory holds the trust policies)")),
    ("iam_role_service_trust_restricts_source_to_account", Missing("not implemented yet: the inventory holds each role's trust policy")),
    ("iam_root_credentials_management_enabled", Missing(ORGS)),
    ("iam_root_hardware_mfa_enabled", Equivalent(&["iam_root_hardware_mfa"])),
    ("iam_root_mfa_enabled", Equivalent(&["iam_root_mfa"])),
    ("iam_rotate_access_key_90_days", Equivalent(&["iam_access_key_rotation"])),
    ("iam_securityaudit_role_created", Equivalent(&["iam_securityaudit_role"])),
    ("iam_support_role_created", Equivalent(&["iam_support_role"])),
    ("iam_user_access_not_stale_to_bedrock", Missing(ACCESS_ADVISOR)),
    ("iam_user_access_not_stale_to_sagemaker", Missing(ACCESS_ADVISOR)),
    ("iam_user_accesskey_unused", Partial(&["iam_credentials_unused_45_days"], UNUSED)),
    ("iam_user_administrator_access_policy", Partial(&["iam_user_administrator_access"], ADMIN_ACCESS)),
    ("iam_user_console_access_unused", Partial(&["iam_credentials_unused_45_days"], UNUSED)),
    ("iam_user_hardware_mfa_enabled", Equivalent(&["iam_user_hardware_mfa"])),
    ("iam_user_mfa_enabled_console_access", Equivalent(&["iam_user_console_mfa"])),
    ("iam_user_no_setup_initial_access_key", Equivalent(&["iam_user_initial_access_key"])),
    ("iam_user_two_active_access_key", Equivalent(&["iam_user_one_active_access_key"])),
    ("iam_user_with_temporary_credentials", Missing(ACCESS_ADVISOR)),
    // KMS
    ("kms_cmk_are_used", Missing("Prowler-specific hygiene check (disabled keys); no standard Rampart maps has it; the inventory holds key states")),
    ("kms_cmk_not_deleted_unintentionally", Equivalent(&["kms_key_pending_deletion"])),
    ("kms_cmk_not_multi_region", Equivalent(&["kms_key_multi_region"])),
    ("kms_cmk_rotation_enabled", Equivalent(&["kms_key_rotation"])),
    ("kms_key_enclave_attestation_bypassable_path", Missing(ENCLAVE)),
    ("kms_key_enclave_attestation_no_deployment_binding", Missing(ENCLAVE)),
    ("kms_key_enclave_attestation_not_enforced", Missing(ENCLAVE)),
    ("kms_key_enclave_attestation_pcr_mismatch", Missing(ENCLAVE)),
    ("kms_key_enclave_attestation_unknown_image", Missing(ENCLAVE)),
    ("kms_key_enclave_debug_attestation_detected", Missing(ENCLAVE)),
    ("kms_key_not_publicly_accessible", Equivalent(&["kms_key_public"])),
    // RDS
    ("rds_cluster_backtrack_enabled", Equivalent(&["rds_aurora_backtracking"])),
    ("rds_cluster_copy_tags_to_snapshots", Equivalent(&["rds_cluster_copy_tags_to_snapshots"])),
    ("rds_cluster_critical_event_subscription", Equivalent(&["rds_event_subscription_cluster"])),
    ("rds_cluster_default_admin", Equivalent(&["rds_cluster_default_admin_username"])),
    ("rds_cluster_deletion_protection", Equivalent(&["rds_cluster_deletion_protection"])),
    ("rds_cluster_iam_authentication_enabled", Equivalent(&["rds_cluster_iam_authentication"])),
    ("rds_cluster_integration_cloudwatch_logs", Partial(&["rds_aurora_mysql_audit_logs"], "Security Hub RDS.34: Aurora MySQL clusters must export audit logs; Prowler accepts any log export from any cluster")),
    ("rds_cluster_minor_version_upgrade_enabled", Equivalent(&["rds_cluster_auto_minor_version_upgrade"])),
    ("rds_cluster_multi_az", Equivalent(&["rds_cluster_multi_az"])),
    ("rds_cluster_non_default_port", Equivalent(&["rds_cluster_default_port"])),
    ("rds_cluster_protected_by_backup_plan", Missing(BACKUP)),
    ("rds_cluster_storage_encrypted", Equivalent(&["rds_cluster_storage_encrypted"])),
    ("rds_instance_backup_enabled", Partial(&["rds_backups"], "stricter: Security Hub RDS.11 requires at least 7 days of automated backups; Prowler more than 0")),
    ("rds_instance_certificate_expiration", Partial(&["rds_instance_certificate_expiry"], "fails within 90 days of expiry at one severity; Prowler fails within three calendar months and raises the severity as expiry nears")),
    ("rds_instance_copy_tags_to_snapshots", Equivalent(&["rds_instance_copy_tags_to_snapshots"])),
    ("rds_instance_critical_event_subscription", Equivalent(&["rds_event_subscription_instance"])),
    ("rds_instance_default_admin", Equivalent(&["rds_instance_default_admin_username"])),
    ("rds_instance_deletion_protection", Equivalent(&["rds_deletion_protection"])),
    ("rds_instance_deprecated_engine_version", Missing("needs the engine versions RDS still offers (rds:DescribeDBEngineVersions), which the inventory does not hold")),
    ("rds_instance_enhanced_monitoring_enabled", Equivalent(&["rds_enhanced_monitoring"])),
    ("rds_instance_event_subscription_parameter_groups", Equivalent(&["rds_event_subscription_parameter_group"])),
    ("rds_instance_event_subscription_security_groups", Equivalent(&["rds_event_subscription_security_group"])),
    ("rds_instance_extended_support", Equivalent(&["rds_instance_extended_support"])),
    ("rds_instance_iam_authentication_enabled", Equivalent(&["rds_instance_iam_authentication"])),
    ("rds_instance_inside_vpc", Missing("EC2-Classic was retired in 2023, so every DB instance is in a VPC; a DB subnet group without a VPC in the inventory means data that was not read (moto, for one, reports none for instances created without a subnet group), not a finding")),
    ("rds_instance_integration_cloudwatch_logs", Partial(&["rds_instance_cloudwatch_logs"], "Security Hub RDS.9: the logs the control names for the engine must be exported; Prowler accepts any")),
    ("rds_instance_minor_version_upgrade_enabled", Equivalent(&["rds_auto_minor_version_upgrade"])),
    ("rds_instance_multi_az", Equivalent(&["rds_multi_az"])),
    ("rds_instance_no_public_access", Partial(&["rds_instance_public_access"], "Security Hub RDS.2: the PubliclyAccessible flag alone fails; Prowler also requires a security group open to the internet")),
    ("rds_instance_non_default_port", Equivalent(&["rds_instance_default_port"])),
    ("rds_instance_protected_by_backup_plan", Missing(BACKUP)),
    ("rds_instance_storage_encrypted", Equivalent(&["rds_storage_encrypted"])),
    ("rds_instance_transport_encrypted", Partial(&["rds_instance_transport_encrypted"], "judges DB instances of PostgreSQL, SQL Server, MySQL and MariaDB by their parameter group; Prowler also judges Aurora clusters by their cluster parameter group")),
    ("rds_snapshots_encrypted", Equivalent(&["rds_snapshots_encrypted"])),
    ("rds_snapshots_public_access", Equivalent(&["rds_public_snapshots"])),
    // Route 53
    ("route53_dangling_ip_subdomain_takeover", Partial(&["route53_dangling_ip"], "the same A-record and S3-website CNAME judgements, AAAA records too; the account's addresses are those of the scanned regions (Prowler reads Elastic IPs in every region) and AWS's ranges come from a dated snapshot (the bundled one of 2022-09-01, or a newer one from `rampart ip-ranges update`) instead of a download at each run; a foreign public address outside a snapshot more than 90 days old is NOT_AVAILABLE, never passed")),
    ("route53_domains_privacy_protection_enabled", Missing("service not collected (route53domains): registered domains are not inventoried")),
    ("route53_domains_transferlock_enabled", Missing("service not collected (route53domains): registered domains are not inventoried")),
    ("route53_public_hosted_zones_cloudwatch_logging_enabled", Equivalent(&["route53_query_logging"])),
    // S3
    ("s3_access_point_public_access_block", Equivalent(&["s3_access_point_public_access_block"])),
    ("s3_account_level_public_access_blocks", Partial(&["s3_account_public_access_block"], "stricter: all four settings must be on (CIS 2.1.4, Security Hub S3.1); Prowler asks for two")),
    ("s3_bucket_acl_prohibited", Equivalent(&["s3_bucket_acls_disabled"])),
    ("s3_bucket_cross_account_access", Partial(&["s3_bucket_cross_account_actions"], "Security Hub S3.6: only grants of actions that change the bucket's permissions or encryption to other accounts fail; Prowler fails any grant to another account")),
    ("s3_bucket_cross_region_replication", Partial(&["s3_bucket_cross_region_replication"], "passes only when an enabled rule's destination is a bucket of the account in another Region; a destination outside the inventory is NOT_AVAILABLE")),
    ("s3_bucket_default_encryption", Missing("deprecated by Prowler: S3 encrypts every new object by default since January 2023")),
    ("s3_bucket_event_notifications_enabled", Equivalent(&["s3_bucket_event_notifications"])),
    ("s3_bucket_kms_encryption", Equivalent(&["s3_bucket_kms_encryption"])),
    ("s3_bucket_level_public_access_block", Partial(&["s3_bucket_public_access_block"], "stricter: all four settings must be on at bucket level (Security Hub S3.8); Prowler asks for two, at bucket or account level")),
    ("s3_bucket_lifecycle_enabled", Equivalent(&["s3_bucket_lifecycle"])),
    ("s3_bucket_no_mfa_delete", Equivalent(&["s3_bucket_mfa_delete"])),
    ("s3_bucket_object_lock", Equivalent(&["s3_bucket_object_lock"])),
    ("s3_bucket_object_public", Missing("needs object ACLs, which a configuration scan does not read")),
    ("s3_bucket_object_versioning", Equivalent(&["s3_bucket_versioning"])),
    ("s3_bucket_policy_public_write_access", Partial(&["s3_bucket_public_write"], "judges the ACL and the bucket policy together, with S3's definition of public (Trusted Advisor, Security Hub S3.3)")),
    ("s3_bucket_public_access", Partial(&["s3_bucket_public_read", "s3_bucket_public_write"], "public read or list and public write are two checks, each judging the ACL and the bucket policy with S3's definition of public")),
    ("s3_bucket_public_list_acl", Partial(&["s3_bucket_public_read"], "judges read and list, through the ACL and the bucket policy, together")),
    ("s3_bucket_public_write_acl", Partial(&["s3_bucket_public_write"], "judges the ACL and the bucket policy together")),
    ("s3_bucket_secure_transport_policy", Equivalent(&["s3_bucket_ssl_required"])),
    ("s3_bucket_server_access_logging_enabled", Equivalent(&["s3_bucket_access_logging"])),
    ("s3_bucket_shadow_resource_vulnerability", Missing("Prowler-specific heuristic: guesses bucket names that AWS services create in other accounts; no standard Rampart maps has it")),
    ("s3_multi_region_access_point_public_access_block", Equivalent(&["s3_multi_region_access_point_public_access_block"])),
    // Secrets Manager
    ("secretsmanager_automatic_rotation_enabled", Equivalent(&["secretsmanager_rotation_enabled"])),
    ("secretsmanager_has_restrictive_resource_policy", Missing("Prowler-specific judgement of a restrictive secret policy (explicit denies for every other principal); Rampart reports policies that grant to everyone (`secretsmanager_secret_public`)")),
    ("secretsmanager_not_publicly_accessible", Equivalent(&["secretsmanager_secret_public"])),
    ("secretsmanager_secret_rotated_periodically", Partial(&["secretsmanager_rotated_within_90_days"], "Security Hub SecretsManager.4 with its 90 days; a secret never rotated is judged by its creation date (it passes while younger than 90 days)")),
    ("secretsmanager_secret_unused", Partial(&["secretsmanager_unused_90_days"], "Security Hub SecretsManager.3 with its 90 days; a secret never read passes while younger than 90 days, where Prowler fails every secret never read")),
    // Security Hub
    ("securityhub_delegated_admin_enabled_all_regions", Missing(ORGS)),
    ("securityhub_enabled", Partial(&["securityhub_enabled"], "Security Hub SecurityHub.1: the hub must be enabled; Prowler also requires a standard or an integration")),
    // SNS, SQS
    ("sns_subscription_not_using_http_endpoints", Partial(&["sns_subscription_http"], "one result per topic naming its `http` subscriptions; Prowler reports each subscription")),
    ("sns_topics_kms_encryption_at_rest_enabled", Equivalent(&["sns_topic_encrypted"])),
    ("sns_topics_not_publicly_accessible", Equivalent(&["sns_topic_public"])),
    ("sqs_queues_not_publicly_accessible", Equivalent(&["sqs_queue_public"])),
    ("sqs_queues_server_side_encryption_enabled", Equivalent(&["sqs_queue_encrypted"])),
    // VPC
    ("vpc_different_regions", Partial(&["ec2_vpc_in_several_regions"], "NOT_AVAILABLE when only one region was scanned or a region's VPCs could not be listed; Prowler judges the regions it scanned whatever their number")),
    ("vpc_endpoint_connections_trust_boundaries", Missing("needs a list of trusted accounts, which Rampart's configuration does not have yet; the inventory holds the endpoint policies")),
    ("vpc_endpoint_for_ec2_enabled", Equivalent(&["ec2_vpc_endpoint_ec2"])),
    ("vpc_endpoint_multi_az_enabled", Equivalent(&["ec2_vpc_endpoint_multi_az"])),
    ("vpc_endpoint_services_allowed_principals_trust_boundaries", Missing("needs the account's endpoint services and their allowed principals, which the inventory does not hold")),
    ("vpc_flow_logs_enabled", Partial(&["ec2_vpc_flow_logs"], "stricter: the flow log must record rejected traffic (Security Hub EC2.6, CIS 3.7); Prowler accepts any active flow log")),
    ("vpc_peering_routing_tables_with_least_privilege", Missing("not implemented yet: the inventory holds route tables and peering connections")),
    ("vpc_subnet_different_az", Equivalent(&["ec2_vpc_subnets_multi_az"])),
    ("vpc_subnet_no_public_ip_by_default", Equivalent(&["ec2_subnet_auto_assign_public_ip"])),
    ("vpc_subnet_separate_private_public", Missing("Prowler-specific design heuristic; no standard Rampart maps has it; the inventory holds subnets and route tables")),
    ("vpc_vpn_connection_tunnels_up", Equivalent(&["ec2_vpn_tunnels_up"])),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn the_list_is_prowlers_whole_aws_provider() {
        let checks = prowler_checks();
        assert_eq!(checks.len(), 668, "Prowler {PROWLER_VERSION} ships 668 AWS checks");
        let ids: BTreeSet<&str> = checks.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids.len(), checks.len(), "duplicate ids in the list");
    }

    /// Every Prowler id has exactly one entry, every entry names a Prowler id, and the
    /// services judged one by one are exactly those not listed as uncollected.
    #[test]
    fn every_prowler_check_has_exactly_one_entry() {
        let checks = prowler_checks();
        let service_of: BTreeMap<&str, &str> = checks.iter().copied().collect();
        let mut seen = BTreeMap::new();
        for (id, _) in TABLE {
            assert!(service_of.contains_key(id), "TABLE names `{id}`, which is not a Prowler {PROWLER_VERSION} AWS check");
            assert!(seen.insert(*id, ()).is_none(), "`{id}` is in TABLE twice");
            assert!(collected(service_of[id]), "`{id}` is judged in TABLE but its service `{}` is listed in UNCOLLECTED", service_of[id]);
        }
        let services: BTreeSet<&str> = checks.iter().map(|(_, s)| *s).collect();
        for (service, _) in UNCOLLECTED {
            assert!(services.contains(service), "UNCOLLECTED names `{service}`, a service with no Prowler check");
        }
        assert_eq!(UNCOLLECTED.iter().map(|(s, _)| s).collect::<BTreeSet<_>>().len(), UNCOLLECTED.len(), "a service twice in UNCOLLECTED");
        for (id, service) in &checks {
            if collected(service) {
                assert!(
                    seen.contains_key(id),
                    "Prowler check `{id}` ({service}, a service Rampart collects) has no entry in TABLE: judge it"
                );
            }
            assert!(parity(id, service).is_some());
        }
    }

    #[test]
    fn every_rampart_check_named_exists() {
        for (id, p) in TABLE {
            let (named, why): (&[&str], &str) = match p {
                Parity::Equivalent(ids) => (ids, ""),
                Parity::Partial(ids, why) => (ids, why),
                Parity::Missing(why) => (&[], why),
            };
            if !matches!(p, Parity::Missing(_)) {
                assert!(!named.is_empty(), "`{id}`: an equivalent or partial entry names no Rampart check");
            }
            for c in named {
                assert!(crate::check(c).is_some(), "`{id}` maps to `{c}`, which is not in REGISTRY");
            }
            assert!(matches!(p, Parity::Equivalent(_)) || why.len() > 10, "`{id}`: give a reason in words");
        }
    }

    /// `docs/checks.md` carries the parity: counts that add up, the column, the sections.
    #[test]
    fn docs_carry_the_parity() {
        let checks = prowler_checks();
        let (e, p, m) = counts(checks.iter());
        assert_eq!(e + p + m, 668);
        assert!(e > 0 && p > 0 && m > 0);
        let md = crate::checks_markdown();
        assert!(
            md.contains(&format!("of its 668 checks, {e} have an equivalent Rampart check, {p} a partial one")),
            "{}",
            markdown_summary()
        );
        // The moto column stays last: crates/cli/tests/scan.rs reads `| fail + pass |` line ends.
        assert!(md.contains("| standards | Prowler equivalent | moto |"));
        assert!(md.lines().any(|l| l.starts_with("| `s3_bucket_public_read` |") && l.ends_with("| fail + pass |")));
        assert!(md.contains("| `s3_bucket_versioning` |") && md.contains("| `s3_bucket_object_versioning` | unit |\n"));
        assert!(md.contains("`iam_password_policy_symbol` (partial)"));
        assert!(md.contains("\n## Prowler checks without an equivalent\n"));
        assert!(md.contains("\n### bedrock\n\nservice not collected (bedrock)"));
        assert!(md.contains("| `ec2_elastic_ip_shodan` | Prowler-specific"));
        for (id, service) in &checks {
            if let Some(Parity::Missing(_)) = parity(id, service) {
                assert!(md.contains(&format!("`{id}`")), "{id} is missing from docs/checks.md");
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(parity("s3_bucket_object_versioning", "s3"), Some(Parity::Equivalent(&["s3_bucket_versioning"])));
        assert!(
            matches!(parity("bedrock_guardrail_prompt_attack_filter_enabled", "bedrock"), Some(Parity::Missing(why)) if why.contains("not collected (bedrock)"))
        );
        assert_eq!(parity("no_such_check", "s3"), None);
        assert!(collected("ec2") && !collected("bedrock"));
        assert!(mapped_to("s3_bucket_versioning").contains(&("s3_bucket_object_versioning", true)));
        assert!(mapped_to("iam_password_policy").contains(&("iam_password_policy_symbol", false)));
    }
}

/// Counts of a set of Prowler checks: (equivalent, partial, missing).
fn counts<'a>(checks: impl Iterator<Item = &'a (&'static str, &'static str)>) -> (usize, usize, usize) {
    let mut n = (0, 0, 0);
    for (id, service) in checks {
        match parity(id, service) {
            Some(Parity::Equivalent(_)) => n.0 += 1,
            Some(Parity::Partial(..)) => n.1 += 1,
            _ => n.2 += 1,
        }
    }
    n
}

/// The paragraph of `docs/checks.md` that sums the parity up.
pub fn markdown_summary() -> String {
    let checks = prowler_checks();
    let (e, p, m) = counts(checks.iter());
    let on: Vec<_> = checks.iter().filter(|(_, s)| collected(s)).copied().collect();
    let (ce, cp, cm) = counts(on.iter());
    format!(
        "**Prowler parity** (Prowler {PROWLER_VERSION}, AWS provider, `crates/checks/src/prowler.rs`): of its {} checks, \
         {e} have an equivalent Rampart check, {p} a partial one (same risk, different definition: see \
         [Partial equivalents](#partial-equivalents)) and {m} none ([Prowler checks without an equivalent](#prowler-checks-without-an-equivalent)). \
         Of the {} on services Rampart collects: {ce} equivalent, {cp} partial, {cm} without.\n\n",
        checks.len(),
        on.len()
    )
}

/// The "Prowler equivalent" cell of Rampart check `check`: the Prowler ids mapped to it,
/// partial ones marked.
pub fn markdown_cell(check: &str) -> String {
    let ids = mapped_to(check);
    if ids.is_empty() {
        return "—".to_string();
    }
    ids.iter().map(|(id, full)| if *full { format!("`{id}`") } else { format!("`{id}` (partial)") }).collect::<Vec<_>>().join("<br>")
}

/// The sections of `docs/checks.md` on partial equivalents and Prowler checks without one,
/// grouped by Prowler's service.
pub fn markdown_sections() -> String {
    let checks = prowler_checks();
    let mut services: Vec<&str> = checks.iter().map(|(_, s)| *s).collect();
    services.dedup();
    services.sort();
    services.dedup();
    let mut s = String::from(
        "\n## Partial equivalents\n\nProwler checks whose risk a Rampart check covers with a different definition, and how it differs.\n\n\
         | Prowler check | Rampart | how it differs |\n|---|---|---|\n",
    );
    for (id, service) in &checks {
        if let Some(Parity::Partial(ids, why)) = parity(id, service) {
            let ids: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
            s.push_str(&format!("| `{id}` | {} | {why} |\n", ids.join("<br>")));
        }
    }
    s.push_str(
        "\n## Prowler checks without an equivalent\n\nBy Prowler's service. On services Rampart collects, each check with its reason; \
         on services it does not collect, the service's reason and its checks.\n",
    );
    for service in services {
        let missing: Vec<(&str, &str)> = checks
            .iter()
            .filter(|(_, s)| *s == service)
            .filter_map(|(id, s)| match parity(id, s) {
                Some(Parity::Missing(why)) => Some((*id, why)),
                _ => None,
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        if collected(service) {
            s.push_str(&format!("\n### {service}\n\n| Prowler check | reason |\n|---|---|\n"));
            for (id, why) in missing {
                s.push_str(&format!("| `{id}` | {why} |\n"));
            }
        } else {
            let ids: Vec<String> = missing.iter().map(|(id, _)| format!("`{id}`")).collect();
            s.push_str(&format!("\n### {service}\n\n{} ({} checks): {}.\n", missing[0].1, missing.len(), ids.join(", ")));
        }
    }
    s
}
