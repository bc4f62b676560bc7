//! Security checks: pure functions from an [`Inventory`] to results.
//!
//! **Architecture invariant:** a check reads only the inventory and the [`Ctx`] it is given
//! (time is an input); no I/O, no clock, deterministic order. Data the collector could not
//! read yields NOT_AVAILABLE, never PASSED.
//!
//! One check = one file under `aws/<service>/`, holding a `pub static CHECK: Check` with
//! its metadata, its logic and its pass / fail / not-available tests. [`REGISTRY`] lists
//! them all explicitly.

pub mod aws;
pub mod prowler;
pub mod ip_ranges;
pub mod reads;
mod emit;
#[cfg(test)]
pub(crate) mod testkit;

pub use emit::Emit;
pub use rampart_config::Thresholds;

use rampart_inventory::{Account, Inventory};
use rampart_model::{CheckMeta, CheckResult, Finding, Resource, ResourceType, Timestamp};

/// Inputs every check gets.
pub struct Ctx<'a> {
    pub inventory: &'a Inventory,
    /// "Now" for age computations; taken from the caller, never from the clock.
    pub now: Timestamp,
    /// The numbers checks compare against (key age, password length, quota percentages...);
    /// `[thresholds]` of the configuration file, or the standards' defaults.
    pub thresholds: &'a Thresholds,
    /// AWS's published IP ranges (`route53_dangling_ip`): a snapshot given by the caller
    /// ([`run_with_ip_ranges`]), else the one bundled with this build ([`ip_ranges::bundled`]),
    /// else none (the addresses they would judge are NOT_AVAILABLE).
    pub ip_ranges: Option<&'a ip_ranges::AwsIpRanges>,
}

/// A check: its metadata and its logic.
pub struct Check {
    pub meta: CheckMeta,
    pub run: fn(&Ctx, &mut Emit),
}

