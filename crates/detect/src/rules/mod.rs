//! The detections, one file each: its [`Rule`] and the function that runs it over the
//! time-ordered records.

use crate::{Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;

pub mod access_key_other_user;
pub mod admin_granted;
pub mod bucket_public;
pub mod console_login_without_mfa;
pub mod discovery_denied_burst;
pub mod firewall_opened;
pub mod instance_credentials_outside;
pub mod kms_key_deletion;
pub mod lambda_permission_opened;
pub mod logging_disabled;
pub mod logging_reduced;
pub mod login_profile_other_user;
pub mod mass_delete;
pub mod organization_leave;
pub mod password_data_burst;
pub mod pentest_user_agent;
pub mod replication_outside;
pub mod root_usage;
pub mod secrets_burst;
pub mod security_service_disabled;
pub mod shared_outside;
pub mod trust_opened;

/// A detection's run over the time-ordered records.
pub type Run = for<'a> fn(&[&'a Event], &Thresholds, &mut Vec<Hit<'a>>);

/// Every rule.
pub static ALL: &[&Rule] = &[
    &logging_disabled::RULE,
    &logging_reduced::RULE,
    &security_service_disabled::RULE,
    &organization_leave::RULE,
    &firewall_opened::RULE,
    &root_usage::RULE,
    &console_login_without_mfa::RULE,
    &pentest_user_agent::RULE,
    &secrets_burst::RULE,
    &password_data_burst::RULE,
    &instance_credentials_outside::RULE,
    &access_key_other_user::RULE,
    &login_profile_other_user::RULE,
    &trust_opened::RULE,
    &lambda_permission_opened::RULE,
    &admin_granted::RULE,
    &discovery_denied_burst::RULE,
    &bucket_public::RULE,
    &shared_outside::RULE,
    &replication_outside::RULE,
    &mass_delete::RULE,
    &kms_key_deletion::RULE,
];

/// Every rule's run, in the order of [`ALL`].
pub static RUNS: &[Run] = &[
    logging_disabled::run,
    logging_reduced::run,
    security_service_disabled::run,
    organization_leave::run,
    firewall_opened::run,
    root_usage::run,
    console_login_without_mfa::run,
    pentest_user_agent::run,
    secrets_burst::run,
    password_data_burst::run,
    instance_credentials_outside::run,
    access_key_other_user::run,
    login_profile_other_user::run,
    trust_opened::run,
    lambda_permission_opened::run,
    admin_granted::run,
    discovery_denied_burst::run,
    bucket_public::run,
    shared_outside::run,
    replication_outside::run,
    mass_delete::run,
    kms_key_deletion::run,
];

/// One hit per record: `reason` says why, or `None` when the record is not one.
pub(crate) fn each<'a>(
    rule: &'static Rule,
    events: &[&'a Event],
    out: &mut Vec<Hit<'a>>,
    mut reason: impl FnMut(&Event) -> Option<String>,
) {
    for e in events {
        if let Some(reason) = reason(e) {
            out.push(Hit { rule, actor: crate::Actor::of(e), events: vec![e], reason, severity: None });
        }
    }
}
