//! Many accounts: `scan aws --org` / `--accounts` (and `collect aws`) as
//! `rampart_app::org::collect_accounts`, and `rampart iam-policy`'s documents.

use crate::cli::AwsArgs;
use crate::progress::Stderr;
use anyhow::Result;
use clap::{Args, Subcommand};
use rampart_app::org::{AccountsSpec, Refusal, Targets};
use rampart_collect_aws::org::MemberRole;
use rampart_inventory::Inventory;
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct IamPolicyArgs {
    #[command(subcommand)]
    pub which: Option<PolicyKind>,
}

#[derive(Subcommand, Debug)]
pub enum PolicyKind {
    /// The trust policy of the member role in each scanned account: the scanning account may
    /// assume it (with the external id as a condition when given).
    MemberTrust {
        /// The account rampart scans from (the management or delegated-administrator account).
        #[arg(long, value_name = "ACCOUNT_ID", value_parser = parse_account_id)]
        scanning_account: String,
        /// The external id to require (sts:ExternalId); pass the same to `scan aws --external-id`.
        #[arg(long, value_name = "ID")]
        external_id: Option<String>,
        /// The AWS partition the ARNs are written for: aws, aws-cn or aws-us-gov.
        #[arg(long, default_value = "aws", value_parser = ["aws", "aws-cn", "aws-us-gov"])]
        partition: String,
    },
    /// The policy of the identity that scans with --org or --accounts: list the organisation's
    /// accounts and assume the member role in them. Accounts it reads with its own
    /// credentials (its own) need the read-only policy too.
    Management {
        /// The member role's name (or path/name), as given to `scan aws --member-role`.
        #[arg(long, value_name = "NAME")]
        member_role: String,
        /// The AWS partition the ARNs are written for: aws, aws-cn or aws-us-gov.
        #[arg(long, default_value = "aws", value_parser = ["aws", "aws-cn", "aws-us-gov"])]
        partition: String,
    },
    /// The policy of the identity that runs `watch cloudtrail`: list the trail's bucket and
    /// read its CloudTrail log files, that bucket only (the scanning policy reads no
    /// object). It re-reads what changed, so it needs the read-only policy too.
    Watch {
        /// The trail's bucket (without it, the placeholder BUCKET is printed to replace).
        #[arg(long, value_name = "NAME", value_parser = parse_bucket_name)]
        bucket: Option<String>,
        /// The AWS partition the ARNs are written for: aws, aws-cn or aws-us-gov.
        #[arg(long, default_value = "aws", value_parser = ["aws", "aws-cn", "aws-us-gov"])]
        partition: String,
    },
}

/// `--bucket`: an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens).
fn parse_bucket_name(s: &str) -> Result<String, String> {
    let ok = (3..=63).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens): pass the trail's bucket"))
    }
}

/// `--accounts` values: 12-digit account ids.
pub(crate) fn parse_account_id(s: &str) -> Result<String, String> {
    let s = s.trim();
    if rampart_app::org::is_account_id(s) {
        Ok(s.to_string())
    } else {
        Err(Refusal::AccountId(s.to_string()).to_string())
    }
}

/// `--parallel-accounts`: 1 to 256.
pub(crate) fn parse_parallel_accounts(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=256).contains(&n) => Ok(n),
        _ => Err(format!("`{}` is not a number of accounts from 1 to 256", crate::hints::shown(s))),
    }
}

/// The spec the flags describe (`--org` or `--accounts` given).
pub(crate) fn spec(aws: &AwsArgs) -> AccountsSpec {
    AccountsSpec {
        targets: match &aws.accounts {
            Some(ids) => Targets::Accounts(ids.clone()),
            None => Targets::Organization,
        },
        member_role: aws.member_role.clone().map(|name| MemberRole { name, external_id: aws.external_id.clone() }),
        parallel_accounts: aws.parallel_accounts,
        collect: aws.access.options(aws.regions.clone(), true, aws.probe_origins),
    }
}

/// Reads the accounts of `--org` / `--accounts`; each account's outcome is printed on stderr
/// as it finishes.
pub(crate) fn collect(aws: &AwsArgs) -> Result<Inventory> {
    let spec = spec(aws);
    spec.check().map_err(|r| anyhow::anyhow!("{}", flag_words(&r)))?;
    match rampart_app::org::collect_accounts(&spec, &Stderr::new()) {
        Ok(c) => Ok(c.inventory),
        Err(e) => match e.downcast_ref::<Refusal>() {
            Some(r) => Err(anyhow::anyhow!("{}", flag_words(r))),
            None => Err(e),
        },
    }
}

/// The plan of a queued scan of `--org` / `--accounts` (`rampart jobs scan`): the accounts
/// listed and each one's regions; accounts skipped or whose regions cannot be listed are
/// told on stderr.
pub(crate) fn plan(aws: &AwsArgs) -> Result<rampart_app::jobs::Plan> {
    if aws.probe_origins {
        anyhow::bail!("--probe-origins is not done by queued scans: drop it, or probe with `rampart scan aws --probe-origins`");
    }
    let spec = spec(aws);
    spec.check().map_err(|r| anyhow::anyhow!("{}", flag_words(&r)))?;
    rampart_app::jobs_aws::aws_plan(&spec, &Stderr::new()).map_err(|e| match e.downcast_ref::<Refusal>() {
        Some(r) => anyhow::anyhow!("{}", flag_words(r)),
        None => crate::run::collect_hint(e),
    })
}