/// Every check Rampart runs, in a stable order.
pub static REGISTRY: &[&Check] = &[
    &aws::s3::bucket_public_read::CHECK,
    &aws::s3::bucket_public_write::CHECK,
    &aws::s3::account_public_access_block::CHECK,
    &aws::s3::bucket_ssl_required::CHECK,
    &aws::s3::bucket_public_access_block::CHECK,
    &aws::s3::bucket_access_logging::CHECK,
    &aws::s3::bucket_acls_disabled::CHECK,
    &aws::s3::bucket_cross_account_actions::CHECK,
    &aws::s3::bucket_lifecycle::CHECK,
    &aws::s3::access_point_public_access_block::CHECK,
    &aws::s3::multi_region_access_point_public_access_block::CHECK,
    &aws::ec2::sg_specific_ports_unrestricted::CHECK,
    &aws::ec2::sg_unrestricted_access::CHECK,
    &aws::ec2::sg_high_risk_ports::CHECK,
    &aws::ec2::sg_admin_ports_unrestricted::CHECK,
    &aws::iam::root_mfa::CHECK,
    // IAM
    &aws::iam::password_policy::CHECK,
    &aws::iam::access_key_rotation::CHECK,
    &aws::iam::iam_use::CHECK,
    &aws::iam::root_access_key::CHECK,
    &aws::iam::user_console_mfa::CHECK,
    &aws::iam::credentials_unused_45_days::CHECK,
    &aws::iam::policy_full_admin::CHECK,
    &aws::iam::user_policies_attached::CHECK,
    &aws::iam::root_hardware_mfa::CHECK,
    &aws::iam::credentials_unused_90_days::CHECK,
    &aws::iam::policy_service_wildcard::CHECK,
    // EC2 / EBS
    &aws::ec2::ebs_public_snapshots::CHECK,
    &aws::ec2::ebs_default_encryption::CHECK,
    &aws::ec2::default_sg_restricts_all::CHECK,
    &aws::ec2::imdsv2_required::CHECK,
    &aws::ec2::ebs_attached_volumes_encrypted::CHECK,
    &aws::ec2::vpc_flow_logs::CHECK,
    &aws::ec2::instance_public_ip::CHECK,
    &aws::ec2::subnet_auto_assign_public_ip::CHECK,
    &aws::ec2::nacl_unused::CHECK,
    &aws::ec2::sg_unauthorized_ports_open::CHECK,
    &aws::ec2::nacl_admin_ports_unrestricted::CHECK,
    &aws::ec2::instance_stopped_too_long::CHECK,
    &aws::ec2::instance_multiple_enis::CHECK,
    &aws::ec2::instance_paravirtual::CHECK,
    &aws::ec2::eni_source_dest_check::CHECK,
    &aws::ec2::launch_template_public_ip::CHECK,
    &aws::ec2::launch_template_imdsv2::CHECK,
    &aws::ec2::launch_template_ebs_encrypted::CHECK,
    &aws::ec2::vpc_endpoint_ec2::CHECK,
    &aws::ec2::vpc_endpoint_ecr_api::CHECK,
    &aws::ec2::vpc_endpoint_ecr_dkr::CHECK,
    &aws::ec2::vpc_endpoint_ssm::CHECK,
    &aws::ec2::vpc_endpoint_ssm_contacts::CHECK,
    &aws::ec2::vpc_endpoint_ssm_incidents::CHECK,
    &aws::ec2::vpn_tunnels_up::CHECK,
    &aws::ec2::vpn_connection_logging::CHECK,
    &aws::ec2::client_vpn_connection_logging::CHECK,
    &aws::ec2::vpc_block_public_access::CHECK,
    &aws::ec2::transit_gateway_auto_accept::CHECK,
    // RDS
    &aws::rds::public_snapshots::CHECK,
    &aws::rds::security_group_access_risk::CHECK,
    &aws::rds::instance_public_access::CHECK,
    &aws::rds::storage_encrypted::CHECK,
    &aws::rds::snapshots_encrypted::CHECK,
    &aws::rds::multi_az::CHECK,
    &aws::rds::backups::CHECK,
    &aws::rds::deletion_protection::CHECK,
    &aws::rds::auto_minor_version_upgrade::CHECK,
    &aws::rds::enhanced_monitoring::CHECK,
    &aws::rds::cluster_deletion_protection::CHECK,
    &aws::rds::instance_cloudwatch_logs::CHECK,
    &aws::rds::instance_iam_authentication::CHECK,
    &aws::rds::cluster_iam_authentication::CHECK,
    &aws::rds::aurora_backtracking::CHECK,
    &aws::rds::cluster_multi_az::CHECK,
    &aws::rds::cluster_copy_tags_to_snapshots::CHECK,
    &aws::rds::instance_copy_tags_to_snapshots::CHECK,
    &aws::rds::event_subscription_cluster::CHECK,
    &aws::rds::event_subscription_instance::CHECK,
    &aws::rds::event_subscription_parameter_group::CHECK,
    &aws::rds::event_subscription_security_group::CHECK,
    &aws::rds::instance_default_port::CHECK,
    &aws::rds::cluster_default_admin_username::CHECK,
    &aws::rds::instance_default_admin_username::CHECK,
    &aws::rds::cluster_storage_encrypted::CHECK,
    &aws::rds::aurora_mysql_audit_logs::CHECK,
    &aws::rds::cluster_auto_minor_version_upgrade::CHECK,
    // CloudTrail
    &aws::cloudtrail::logging::CHECK,
    &aws::cloudtrail::log_file_validation::CHECK,
    &aws::cloudtrail::bucket_public::CHECK,
    &aws::cloudtrail::kms_encryption::CHECK,
    &aws::cloudtrail::cloudwatch_logs::CHECK,
    // Route 53
    &aws::route53::mx_spf::CHECK,
    &aws::route53::deleted_health_checks::CHECK,
    &aws::autoscaling::group_resources::CHECK,
    &aws::autoscaling::group_health_check::CHECK,
    &aws::s3::bucket_versioning::CHECK,
    &aws::rds::aurora_instance_accessibility::CHECK,
    &aws::lambda::deprecated_runtime::CHECK,
    &aws::iam::user_initial_access_key::CHECK,
    &aws::iam::user_one_active_key::CHECK,
    &aws::iam::support_role::CHECK,
    &aws::iam::expired_server_certificates::CHECK,
    &aws::iam::access_analyzer_enabled::CHECK,
    &aws::cloudtrail::bucket_access_logging::CHECK,
    &aws::cloudtrail::s3_object_write_events::CHECK,
    &aws::cloudtrail::s3_object_read_events::CHECK,
    &aws::route53::alias_record_sets::CHECK,
    &aws::route53::failover_high_ttl::CHECK,
    &aws::route53::failover_record_sets::CHECK,
    &aws::cloudfront::alternate_domain_names::CHECK,
    &aws::ec2::sg_large_number_of_rules::CHECK,
    &aws::ec2::instance_large_number_of_sg_rules::CHECK,
    &aws::ec2::nat_gateway_az_independence::CHECK,
    &aws::ec2::az_balance::CHECK,
    // ELB
    &aws::elb::listener_security::CHECK,
    &aws::elb::security_groups::CHECK,
    &aws::elb::logging::CHECK,
    &aws::elb::deletion_protection::CHECK,
    &aws::elb::alb_drop_invalid_headers::CHECK,
    &aws::elb::alb_desync_mitigation::CHECK,
    &aws::elb::alb_http_redirect::CHECK,
    &aws::elb::classic_connection_draining::CHECK,
    &aws::elb::classic_cross_zone::CHECK,
    &aws::elb::classic_acm_certificate::CHECK,
    &aws::elb::classic_desync_mitigation::CHECK,
    &aws::elb::multi_az::CHECK,
    // CloudFront
    &aws::cloudfront::iam_certificate_expiry::CHECK,
    &aws::cloudfront::iam_certificate_strength::CHECK,
    &aws::cloudfront::origin_certificate::CHECK,
    &aws::cloudfront::origin_ssl_protocols::CHECK,
    &aws::cloudfront::default_root_object::CHECK,
    &aws::cloudfront::viewer_https::CHECK,
    &aws::cloudfront::logging::CHECK,
    &aws::cloudfront::waf::CHECK,
    &aws::cloudfront::custom_certificate::CHECK,
    &aws::cloudfront::sni::CHECK,
    &aws::cloudfront::custom_origin_https::CHECK,
    &aws::cloudfront::s3_origin_access_control::CHECK,
    &aws::cloudfront::origin_failover::CHECK,
    &aws::cloudfront::s3_origin_exists::CHECK,
    // KMS
    &aws::kms::key_rotation::CHECK,
    &aws::kms::key_pending_deletion::CHECK,
    &aws::kms::key_public::CHECK,
    &aws::kms::customer_policy_decrypt_all_keys::CHECK,
    &aws::kms::inline_policy_decrypt_all_keys::CHECK,
    // Lambda
    &aws::lambda::function_public_access::CHECK,
    &aws::lambda::supported_runtime::CHECK,
    &aws::lambda::vpc_multi_az::CHECK,
    // ECR
    &aws::ecr::image_scanning::CHECK,
    &aws::ecr::tag_immutability::CHECK,
    &aws::ecr::lifecycle_policy::CHECK,
    // SNS, SQS
    &aws::sns::topic_encrypted::CHECK,
    &aws::sqs::queue_encrypted::CHECK,
    &aws::sns::topic_public::CHECK,
    &aws::sqs::queue_public::CHECK,
    // ACM
    &aws::acm::certificate_expiry::CHECK,
    &aws::acm::rsa_key_length::CHECK,
    // GuardDuty, Config, Security Hub
    &aws::guardduty::enabled::CHECK,
    &aws::guardduty::eks_audit_logs::CHECK,
    &aws::guardduty::lambda_protection::CHECK,
    &aws::guardduty::eks_runtime_monitoring::CHECK,
    &aws::guardduty::rds_protection::CHECK,
    &aws::guardduty::s3_protection::CHECK,
    &aws::config::recorder_enabled::CHECK,
    &aws::securityhub::enabled::CHECK,
    &aws::inspector::network_reachability::CHECK,
    // Service limits
    &aws::servicequotas::usage::CHECK,
    // Cost optimization
    &aws::ec2::eip_unassociated::CHECK,
    &aws::ec2::ebs_volume_unattached::CHECK,
    &aws::ec2::ebs_snapshot_old::CHECK,
    &aws::elb::idle::CHECK,
    // Auto Scaling
    &aws::autoscaling::launch_config_imdsv2::CHECK,
    &aws::autoscaling::launch_config_public_ip::CHECK,
    &aws::autoscaling::group_launch_template::CHECK,
    // EFS
    &aws::efs::encrypted::CHECK,
    &aws::efs::access_point_root_directory::CHECK,
    &aws::efs::access_point_user_identity::CHECK,
    &aws::efs::mount_target_public_subnet::CHECK,
    // Fault tolerance
    &aws::ec2::ebs_volume_recent_snapshot::CHECK,
    &aws::autoscaling::group_multi_az::CHECK,
    &aws::autoscaling::group_multiple_instance_types::CHECK,
    &aws::autoscaling::group_elb_health_check::CHECK,
    &aws::efs::automatic_backups::CHECK,
    // CloudWatch: CIS 4.x metric filters and alarms, alarms, log groups
    &aws::cloudwatch::monitoring_unauthorized_api_calls::CHECK,
    &aws::cloudwatch::monitoring_console_sign_in_without_mfa::CHECK,
    &aws::cloudwatch::monitoring_root_usage::CHECK,
    &aws::cloudwatch::monitoring_iam_policy_changes::CHECK,
    &aws::cloudwatch::monitoring_cloudtrail_changes::CHECK,
    &aws::cloudwatch::monitoring_console_auth_failures::CHECK,
    &aws::cloudwatch::monitoring_cmk_disable_or_deletion::CHECK,
    &aws::cloudwatch::monitoring_s3_bucket_policy_changes::CHECK,
    &aws::cloudwatch::monitoring_config_changes::CHECK,
    &aws::cloudwatch::monitoring_security_group_changes::CHECK,
    &aws::cloudwatch::monitoring_nacl_changes::CHECK,
    &aws::cloudwatch::monitoring_network_gateway_changes::CHECK,
    &aws::cloudwatch::monitoring_route_table_changes::CHECK,
    &aws::cloudwatch::monitoring_vpc_changes::CHECK,
    &aws::cloudwatch::monitoring_organizations_changes::CHECK,
    &aws::cloudwatch::alarm_action_configured::CHECK,
    &aws::cloudwatch::alarm_actions_enabled::CHECK,
    &aws::cloudwatch::log_group_retention::CHECK,
    &aws::cloudwatch::log_group_kms_encryption::CHECK,
    // Secrets Manager
    &aws::secretsmanager::rotation_enabled::CHECK,
    &aws::secretsmanager::rotated_within_90_days::CHECK,
    &aws::secretsmanager::unused_90_days::CHECK,
    &aws::secretsmanager::secret_public::CHECK,
    // ECS task definitions
    &aws::ecs::environment_secrets::CHECK,
    &aws::ecs::privileged_containers::CHECK,
    &aws::ecs::host_network_user::CHECK,
    &aws::ecs::host_pid_mode::CHECK,
    &aws::ecs::readonly_root_filesystem::CHECK,
    &aws::ecs::logging::CHECK,
    &aws::ecs::cluster_container_insights::CHECK,
    &aws::ecs::service_public_ip::CHECK,
    // CloudFormation
    &aws::cloudformation::output_secrets::CHECK,
    &aws::cloudformation::termination_protection::CHECK,
    // Prowler parity (`prowler.rs`): data the inventory already held
    &aws::ec2::ami_public::CHECK,
    &aws::ec2::ebs_snapshot_encrypted::CHECK,
    &aws::ec2::instance_user_data_secrets::CHECK,
    &aws::ecr::repository_public::CHECK,
    &aws::lambda::function_url_public::CHECK,
    &aws::iam::inline_policy_full_admin::CHECK,
    &aws::iam::user_administrator_access::CHECK,
    &aws::iam::group_administrator_access::CHECK,
    &aws::iam::role_administrator_access::CHECK,
    &aws::iam::role_unused::CHECK,
    &aws::iam::unused_permissions::CHECK,
    &aws::iam::root_recent_use::CHECK,
    &aws::iam::user_hardware_mfa::CHECK,
    &aws::iam::securityaudit_role::CHECK,
    &aws::ec2::instance_public_with_instance_profile::CHECK,
    &aws::lambda::function_environment_secrets::CHECK,
    &aws::iam::policy_permissive_role_assumption::CHECK,
    &aws::iam::role_cross_account_read_only::CHECK,
    &aws::s3::bucket_mfa_delete::CHECK,
    &aws::s3::bucket_kms_encryption::CHECK,
    &aws::elb::v2_listeners::CHECK,
    &aws::lambda::function_in_vpc::CHECK,
    &aws::guardduty::runtime_monitoring::CHECK,
    &aws::guardduty::ec2_malware_protection::CHECK,
    &aws::iam::cloudshell_full_access::CHECK,
    &aws::elb::v2_cross_zone::CHECK,
    // Prowler parity (`prowler.rs`): more checks on data the inventory already held
    &aws::iam::inline_policy_service_wildcard::CHECK,
    &aws::iam::administrator_access_with_mfa::CHECK,
    &aws::ec2::sg_unused::CHECK,
    &aws::ec2::vpc_subnets_multi_az::CHECK,
    &aws::ec2::vpc_endpoint_multi_az::CHECK,
    &aws::efs::multi_az::CHECK,
    &aws::rds::cluster_default_port::CHECK,
    // Prowler parity (`prowler.rs`): fields added to the inventory for them
    &aws::ec2::instance_detailed_monitoring::CHECK,
    &aws::ec2::launch_template_user_data_secrets::CHECK,
    &aws::ec2::ebs_snapshot_block_public_access::CHECK,
    &aws::ec2::ami_block_public_access::CHECK,
    &aws::ec2::instance_metadata_defaults_imdsv2::CHECK,
    &aws::cloudtrail::insights_enabled::CHECK,
    &aws::sns::subscription_http::CHECK,
    &aws::ecr::registry_enhanced_scanning::CHECK,
    &aws::iam::saml_provider::CHECK,
    &aws::ec2::instance_profile_attached::CHECK,
    &aws::ec2::security_group_launch_wizard::CHECK,
    &aws::cloudwatch::cross_account_sharing::CHECK,
    &aws::lambda::function_url_cors::CHECK,
    &aws::ec2::vpc_in_several_regions::CHECK,
    &aws::kms::key_multi_region::CHECK,
    &aws::lambda::environment_cmk::CHECK,
    &aws::lambda::dead_letter_queue::CHECK,
    &aws::lambda::cross_account_layers::CHECK,
    &aws::autoscaling::group_capacity_rebalance::CHECK,
    &aws::config::recorder_service_role::CHECK,
    &aws::rds::instance_certificate_expiry::CHECK,
    &aws::rds::instance_extended_support::CHECK,
    &aws::efs::file_system_public::CHECK,
    &aws::route53::query_logging::CHECK,
    &aws::rds::instance_transport_encrypted::CHECK,
    &aws::route53::dangling_ip::CHECK,
    &aws::s3::bucket_object_lock::CHECK,
    &aws::s3::bucket_event_notifications::CHECK,
    &aws::s3::bucket_cross_region_replication::CHECK,
    &aws::lambda::invoke_cloudtrail_logging::CHECK,
    &aws::cloudfront::geo_restriction::CHECK,
    &aws::cloudfront::field_level_encryption::CHECK,
];

