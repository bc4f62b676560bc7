use super::*;
use rampart_model::{
    Finding, RecordState, Resource, ResourceType, Severity, Status, WorkflowStatus,
};
use std::collections::BTreeMap;
use time::macros::datetime;
use time::OffsetDateTime;

/// The check ids these tests name; the real registry's are tested in `rampart-checks`
/// (which depends on this crate).
const IDS: &[&str] = &[
    "s3_bucket_public_read",
    "s3_bucket_public_write",
    "ec2_sg_specific_ports_unrestricted",
    "ec2_sg_unrestricted_access",
    "c",
    "x",
];

const KNOWN: KnownChecks = KnownChecks {
    contains: |id| IDS.contains(&id),
    // A stand-in for edit distance: same length, one character different.
    suggest: |id| {
        IDS.iter().copied().find(|k| {
            k.len() == id.len() && k.chars().zip(id.chars()).filter(|(a, b)| a != b).count() == 1
        })
    },
};

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("rampart.toml"), &KNOWN)
}

fn err(text: &str) -> String {
    match parse(text) {
        Ok(c) => panic!("expected an error, parsed {c:?}"),
        Err(e) => e.to_string(),
    }
}

const NOW: OffsetDateTime = datetime!(2026-03-10 12:00 UTC);

fn resource(account: &str, region: &str, arn: &str) -> Resource {
    Resource {
        id: arn.into(),
        kind: ResourceType::AwsS3Bucket,
        account: account.into(),
        region: region.into(),
        partition: "aws".into(),
        name: arn.rsplit(':').next().unwrap_or(arn).into(),
    }
}

fn finding(check: &str, r: Resource) -> Finding {
    Finding {
        id: rampart_model::finding_id(check, &r.id, ""),
        check_id: check.to_string().into(),
        title: "t".into(),
        description: Default::default(),
        severity: Severity::High,
        status: Status::Failed,
        reason: String::new(),
        detail: String::new(),
        service: "s3".into(),
        resource: r,
        remediation_console: Default::default(),
        remediation_cli: Default::default(),
        remediation_url: Default::default(),
        related_requirements: vec![].into(),
        first_observed: NOW,
        last_observed: NOW,
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}

#[test]
fn empty_file_means_defaults() {
    let c = parse("").unwrap();
    assert_eq!(c, Config::default());
    assert_eq!(c.thresholds.access_key_max_age_days, 90);
    assert_eq!(c.thresholds.credentials_unused_days, 45);
    assert_eq!(c.thresholds.password_min_length, 14);
    assert_eq!(c.thresholds.password_reuse_prevention, 24);
    assert_eq!(c.thresholds.certificate_expiry_warning_days, 30);
    assert_eq!(c.thresholds.service_limit_warning_percent, 80);
}

#[test]
fn good_file() {
    let c = parse(
        r#"
[thresholds]
password_min_length = 16

[[exclude]]
arn = "arn:aws:s3:::tmp-*"
tags = { env = "dev" }
reason = "scratch"
expires = 2026-03-09

[[suppress]]
checks = ["s3_bucket_public_read"]
account = "111122223333"
reason = "public site"
expires = "2026-12-31"
"#,
    )
    .unwrap();
    assert_eq!(c.thresholds.password_min_length, 16);
    assert_eq!(
        c.thresholds.access_key_max_age_days, 90,
        "unset keys keep their default"
    );
    assert_eq!(
        c.exclude[0].selector.tags.get("env").map(String::as_str),
        Some("dev")
    );
    assert_eq!(
        c.exclude[0].expires,
        Some(time::macros::date!(2026 - 03 - 09))
    );
    assert_eq!(
        c.suppress[0].expires,
        Some(time::macros::date!(2026 - 12 - 31))
    );
}

#[test]
fn example_file_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rampart.example.toml");
    let c = Config::load(&path, &KNOWN).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        c.thresholds,
        Thresholds::default(),
        "the example documents the defaults"
    );
    assert_eq!(
        c.detections,
        rampart_detect::Thresholds::default(),
        "the example documents the detections' defaults"
    );
    assert_eq!(c.exclude.len(), 3);
    assert_eq!(c.suppress.len(), 2);
    assert!(c
        .suppress
        .iter()
        .all(|r| r.expires.is_some() || r.checks.len() == 2));
}

