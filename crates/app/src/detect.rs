//! `rampart investigate detections`: the threat detections of `rampart-detect` over
//! CloudTrail files and folders, as a run of findings (source `cloudtrail`) that the caller
//! may record like any scan's: stable ids, workflow, automation rules, events, every output
//! format.
//!
//! Input: files and folders. A folder is read recursively for `.json` and `.json.gz` files
//! (a trail's `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` layout included; its digest
//! and Insights files are skipped); a file named on its own is read whatever its name. Each
//! file may be a trail's log file, a JSON array of records, `lookup-events` output or
//! EventBridge events, or JSON Lines of records ([`rampart_cloudtrail::read_events`]). A record that cannot be read is
//! reported with its file and position and the others are still read; a file that is not
//! CloudTrail at all is reported and skipped. Either makes the run incomplete (said in
//! [`RunInfo::incomplete`](rampart_model::RunInfo)), never a silent "nothing detected". A
//! record seen twice (overlapping exports) counts once, by its `eventID`.
//!
//! The run evaluates no check for archiving: a detection is about what happened, so a
//! later run over other logs leaves earlier detections alone.

use crate::{Notify, Scan};
use anyhow::{bail, Context, Result};
use rampart_cloudtrail::{Event, KeyKind, Malformed};
use rampart_config::Config;
use rampart_model::Timestamp;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The run source of detections.
pub const SOURCE: &str = "cloudtrail";

/// What one run of the detections read and found.
#[derive(Debug)]
pub struct Detections {
    /// The run and its findings (suppressions of the config applied).
    pub scan: Scan,
    /// Files read (with at least one record or none), and records read once each.
    pub files: usize,
    pub events: usize,
    /// Records seen again in another file (same `eventID`), counted once.
    pub duplicates: usize,
    /// Records that could not be read, with their file and position.
    pub malformed: Vec<Malformed>,
    /// Files that are not CloudTrail at all, with why.
    pub unreadable: Vec<String>,
}

/// The files under `paths`, in a stable order: each file as given; each folder's `.json`
/// and `.json.gz` files, recursively, CloudTrail digest and Insights files left out.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if paths.is_empty() {
        bail!("no CloudTrail files or folders given");
    }
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("cannot read `{}`: give CloudTrail log files or folders", p.display()))?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, &mut out).with_context(|| format!("cannot list `{}`", p.display()))?;
            if out.len() == before {
                bail!("no .json or .json.gz files under `{}`: give CloudTrail log files or the folder a trail delivers to", p.display());
            }
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
            continue;
        }
        let name = p.to_string_lossy();
        if !(name.ends_with(".json") || name.ends_with(".json.gz")) {
            continue;
        }
        // In a trail's layout, only the log files: not digests, not Insights events.
        let unix = name.replace('\\', "/");
        if let Some(at) = unix.find("AWSLogs/") {
            if matches!(rampart_cloudtrail::parse_key(&unix[at..]), KeyKind::Digest | KeyKind::Insight) {
                continue;
            }
        }
        out.push(p);
    }
    Ok(())
}

/// Reads the CloudTrail records of `paths` and runs the detections over them, with the
/// config's `[detections]` thresholds and its suppressions.
pub fn run(paths: &[PathBuf], config: Option<&Config>, started: Timestamp, notify: &dyn Notify) -> Result<Detections> {
    let files = files(paths)?;
    let mut events: Vec<Event> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let (mut duplicates, mut malformed, mut unreadable) = (0, Vec::new(), Vec::new());
    for (i, path) in files.iter().enumerate() {
        notify.progress(format_args!("reading CloudTrail: {}/{} files, {} records", i + 1, files.len(), events.len()));
        let shown = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                unreadable.push(format!("`{shown}`: {e}"));
                continue;
            }
        };
        let read = rampart_cloudtrail::read_events(&shown, &bytes, rampart_cloudtrail::MAX_INFLATED, &mut |r| match r {
            Ok(e) => {
                if !e.id.is_empty() && !seen.insert(e.id.clone()) {
                    duplicates += 1;
                } else {
                    events.push(e);
                }
            }
            Err(m) => malformed.push(m),
        });
        if let Err(e) = read {
            unreadable.push(e.to_string());
        }
    }
    notify.progress_done();
    // Nothing read at all is not "nothing detected".
    if events.is_empty() {
        if let Some(u) = unreadable.first() {
            bail!("no CloudTrail record could be read: {u}");
        }
        if let Some(m) = malformed.first() {
            bail!("no CloudTrail record could be read: record {} of `{}`: {}", m.index, m.file, m.message);
        }
    }
    for u in &unreadable {
        notify.warn(&format!("skipped: {u}"));
    }
    for m in malformed.iter().take(20) {
        notify.warn(&format!("malformed record {} of `{}`: {}", m.index, m.file, m.message));
    }
    if malformed.len() > 20 {
        notify.warn(&format!("{} more malformed records not shown", malformed.len() - 20));
    }
    let mut scan = scan_events(&events, config, started);
    scan.run.incomplete = incomplete(&unreadable, &malformed);
    Ok(Detections { scan, files: files.len(), events: events.len(), duplicates, malformed, unreadable })
}

