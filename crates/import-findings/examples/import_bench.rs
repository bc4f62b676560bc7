//! Throughput of findings from other tools into a store file, as `rampart import findings`
//! sends them: parse a document, then `Store::import_findings` in calls of 100
//! (BatchImportFindings' limit), one transaction per call.
//!
//!   cargo run --release -p rampart-import-findings --example import_bench -- FILE DB
//!
//! The conversion to the store's shape is `rampart_app::import::to_store`'s, restated
//! here so the benchmark builds without the application layer (and its AWS SDK).

use rampart_hub::{ImportedFinding as StoreFinding, Store};
use rampart_import_findings::{parse_document, ImportedFinding};
use rampart_model::{RecordState, Resource, ResourceType};
use std::time::Instant;

fn to_store(f: &ImportedFinding) -> StoreFinding {
    let r = f.primary_resource();
    StoreFinding {
        product_arn: f.product_arn.clone(),
        id: f.id.clone(),
        generator_id: f.generator_id.clone(),
        product_name: f.product_name.clone(),
        company_name: f.company_name.clone(),
        title: f.title.clone(),
        description: f.description.clone(),
        severity: f.severity,
        compliance_status: f.compliance_status,
        related_requirements: f.related_requirements.clone(),
        resource: Resource {
            id: r.id.clone(),
            kind: serde_json::from_value(serde_json::Value::String(r.kind.clone())).unwrap_or(ResourceType::Other),
            account: f.aws_account_id.clone(),
            region: r.region.clone(),
            partition: r.partition.clone(),
            name: r.name.clone(),
        },
        resource_tags: r.tags.clone(),
        remediation_text: f.remediation_text.clone().unwrap_or_default(),
        remediation_url: f.remediation_url.clone().unwrap_or_default(),
        created_at: f.created_at,
        updated_at: f.updated_at,
        first_observed_at: f.first_observed_at,
        last_observed_at: f.last_observed_at,
        record_state: f.record_state.unwrap_or(RecordState::Active),
        workflow_status: f.workflow_status,
        vulnerability: f.vulnerability(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (file, db) = (&args[1], &args[2]);
    let bytes = std::fs::read(file).expect("read FILE");
    let mut store = Store::open(std::path::Path::new(db)).expect("open DB");
    let now = time::OffsetDateTime::now_utc();
    let t0 = Instant::now();
    let doc = parse_document(&bytes, None).expect("a document of findings");
    let parsed: Vec<ImportedFinding> = doc.findings.into_iter().filter_map(Result::ok).collect();
    let t_parse = t0.elapsed();
    let mut stored = 0;
    for chunk in parsed.chunks(100) {
        let batch: Vec<StoreFinding> = chunk.iter().map(to_store).collect();
        stored += store.import_findings(&batch, now).expect("import").success_count;
    }
    let total = t0.elapsed();
    println!(
        "{stored} findings: parse {:.2} s, total {:.2} s = {:.0} findings/s ({:.0} calls of 100/s)",
        t_parse.as_secs_f64(),
        total.as_secs_f64(),
        stored as f64 / total.as_secs_f64(),
        stored as f64 / 100.0 / total.as_secs_f64()
    );
}