/// Looks a check up by id.
pub fn check(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().copied().find(|c| c.meta.id == id)
}

/// The check ids a configuration file may name (`[[suppress]] checks`): the configuration is
/// applied to this registry's findings and to the threat detections' (`rampart-detect`, ids
/// `threat_...`). `rampart_config::Config::load(path, &KNOWN)`.
pub const KNOWN: rampart_config::KnownChecks = rampart_config::KnownChecks {
    contains: |id| {
        check(id).is_some() || rampart_detect::rule(id).is_some() || id == rampart_iam::external::CHECK_ID
            || id == rampart_iam::escalation::CHECK_ID
            || id == rampart_exposure::CHECK.id
    },
    suggest: |id| {
        if rampart_detect::rule(id).is_some() {
            return None;
        }
        suggest(id).or_else(|| suggest_among(id, rampart_detect::catalogue().iter().map(|r| r.id)))
    },
};

/// The registered check id nearest to `id` (a misspelling of it), if one is close enough to
/// be what the user meant: for "did you mean `s3_bucket_public_read`?" in errors about
/// unknown ids (configuration files, `findings --check`). `None` when `id` is registered
/// itself or nothing is close.
pub fn suggest(id: &str) -> Option<&'static str> {
    if check(id).is_some() {
        return None;
    }
    suggest_among(id, REGISTRY.iter().map(|c| c.meta.id))
}

/// The candidate nearest to `id` by edit distance (insertions, deletions, substitutions and
/// swaps of two adjacent characters each count one), if it is within a quarter of the
/// candidate's length (at least 2); ties go to the first candidate. Callers that know other
/// rule families (host rules, secrets) pass their ids along with the registry's.
pub fn suggest_among<'a>(id: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let id: Vec<char> = id.to_ascii_lowercase().chars().collect();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let c: Vec<char> = candidate.chars().collect();
        let d = edit_distance(&id, &c);
        if d <= (c.len() / 4).max(2) && best.map_or(true, |(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one
/// substring): a typed id's usual mistakes (a dropped, doubled, wrong or swapped letter)
/// each cost one.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // Three rows of the dynamic-programming table: i-2, i-1 and i.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// What a scan produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub results: Vec<CheckResult>,
    /// Input that was malformed (e.g. a policy that is not valid JSON): the affected results
    /// are NOT_AVAILABLE and each entry here is a one-line description.
    pub malformed: Vec<String>,
}

/// Runs the given checks (all when `only` is empty) over the inventory with the default
/// thresholds (those of the standards the checks map to).
pub fn run(inventory: &Inventory, now: Timestamp, only: &[&str]) -> Outcome {
    run_with(inventory, now, &Thresholds::default(), only)
}

/// Runs the given checks (all when `only` is empty) over the inventory, comparing against
/// `thresholds`.
pub fn run_with(inventory: &Inventory, now: Timestamp, thresholds: &Thresholds, only: &[&str]) -> Outcome {
    run_with_ip_ranges(inventory, now, thresholds, only, ip_ranges::bundled())
}

/// [`run_with`], judging addresses against the AWS IP ranges snapshot `ip_ranges` (one newer
/// than the bundled one, written by `rampart ip-ranges update`).
pub fn run_with_ip_ranges(inventory: &Inventory, now: Timestamp, thresholds: &Thresholds, only: &[&str], ip_ranges: Option<&ip_ranges::AwsIpRanges>) -> Outcome {
    let ctx = Ctx { inventory, now, thresholds, ip_ranges };
    let selected: Vec<&Check> =
        REGISTRY.iter().copied().filter(|c| only.is_empty() || only.contains(&c.meta.id)).collect();
    // Checks are independent: run them on every core, each thread with its own `Emit`, and
    // concatenate in registry order so that the output does not depend on scheduling.
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(selected.len().max(1));
    let run_some = |checks: &[&Check]| {
        let mut emit = Emit::default();
        for check in checks {
            emit.start(check.meta.id);
            (check.run)(&ctx, &mut emit);
        }
        emit.finish()
    };
    if threads <= 1 {
        return run_some(&selected);
    }
    // Interleave checks across threads (costs vary by service), then restore registry order.
    let parts: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let mine: Vec<(usize, &Check)> = selected.iter().copied().enumerate().skip(t).step_by(threads).collect();
                let run_some = &run_some;
                scope.spawn(move || mine.into_iter().map(|(i, c)| (i, run_some(std::slice::from_ref(&c)))).collect())
            })
            .collect();
        // A panicking check is a bug; propagate it rather than lose results silently.
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut ordered: Vec<(usize, Outcome)> = parts.into_iter().flatten().collect();
    ordered.sort_by_key(|(i, _)| *i);
    let mut out = Outcome::default();
    for (_, o) in ordered {
        out.results.extend(o.results);
        out.malformed.extend(o.malformed);
    }
    out
}