#[test]
fn unknown_key_names_line_column_and_hint() {
    let e = err("[thresholds]\npassword_min_length = 14\npasword_reuse_prevention = 24\n");
    assert!(
        e.starts_with("rampart.toml:3:1: unknown field `pasword_reuse_prevention`"),
        "{e}"
    );
    assert!(
        e.contains("password_reuse_prevention"),
        "lists the valid keys: {e}"
    );
    assert!(
        e.contains("(docs/rampart.example.toml documents every key)"),
        "{e}"
    );
    let e = err("[[exclude]]\narn = \"*\"\nreason = \"x\"\nexpiry = 2026-01-01\n");
    assert!(
        e.starts_with("rampart.toml:4:1: unknown field `expiry`"),
        "{e}"
    );
    let e = err("[tresholds]\n");
    assert!(
        e.starts_with("rampart.toml:1:2: unknown field `tresholds`"),
        "{e}"
    );
}

#[test]
fn missing_or_empty_reason_is_an_error() {
    let e = err("\n[[suppress]]\nchecks = [\"x\"]\narn = \"*\"\n");
    assert!(e.starts_with("rampart.toml:2:"), "{e}");
    assert!(e.contains("missing field `reason`"), "{e}");
    let e = err("[[exclude]]\narn = \"*\"\nreason = \"  \"\n");
    assert!(
        e.starts_with("rampart.toml:3:10: `reason` must say why"),
        "{e}"
    );
}

#[test]
fn bad_values_are_errors_with_position() {
    let e = err("[[exclude]]\narn = \"*\"\nreason = \"r\"\nexpires = \"31/12/2026\"\n");
    assert!(
        e.starts_with("rampart.toml:4:11: `expires` must be a date YYYY-MM-DD"),
        "{e}"
    );
    let e = err("[[exclude]]\narn = \"*\"\nreason = \"r\"\nexpires = 2026-12-31T10:00:00Z\n");
    assert!(e.contains("without a time"), "{e}");
    let e = err("[thresholds]\npassword_min_length = \"fourteen\"\n");
    assert!(e.starts_with("rampart.toml:2:23: invalid type"), "{e}");
    let e = err("[[exclude]]\nreason = \"everything\"\n");
    assert!(
        e.starts_with("rampart.toml:1:1:") && e.contains("selects no resource"),
        "{e}"
    );
    let e = err("[[suppress]]\nchecks = []\narn = \"*\"\nreason = \"r\"\n");
    assert!(e.contains("needs `checks`"), "{e}");
    let e = err("[thresholds\n");
    assert!(e.starts_with("rampart.toml:1:"), "{e}");
}

#[test]
fn unreadable_file_names_the_path() {
    let e = Config::load(Path::new("/nonexistent/rampart.toml"), &KNOWN)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("cannot read `/nonexistent/rampart.toml`"),
        "{e}"
    );
    let e = Config::load(Path::new("/nonexistent/rampart.toml"), &KNOWN).unwrap_err();
    assert!(
        std::error::Error::source(&e).is_none(),
        "the I/O error is in the message; returning it as the source too prints it twice"
    );
}

#[test]
fn expiry_is_inclusive_and_then_stops() {
    let c = parse(
        "[[suppress]]\nchecks = [\"c\"]\narn = \"*\"\nreason = \"r\"\nexpires = 2026-03-09\n\
         [[suppress]]\nchecks = [\"c\"]\narn = \"*\"\nreason = \"r\"\nexpires = 2026-03-10\n\
         [[suppress]]\nchecks = [\"c\"]\narn = \"*\"\nreason = \"forever\"\n",
    )
    .unwrap();
    assert!(!c.suppress[0].applies(NOW), "expired yesterday");
    assert!(c.suppress[1].applies(NOW), "expires today: still applies");
    assert!(c.suppress[1].applies(datetime!(2026-03-10 23:59:59 UTC)));
    assert!(!c.suppress[1].applies(datetime!(2026-03-11 00:00 UTC)));
    // The day is taken in UTC, whatever the offset of `now`.
    assert!(!c.suppress[1].applies(datetime!(2026-03-10 20:00 -05:00)));
    assert!(c.suppress[2].applies(datetime!(2100-01-01 00:00 UTC)));
}

