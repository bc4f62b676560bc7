//! The investigation graph (issue 13): source files read into the graph store, and an
//! entity's profile read back.
//!
//! [`ingest`] walks files and folders (CloudTrail's `AWSLogs/<account>/CloudTrail/<region>/
//! YYYY/MM/DD/` layout, organisation trails included, or any folder of `.json(.gz)` log
//! files, `LookupEvents` responses or EventBridge events, `.jsonl(.gz)` too; VPC Flow Logs'
//! `.log`/`.log.gz` files) or a bucket (`s3://`), skips digest and Insights files and
//! every file already read (a checkpoint per file, keyed by its path from `AWSLogs/` on, so
//! moving the download folder does not read it again), and summarises the rest with
//! `rampart-graph` in memory bounded by the summariser's limit (flushed into the open
//! transaction whenever it is full). Files are committed in groups: a group's summaries and
//! checkpoints in one transaction, so an ingest that is interrupted (killed, a full disk)
//! loses only its open group, which the next run reads again, counting nothing twice.
//! A malformed record is counted and reported with its file and position; a file that
//! stops being readable partway is recorded with that error, what precedes it counted; a
//! file that cannot be opened is reported and left for the next run. The summaries older
//! than the retention window (default one year, as Detective) are pruned after.
//!
//! CloudTrail records read are also run through the threat detections and recorded as
//! findings ([`crate::detect::record_events`], the same run source, ids and config as
//! `rampart investigate detections --db`), unless [`IngestOptions::detections`] is off; each
//! one joins the graph as a finding entity related to the principal that acted. Only
//! the files read now are covered (files read before are skipped); a run over no new record
//! is not recorded, and no detection run archives anything.

use crate::Notify;
use anyhow::{bail, Context, Result};
use rampart_collect_aws::refresh::{Session, TrailBucket};
use rampart_graph::{flow, EntityKind, Malformed, Profile, ProfileScope, Summariser};
use rampart_hub::{GraphFile, GraphWriter, Store, StoreError};
use std::path::{Path, PathBuf};

pub use rampart_graph::DEFAULT_BASELINE_DAYS;

/// What is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    CloudTrail,
    FlowLogs,
    /// GuardDuty findings as exported or saved (`GetFindings` output, EventBridge events,
    /// the S3 export's JSON Lines).
    GuardDuty,
}

impl Source {
    /// The name of the source in checkpoints.
    pub fn name(self) -> &'static str {
        match self {
            Source::CloudTrail => "cloudtrail",
            Source::FlowLogs => "flowlogs",
            Source::GuardDuty => "guardduty",
        }
    }
}

/// Detective keeps a year.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;

/// Malformed records kept in a report (the rest are counted).
pub const MAX_REPORTED_MALFORMED: usize = 1000;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub source: Source,
    pub paths: Vec<PathBuf>,
    /// Summaries of hours older than this many days before now are pruned.
    pub retention_days: u32,
    /// The summariser's bound (relationships and entities held before a flush).
    pub memory_limit: usize,
    /// Files per transaction.
    pub files_per_commit: usize,
    /// For tests of interrupted ingests: fail (rolling back the open group) when this
    /// many files have been read.
    pub fail_after_files: Option<usize>,
    /// How to reach AWS for `s3://` paths (profile, endpoint).
    pub aws: rampart_collect_aws::Options,
    /// CloudTrail: run the threat detections over the records read now and record them as
    /// findings (the records are held in memory until the end of the ingest for that).
    pub detections: bool,
    /// The detections' thresholds and suppressions (`[detections]`, `[[suppress]]`).
    pub config: Option<rampart_config::Config>,
    /// GeoIP databases: the addresses the graph has not located yet are located after the
    /// files are read (where an address was when first seen; see [`locate_addresses`]).
    pub geo: Option<std::sync::Arc<rampart_graph::geo::GeoDb>>,
}