/// Turns results into findings with their check's metadata.
pub fn findings(results: Vec<CheckResult>, now: Timestamp) -> Vec<Finding> {
    let mut last: Option<&'static Check> = None;
    results
        .into_iter()
        .filter_map(|r| {
            // Results come grouped by check: look the check up once per group.
            let c = match last {
                Some(c) if c.meta.id == r.check_id => c,
                _ => {
                    let c = check(r.check_id)?;
                    last = Some(c);
                    c
                }
            };
            Some(Finding::from_result(&c.meta, r, now))
        })
        .collect()
}

/// Builds the [`Resource`] of an account-scoped or regional resource.
pub fn resource(account: &Account, region: &str, kind: ResourceType, id: String, name: &str) -> Resource {
    Resource {
        id,
        kind,
        account: account.id.clone(),
        region: region.to_string(),
        partition: account.partition.clone(),
        name: name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn suggest_finds_the_misspelled_check() {
        assert_eq!(suggest("s3_bucket_publc_read"), Some("s3_bucket_public_read"), "dropped letter");
        assert_eq!(suggest("s3_bucket_pubilc_read"), Some("s3_bucket_public_read"), "swapped letters");
        assert_eq!(suggest("S3_BUCKET_PUBLIC_READ"), Some("s3_bucket_public_read"), "case");
        assert_eq!(suggest("kms_key_rotatoin"), Some("kms_key_rotation"));
        assert_eq!(suggest("bucket_public_read"), Some("s3_bucket_public_read"), "missing service prefix");
        assert_eq!(suggest("s3_bucket_public_read"), None, "a registered id needs no suggestion");
        assert_eq!(suggest("completely_unrelated_words"), None);
        assert_eq!(suggest(""), None);
        assert_eq!(suggest_among("host_cev", ["host_cve", "secrets_exposed_access_key"]), Some("host_cve"));
        assert_eq!(suggest_among("x", std::iter::empty()), None);
    }

    /// The example configuration names real checks, and a typo in a real file is caught with
    /// the registry's own suggestion.
    #[test]
    fn configuration_files_are_validated_against_the_registry() {
        let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rampart.example.toml");
        rampart_config::Config::load(&example, &KNOWN).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&example).unwrap().replace("\"s3_bucket_public_read\"", "\"s3_bucket_publc_read\"");
        let e = rampart_config::Config::parse(&text, std::path::Path::new("rampart.toml"), &KNOWN).unwrap_err().to_string();
        assert!(e.contains(": unknown check `s3_bucket_publc_read` in `suppress[0].checks`; did you mean `s3_bucket_public_read`?"), "{e}");
    }

    #[test]
    fn edit_distance_counts_each_typo_once() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("", ""), 0);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("ab", "ba"), 1);
        assert_eq!(d("abcd", "acbd"), 1);
        assert_eq!(d("ca", "abc"), 3, "optimal string alignment, not unrestricted Damerau");
    }

    #[test]
    fn check_ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for c in REGISTRY {
            assert!(seen.insert(c.meta.id), "duplicate check id {}", c.meta.id);
            assert!(
                c.meta.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                "check id {} must be snake_case",
                c.meta.id
            );
            assert!(c.meta.id.starts_with(c.meta.service), "{} must start with its service", c.meta.id);
            // A security check maps to a standard or covers a Prowler check (`prowler.rs`); a
            // cost or fault-tolerance check may be Rampart's own (or only approximate a Trusted
            // Advisor check it must not claim).
            assert!(
                !c.meta.standards.is_empty()
                    || c.meta.category != rampart_model::Category::Security
                    || !prowler::mapped_to(c.meta.id).is_empty(),
                "{} maps to no standard and no Prowler check",
                c.meta.id
            );
            assert!(!c.meta.remediation.cli.is_empty() && !c.meta.remediation.console.is_empty());
        }
    }
}

/// `docs/checks.md`: every check with id, title, severity, category, service, resource type,
/// standards.
/// Checks whose FAILED and PASSED results are both produced by the moto integration tests (the
/// planted account of `testdata/moto/plant.py`, two regions); `crates/cli/tests/scan.rs`
/// asserts it, so this list cannot claim more than the tests show.
pub const MOTO_TESTED_BOTH_WAYS: &[&str] = &[
    "cloudfront_iam_certificate_strength",
    "cloudtrail_log_file_validation", "config_recorder_enabled", "ec2_ebs_default_encryption",
    "ec2_ebs_public_snapshots", "ec2_ebs_volume_recent_snapshot", "ec2_ebs_volume_unattached",
    "ec2_imdsv2_required", "ec2_instance_public_ip", "ec2_sg_admin_ports_unrestricted",
    "ec2_sg_high_risk_ports", "ec2_sg_specific_ports_unrestricted", "ec2_sg_unauthorized_ports_open",
    "ec2_sg_unrestricted_access", "ec2_subnet_auto_assign_public_ip", "ecr_image_scanning",
    "ecr_tag_immutability", "guardduty_enabled", "iam_user_console_mfa", "inspector_network_reachability",
    "kms_key_rotation", "rds_backups", "rds_instance_public_access", "rds_multi_az", "rds_public_snapshots",
    "rds_snapshots_encrypted", "rds_storage_encrypted", "route53_mx_spf", "s3_account_public_access_block",
    "s3_bucket_public_read", "s3_bucket_public_write", "securityhub_enabled", "sns_topic_encrypted",
    "sqs_queue_encrypted",
    // FSBP additions (issue 3): see `fsbp_additions_fail_and_pass` in crates/cli/tests/scan.rs.
    "rds_aurora_backtracking", "rds_aurora_mysql_audit_logs", "rds_cluster_auto_minor_version_upgrade",
    "rds_cluster_copy_tags_to_snapshots", "rds_cluster_default_admin_username", "rds_cluster_deletion_protection",
    "rds_cluster_iam_authentication", "rds_cluster_multi_az", "rds_cluster_storage_encrypted", "rds_enhanced_monitoring",
    "rds_event_subscription_cluster", "rds_event_subscription_instance", "rds_event_subscription_parameter_group",
    "rds_event_subscription_security_group", "rds_instance_cloudwatch_logs", "rds_instance_copy_tags_to_snapshots",
    "rds_instance_default_admin_username", "rds_instance_default_port", "rds_instance_iam_authentication",
    "cloudtrail_kms_encryption", "cloudtrail_cloudwatch_logs", "sns_topic_public", "sqs_queue_public", "kms_key_public",
    "iam_policy_service_wildcard", "kms_customer_policy_decrypt_all_keys", "kms_inline_policy_decrypt_all_keys",
    "guardduty_eks_audit_logs", "guardduty_lambda_protection", "guardduty_eks_runtime_monitoring",
    "guardduty_rds_protection", "guardduty_s3_protection", "s3_bucket_lifecycle", "s3_bucket_cross_account_actions",
    "lambda_vpc_multi_az", "cloudfront_origin_failover", "cloudfront_s3_origin_exists",
    "guardduty_runtime_monitoring", "guardduty_ec2_malware_protection",
    // FSBP EC2 additions (issue 3): see `fsbp_ec2_additions_fail_and_pass` in crates/cli/tests/scan.rs.
    "ec2_instance_multiple_enis", "ec2_eni_source_dest_check",
    "ec2_launch_template_public_ip", "ec2_launch_template_imdsv2", "ec2_launch_template_ebs_encrypted",
    "ec2_vpc_endpoint_ec2", "ec2_vpc_endpoint_ecr_api", "ec2_vpc_endpoint_ecr_dkr", "ec2_vpc_endpoint_ssm",
    "ec2_vpc_endpoint_ssm_contacts", "ec2_vpc_endpoint_ssm_incidents",
];

