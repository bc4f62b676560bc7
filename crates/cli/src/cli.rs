//! Command-line flags.

use clap::{Args, Parser, Subcommand};
use rampart_model::Severity;
use rampart_report::Format;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "rampart",
    version,
    about = "Self-hosted security scanner for AWS estates",
    propagate_version = true,
    after_help = "Exit status: 0 clean, 1 a finding at or above --fail-on failed, 2 usage, credential or input error \
                  (one line on stderr saying what to do). `reach` answers like grep: 0 reachable, 1 not reachable, \
                  2 cannot be told or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More logging (-v, -vv); or set RAMPART_LOG.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan the bundled demo estate (no AWS account needed) into the local store and print the summary.
    /// Its planted problems exit 0 unless --fail-on is given.
    Demo(OutputArgs),
    /// Scan an AWS account live, or a stored snapshot with --snapshot.
    Scan(ScanArgs),
    /// Re-check what changes: `watch cloudtrail` reads a trail's log files from S3.
    Watch {
        #[command(subcommand)]
        target: crate::watch::WatchTarget,
    },
    /// Investigate: the behaviour graph from CloudTrail, VPC Flow Logs and GuardDuty (entity
    /// profiles, finding groups, investigations) and threat detections over CloudTrail.
    Investigate {
        #[command(subcommand)]
        action: crate::investigate::InvestigateCommand,
    },
    /// IAM reasoning over the estate: simulate a request as IAM evaluates it.
    Iam {
        #[command(subcommand)]
        action: crate::iam::IamCommand,
    },
    /// Collect an inventory snapshot without running checks.
    Collect {
        #[command(subcommand)]
        target: CollectTarget,
    },
    /// Print the least-privilege read-only IAM policy rampart needs (for the member role too);
    /// `member-trust` and `management`: the member role's trust policy and the scanning
    /// identity's policy for `scan aws --org` / `--accounts`.
    IamPolicy(crate::org::IamPolicyArgs),
    /// List the checks with their severity and standards.
    Checks,
    /// Compliance with CIS AWS Foundations v3.0.0, AWS Foundational Security Best Practices and
    /// Trusted Advisor, with Security Hub's semantics, for a stored run (default: the latest).
    Compliance(ComplianceArgs),
    /// Is a port of a resource reachable (from the internet or an address)? If not, what blocks
    /// it and the smallest change that would open it. Computed from the VPC configuration.
    #[command(after_help = "Exit status, like grep: 0 reachable, 1 not reachable (the answer names what blocks it), \
                            2 cannot be told (configuration that was not read) or an input error.")]
    Reach(ReachArgs),
    /// Retention now: delete runs, per-run results, delivered events and audit entries past
    /// their days (`rampart serve` does it daily); findings and their history are kept.
    Prune(crate::retention::PruneArgs),
    /// The vulnerability database: import OSV records, Debian tracker and Alpine secdb data.
    Vulndb {
        #[command(subcommand)]
        action: VulndbAction,
    },
    /// AWS's published IP ranges, which `route53_dangling_ip` judges addresses against.
    IpRanges {
        #[command(subcommand)]
        action: IpRangesAction,
    },
    /// Collect this host's telemetry (packages, listening sockets, sshd, kernel parameters,
    /// accounts, file permissions) as a versioned JSON document.
    Agent(crate::agent::AgentArgs),
    /// Agent tokens: issue one for a host, list the agents (silent ones flagged), revoke one.
    Agents {
        #[command(subcommand)]
        action: crate::agent::AgentsAction,
    },
    /// The stored findings, current state (like Security Hub's findings view); with an id, that
    /// finding in full with what each run said and its workflow history.
    Findings(FindingsArgs),
    /// The recorded runs, newest first: id, start, duration, source, accounts and result counts.
    Runs(RunsArgs),
    /// The store's schema (`db migrate`) and its copy from SQLite to PostgreSQL (`db copy`).
    Db(crate::db::DbArgs),
    /// Do the jobs of the database's queue (collect a part of an estate, evaluate a scan)
    /// beside any number of other workers; a worker killed mid-job loses its lease and
    /// another finishes the job.
    Worker(crate::worker::WorkerArgs),
    /// Scans as jobs for `rampart worker` processes: queue one, see how far it is.
    Jobs {
        #[command(subcommand)]
        action: crate::worker::JobsAction,
    },
    /// Insights: Security Hub's managed ones and saved custom ones (a filter and a group-by
    /// attribute), each a count of findings per group value.
    Insights {
        #[command(subcommand)]
        action: Option<InsightsAction>,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL", global = true)]
        db: Option<PathBuf>,
    },
    /// Events: targets (webhooks, Slack-compatible webhooks, SNS topics, email), rules that route events to
    /// them by an EventBridge pattern, custom actions people trigger on findings, and
    /// delivery of the outbox (retried with backoff, then dead letters).
    Events {
        #[command(subcommand)]
        action: EventsAction,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL", global = true)]
        db: Option<PathBuf>,
    },
    /// Automation rules (Security Hub's model): ordered, criteria in the findings filter
    /// language, one field update, terminal or not; applied to the findings each scan
    /// creates or updates.
    Automation {
        #[command(subcommand)]
        action: AutomationAction,
    },
    /// Set a finding's workflow status (NEW, NOTIFIED, SUPPRESSED, RESOLVED) with a note;
    /// the change is kept in the finding's history.
    Workflow {
        /// The finding id (`rampart/<check>/<hash>`; see `rampart findings`).
        id: String,
        /// The new workflow status: NEW, NOTIFIED, SUPPRESSED or RESOLVED.
        #[arg(long)]
        status: String,
        /// Why (kept in the finding's history; shown by `rampart findings ID`).
        #[arg(long, default_value = "")]
        note: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Assessment targets, templates and runs (Inspector's model): a target selects hosts,
    /// a template = target × rule packages × duration, a run of a template assesses the
    /// selected hosts' telemetry and records its findings.
    Assess {
        #[command(subcommand)]
        action: AssessAction,
    },
    /// Other tools' output: a snapshot from AWS CLI dumps (offline; no AWS access), or
    /// their findings (ASFF, OCSF) into the findings store.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },    /// Serve the web console and the JSON API (`/api/v1`) over the findings database, until
    /// SIGINT or SIGTERM. The first start on a database without users creates `admin` with a
    /// one-time password printed once (or see `--no-initial-admin` and `rampart users add`).
    Serve(rampart_server::ServeArgs),
    /// Users of `rampart serve` (roles admin, analyst, viewer) and their API tokens.
    Users {
        #[command(subcommand)]
        action: rampart_server::UsersAction,
    },
}

#[derive(Args, Debug)]
pub struct FindingsArgs {
    /// Show this finding in full: its detail, remediation, what each run said and its
    /// workflow history (who changed it, when and why).
    #[arg(value_name = "ID", conflicts_with_all = ["status", "severity", "check", "account", "archived", "product"])]
    pub id: Option<String>,
    /// PASSED, FAILED, WARNING or NOT_AVAILABLE.
    #[arg(long)]
    pub status: Option<String>,
    /// This severity or more severe: critical, high, medium, low or informational.
    #[arg(long)]
    pub severity: Option<rampart_model::Severity>,
    /// Only this check's findings (a check id as `rampart checks` lists them).
    #[arg(long, value_name = "CHECK_ID")]
    pub check: Option<String>,
    /// Only this AWS account's findings (12 digits).
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
    /// Include archived findings (resources that are gone).
    #[arg(long)]
    pub archived: bool,
    /// Only one product's findings: `rampart` for rampart's own, or the product name
    /// (`Prowler`) or ARN of findings imported from other tools.
    #[arg(long, value_name = "NAME_OR_ARN")]
    pub product: Option<String>,
    /// Show at most this many (most severe first); 0 shows all.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub limit: usize,
    /// `table`, `json` (the stored findings as they are), or an export format: `asff`,
    /// `ocsf`, `csv`, `html`.
    #[arg(long, short = 'f', default_value = "table")]
    pub format: String,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
    /// the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RunsArgs {
    /// `table` or `json`.
    #[arg(long, short = 'f', default_value = "table")]
    pub format: String,
    /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
    /// the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum IpRangesAction {
    /// Download `ip-ranges.json`, check it, and keep it as the snapshot scans use (dated
    /// `ip-ranges-<createDate>.json` and current `ip-ranges.json`); a bad download keeps the old one.
    Update {
        /// Where to download it from.
        #[arg(long, value_name = "URL", default_value = crate::ip_ranges_update::DEFAULT_URL)]
        url: String,
        /// The snapshot folder (default: $RAMPART_IP_RANGES, else `aws-ip-ranges` in the user's data directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum VulndbAction {
    /// Load advisories: OSV JSON/YAML files or directories, OSV `all.zip` exports, the Debian
    /// security tracker's DSA/DLA lists, Alpine secdb files.
    Import {
        /// Files, directories or `all.zip` exports to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The vulnerability database (default: $RAMPART_VULNDB or the user's data directory).
        #[arg(long = "vulndb", alias = "db", value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// Download the OSV project's per-ecosystem exports (`all.zip`) and import them
    /// (needs the network; behind a proxy, download them yourself and use `import`).
    Update {
        /// OSV ecosystem names, comma-separated (default: every ecosystem rampart matches:
        /// Debian, Ubuntu, Alpine, Red Hat, Rocky Linux, AlmaLinux, openSUSE, PyPI, npm,
        /// crates.io, Go).
        #[arg(long = "ecosystem", value_delimiter = ',', value_name = "NAME,...")]
        ecosystems: Vec<String>,
        /// Where the exports are: `<mirror>/<ecosystem>/all.zip`.
        #[arg(long, value_name = "URL", default_value = crate::vulndb_update::DEFAULT_MIRROR)]
        mirror: String,
        /// The vulnerability database (default: $RAMPART_VULNDB or the user's data directory).
        #[arg(long = "vulndb", alias = "db", value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// What the database holds and when it was imported.
    Status {
        /// The vulnerability database (default: $RAMPART_VULNDB or the user's data directory).
        #[arg(long = "vulndb", alias = "db", value_name = "PATH")]
        db: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportSource {
    /// A folder of AWS CLI `describe-*` JSON outputs (optionally one sub-folder per region).
    AwsCli {
        /// The folder.
        dir: PathBuf,
        /// The account the dump belongs to (default: the owner ids in the dump).
        #[arg(long)]
        account: Option<String>,
        /// The region of files not in a region-named folder (default: their availability zones).
        #[arg(long)]
        region: Option<String>,
        /// Where to write the snapshot (JSON); scan it with `rampart scan --snapshot FILE`.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Findings from other tools into the findings store: ASFF (Prowler's and Trivy's
    /// `.asff.json`, a BatchImportFindings request, Rampart's `--format asff`) or OCSF
    /// finding events. Deduplicated by (ProductArn, Id) as Security Hub does; a bad finding
    /// is named (file, index, error code, message), the others are imported, and the exit
    /// code is 2.
    Findings {
        /// JSON files of findings.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// `asff`, `ocsf`, or `auto` (told apart by each file's first finding); or a saved
        /// API response of an AWS service: `guardduty` (GetFindings), `inspector2`
        /// (ListFindings), `accessanalyzer` (ListFindings or ListFindingsV2), `macie`
        /// (GetFindings), `config` (GetComplianceDetailsByConfigRule), `securityhub`
        /// (GetFindings).
        #[arg(long, default_value = "auto", value_parser = ["asff", "ocsf", "auto", "securityhub", "guardduty", "inspector2", "accessanalyzer", "macie", "config"])]
        format: String,
        /// The account of saved responses that name none (AWS Config's evaluations).
        #[arg(long, value_name = "ACCOUNT_ID")]
        account: Option<String>,
        /// The region of saved responses that name none (AWS Config, IAM Access Analyzer).
        #[arg(long, value_name = "REGION", value_parser = parse_region)]
        region: Option<String>,
        /// The IAM Access Analyzer analyzer of saved `accessanalyzer` responses (its ARN);
        /// their finding ids are unique per analyzer.
        #[arg(long, value_name = "ARN")]
        analyzer_arn: Option<String>,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Findings of AWS's own security services, read-only through the AWS SDK, into the
    /// findings store: Security Hub, GuardDuty, Inspector2, IAM Access Analyzer and AWS
    /// Config (non-compliant rule evaluations). Macie is not read live by this build:
    /// import its saved responses with `import findings --format macie`. Each source
    /// and region is reported (read, stored, failed, or why it was not read); exit 2 when
    /// any was not read whole. The permissions are in `rampart iam-policy`.
    Aws {
        /// Comma-separated: securityhub, guardduty, inspector2, accessanalyzer, macie,
        /// config (default: all).
        #[arg(long, value_delimiter = ',', value_name = "SOURCE,...")]
        sources: Vec<String>,
        /// Named profile from ~/.aws/config; the default credential chain otherwise.
        #[arg(long)]
        profile: Option<String>,
        /// Comma-separated regions (default: every region enabled for the account).
        #[arg(long, value_delimiter = ',', value_name = "REGION,...", value_parser = parse_region)]
        regions: Option<Vec<String>>,
        /// Send every AWS call to this endpoint (an AWS-compatible emulator or proxy).
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct ReachArgs {
    /// `internet`, an IP address, an instance / network interface id (its private address), or
    /// a subnet id (each interface of the subnet answered on its own; exit 0 only if all reach).
    #[arg(long, default_value = "internet")]
    pub from: String,
    /// Instance id, network interface id, interface VPC endpoint id, NAT gateway id, or load
    /// balancer ARN or name; or `internet` or an internet IP address to ask whether `--from`
    /// (an instance, interface or subnet) can open connections out (egress).
    #[arg(long)]
    pub to: String,
    /// Ask about one address of the `--to` resource (one of its private, public or IPv6 addresses).
    #[arg(long, value_name = "IP")]
    pub to_address: Option<std::net::IpAddr>,
    /// `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Destination port (ignored for port-less protocols).
    #[arg(long, default_value_t = 443)]
    pub port: u16,
    /// `text` or `json`.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    /// Answer from a snapshot instead of collecting the account live.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// How to reach AWS when not answering from a snapshot.
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Args, Debug)]
pub struct ComplianceArgs {
    /// `cis-aws-3.0`, `fsbp` or `trusted-advisor`; all three when omitted.
    #[arg(long, value_name = "STANDARD")]
    pub standard: Option<String>,
    /// The run to evaluate (see the run id in a scan's summary); the latest when omitted.
    #[arg(long, value_name = "RUN_ID")]
    pub run: Option<String>,
    /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
    /// the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// `table` or `json`.
    #[arg(long, short = 'f', default_value = "table")]
    pub format: String,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    #[command(subcommand)]
    pub target: Option<ScanTarget>,
    /// Scan a snapshot written by `rampart collect aws -o FILE` instead of a live account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Host telemetry documents (`rampart agent`) of EC2 instances, joined by instance id:
    /// what listens types the network reachability findings (…WithListener, …NoListener
    /// instead of …NoAgent).
    #[arg(long = "telemetry", value_name = "FILE", num_args = 1..)]
    pub telemetry: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Subcommand, Debug)]
pub enum ScanTarget {
    /// Scan the AWS account of the current credentials.
    Aws(AwsArgs),
    /// Find AWS access keys in files, directories and git history (Trusted Advisor's
    /// Exposed Access Keys); with `--snapshot` (before the subcommand), keys of the account
    /// are matched against its IAM access keys.
    ///
    /// Git history is read directly from the object database: no `git` runs, and nothing a
    /// repository configures (hooks, pagers, diff drivers, gpg, fsmonitor) is executed.
    /// UTF-16 text is scanned; binaries and files over --max-file-size are skipped and
    /// counted. Links to outside a directory given are not followed (a warning says so).
    ///
    /// Exit codes: 0 clean; 1 findings at or above --fail-on; 2 a path given cannot be read,
    /// or the scan is incomplete (a file, directory or git object below it could not be read:
    /// each is a warning and the summary says "incomplete: N path(s) not read") and has no
    /// failing finding — a partial read is never reported as clean.
    Secrets(SecretsArgs),
    /// Assess a host: installed packages against the vulnerability database (and the host rule
    /// packages). The running host by default, a mounted root filesystem with --root, or a
    /// telemetry document written by `rampart agent`.
    Host(HostArgs),
    /// Assess a container image: a `docker save` tarball or an OCI image layout (tar or
    /// directory); layers are applied in memory, with whiteouts.
    Image(ArtifactArgs),
    /// Assess a Lambda deployment package (zip): vendored language packages and Go binaries.
    #[command(mut_arg("file", |a| a.help("The deployment package: the .zip file Lambda runs (as `aws lambda get-function` downloads it)").value_name("ZIP")))]
    #[command(mut_arg("function_arn", |a| a.hide(false)))]
    Lambda(ArtifactArgs),
}

#[derive(Args, Debug)]
pub struct ArtifactArgs {
    /// The image: a `docker save` tarball, or an OCI image layout (tar or directory).
    #[arg(value_name = "IMAGE")]
    pub file: PathBuf,
    /// The vulnerability database (default: $RAMPART_VULNDB or the user's data directory).
    #[arg(long, value_name = "PATH")]
    pub vulndb: Option<PathBuf>,
    /// The function this package is deployed as (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`):
    /// findings are then about that function, as the AWS scan's are; without it they are about
    /// the package's content (its CodeSha256).
    #[arg(long, value_name = "ARN", hide = true)]
    pub function_arn: Option<String>,
}

#[derive(Args, Debug)]
pub struct HostArgs {
    /// Root of the filesystem to assess (`/` = this host; otherwise sockets and kernel
    /// parameters are not available).
    #[arg(long, default_value = "/")]
    pub root: PathBuf,
    /// Assess this telemetry document instead of collecting.
    #[arg(long, value_name = "FILE", conflicts_with = "root")]
    pub telemetry: Option<PathBuf>,
    /// The vulnerability database (default: $RAMPART_VULNDB or the user's data directory).
    #[arg(long, value_name = "PATH")]
    pub vulndb: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SecretsArgs {
    /// Files or directories; a directory that is a git repository is also scanned through
    /// its whole history.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Do not scan git history.
    #[arg(long)]
    pub no_history: bool,
    /// Report AWS's documentation example keys too (as WARNING).
    #[arg(long)]
    pub include_examples: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
}

#[derive(Subcommand, Debug)]
pub enum CollectTarget {
    /// Collect the AWS account of the current credentials.
    Aws {
        #[command(flatten)]
        aws: AwsArgs,
        /// Where to write the snapshot (JSON).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

/// How AWS is reached: by `scan aws`, `collect aws`, `jobs scan` and `rampart worker`.
#[derive(Args, Debug, Clone)]
pub struct AwsAccessArgs {
    /// Named profile from ~/.aws/config; the default credential chain otherwise.
    #[arg(long)]
    pub profile: Option<String>,
    /// Send every AWS call to this endpoint (an AWS-compatible emulator or proxy).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Calls in flight at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
}

impl AwsAccessArgs {
    /// The collection options these flags give, reading `regions` (every enabled one when
    /// `None`).
    pub fn options(&self, regions: Option<Vec<String>>, progress: bool, probe_origins: bool) -> rampart_collect_aws::Options {
        rampart_collect_aws::Options {
            profile: self.profile.clone(),
            regions,
            endpoint_url: self.endpoint_url.clone(),
            concurrency: self.concurrency,
            progress,
            probe_origins,
        }
    }
}

#[derive(Args, Debug, Clone)]
#[command(group(clap::ArgGroup::new("many_accounts").args(["org", "accounts"])))]
pub struct AwsArgs {
    #[command(flatten)]
    pub access: AwsAccessArgs,
    /// Comma-separated regions (default: every region enabled for the account).
    #[arg(long, value_delimiter = ',', value_name = "REGION,...", value_parser = parse_region)]
    pub regions: Option<Vec<String>>,
    /// Also read the certificate each CloudFront custom HTTPS origin serves, in one TLS
    /// handshake per origin (no request is sent): connects to the origins' hosts, not only to
    /// AWS. Without it, origins that are not the account's load balancers are NOT_AVAILABLE.
    #[arg(long)]
    pub probe_origins: bool,
    /// Scan every ACTIVE account of the organisation (organizations:ListAccounts: run from the
    /// management account or a delegated administrator) through --member-role; see
    /// `rampart iam-policy management` and `member-trust`.
    #[arg(long, conflicts_with = "accounts", requires = "member_role")]
    pub org: bool,
    /// Scan these accounts (12-digit ids, comma-separated) through --member-role; the
    /// caller's own account among them is read with its own credentials.
    #[arg(long, value_delimiter = ',', value_name = "ID,...", value_parser = crate::org::parse_account_id)]
    pub accounts: Option<Vec<String>>,
    /// The role to assume in each account of --org or --accounts (a name, or path/name).
    #[arg(long, value_name = "NAME", requires = "many_accounts")]
    pub member_role: Option<String>,
    /// The external id the member role's trust policy requires (sts:ExternalId).
    #[arg(long, value_name = "ID", requires = "member_role")]
    pub external_id: Option<String>,
    /// Accounts read at once with --org or --accounts (--concurrency bounds the calls in
    /// flight across all of them).
    #[arg(long, value_name = "N", default_value_t = rampart_app::org::DEFAULT_PARALLEL_ACCOUNTS, value_parser = crate::org::parse_parallel_accounts)]
    pub parallel_accounts: usize,
}

#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format: table, json, asff, ocsf, csv, compliance-csv (one row per control), html.
    #[arg(long, short = 'f', default_value = "table", global = true)]
    pub format: Format,
    /// Write the output to this file instead of stdout (the summary then goes to stderr).
    #[arg(long, short = 'o', value_name = "PATH", global = true)]
    pub output: Option<PathBuf>,
    /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
    /// the user's data directory).
    #[arg(long, value_name = "PATH|URL", global = true)]
    pub db: Option<PathBuf>,
    /// Exclusions, suppressions and thresholds (TOML; see docs/rampart.example.toml).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Do not record the run in the database.
    #[arg(long, global = true)]
    pub no_store: bool,
    /// Exit 1 when a finding at or above this severity FAILED (critical, high, medium, low,
    /// informational) — or `none` to always exit 0. Default: informational; `none` for `demo`.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on, global = true)]
    pub fail_on: Option<FailOn>,
}

impl OutputArgs {
    /// `--fail-on` as given, or the default of scans (any failed finding fails).
    pub fn fail_on(&self) -> FailOn {
        self.fail_on.unwrap_or(FailOn(Some(Severity::Informational)))
    }
}

/// The lowest severity that fails the run; `None` never fails.
#[derive(Debug, Clone, Copy)]
pub struct FailOn(pub Option<Severity>);

/// A region name this build knows (so a typo is not scanned as an empty region), with the
/// nearest known one suggested.
fn parse_region(s: &str) -> Result<String, String> {
    let s = s.trim();
    if rampart_collect_aws::regions::is_known(s) {
        return Ok(s.to_string());
    }
    let hint = match rampart_checks::suggest_among(&s.to_ascii_lowercase(), rampart_collect_aws::regions::KNOWN.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "use names like `us-east-1,eu-west-1` (see `aws ec2 describe-regions`; a region newer than this rampart needs an upgrade)".to_string(),
    };
    Err(format!("unknown region `{}`: {hint}", crate::hints::shown(s)))
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    if s.eq_ignore_ascii_case("none") {
        return Ok(FailOn(None));
    }
    s.parse::<Severity>().map(|s| FailOn(Some(s))).map_err(|e| format!("{e}, or none"))
}

#[derive(Subcommand, Debug)]
pub enum InsightsAction {
    /// Every insight, managed and custom (the default).
    List,
    /// An insight's counts per group, largest first; with --group, the findings of one group.
    Show {
        /// The insight id (`managed/N` or `custom/N`, see `rampart insights`).
        id: String,
        /// Show the findings of this group value instead of the counts.
        #[arg(long, value_name = "VALUE")]
        group: Option<String>,
        /// table or json.
        #[arg(long, short = 'f', default_value = "table")]
        format: String,
    },
    /// Save a custom insight: a filter (a JSON file of Security Hub's AwsSecurityFindingFilters;
    /// none: every finding) and the attribute to group by.
    Add {
        /// The insight's name (unique).
        #[arg(long)]
        name: String,
        /// The attribute to group by: AwsAccountId, ComplianceSecurityControlId, ComplianceStatus, GeneratorId, RecordState,
        /// ResourceId, ResourceRegion, ResourceType, SeverityLabel, WorkflowStatus, ...
        #[arg(long, value_name = "ATTRIBUTE")]
        group_by: String,
        /// Security Hub AwsSecurityFindingFilters JSON; none: every finding.
        #[arg(long, value_name = "FILE")]
        filters: Option<PathBuf>,
    },
    /// Delete a custom insight (managed ones cannot be deleted).
    Delete {
        /// The insight id (custom/N).
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum EventsAction {
    /// List the targets, rules and custom actions.
    List,
    /// Add a webhook target (POST of the event's JSON, signed with HMAC-SHA256 when it has
    /// a secret) or a Slack-compatible one (`--kind slack`: a one-line message).
    AddTarget {
        /// The target's name (unique).
        name: String,
        /// Where events are POSTed (http:// or https://).
        #[arg(long)]
        url: String,
        /// webhook (the event's JSON, signed when it has a secret) or slack (a one-line text).
        #[arg(long, default_value = "webhook", value_parser = ["webhook", "slack"])]
        kind: String,
        /// The environment variable holding the signing secret (never on the command line).
        #[arg(long, value_name = "VAR")]
        secret_env: Option<String>,
    },
    /// Add an Amazon SNS target: each event's JSON is published to the topic (opt-in; the
    /// only write Rampart makes), with detail-type and source as message attributes and, on
    /// a FIFO topic, the event id as deduplication id. Credentials come from the standard
    /// AWS chain, or a named profile; the caller needs sns:Publish on the topic.
    AddSns {
        /// The target's name (unique).
        name: String,
        /// The topic's ARN (arn:aws:sns:REGION:ACCOUNT:NAME).
        #[arg(long)]
        topic_arn: String,
        /// The topic's Region.
        #[arg(long)]
        region: String,
        /// A named profile of the AWS config files (default: the standard credential chain).
        #[arg(long)]
        profile: Option<String>,
        /// An SNS-compatible endpoint instead of AWS's (e.g. a local emulator).
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
    },
    /// Add an email target: each event is one plain-text message through an SMTP server
    /// (subject: the event's detail-type and title).
    AddEmail {
        /// The target's name (unique).
        name: String,
        /// The SMTP server.
        #[arg(long)]
        smtp_host: String,
        /// Its port: 587 for STARTTLS, 465 for TLS.
        #[arg(long, default_value_t = 587)]
        smtp_port: u16,
        /// starttls (required upgrade), tls (TLS from the start) or none (plain: a trusted relay only).
        #[arg(long, default_value = "starttls", value_parser = ["starttls", "tls", "none"])]
        tls: String,
        /// The sender's address.
        #[arg(long)]
        from: String,
        /// A recipient (repeat for several).
        #[arg(long = "to", required = true)]
        to: Vec<String>,
        /// Sign in to the server as this user.
        #[arg(long, requires = "smtp_password_env")]
        smtp_user: Option<String>,
        /// The environment variable that holds the password, read at each delivery (the
        /// password is never stored).
        #[arg(long, value_name = "VAR", requires = "smtp_user")]
        smtp_password_env: Option<String>,
    },
    /// Add a rule: events that PATTERN (EventBridge's pattern JSON, or @FILE) matches go to TARGET.
    AddRule {
        /// The rule's name (unique).
        name: String,
        /// The target matching events go to.
        #[arg(long)]
        target: String,
        /// An EventBridge event pattern (JSON), or @FILE.
        #[arg(long)]
        pattern: String,
    },
    /// Add a custom action (a name of 1-20 characters) that people trigger on findings.
    AddAction {
        /// The action's name: 1 to 20 characters.
        name: String,
        /// What the action is for (shown to people who trigger it).
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Trigger a custom action on 1 to 20 findings: one "Security Hub Findings - Custom
    /// Action" event, routed by the rules.
    Trigger {
        /// The action's id (custom-action/N) or name.
        action: String,
        /// The finding ids (see `rampart findings`).
        #[arg(required = true)]
        findings: Vec<String>,
    },
    /// Send the deliveries that are due (run it from cron, or leave it to `rampart serve`).
    Deliver,
    /// The deliveries that failed every attempt.
    DeadLetters,
    /// Queue an event's dead letters again (to every target it failed for, or only
    /// `--target`), due now with a fresh count of attempts.
    Retry {
        /// The event's id (see `rampart events dead-letters`).
        event_id: String,
        /// Only the dead letter to this target.
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
    },
    /// Delete a target, with its rules and its deliveries (dead letters included).
    DeleteTarget {
        /// The target's name.
        name: String,
    },
    /// Delete a rule; events already queued by it still go out.
    DeleteRule {
        /// The rule's name.
        name: String,
    },
    /// Stop routing events by a rule; it is kept (`enable-rule` turns it back on).
    DisableRule {
        /// The rule's name.
        name: String,
    },
    /// Route events by a disabled rule again.
    EnableRule {
        /// The rule's name.
        name: String,
    },
    /// Delete a custom action; its id is never given again.
    DeleteAction {
        /// The action's id (custom-action/N) or name.
        action: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AutomationAction {
    /// The rules, in the order they apply.
    List {
        /// table or json.
        #[arg(long, short = 'f', default_value = "table")]
        format: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Add a rule from a JSON file in Security Hub's CreateAutomationRule shape: RuleName,
    /// RuleOrder (1-1000, lower first), optional Description, RuleStatus, IsTerminal,
    /// Criteria (AwsSecurityFindingFilters) and Actions [{Type: FINDING_FIELDS_UPDATE,
    /// FindingFieldsUpdate: {Workflow, Severity, Note, UserDefinedFields, VerificationState,
    /// Confidence, Criticality}}].
    Add {
        /// The rule's JSON document.
        file: PathBuf,
        /// Replace the rule of this id (`rule/N`) or name instead of adding one.
        #[arg(long, value_name = "RULE")]
        replace: Option<String>,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Delete a rule (by id `rule/N` or name); what it changed stays in the findings' history.
    Delete {
        /// The rule's id (rule/N) or name.
        rule: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Which current findings the rule in FILE would change; nothing is changed.
    DryRun {
        /// The rule's JSON document.
        file: PathBuf,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AssessAction {
    /// Create a target: the hosts it selects by tag and by hostname glob (or change it with
    /// --replace, or delete it with --delete).
    Target {
        /// The target's name (templates refer to it).
        name: String,
        /// A tag the host must carry (`key=value`); repeatable, all must match.
        #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
        tags: Vec<(String, String)>,
        /// A hostname glob (`*`, `?`); repeatable, any may match. None = every host.
        #[arg(long = "host", value_name = "GLOB")]
        hosts: Vec<String>,
        /// Change the existing target of this name (without it, a name in use is an error).
        #[arg(long, conflicts_with = "delete")]
        replace: bool,
        /// Delete the target (refused while a template uses it).
        #[arg(long, conflicts_with_all = ["tags", "hosts"])]
        delete: bool,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// The targets and what they select.
    Targets {
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Create a template: a target, the rule packages to evaluate and a duration (or change
    /// it with --replace, or delete it with --delete).
    Template {
        /// The template's name (runs refer to it).
        name: String,
        /// The target whose hosts it assesses (required unless --delete).
        #[arg(long, required_unless_present = "delete")]
        target: Option<String>,
        /// Rule packages: cve, cis, best-practices, runtime.
        #[arg(long, value_delimiter = ',', value_name = "PACKAGE,...", default_value = "cve,cis,best-practices,runtime")]
        rules: Vec<String>,
        /// How long a run collects data, in seconds: a run assesses the documents collected
        /// within this long before it starts (the newest per host); older ones are stale.
        #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
        duration: u64,
        /// Change the existing template of this name (without it, a name in use is an error).
        #[arg(long, conflicts_with = "delete")]
        replace: bool,
        /// Delete the template (refused once it has runs: their history names it).
        #[arg(long)]
        delete: bool,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// The templates: target, rule packages and duration.
    Templates {
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Run a template over telemetry documents written by `rampart agent`.
    Run {
        /// The template to run.
        template: String,
        /// Telemetry documents; those of the hosts the target selects are assessed.
        #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
        telemetry: Vec<PathBuf>,
        /// The vulnerability database (default: $RAMPART_VULNDB or the user's data directory).
        #[arg(long, value_name = "PATH")]
        vulndb: Option<PathBuf>,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// The assessment runs, newest first, with the time of each state.
    Runs {
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
}

pub(crate) fn parse_tag(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every option and argument of every subcommand says what it is for.
    #[test]
    fn every_argument_of_every_command_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" || arg.is_hide_set() {
                    continue;
                }
                let has = arg.get_help().is_some_and(|h| !h.to_string().trim().is_empty());
                if !has {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() == "help" {
                    continue;
                }
                assert!(sub.get_about().is_some(), "`{path} {}` has no description", sub.get_name());
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let cmd = Cli::command();
        cmd.clone().debug_assert();
        let mut missing = Vec::new();
        walk(&cmd, "rampart", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:#?}");
    }

    #[test]
    fn scan_lambda_describes_its_own_file() {
        let cmd = Cli::command();
        let scan = cmd.find_subcommand("scan").unwrap();
        let help = |name: &str| {
            let sub = scan.find_subcommand(name).unwrap();
            sub.get_arguments().find(|a| a.get_id() == "file").unwrap().get_help().unwrap().to_string()
        };
        assert!(help("lambda").contains(".zip"), "{}", help("lambda"));
        assert!(help("image").contains("docker save"), "{}", help("image"));
    }

    #[test]
    fn formats_listed_in_help_are_the_accepted_ones() {
        let cmd = Cli::command();
        let demo = cmd.find_subcommand("demo").unwrap();
        let help = demo.get_arguments().find(|a| a.get_id() == "format").unwrap().get_help().unwrap().to_string();
        for f in rampart_report::Format::ALL {
            assert!(help.contains(f.as_str()), "`{}` missing from: {help}", f.as_str());
        }
    }

    #[test]
    fn one_name_for_the_vulnerability_database() {
        let cmd = Cli::command();
        let mut seen = Vec::new();
        fn walk(cmd: &clap::Command, path: &str, seen: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                if help.contains("vulnerability database") {
                    seen.push(format!("{path} --{}", arg.get_long().unwrap_or("?")));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), seen);
            }
        }
        walk(&cmd, "rampart", &mut seen);
        assert!(seen.len() >= 6, "{seen:?}");
        assert!(seen.iter().all(|s| s.ends_with("--vulndb")), "{seen:#?}");
    }
}