impl IngestOptions {
    pub fn new(source: Source, paths: Vec<PathBuf>) -> IngestOptions {
        IngestOptions {
            source,
            paths,
            retention_days: DEFAULT_RETENTION_DAYS,
            memory_limit: Summariser::DEFAULT_LIMIT,
            files_per_commit: 64,
            fail_after_files: None,
            aws: rampart_collect_aws::Options::default(),
            detections: true,
            config: None,
            geo: None,
        }
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestReport {
    /// Files read now.
    pub files_read: u64,
    /// Files read by an earlier ingest: skipped.
    pub files_already_read: u64,
    /// CloudTrail digest and Insights files, and files that are not of the source: skipped.
    pub files_skipped: u64,
    /// Files that could not be opened (left for the next run), or stopped being readable
    /// partway (recorded; what precedes was counted): `file: why`.
    pub file_errors: Vec<String>,
    pub bytes: u64,
    pub records: u64,
    /// Records with nothing to summarise (flow logs' `NODATA`/`SKIPDATA`, CloudTrail
    /// records without a caller).
    pub records_without_data: u64,
    pub malformed: u64,
    /// The first [`MAX_REPORTED_MALFORMED`] malformed records, with file and position.
    pub malformed_records: Vec<Malformed>,
    /// Summaries and entities pruned by retention.
    pub pruned_summaries: u64,
    pub pruned_entities: u64,
    /// Addresses located with the GeoIP databases given (absent without them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub located: Option<u64>,
    /// CloudTrail: the detections run over the records read now (absent when not run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detections: Option<IngestDetections>,
}

/// The detections of a CloudTrail ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestDetections {
    /// Records the detections ran over (read now, each `eventID` once).
    pub records: u64,
    /// The recorded run (source `cloudtrail`); absent when no new record was read.
    pub run: Option<String>,
    /// Detections recorded as findings (suppressed ones included), and of them suppressed.
    pub recorded: u64,
    pub suppressed: u64,
    /// `rule (name): N finding(s)` per automation rule that matched.
    pub rules_applied: Vec<String>,
}

impl IngestDetections {
    /// One line: how many detections were recorded, and over what.
    pub fn summary(&self) -> String {
        match &self.run {
            None => "0 detection(s) recorded: no new CloudTrail record was read (files ingested before are not read again)".to_string(),
            Some(run) => format!(
                "{} detection(s) recorded as findings over {} new record(s), run {run}{}",
                self.recorded,
                self.records,
                if self.suppressed > 0 { format!(" ({} suppressed by the configuration)", self.suppressed) } else { String::new() }
            ),
        }
    }
}

impl IngestReport {
    /// One line: what was read, skipped, malformed.
    pub fn summary(&self) -> String {
        format!(
            "{} file(s) read ({} record(s), {} without data, {} malformed), {} already read, {} skipped, {} with errors",
            self.files_read,
            self.records,
            self.records_without_data,
            self.malformed,
            self.files_already_read,
            self.files_skipped,
            self.file_errors.len()
        )
    }

    fn note_malformed(&mut self, m: Malformed) {
        self.malformed += 1;
        if self.malformed_records.len() < MAX_REPORTED_MALFORMED {
            self.malformed_records.push(m);
        }
    }
}

/// A file to read, with its checkpoint key.
struct Candidate {
    origin: Origin,
    key: String,
}

enum Origin {
    Local(PathBuf),
    /// An object's key in the bucket being read.
    S3(String),
}

/// A bucket being read.
struct S3<'a> {
    rt: &'a tokio::runtime::Runtime,
    session: &'a Session,
    bucket: &'a TrailBucket,
}

/// A log file object larger than this is refused unread (CloudTrail delivers files of a few
/// MiB; S3 delivery of flow logs rolls files at 75 MB).
const MAX_OBJECT: u64 = 256 << 20;

/// `text` from its last `AWSLogs/` folder on, if it has one.
fn from_awslogs(text: &str) -> Option<&str> {
    if text.starts_with("AWSLogs/") {
        return Some(text);
    }
    text.rfind("/AWSLogs/").map(|i| &text[i + 1..])
}

/// The checkpoint key of a file: its path from the last `AWSLogs/` on when it has one (the
/// layout CloudTrail and flow logs deliver to S3, so a file read from the bucket and the
/// same file downloaded are one), else its absolute path.
pub fn file_key(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = abs.to_string_lossy().replace('\\', "/");
    from_awslogs(&text).map(str::to_string).unwrap_or(text)
}