/// Checks whose FAILED and PASSED results are both produced, in two regions, by a moto
/// integration test of their own rather than by the shared planted account: the ELB checks, on
/// the load balancers of `testdata/moto/plant_elb.py`, asserted by
/// `elb_checks_fail_and_pass_on_planted_load_balancers_in_two_regions` in
/// `crates/cli/tests/scan.rs`, and further checks on the resources of
/// `testdata/moto/plant_more.py`, asserted by `more_checks_fail_and_pass_on_their_own_planted_account`
/// (same file). Both tests check that this list (rendered `fail + pass (own test)`) names exactly
/// the checks the two assert together.
pub const MOTO_TESTED_BOTH_WAYS_SEPARATELY: &[&str] = &[
    "elb_alb_desync_mitigation", "elb_alb_drop_invalid_headers", "elb_alb_http_redirect", "elb_classic_acm_certificate",
    "elb_classic_connection_draining", "elb_classic_cross_zone", "elb_classic_desync_mitigation", "elb_deletion_protection",
    "elb_idle_load_balancers", "elb_listener_security", "elb_logging", "elb_multi_az", "elb_security_groups",
    // On the resources of `testdata/moto/plant_more.py`, asserted by
    // `more_checks_fail_and_pass_on_their_own_planted_account` (same file).
    "s3_bucket_ssl_required", "s3_bucket_public_access_block", "s3_bucket_access_logging", "s3_bucket_acls_disabled",
    "lambda_function_public_access", "lambda_supported_runtime", "lambda_deprecated_runtime",
    "rds_aurora_instance_accessibility", "acm_certificate_expiry", "acm_rsa_key_length",
    "ecr_lifecycle_policy", "ec2_nacl_unused", "ec2_nacl_admin_ports_unrestricted", "kms_key_pending_deletion",
    "ec2_eip_unassociated", "ec2_ebs_attached_volumes_encrypted", "ec2_vpc_flow_logs",
    "rds_deletion_protection", "rds_auto_minor_version_upgrade", "ec2_transit_gateway_auto_accept_attachments",
    "rds_security_group_access_risk", "cloudtrail_bucket_public", "cloudtrail_bucket_access_logging",
    // Prowler parity (`prowler.rs`): public and private AMIs, unencrypted and encrypted snapshots,
    // user data with and without an access key, public and private ECR repository policies,
    // function URLs with auth type NONE and AWS_IAM.
    "ec2_ami_public", "ec2_ebs_snapshot_encrypted", "ec2_instance_user_data_secrets", "ecr_repository_public",
    "lambda_function_url_public", "ec2_instance_public_with_instance_profile", "lambda_function_environment_secrets",
    "s3_bucket_kms_encryption", "elb_v2_without_listeners", "lambda_function_in_vpc",
    // IAM is global: asserted in us-east-1 (the home region, where the scan reports it) only.
    "iam_policy_full_admin", "iam_user_policies_attached", "iam_user_initial_access_key", "iam_user_one_active_access_key",
    "iam_user_administrator_access", "iam_group_administrator_access", "iam_role_administrator_access",
    "iam_inline_policy_full_admin", "iam_user_hardware_mfa", "iam_role_cross_account_read_only",
    "iam_policy_permissive_role_assumption",
    // CloudFront is global: asserted in us-east-1 (the home region) only.
    "cloudfront_default_root_object", "cloudfront_viewer_https", "cloudfront_logging", "cloudfront_waf",
    "cloudfront_custom_origin_https", "cloudfront_origin_ssl_protocols", "cloudfront_origin_certificate",
    "cloudfront_iam_certificate_expiry", "cloudfront_custom_certificate", "cloudfront_sni",
    "ec2_default_sg_restricts_all",
    // Account-level checks (one verdict per account): FAILED on the bare account of
    // `testdata/moto/plant_bare.py` (`account_level_checks_fail_on_a_bare_account`), PASSED on a
    // planted one; `servicequotas_usage` both ways on the bare account.
    "iam_use", "iam_password_policy", "cloudtrail_logging", "servicequotas_usage", "iam_support_role",
    "cloudtrail_s3_object_write_events", "cloudtrail_s3_object_read_events", "iam_expired_server_certificates",
    "iam_securityaudit_role",
    // The bare account's moto runs with its AMI catalogue: a paravirtual and an HVM instance.
    "ec2_instance_paravirtual",
    // Time-based checks: PASSED on the collected shared plant, FAILED on the same snapshot
    // evaluated 400 days later (`time_based_checks_pass_when_fresh_and_fail_once_the_collection_is_aged`).
    "iam_access_key_rotation", "iam_credentials_unused_45_days", "iam_credentials_unused_90_days", "ec2_ebs_snapshot_old",
    "ec2_instance_stopped_too_long",
    // Trusted Advisor's performance and fault-tolerance checks on the resources of
    // `testdata/moto/plant_categories.py` (`performance_and_fault_tolerance_checks_fail_and_pass`).
    "ec2_sg_large_number_of_rules", "ec2_instance_large_number_of_sg_rules", "ec2_nat_gateway_az_independence",
    "ec2_az_balance", "route53_alias_record_sets", "route53_failover_high_ttl", "route53_failover_record_sets", "route53_deleted_health_checks",
    "cloudfront_alternate_domain_names",
    // Auto Scaling groups and launch configurations of `testdata/moto/plant_autoscaling.py`
    // (`autoscaling_checks_fail_and_pass_on_planted_groups_in_two_regions`).
    "autoscaling_group_multi_az", "autoscaling_group_elb_health_check", "autoscaling_group_health_check", "autoscaling_group_resources", "autoscaling_group_launch_template",
    "autoscaling_group_multiple_instance_types", "autoscaling_launch_config_imdsv2", "autoscaling_launch_config_public_ip",
    // EFS file systems and access points of `testdata/moto/plant_efs.py`
    // (`efs_checks_fail_and_pass_on_planted_file_systems_in_two_regions`).
    "efs_encrypted", "efs_automatic_backups", "efs_mount_target_public_subnet", "efs_access_point_root_directory",
    "efs_access_point_user_identity",
    // Left out: `cloudfront_s3_origin_access_control` (moto 5.2.5 drops OriginAccessControlId
    // from origins).
];