/// The detections over `events` as a run: its accounts and regions those of the records.
pub fn scan_events(events: &[Event], config: Option<&Config>, started: Timestamp) -> Scan {
    let thresholds = config.map(|c| c.detections.clone()).unwrap_or_default();
    let mut findings = rampart_detect::detect(events, &thresholds);
    let mut suppressed = 0;
    let mut excluded = 0;
    if let Some(config) = config {
        let applied = config.apply(&mut findings, &|_| None, started);
        excluded = applied.excluded().count();
        suppressed = applied.hits.len() - excluded;
    }
    let accounts: BTreeSet<String> = events.iter().map(|e| e.account.clone()).filter(|a| !a.is_empty()).collect();
    let regions: BTreeSet<String> = events.iter().map(|e| e.region.clone()).collect();
    let run = crate::run_info(SOURCE.to_string(), started, accounts.into_iter().collect(), regions.into_iter().collect(), Vec::new());
    let mut scan = Scan::of(run, findings);
    scan.excluded = excluded;
    scan.suppressed = suppressed;
    scan
}

/// Detections recorded in a store by [`record_events`].
#[derive(Debug)]
pub struct Recorded {
    /// The run as recorded (its findings show the store's view: workflow, first seen).
    pub scan: Scan,
    /// What each automation rule matched.
    pub rules: Vec<rampart_hub::RuleApplied>,
}

/// The detections over `events` (read once each), recorded in `store` as a run of source
/// [`SOURCE`] as `rampart investigate detections --db` records them: the config's thresholds
/// and suppressions, stable finding ids, automation rules; `incomplete` says what was not
/// read. The run evaluates no check, so recording it archives nothing.
pub fn record_events(
    events: &[Event],
    config: Option<&Config>,
    started: Timestamp,
    incomplete: Vec<String>,
    store: &mut rampart_hub::Store,
    notify: &dyn Notify,
) -> Result<Recorded> {
    let mut scan = scan_events(events, config, started);
    scan.run.incomplete = incomplete;
    let rules = crate::db::record(&mut scan, store, notify).context("recording the detections")?;
    Ok(Recorded { scan, rules })
}