/// Whether a file is one to read, or why it is skipped.
fn wanted(source: Source, path: &Path, named: bool) -> Result<(), &'static str> {
    let text = path.to_string_lossy().replace('\\', "/");
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    match source {
        Source::CloudTrail => {
            if text.contains("/CloudTrail-Digest/") || name.contains("_CloudTrail-Digest_") {
                return Err("digest");
            }
            if text.contains("/CloudTrail-Insight/") {
                return Err("insights");
            }
            if named || [".json.gz", ".json", ".jsonl", ".jsonl.gz"].iter().any(|x| name.ends_with(x)) {
                Ok(())
            } else {
                Err("not a CloudTrail log file")
            }
        }
        Source::FlowLogs => {
            if named || name.ends_with(".log.gz") || name.ends_with(".log") {
                Ok(())
            } else {
                Err("not a flow log file")
            }
        }
        Source::GuardDuty => {
            if named || [".json.gz", ".json", ".jsonl", ".jsonl.gz"].iter().any(|x| name.ends_with(x)) {
                Ok(())
            } else {
                Err("not a findings file")
            }
        }
    }
}

/// Every file under `root` (a file itself, or a folder walked in name order; links to
/// folders are not followed).
fn walk(root: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(root).with_context(|| format!("`{}` cannot be read", root.display()))?;
    if meta.is_file() {
        out.push(root.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root)
        .with_context(|| format!("the folder `{}` cannot be listed", root.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let link = std::fs::symlink_metadata(&p).map(|m| m.file_type().is_symlink()).unwrap_or(false);
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() && !link => walk(&p, out)?,
            Ok(m) if m.is_file() => out.push(p),
            _ => {}
        }
    }
    Ok(())
}

/// Reads `opts.paths` (files, folders, `s3://bucket/prefix`) into the graph of `store`;
/// `now` (Unix seconds) for retention.
pub fn ingest(store: &mut Store, opts: &IngestOptions, now: i64, notify: &dyn Notify) -> Result<IngestReport> {
    if opts.paths.is_empty() {
        bail!("no file or folder to read");
    }
    let mut report = IngestReport::default();
    let mut files: Vec<Candidate> = Vec::new();
    let mut buckets: Vec<(String, String)> = Vec::new();
    for root in &opts.paths {
        if let Some(rest) = root.to_str().and_then(|s| s.strip_prefix("s3://")) {
            let (name, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if name.is_empty() {
                bail!("`{}` names no bucket: use s3://BUCKET or s3://BUCKET/PREFIX", root.display());
            }
            buckets.push((name.to_string(), prefix.trim_matches('/').to_string()));
            continue;
        }
        if !root.exists() {
            bail!("`{}` does not exist: give files or folders of {}", root.display(), opts.source.name());
        }
        let named = root.is_file();
        let mut found = Vec::new();
        walk(root, &mut found)?;
        for path in found {
            match wanted(opts.source, &path, named) {
                Ok(()) => files.push(Candidate { key: file_key(&path), origin: Origin::Local(path) }),
                Err(_) => report.files_skipped += 1,
            }
        }
    }
    let events = (opts.detections && opts.source == Source::CloudTrail).then(Collected::default);
    let mut run = Run { opts, sum: Summariser::new(opts.memory_limit), handled: 0, report, notify, events };
    run.commit_files(store, &files, None)?;
    if !buckets.is_empty() {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
        let session = rt.block_on(Session::start(&opts.aws))?;
        for (name, prefix) in &buckets {
            let bucket = rt.block_on(session.trail_bucket(name)).map_err(|e| anyhow::anyhow!("cannot read the bucket `{name}`: {e}"))?;
            let s3 = S3 { rt: &rt, session: &session, bucket: &bucket };
            let base = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
            // A page of keys at a time: the listing is never held whole.
            let mut cursor: Option<String> = None;
            loop {
                let keys = rt
                    .block_on(session.list_keys(&bucket, &base, cursor.as_deref(), LIST_PAGE))
                    .map_err(|e| anyhow::anyhow!("cannot list `{base}` in the bucket `{name}`: {e}"))?;
                let full = keys.len() == LIST_PAGE;
                cursor = keys.last().cloned();
                let mut page = Vec::new();
                for k in keys {
                    match wanted(opts.source, Path::new(&k), false) {
                        Ok(()) => page.push(Candidate {
                            key: from_awslogs(&k).map(str::to_string).unwrap_or_else(|| format!("s3://{name}/{k}")),
                            origin: Origin::S3(k),
                        }),
                        Err(_) => run.report.files_skipped += 1,
                    }
                }
                run.commit_files(store, &page, Some(&s3))?;
                if !full {
                    break;
                }
            }
        }
    }
    notify.progress_done();
    let mut report = run.report;
    if let Some(events) = run.events {
        report.detections = Some(record_detections(store, opts, &events.events, &report, notify)?);
    }
    if let Some(geo) = &opts.geo {
        let at = time::OffsetDateTime::from_unix_timestamp(now).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        report.located = Some(locate_addresses(store, geo, at)?);
    }
    let before = now - i64::from(opts.retention_days) * 86_400;
    let (s, e) = store.prune_graph(rampart_graph::hour_of(before)).context("pruning the graph")?;
    report.pruned_summaries = s;
    report.pruned_entities = e;
    store.graph_prune_geo().context("pruning the graph's locations")?;
    Ok(report)
}

/// Keys listed at a time from a bucket.
const LIST_PAGE: usize = 1000;

/// An ingest under way.
struct Run<'a> {
    opts: &'a IngestOptions,
    sum: Summariser,
    /// Files read so far.
    handled: usize,
    report: IngestReport,
    notify: &'a dyn Notify,
    /// CloudTrail records read, for the detections (when they run).
    events: Option<Collected>,
}

/// CloudTrail records read, each `eventID` once.
#[derive(Default)]
struct Collected {
    events: Vec<rampart_cloudtrail::Event>,
    seen: std::collections::HashSet<String>,
}

impl Collected {
    fn add(&mut self, e: rampart_cloudtrail::Event) {
        if e.id.is_empty() || self.seen.insert(e.id.clone()) {
            self.events.push(e);
        }
    }
}

/// Runs the detections over the records read now and records them (nothing recorded when
/// no new record was read: a run over nothing must not touch earlier detections).
fn record_detections(
    store: &mut Store,
    opts: &IngestOptions,
    events: &[rampart_cloudtrail::Event],
    report: &IngestReport,
    notify: &dyn Notify,
) -> Result<IngestDetections> {
    let mut out = IngestDetections { records: events.len() as u64, ..Default::default() };
    if events.is_empty() {
        return Ok(out);
    }
    let mut incomplete: Vec<String> = report.file_errors.clone();
    if let Some(first) = report.malformed_records.first() {
        incomplete.push(format!("{} malformed CloudTrail record(s) not read (first: {first})", report.malformed));
    }
    let recorded = crate::detect::record_events(events, opts.config.as_ref(), crate::now(), incomplete, store, notify)?;
    // Each detection into the graph: the finding → the principal that acted.
    let mut sum = Summariser::new(usize::MAX);
    for f in &recorded.scan.findings {
        let at = f.first_observed.unix_timestamp();
        sum.entity(&f.id, EntityKind::Finding, at);
        sum.entity(&f.resource.id, EntityKind::of_id(&f.resource.id), at);
        sum.add(&f.id, rampart_graph::Rel::FindingOf, &f.resource.id, &f.check_id, rampart_graph::Tally::one(at, true));
    }
    if !sum.is_empty() {
        store.graph_write(|w| w.add(&sum.drain())).context("the graph store")?;
    }
    out.run = Some(recorded.scan.run.id.clone());
    out.recorded = recorded.scan.findings.len() as u64;
    out.suppressed = recorded.scan.suppressed as u64;
    out.rules_applied = recorded
        .rules
        .iter()
        .map(|a| format!("automation rule `{}` ({}) applied to {} finding(s)", a.name, a.rule, a.findings.len()))
        .collect();
    Ok(out)
}

impl Run<'_> {
    /// Reads `files` (those not read before) into the store, a group per transaction.
    fn commit_files(&mut self, store: &mut Store, files: &[Candidate], s3: Option<&S3<'_>>) -> Result<()> {
        let source = self.opts.source.name();
        let mut next = 0usize;
        while next < files.len() {
            let mut interrupted = false;
            let r = store.graph_write(|w| {
                let mut in_group = 0usize;
                while next < files.len() && in_group < self.opts.files_per_commit.max(1) {
                    let c = &files[next];
                    next += 1;
                    if w.is_ingested(source, &c.key)? {
                        self.report.files_already_read += 1;
                        continue;
                    }
                    in_group += 1;
                    read_file(w, self.opts.source, c, s3, &mut self.sum, &mut self.report, self.events.as_mut())?;
                    self.handled += 1;
                    self.notify.progress(format_args!("{source}: {} file(s) read", self.handled));
                    if self.opts.fail_after_files.is_some_and(|n| self.handled >= n) {
                        interrupted = true;
                        return Err(StoreError::InvalidUpdate(format!("interrupted after {} file(s)", self.handled)));
                    }
                }
                if !self.sum.is_empty() {
                    w.add(&self.sum.drain())?;
                }
                Ok(())
            });
            if let Err(e) = r {
                self.notify.progress_done();
                if interrupted {
                    bail!("{e}");
                }
                return Err(e).context("the graph store");
            }
        }
        Ok(())
    }
}