#[test]
fn apply_suppresses_and_excludes_but_keeps_everything() {
    let c = parse(
        r#"
[[exclude]]
account = "999999999999"
reason = "sandbox"

[[exclude]]
tags = { env = "dev" }
reason = "dev stuff"

[[suppress]]
checks = ["s3_bucket_public_read"]
arn = "arn:aws:s3:::site-*"
reason = "public website"

[[suppress]]
checks = ["s3_bucket_public_read"]
arn = "*"
reason = "expired"
expires = 2026-03-09
"#,
    )
    .unwrap();
    let mut findings = vec![
        finding(
            "s3_bucket_public_read",
            resource("111111111111", "us-east-1", "arn:aws:s3:::site-a"),
        ),
        finding(
            "s3_bucket_public_write",
            resource("111111111111", "us-east-1", "arn:aws:s3:::site-a"),
        ),
        finding(
            "s3_bucket_public_read",
            resource("111111111111", "us-east-1", "arn:aws:s3:::data"),
        ),
        finding(
            "s3_bucket_public_read",
            resource("999999999999", "us-east-1", "arn:aws:s3:::site-b"),
        ),
        finding(
            "s3_bucket_public_read",
            resource("111111111111", "us-east-1", "arn:aws:s3:::devbox"),
        ),
    ];
    let tags = |r: &Resource| -> Option<BTreeMap<String, String>> {
        (r.name == "devbox").then(|| BTreeMap::from([("env".to_string(), "dev".to_string())]))
    };
    let applied = c.apply(&mut findings, &tags, NOW);
    assert_eq!(findings.len(), 5, "nothing is deleted");
    let workflow: Vec<WorkflowStatus> = findings.iter().map(|f| f.workflow_status).collect();
    use WorkflowStatus::{New, Suppressed};
    assert_eq!(workflow, [Suppressed, New, New, Suppressed, Suppressed]);
    let hits: Vec<(&str, Action, &str)> = applied
        .hits
        .iter()
        .map(|h| (h.rule.as_str(), h.action, h.reason.as_str()))
        .collect();
    assert_eq!(
        hits,
        [
            ("suppress[0]", Action::Suppressed, "public website"),
            ("exclude[0]", Action::Excluded, "sandbox"),
            ("exclude[1]", Action::Excluded, "dev stuff"),
        ]
    );
    assert_eq!(applied.hits[0].finding_id, findings[0].id);
    assert_eq!(applied.excluded().count(), 2);
    assert_eq!(applied.suppressed().count(), 1);
}

#[test]
fn tag_rules_never_match_unknown_tags() {
    let c = parse("[[exclude]]\ntags = { env = \"dev\" }\nreason = \"r\"\n").unwrap();
    let r = resource("1", "us-east-1", "arn:aws:s3:::x");
    assert!(c.excluded_by(&r, None, NOW).is_none());
    let wrong = BTreeMap::from([("env".to_string(), "prod".to_string())]);
    assert!(c.excluded_by(&r, Some(&wrong), NOW).is_none());
    let right = BTreeMap::from([
        ("env".to_string(), "dev".to_string()),
        ("x".to_string(), "y".to_string()),
    ]);
    assert!(c.excluded_by(&r, Some(&right), NOW).is_some());
}

#[test]
fn all_given_selectors_must_match() {
    let c = parse(
        "[[exclude]]\naccount = \"1\"\nregion = \"eu-*\"\narn = \"*:::logs-?\"\nreason = \"r\"\n",
    )
    .unwrap();
    let hit =
        |a: &str, reg: &str, arn: &str| c.excluded_by(&resource(a, reg, arn), None, NOW).is_some();
    assert!(hit("1", "eu-west-1", "arn:aws:s3:::logs-a"));
    assert!(!hit("2", "eu-west-1", "arn:aws:s3:::logs-a"));
    assert!(!hit("1", "us-east-1", "arn:aws:s3:::logs-a"));
    assert!(!hit("1", "eu-west-1", "arn:aws:s3:::logs-ab"));
}

#[test]
fn unknown_check_id_names_line_column_and_nearest_id() {
    let e = err("[[suppress]]\nchecks = [\"s3_bucket_public_read\", \"s3_bucket_publXc_read\"]\narn = \"*\"\nreason = \"r\"\n");
    assert_eq!(
        e,
        "rampart.toml:2:36: unknown check `s3_bucket_publXc_read` in `suppress[0].checks`; \
         did you mean `s3_bucket_public_read`? (docs/checks.md lists every check id)"
    );
    // No near id: no suggestion, still an error; the rule's index is the one `Hit::rule` uses.
    let e = err("[[suppress]]\nchecks = [\"c\"]\narn = \"*\"\nreason = \"r\"\n\n\
                 [[suppress]]\nchecks = [\n  \"x\",\n  \"no_such_check_anywhere\",\n]\narn = \"*\"\nreason = \"r\"\n");
    assert_eq!(
        e,
        "rampart.toml:9:3: unknown check `no_such_check_anywhere` in `suppress[1].checks` \
         (docs/checks.md lists every check id)"
    );
}