/// Checks whose FAILED and PASSED results are both produced from what
/// `crates/collect-aws/tests/monitoring.rs` collects from moto (`testdata/moto/plant_monitoring.py`);
/// that test asserts exactly this list.
pub const MOTO_TESTED_IN_COLLECT_AWS: &[&str] = &[
    "cloudwatch_monitoring_unauthorized_api_calls", "cloudwatch_monitoring_console_sign_in_without_mfa",
    "cloudwatch_monitoring_root_usage", "cloudwatch_monitoring_iam_policy_changes", "cloudwatch_monitoring_cloudtrail_changes",
    "cloudwatch_monitoring_console_auth_failures", "cloudwatch_monitoring_cmk_disable_or_deletion",
    "cloudwatch_monitoring_s3_bucket_policy_changes", "cloudwatch_monitoring_config_changes",
    "cloudwatch_monitoring_security_group_changes", "cloudwatch_monitoring_nacl_changes",
    "cloudwatch_monitoring_network_gateway_changes", "cloudwatch_monitoring_route_table_changes",
    "cloudwatch_monitoring_vpc_changes", "cloudwatch_monitoring_organizations_changes",
    "cloudwatch_alarm_action_configured", "cloudwatch_alarm_actions_enabled", "cloudwatch_log_group_retention",
    "cloudwatch_log_group_kms_encryption", "secretsmanager_rotation_enabled", "secretsmanager_secret_public",
    "ecs_task_definition_environment_secrets", "ecs_task_definition_privileged_containers",
    "ecs_task_definition_host_network_user", "ecs_task_definition_host_pid_mode",
    "ecs_task_definition_readonly_root_filesystem", "ecs_task_definition_logging",
    "ecs_cluster_container_insights", "ecs_service_public_ip",
    "cloudformation_stack_output_secrets", "cloudformation_stack_termination_protection",
];

/// Checks whose FAILED and PASSED results are both produced from what
/// `crates/collect-aws/tests/parity.rs` collects from moto (`testdata/moto/plant_parity.py`);
/// that test asserts exactly this list.
pub const MOTO_TESTED_PARITY: &[&str] = &[
    "ec2_vpc_subnets_multi_az", "ec2_vpc_endpoint_multi_az", "ec2_security_group_unused", "ec2_instance_detailed_monitoring",
    "ec2_launch_template_user_data_secrets", "lambda_function_environment_cmk", "autoscaling_group_capacity_rebalance",
    "config_recorder_service_role", "rds_cluster_default_port", "rds_instance_transport_encrypted", "efs_multi_az",
    "efs_file_system_public", "route53_query_logging", "iam_administrator_access_with_mfa", "iam_inline_policy_service_wildcard",
    "s3_bucket_cross_region_replication", "s3_bucket_object_lock", "cloudfront_geo_restriction",
    "cloudfront_field_level_encryption", "cloudtrail_insights_enabled", "sns_subscription_http", "ecr_registry_enhanced_scanning",
    "iam_saml_provider", "lambda_function_url_cors_any_origin", "ec2_security_group_launch_wizard", "ec2_instance_profile_attached",
];

pub fn checks_markdown() -> String {
    let mut s = String::from(
        "# Checks\n\nGenerated from the check metadata (`crates/checks`); a test keeps it fresh \
         (regenerate with `UPDATE_DOCS=1 cargo test -p rampart-checks docs`).\n\n",
    );
    s.push_str(&prowler::markdown_summary());
    s.push_str("| id | title | severity | category | service | resource | standards | Prowler equivalent | moto |\n|---|---|---|---|---|---|---|---|---|\n");
    for c in REGISTRY {
        let m = &c.meta;
        let stds: Vec<String> = m.standards.iter().map(|s| s.to_string()).collect();
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            m.id,
            m.title,
            m.severity,
            m.category,
            m.service,
            m.resource_type.asff(),
            if !stds.is_empty() {
                stds.join("<br>")
            } else if prowler::mapped_to(m.id).is_empty() {
                "— (Rampart's own)".to_string()
            } else {
                "— (Prowler parity)".to_string()
            },
            prowler::markdown_cell(m.id),
            if MOTO_TESTED_BOTH_WAYS.contains(&m.id) {
                "fail + pass"
            } else if MOTO_TESTED_BOTH_WAYS_SEPARATELY.contains(&m.id) {
                "fail + pass (own test)"
            } else if MOTO_TESTED_IN_COLLECT_AWS.contains(&m.id) {
                "fail + pass (collect-aws test)"
            } else if MOTO_TESTED_PARITY.contains(&m.id) {
                "fail + pass (collect-aws parity test)"
            } else {
                "unit"
            }
        ));
    }
    s.push_str(
        "\nColumn *moto*: `fail + pass` = both verdicts are produced by the moto integration tests in two \
         regions (asserted in `crates/cli/tests/scan.rs`); `fail + pass (own test)` = the same, but on \
         resources planted in a moto server of their own: the ELB checks, on the classic and application \
         load balancers of `testdata/moto/plant_elb.py` (a load balancer in the shared planted account would \
         change the network-reachability expectations of the other scan tests), asserted by \
         `elb_checks_fail_and_pass_on_planted_load_balancers_in_two_regions`; and S3 bucket settings, Lambda \
         functions, imported ACM certificates, ECR lifecycle policies, network ACLs, KMS key deletion, Elastic IPs, \
         attached EBS volumes and their snapshots, AMIs, EC2 user data, ECR repository policies, Lambda function URLs and environment variables, VPC flow logs, standalone RDS instances and their security groups, transit gateways, CloudTrail trails and their buckets, IAM policies and users (global: asserted in us-east-1, the home region, only), default security groups and CloudFront distributions (global: asserted in us-east-1, the home \
         region, only), on the resources of `testdata/moto/plant_more.py`, asserted by \
         `more_checks_fail_and_pass_on_their_own_planted_account`; Auto Scaling groups and launch configurations, \
         on those of `testdata/moto/plant_autoscaling.py`, asserted by \
         `autoscaling_checks_fail_and_pass_on_planted_groups_in_two_regions`; EFS file systems (encryption, automatic \
         backups, mount targets in subnets that assign public IP addresses on launch) and access points (root directory, \
         POSIX user), on those of `testdata/moto/plant_efs.py`, asserted by \
         `efs_checks_fail_and_pass_on_planted_file_systems_in_two_regions`; `fail + pass (collect-aws test)` = both \
         verdicts from what `crates/collect-aws/tests/monitoring.rs` collects from moto and the checks make of it: \
         CIS 4.x metric filters and alarms (all complete on one planted account, each broken at one link on \
         another), alarms, log groups, Secrets Manager secrets, ECS task definitions, clusters and services, and CloudFormation stacks of \
         `testdata/moto/plant_monitoring.py` (`secretsmanager_rotated_within_90_days` and \
         `secretsmanager_unused_90_days` are unit-tested only: moto dates a secret's creation at planting and \
         records no reads); `fail + pass (collect-aws parity test)` = both verdicts from what \
         `crates/collect-aws/tests/parity.rs` collects from moto (`testdata/moto/plant_parity.py`: VPCs, interface \
         endpoints, security groups (a launch-wizard one among them), instances (with and without an instance profile), launch template versions, Lambda functions, Auto Scaling groups, \
         Config recorders in two regions, Aurora clusters, RDS parameter groups, EFS policies and mount targets, \
         Route 53 query logging, IAM groups and inline policies, S3 replication, notifications and Object Lock, CloudFront \
         geo restrictions and field-level encryption, CloudTrail Insights selectors, SNS subscription protocols, function URL CORS origins, ECR \
         registry scanning in two regions; `iam_saml_provider` on an account collected before and after a SAML provider \
         is added; `kms_key_multi_region` and \
         `lambda_function_dead_letter_queue` fail there and pass only in unit tests: moto reports no `MultiRegion` for \
         single-Region keys and drops `DeadLetterConfig`; `s3_bucket_event_notifications` passes there and is \
         NOT_AVAILABLE on a bucket without notifications, whose moto answer the SDK cannot parse); `unit` = unit-tested only (pass, fail and \
         not-available cases), because moto cannot represent one side (`iam_root_mfa` and `iam_root_hardware_mfa`: moto hard-codes \
         `AccountMFAEnabled: 0`; \
         `ec2_ebs_snapshot_block_public_access`, `ec2_ami_block_public_access` and `ec2_instance_metadata_defaults_imdsv2`: \
         moto 5.2.5 answers their EC2 calls with HTTP 500, and the parity test asserts NOT_AVAILABLE there; \
         `cloudfront_s3_origin_access_control`: moto 5.2.5 drops `OriginAccessControlId` from origins; \
         `iam_root_access_key`: moto's credential report never gives the root user an access key; \
         `iam_access_analyzer_enabled`: moto 5.2.5 does not implement IAM Access Analyzer, so the scan reports it \
         NOT_AVAILABLE there; `s3_bucket_versioning`: moto 5.2.5 answers GetBucketVersioning with an XML root the \
         SDK rejects, so the scan reports it NOT_AVAILABLE there). `cloudfront_origin_certificate` is tested both ways twice: \
         on distributions whose origins are the planted load balancers of `plant_more.py` (weak and strong ACM \
         certificates; moto, like ACM, refuses to import an expired one), and with `--probe-origins` on \
         distributions whose origins are TLS servers on loopback serving expired, expiring, weak and valid \
         certificates (`testdata/moto/tls_origins.py`, asserted by `origin_probe_reads_the_certificates_custom_origins_serve`). \
         Account-level checks have one verdict per account, so their two sides come from two moto accounts: FAILED on \
         the bare account of `testdata/moto/plant_bare.py` (no IAM user, no support or security-audit role, no password policy, no trail; \
         VPCs at 80 % and 100 % of the quota; one expired IAM server certificate), asserted by \
         `account_level_checks_fail_on_a_bare_account`, PASSED on the shared plant (`iam_use`, `cloudtrail_logging`, \
         `iam_expired_server_certificates`) or plant_more.py's account (`iam_password_policy`, `iam_support_role`, \
         `cloudtrail_s3_object_write_events`, `cloudtrail_s3_object_read_events`, `iam_securityaudit_role`); `servicequotas_usage` shows \
         both on the bare account, and so does `ec2_instance_paravirtual` (that moto runs with its AMI catalogue: \
         one instance from a paravirtual and one from an HVM AMI per region; the other tests run moto without \
         the catalogue, where every instance reports paravirtual). Time-based checks compare times that moto stamps with the current time (key \
         creation, last use, snapshot start), which moto cannot backdate; checks evaluate a snapshot at its collection \
         time, so `time_based_checks_pass_when_fresh_and_fail_once_the_collection_is_aged` collects the shared plant \
         and evaluates it as collected and as if collected 400 days later: `iam_access_key_rotation`, \
         `iam_credentials_unused_45_days`, `iam_credentials_unused_90_days`, `ec2_ebs_snapshot_old` and \
         `ec2_instance_stopped_too_long` (also failed on moto with `stopped_instance_max_days = 0`). \
         Trusted Advisor's performance and fault-tolerance checks that need no CloudWatch metrics (security group \
         rule counts, NAT gateway zones, Availability Zone balance, Route 53 alias, failover, TTL and deleted-health-check records, \
         CloudFront alternate domain names) on the resources of `testdata/moto/plant_categories.py`, asserted by \
         `performance_and_fault_tolerance_checks_fail_and_pass`. EC2 FSBP controls \
         unit-tested only: `ec2_vpn_tunnels_up` and `ec2_vpn_connection_logging` (moto reports neither \
         tunnel telemetry nor tunnel options), `ec2_client_vpn_connection_logging` and \
         `ec2_vpc_block_public_access` (moto 5.2.5 implements neither Client VPN nor VPC Block Public \
         Access; the scan asserts they are NOT_AVAILABLE there). Other FSBP controls unit-tested only: \
         `s3_access_point_public_access_block` and `s3_multi_region_access_point_public_access_block` \
         (moto 5.2.5 answers ListAccessPoints and ListMultiRegionAccessPoints with an XML root the SDK \
         rejects; the scan asserts they are NOT_AVAILABLE there). Prowler-parity checks unit-tested only: \
         `iam_root_recent_use` (moto 5.2.5's credential report has no row for the root user, so the scan \
         reports it NOT_AVAILABLE there) and `s3_bucket_mfa_delete` (moto 5.2.5's GetBucketVersioning answer \
         is rejected by the SDK, as for `s3_bucket_versioning`).\n\n\
         Numbers the checks compare against (access key age, unused credentials, password length and reuse, \
         certificate expiry warning, snapshot ages, service-limit percentages) come from `[thresholds]` of the \
         configuration file (`docs/rampart.example.toml`); the defaults are those of the standards, and every \
         reason names the threshold it used. Titles state the defaults.\n\n\
         Checks marked \"Rampart's own\" map to no standard: `ec2_ebs_volume_unattached` covers only the \
         unattached half of Trusted Advisor's \"Underutilized Amazon EBS Volumes\" (the low-IOPS half needs \
         CloudWatch), and Trusted Advisor has no old-snapshot check. `elb_idle_load_balancers` claims \
         \"Idle Load Balancers\" although Trusted Advisor also counts load balancers with few requests \
         (CloudWatch) as idle: its FAILED results are Trusted Advisor's, its PASSED results may not be.\n",
    );
    s.push_str(&prowler::markdown_sections());
    s
}