/// Reads one file into `sum` (flushing into `w` when full) and records its checkpoint.
fn read_file(
    w: &GraphWriter<'_>,
    source: Source,
    c: &Candidate,
    s3: Option<&S3<'_>>,
    sum: &mut Summariser,
    report: &mut IngestReport,
    mut events: Option<&mut Collected>,
) -> Result<(), StoreError> {
    let shown = match (&c.origin, s3) {
        (Origin::Local(p), _) => p.display().to_string(),
        (Origin::S3(k), Some(s3)) => format!("s3://{}/{k}", s3.bucket.name),
        (Origin::S3(k), None) => k.clone(),
    };
    let mut file = GraphFile {
        source: source.name().to_string(),
        file: c.key.clone(),
        bytes: 0,
        records: 0,
        malformed: 0,
        error: None,
        ingested_at: crate::now(),
    };
    let not_read =
        |report: &mut IngestReport, why: String| report.file_errors.push(format!("{shown}: {why} (not read; the next ingest tries again)"));
    // An object is read whole (at most MAX_OBJECT bytes); a local file is read whole for
    // CloudTrail (a few MiB) and streamed for flow logs.
    let fetched: Option<Vec<u8>> = match (&c.origin, s3) {
        (Origin::S3(k), Some(s3)) => match s3.rt.block_on(s3.session.get_object(s3.bucket, k, MAX_OBJECT)) {
            Ok(b) => Some(b),
            Err(e) => {
                not_read(report, e);
                return Ok(());
            }
        },
        (Origin::S3(_), None) => {
            not_read(report, "no bucket".into());
            return Ok(());
        }
        (Origin::Local(p), _) if source != Source::FlowLogs => match std::fs::read(p) {
            Ok(b) => Some(b),
            Err(e) => {
                not_read(report, e.to_string());
                return Ok(());
            }
        },
        (Origin::Local(_), _) => None,
    };
    let malformed_before = report.malformed;
    match source {
        Source::CloudTrail => {
            let bytes = fetched.unwrap_or_default();
            file.bytes = bytes.len() as u64;
            let (stats, error) = rampart_graph::trail::summarise_trail_log(
                &shown,
                &bytes,
                rampart_cloudtrail::MAX_INFLATED,
                sum,
                &mut |m| report.note_malformed(m),
                &mut |e| {
                    if let Some(events) = events.as_deref_mut() {
                        events.add(e);
                    }
                },
                &mut |s: &mut Summariser| w.add(&s.drain()),
            )?;
            file.records = stats.records;
            report.records_without_data += stats.without_data;
            file.error = error.map(|e| e.to_string());
        }
        Source::GuardDuty => {
            let bytes = fetched.unwrap_or_default();
            file.bytes = bytes.len() as u64;
            let mut bad: Vec<Malformed> = Vec::new();
            match rampart_graph::observe_findings(&shown, &bytes, MAX_OBJECT, sum, &mut |m| bad.push(m)) {
                Ok(stats) => file.records = stats.findings + stats.malformed,
                Err(e) => file.error = Some(e.to_string()),
            }
            for m in bad {
                report.note_malformed(m);
            }
            if sum.is_full() {
                w.add(&sum.drain())?;
            }
        }
        Source::FlowLogs => {
            let mut open: Box<dyn FnMut() -> std::io::Result<Box<dyn std::io::Read>>> = match (fetched, &c.origin) {
                (Some(bytes), _) => {
                    file.bytes = bytes.len() as u64;
                    let bytes = std::sync::Arc::new(bytes);
                    Box::new(move || Ok(Box::new(std::io::Cursor::new(ArcBytes(bytes.clone()))) as Box<dyn std::io::Read>))
                }
                (None, Origin::Local(path)) => {
                    match std::fs::File::open(path).and_then(|f| f.metadata()) {
                        Ok(m) => file.bytes = m.len(),
                        Err(e) => {
                            not_read(report, e.to_string());
                            return Ok(());
                        }
                    }
                    let path = path.clone();
                    Box::new(move || Ok(Box::new(std::fs::File::open(&path)?) as Box<dyn std::io::Read>))
                }
                (None, Origin::S3(_)) => return Ok(()),
            };
            let mut bad: Vec<Malformed> = Vec::new();
            let r =
                flow::summarise_flow_log(&shown, &mut *open, flow::MAX_INFLATED, sum, &mut |m| bad.push(m), &mut |s: &mut Summariser| {
                    w.add(&s.drain())
                });
            for m in bad {
                report.note_malformed(m);
            }
            match r {
                Ok(stats) => {
                    file.records = stats.records;
                    report.records_without_data += stats.no_data;
                }
                Err(flow::Stop::Flush(e)) => return Err(e),
                Err(flow::Stop::File(e)) => file.error = Some(e.to_string()),
            }
        }
    }
    file.malformed = report.malformed - malformed_before;
    report.records += file.records;
    report.bytes += file.bytes;
    report.files_read += 1;
    if let Some(e) = &file.error {
        report.file_errors.push(format!("{e} (what precedes was read; the file is not read again)"));
    }
    w.file_done(&file)
}