#[test]
fn unknown_check_id_in_a_file_names_the_file() {
    let dir = std::env::temp_dir().join(format!("rampart-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("typo.toml");
    std::fs::write(
        &path,
        "# exceptions\n[[suppress]]\nchecks = [\"s3_bucket_publc_reed\"]\narn = \"arn:aws:s3:::docs\"\nreason = \"public docs\"\n",
    )
    .unwrap();
    let e = Config::load(&path, &KNOWN)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        e.starts_with(&format!(
            "{}:3:11: unknown check `s3_bucket_publc_reed`",
            path.display()
        )),
        "{e}"
    );
}

#[test]
fn misspelt_section_or_key_is_an_error_with_its_line() {
    let e = err("[[suppresion]]\nchecks = [\"c\"]\narn = \"*\"\nreason = \"r\"\n");
    assert!(
        e.starts_with("rampart.toml:1:3: unknown field `suppresion`"),
        "{e}"
    );
    let e = err("suppresions = []\n");
    assert!(
        e.starts_with("rampart.toml:1:1: unknown field `suppresions`"),
        "{e}"
    );
    let e = err("[[suppress]]\ncheck = [\"c\"]\narn = \"*\"\nreason = \"r\"\n");
    assert!(
        e.starts_with("rampart.toml:2:1: unknown field `check`"),
        "{e}"
    );
}

/// A threshold that is a benchmark's requirement can be made stricter, never looser: a looser
/// one would report CIS 1.8 compliant for a 12-character minimum.
#[test]
fn benchmark_thresholds_only_get_stricter() {
    let e = err("[thresholds]\ncertificate_expiry_warning_days = 10\npassword_min_length = 12\n");
    assert!(e.starts_with("rampart.toml:3:23: `thresholds.password_min_length = 12` is looser than CIS AWS Foundations Benchmark v3.0.0 1.8"), "{e}");
    assert!(e.contains("use 14 or more"), "{e}");
    for (text, key) in [
        ("access_key_max_age_days = 180", "access_key_max_age_days"),
        ("credentials_unused_days = 90", "credentials_unused_days"),
        ("password_reuse_prevention = 5", "password_reuse_prevention"),
    ] {
        let e = err(&format!("[thresholds]\n{text}\n"));
        assert!(e.contains(&format!("`thresholds.{key} = ")) && e.starts_with("rampart.toml:2:"), "{e}");
    }
    // Stricter, equal and unbounded values are accepted.
    let c = parse("[thresholds]\npassword_min_length = 20\naccess_key_max_age_days = 30\npassword_reuse_prevention = 24\nstopped_instance_max_days = 90\n").unwrap();
    assert_eq!(c.thresholds.looser_than_benchmarks(), Vec::new());
    assert_eq!(c.thresholds.within_benchmarks(), c.thresholds);
}

/// Thresholds built in code are bounded too, in both directions of strictness.
#[test]
fn within_benchmarks_keeps_the_stricter_value() {
    let lax = crate::Thresholds {
        password_min_length: 8,
        password_reuse_prevention: 0,
        access_key_max_age_days: 365,
        credentials_unused_days: 30,
        ..Default::default()
    };
    let t = lax.within_benchmarks();
    assert_eq!(
        (t.password_min_length, t.password_reuse_prevention, t.access_key_max_age_days, t.credentials_unused_days),
        (14, 24, 90, 30)
    );
    assert_eq!(lax.looser_than_benchmarks().len(), 3);
    for b in crate::BENCHMARK_BOUNDS {
        assert_eq!(crate::Thresholds::default().within_benchmarks(), crate::Thresholds::default(), "{}: the default is the requirement", b.key);
    }
}

#[test]
fn detections_thresholds_are_read_and_unknown_keys_refused() {
    let c = Config::parse(
        "[detections]\nsecrets_read = 8\ntrusted_accounts = [\"444455556666\"]\n",
        Path::new("r.toml"),
        &KNOWN,
    )
    .unwrap();
    assert_eq!(c.detections.secrets_read, 8);
    assert_eq!(c.detections.trusted_accounts, vec!["444455556666".to_string()]);
    assert_eq!(c.detections.denied_calls, rampart_detect::Thresholds::default().denied_calls);
    let e = Config::parse("[detections]\nsecret_read = 8\n", Path::new("r.toml"), &KNOWN).unwrap_err().to_string();
    assert!(e.contains("secret_read"), "{e}");
}