/// A refusal with the flag that fixes it.
fn flag_words(r: &Refusal) -> String {
    match r {
        Refusal::AccountId(_) | Refusal::NoAccounts => format!("--accounts: {r}"),
        Refusal::RoleName(_) => format!("--member-role: {r}"),
        Refusal::ExternalId(_) => format!("--external-id: {r}"),
        Refusal::NoRole(_) => format!("{r}: pass --member-role NAME (see `rampart iam-policy member-trust`)"),
    }
}

/// `rampart iam-policy [member-trust | management]`: one JSON document on stdout.
pub(crate) fn iam_policy(args: &IamPolicyArgs) -> Result<ExitCode> {
    use rampart_collect_aws::actions;
    let doc = match &args.which {
        None => actions::iam_policy(),
        Some(PolicyKind::MemberTrust { scanning_account, external_id, partition }) => {
            if let Some(id) = external_id {
                let role = MemberRole { name: "x".into(), external_id: Some(id.clone()) };
                rampart_app::org::check_member_role(&role).map_err(|r| anyhow::anyhow!("{}", flag_words(&r)))?;
            }
            actions::member_trust_policy(partition, scanning_account, external_id.as_deref())
        }
        Some(PolicyKind::Management { member_role, partition }) => {
            let role = MemberRole { name: member_role.clone(), external_id: None };
            rampart_app::org::check_member_role(&role).map_err(|r| anyhow::anyhow!("{}", flag_words(&r)))?;
            actions::management_policy(partition, member_role)
        }
        Some(PolicyKind::Watch { bucket, partition }) => {
            actions::watch_policy(partition, bucket.as_deref().unwrap_or(actions::BUCKET_PLACEHOLDER))
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{doc}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use crate::cli::{Cli, Command, ScanArgs, ScanTarget};
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<crate::cli::AwsArgs, String> {
        let mut argv = vec!["rampart", "scan", "aws"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv) {
            Ok(Cli { command: Command::Scan(ScanArgs { target: Some(ScanTarget::Aws(aws)), .. }), .. }) => Ok(aws),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn many_account_flags_are_checked_when_parsed() {
        let aws = parse(&["--org", "--member-role", "RampartAudit", "--external-id", "ext-1"]).unwrap();
        assert!(aws.org && aws.accounts.is_none());
        assert_eq!(aws.parallel_accounts, rampart_app::org::DEFAULT_PARALLEL_ACCOUNTS);
        let spec = super::spec(&aws);
        assert_eq!(spec.targets, rampart_app::org::Targets::Organization);
        assert_eq!(spec.member_role.unwrap().external_id.as_deref(), Some("ext-1"));

        let aws = parse(&["--accounts", "111122223333, 222233334444", "--member-role", "R", "--parallel-accounts", "8"]).unwrap();
        assert_eq!(aws.accounts.as_deref(), Some(&["111122223333".to_string(), "222233334444".to_string()][..]));
        assert_eq!(aws.parallel_accounts, 8);
        // The caller's own account alone needs no role.
        assert!(parse(&["--accounts", "111122223333"]).is_ok());

        let err = parse(&["--org", "--accounts", "111122223333", "--member-role", "R"]).unwrap_err();
        assert!(err.contains("cannot be used with"), "{err}");
        let err = parse(&["--org"]).unwrap_err();
        assert!(err.contains("--member-role <NAME>"), "{err}");
        let err = parse(&["--accounts", "11112222333", "--member-role", "R"]).unwrap_err();
        assert!(err.contains("`11112222333` is not an AWS account id: account ids are 12 digits"), "{err}");
        let err = parse(&["--accounts", "111122223333,abc", "--member-role", "R"]).unwrap_err();
        assert!(err.contains("`abc` is not an AWS account id"), "{err}");
        let err = parse(&["--member-role", "R"]).unwrap_err();
        assert!(err.contains("--org") || err.contains("--accounts"), "{err}");
        let err = parse(&["--external-id", "x1"]).unwrap_err();
        assert!(err.contains("--member-role"), "{err}");
        let err = parse(&["--org", "--member-role", "R", "--parallel-accounts", "0"]).unwrap_err();
        assert!(err.contains("--parallel-accounts"), "{err}");
    }

    #[test]
    fn refusals_name_the_flag_that_fixes_them() {
        use rampart_app::org::Refusal;
        assert!(super::flag_words(&Refusal::RoleName("a b".into())).starts_with("--member-role: `a b` is not an IAM role name"));
        assert!(super::flag_words(&Refusal::NoRole(vec!["222233334444".into()])).contains("pass --member-role NAME"));
    }
}