/// An object's bytes shared by the two passes over a flow log.
struct ArcBytes(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// An entity's profile over `[from, to)` (Unix seconds; default: the 24 hours up to its
/// last sighting) with a baseline of `baseline_days` before it.
pub fn entity_profile(store: &Store, id: &str, from: Option<i64>, to: Option<i64>, baseline_days: i64) -> Result<Profile> {
    let id = id.trim();
    let seen = store.graph_entity(id)?;
    let Some(seen) = seen else {
        bail!(
            "no entity `{id}` in the graph: ingest its CloudTrail or flow logs first (ids are ARNs, access key ids, instance ids, IP addresses, account ids)"
        )
    };
    let to = to.unwrap_or_else(|| rampart_graph::hour_of(seen.last_seen) + 3600);
    let from = from.unwrap_or(to - 86_400);
    if from >= to {
        bail!("the scope starts at or after its end");
    }
    Ok(store.graph_profile(id, seen.kind, ProfileScope { from, to, baseline_days })?)
}

/// An entity of the graph, as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntityLine {
    pub id: String,
    pub kind: EntityKind,
    pub first_seen: String,
    pub last_seen: String,
}

/// The graph's entities of `kind` (a kind's name; every kind when `None`) whose id starts
/// with `prefix`, in id order, at most `limit`.
pub fn entities(store: &Store, kind: Option<&str>, prefix: &str, limit: usize) -> Result<Vec<EntityLine>> {
    let kind = match kind {
        None => None,
        Some(k) => Some(EntityKind::parse(k).with_context(|| {
            format!(
                "unknown entity kind `{}`: one of {}",
                crate::shown(k),
                EntityKind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
            )
        })?),
    };
    Ok(store
        .graph_entities(kind, prefix, limit)?
        .into_iter()
        .map(|e| EntityLine {
            id: e.id,
            kind: e.kind,
            first_seen: rampart_graph::text_time(e.first_seen),
            last_seen: rampart_graph::text_time(e.last_seen),
        })
        .collect())
}

mod investigation;
pub use investigation::*;

#[cfg(test)]
mod tests;