/// What was not read, in words, for the run.
fn incomplete(unreadable: &[String], malformed: &[Malformed]) -> Vec<String> {
    let mut out: Vec<String> = unreadable.iter().map(|u| format!("not CloudTrail, skipped: {u}")).collect();
    let mut by_file: std::collections::BTreeMap<&str, Vec<&Malformed>> = Default::default();
    for m in malformed {
        by_file.entry(m.file.as_str()).or_default().push(m);
    }
    for (file, list) in by_file {
        out.push(format!("{} malformed record(s) in `{file}` (first at position {}: {})", list.len(), list[0].index, list[0].message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    struct Quiet;
    impl Notify for Quiet {
        fn notice(&self, _: crate::Level, _: &str) {}
    }

    fn stratus(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cloudtrail/stratus-red-team").join(name)
    }

    #[test]
    fn a_trail_layout_is_read_digests_skipped_and_bad_files_reported() {
        let dir = tempfile::tempdir().unwrap();
        let day = dir.path().join("AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/07");
        std::fs::create_dir_all(&day).unwrap();
        let digest_dir = dir.path().join("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/12/07");
        std::fs::create_dir_all(&digest_dir).unwrap();
        // A log file as a trail delivers it: {"Records": [...]}, gzip.
        let records: serde_json::Value =
            serde_json::from_slice(&std::fs::read(stratus("aws.defense-evasion.cloudtrail-stop.json")).unwrap()).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&serde_json::to_vec(&serde_json::json!({"Records": records})).unwrap()).unwrap();
        std::fs::write(day.join("111122223333_CloudTrail_us-east-1_20261207T1805Z_a.json.gz"), gz.finish().unwrap()).unwrap();
        // The same record again in an export: counted once.
        std::fs::write(dir.path().join("export.json"), serde_json::to_vec(&records).unwrap()).unwrap();
        // A digest file (not records) is skipped; a stray JSON is reported.
        std::fs::write(digest_dir.join("111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261207T1805Z.json.gz"), b"not read")
            .unwrap();
        std::fs::write(dir.path().join("notes.json"), br#"{"hello": 1}"#).unwrap();
        std::fs::write(dir.path().join("truncated.json.gz"), [0x1f, 0x8b, 8, 0]).unwrap();
        std::fs::write(dir.path().join("mixed.json"), br#"[{"eventName": "StopLogging"}]"#).unwrap();
        std::fs::write(dir.path().join("readme.txt"), b"ignored").unwrap();

        let d = run(&[dir.path().to_path_buf()], None, rampart_model::Timestamp::now_utc(), &Quiet).unwrap();
        assert_eq!(d.files, 5);
        assert_eq!((d.events, d.duplicates), (1, 1));
        // A record that cannot be read is named with its file and position; a file that is
        // not CloudTrail at all (JSON without records, a broken gzip stream) as a whole.
        assert_eq!(d.malformed.len(), 1, "{:?}", d.malformed);
        assert!(d.malformed[0].file.ends_with("mixed.json") && d.malformed[0].index == 0, "{:?}", d.malformed);
        assert_eq!(d.unreadable.len(), 2, "{:?}", d.unreadable);
        assert!(d.unreadable[0].contains("notes.json") && d.unreadable[1].contains("truncated.json.gz"), "{:?}", d.unreadable);
        assert_eq!(d.scan.findings.len(), 1);
        assert_eq!(d.scan.findings[0].check_id, "threat_logging_disabled");
        assert_eq!(d.scan.run.source, "cloudtrail");
        assert!(d.scan.run.checks.is_empty());
        assert_eq!(d.scan.run.accounts, vec!["143434273843".to_string()]);
        assert!(d.scan.run.incomplete.iter().any(|i| i.contains("notes.json")), "{:?}", d.scan.run.incomplete);
        assert!(
            d.scan.run.incomplete.iter().any(|i| i.contains("1 malformed record(s) in") && i.contains("mixed.json")),
            "{:?}",
            d.scan.run.incomplete
        );
        assert!(d.scan.run.incomplete.iter().any(|i| i.contains("truncated.json.gz")), "{:?}", d.scan.run.incomplete);
    }

    #[test]
    fn missing_paths_empty_folders_and_only_bad_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let e = run(&[dir.path().join("nope")], None, rampart_model::Timestamp::now_utc(), &Quiet).unwrap_err();
        assert!(format!("{e:#}").contains("give CloudTrail log files or folders"), "{e:#}");
        let e = run(&[dir.path().to_path_buf()], None, rampart_model::Timestamp::now_utc(), &Quiet).unwrap_err();
        assert!(format!("{e:#}").contains("no .json or .json.gz files"), "{e:#}");
        std::fs::write(dir.path().join("x.json"), b"[1, 2").unwrap();
        let e = run(&[dir.path().join("x.json")], None, rampart_model::Timestamp::now_utc(), &Quiet).unwrap_err();
        assert!(format!("{e:#}").contains("no CloudTrail record could be read"), "{e:#}");
        std::fs::write(dir.path().join("y.json"), br#"[{"eventName": "StopLogging"}]"#).unwrap();
        let e = run(&[dir.path().join("y.json")], None, rampart_model::Timestamp::now_utc(), &Quiet).unwrap_err();
        assert!(format!("{e:#}").contains("record 0 of"), "{e:#}");
    }

    #[test]
    fn a_config_sets_thresholds_and_suppresses() {
        let events: Vec<Event> = rampart_detect::generate::benign(300, 3, time::macros::datetime!(2026-12-07 08:00 UTC))
            .iter()
            .map(|r| rampart_cloudtrail::log::event(r).unwrap())
            .collect();
        let now = rampart_model::Timestamp::now_utc();
        // Without a config the backup shares to the organisation's account are "outside".
        let plain = scan_events(&events, None, now);
        assert!(plain.findings.iter().any(|f| f.check_id == "threat_shared_outside"));
        let text = format!(
            "[detections]\ntrusted_accounts = [\"{}\"]\n\n[[suppress]]\nchecks = [\"threat_root_credential_usage\"]\naccount = \"111122223333\"\nreason = \"root sign-ins reviewed weekly\"\n",
            rampart_detect::generate::ORG_ACCOUNT
        );
        let config = Config::parse(&text, Path::new("r.toml"), &rampart_checks::KNOWN).unwrap();
        let s = scan_events(&events, Some(&config), now);
        assert!(!s.findings.iter().any(|f| f.check_id == "threat_shared_outside"));
        let root: Vec<_> = s.findings.iter().filter(|f| f.check_id == "threat_root_credential_usage").collect();
        assert!(!root.is_empty());
        assert!(root.iter().all(|f| f.workflow_status == rampart_model::WorkflowStatus::Suppressed));
        assert_eq!(s.suppressed, root.len());
    }

    #[test]
    fn findings_may_be_filtered_by_a_detection_id() {
        assert_eq!(crate::browse::known_check("threat_logging_disabled").unwrap(), "threat_logging_disabled");
        assert!(format!("{:#}", crate::browse::known_check("threat_loging_disabled").unwrap_err()).contains("threat_logging_disabled"));
    }
}