/// A check file that is not in [`REGISTRY`] never runs, and nothing else would notice: these
/// tests read the source tree and compare.
#[cfg(test)]
mod registry {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn src() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Source text without `//` comments, so that a commented-out line counts as absent.
    fn code(text: &str) -> String {
        text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
    }

    /// `aws/s3/bucket_public_read.rs` → `aws::s3::bucket_public_read`.
    fn module_path(file: &Path) -> String {
        let rel = file.strip_prefix(src()).unwrap().with_extension("");
        let parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).filter(|c| c != "mod").collect();
        parts.join("::")
    }

    /// Every file declaring `pub static CHECK`, with its module path and the id it declares.
    fn declared() -> Vec<(PathBuf, String, String)> {
        let mut files = Vec::new();
        rust_files(&src(), &mut files);
        let mut out = Vec::new();
        for file in files {
            let text = code(&std::fs::read_to_string(&file).unwrap());
            // At the start of a line: a declaration, not this test's own string literals.
            let Some(at) = text.find("\npub static CHECK:") else { continue };
            let id = text[at..]
                .split_once("id: \"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(id, _)| id.to_string())
                .unwrap_or_else(|| panic!("{}: `pub static CHECK` without a literal `id: \"..\"`", file.display()));
            out.push((file.clone(), module_path(&file), id));
        }
        out.sort();
        out
    }

    /// The `&path::CHECK` entries of `REGISTRY` as written in this file.
    fn registry_entries() -> Vec<String> {
        let text = code(&std::fs::read_to_string(src().join("lib.rs")).unwrap());
        let start = text.find("pub static REGISTRY").expect("REGISTRY in lib.rs");
        let open = start + text[start..].find("= &[").expect("REGISTRY's slice") + "= &[".len();
        let end = open + text[open..].find("];").expect("end of REGISTRY");
        text[open..end]
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| {
                e.strip_prefix('&').and_then(|e| e.strip_suffix("::CHECK")).unwrap_or_else(|| panic!("REGISTRY entry `{e}` is not `&path::CHECK`")).to_string()
            })
            .collect()
    }

    #[test]
    fn every_check_file_is_registered() {
        let declared = declared();
        assert!(declared.len() >= 180, "found only {} check files under src/: is the walk broken?", declared.len());
        let entries = registry_entries();
        assert_eq!(entries.len(), super::REGISTRY.len(), "REGISTRY as read from lib.rs: {entries:?}");
        let registered: BTreeSet<&str> = entries.iter().map(String::as_str).collect();
        let ids: BTreeSet<&str> = super::REGISTRY.iter().map(|c| c.meta.id).collect();
        for (file, module, id) in &declared {
            assert!(
                registered.contains(module.as_str()) && ids.contains(id.as_str()),
                "{} declares check `{id}` but `&{module}::CHECK` is not in REGISTRY (crates/checks/src/lib.rs): add it",
                file.display()
            );
        }
        let modules: BTreeSet<&str> = declared.iter().map(|(_, m, _)| m.as_str()).collect();
        for e in &entries {
            assert!(modules.contains(e.as_str()), "REGISTRY lists `{e}`, which declares no `pub static CHECK`");
        }
    }

    /// A check's standard reference that names no control of the catalogues is never counted
    /// in compliance: a typo in the metadata, or a control the standard does not have.
    #[test]
    fn every_standard_reference_is_in_the_compliance_catalogues() {
        use rampart_model::Standard;
        let coverage = rampart_compliance::Coverage::from_requirements(super::REGISTRY.iter().flat_map(|c| c.meta.related_requirements()));
        for standard in [&rampart_compliance::CIS_AWS_3_0, &rampart_compliance::FSBP] {
            assert_eq!(coverage.unmatched(standard), Vec::<String>::new(), "references to {} that name no control of its catalogue", standard.title);
        }
        // The Trusted Advisor catalogue holds TA's security checks (and Service Limits): the
        // fault-tolerance, performance and cost checks that cost, fault-tolerance and performance
        // checks here map to are not in it, and neither are the few security-category names
        // listed below. Anything else unmatched is a typo.
        let ta = &rampart_compliance::TRUSTED_ADVISOR;
        let outside: Vec<String> = super::REGISTRY
            .iter()
            .flat_map(|c| c.meta.standards.iter().map(move |r| (c, r)))
            .filter(|(c, r)| r.standard == Standard::TrustedAdvisor && (c.meta.category != rampart_model::Category::Security || TA_NOT_IN_THE_SECURITY_CATALOGUE.contains(&r.control)))
            .map(|(_, r)| r.to_string())
            .collect();
        for name in coverage.unmatched(ta) {
            assert!(outside.contains(&name), "{name}: not a check of the Trusted Advisor catalogue (crates/compliance/src/catalog/ta.rs) — a typo, or a security check the catalogue lacks");
        }
        // Every reference is to a catalogued standard, so the loop above saw it; Inspector's
        // rule packages are finding types, not a standard with controls.
        let catalogued: Vec<Standard> = rampart_compliance::STANDARDS.iter().map(|s| s.model).collect();
        for c in super::REGISTRY {
            for r in c.meta.standards {
                assert!(catalogued.contains(&r.standard) || matches!(r.standard, Standard::Inspector | Standard::AccessAnalyzer), "{}: {r} is in no compliance catalogue", c.meta.id);
            }
        }
    }

    /// Trusted Advisor check names of security checks here that the compliance catalogue
    /// (TA's classic security checks) does not list: Trusted Advisor files "AWS Lambda
    /// VPC-enabled Functions without Multi-AZ Redundancy" under fault tolerance; the others are
    /// to be checked against https://docs.aws.amazon.com/awssupport/latest/user/security-checks.html
    /// and added to `crates/compliance/src/catalog/ta.rs` if they are security checks there.
    const TA_NOT_IN_THE_SECURITY_CATALOGUE: &[&str] = &[
        "AWS Lambda VPC-enabled Functions without Multi-AZ Redundancy",
        "Amazon RDS storage encryption is turned off",
        "Amazon S3 Bucket Logging",
        "Root User Access Key",
    ];

    /// The assertion above can fail: a reference to a control a catalogue lacks is reported.
    #[test]
    fn unmatched_reports_a_reference_the_catalogue_lacks() {
        let fsbp = &rampart_compliance::FSBP;
        let coverage = rampart_compliance::Coverage::from_requirements(["AWS Foundational Security Best Practices/S3.999", "AWS Foundational Security Best Practices/S3.1"]);
        assert_eq!(coverage.unmatched(fsbp).len(), 1, "{:?}", coverage.unmatched(fsbp));
    }

    /// A check file that no `mod` line names is not even compiled: its tests never run either.
    #[test]
    fn every_check_file_is_a_module() {
        for (file, _, _) in declared() {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            let parent = file.parent().unwrap();
            let mod_rs = code(&std::fs::read_to_string(parent.join("mod.rs")).unwrap_or_default());
            assert!(
                mod_rs.contains(&format!("mod {name};")),
                "{} is not declared in {}/mod.rs: add `pub mod {name};`",
                file.display(),
                parent.display()
            );
        }
    }
}

#[cfg(test)]
mod docs {
    #[test]
    fn docs_checks_md_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/checks.md");
        let want = super::checks_markdown();
        if std::env::var("UPDATE_DOCS").is_ok() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(have == want, "docs/checks.md is stale: run `UPDATE_DOCS=1 cargo test -p rampart-checks docs`");
    }
}

#[cfg(test)]
mod demo {
    use std::collections::HashSet;

    /// Every check over the demo estate: no panic, and no two results about the same
    /// (check, resource, detail), which would give two findings one id.
    #[test]
    fn results_over_the_demo_estate_have_unique_ids() {
        let inv = rampart_inventory::Inventory::from_json(include_bytes!("../../../testdata/demo/estate.json")).unwrap();
        let out = super::run(&inv, crate::testkit::now(), &[]);
        assert!(!out.results.is_empty());
        let mut seen = HashSet::new();
        for r in &out.results {
            let id = rampart_model::finding_id(r.check_id, &r.resource.id, &r.detail);
            assert!(seen.insert(id), "duplicate result: {} on {}", r.check_id, r.resource.id);
        }
    }

    /// The demo shows no emulator artifact as if it were the user's problem: every field a
    /// check reads was recorded (none "not collected" because the recording predates it:
    /// testdata/demo/fill_fields.py), and a read the emulator could not answer says so in
    /// words (annotate_gaps.py), never as a raw SDK error.
    #[test]
    fn demo_results_need_no_unrecorded_field_and_show_no_raw_error() {
        let inv = rampart_inventory::Inventory::from_json(include_bytes!("../../../testdata/demo/estate.json")).unwrap();
        let out = super::run(&inv, crate::testkit::now(), &[]);
        let mut bad = Vec::new();
        for r in out.results.iter().filter(|r| r.status == rampart_model::Status::NotAvailable) {
            let raw = ["not collected", "service error", "unhandled error", "ServiceError", "XML", "Error at offset", "HTTP 4", "HTTP 5"];
            if raw.iter().any(|a| r.reason.contains(a)) {
                bad.push(format!("{} on {}: {}", r.check_id, r.resource.id, r.reason));
            }
        }
        assert!(bad.is_empty(), "{} NOT_AVAILABLE results of the demo read like the user's problems:\n{}", bad.len(), bad.join("\n"));
        // The checks added with the fields the demo was filled with answer there (the
        // demo's topics have no subscription and its functions no URL, so sns_subscription_http
        // and lambda_function_url_cors_any_origin have nothing to judge; the EC2 account
        // settings are NOT_AVAILABLE in words: the emulator answers them with a server error).
        for id in [
            "cloudtrail_insights_enabled",
            "ecr_registry_enhanced_scanning",
            "iam_saml_provider",
            "ec2_instance_profile_attached",
            "ec2_security_group_launch_wizard",
            "cloudwatch_cross_account_sharing",
            "ec2_vpc_in_several_regions",
        ] {
            let answered = out.results.iter().filter(|r| r.check_id == id && r.status != rampart_model::Status::NotAvailable).count();
            assert!(answered > 0, "{id} answers nothing over the demo");
        }
    }
}

#[cfg(test)]
mod known_detections {
    /// A configuration may suppress a threat detection by its id; a misspelt one is still
    /// refused with the nearest id.
    #[test]
    fn detection_ids_are_known_and_suggested() {
        assert!((super::KNOWN.contains)("threat_logging_disabled"));
        assert!((super::KNOWN.contains)("s3_bucket_public_read"));
        // The analyses whose findings join the checks' may be suppressed by id too.
        assert!((super::KNOWN.contains)(rampart_iam::escalation::CHECK_ID));
        assert!(!(super::KNOWN.contains)("threat_loging_disabled"));
        assert_eq!((super::KNOWN.suggest)("threat_loging_disabled"), Some("threat_logging_disabled"));
    }
}
