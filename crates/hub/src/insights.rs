//! Insights, after Security Hub's: findings filters and a group-by attribute, whose
//! result is the number of matching findings per value of the attribute, most first
//! (<https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-insights.html>).
//!
//! Custom insights are kept in the `insights` store (`custom/<n>`); managed insights
//! ([`managed_insights`], `managed/<n>` with Security Hub's number) are data, can be
//! read and run but not changed. Security Hub's managed insights filter on ASFF `Type`s,
//! which rampart's findings do not carry: each one here names the rampart checks that
//! find what the AWS one looks for (see the table in [`managed_insights`]); those whose
//! findings rampart does not produce (threat detections, sensitive data, AMIs, IAM
//! access-key activity) are left out.
//!
//! A group drills down to exactly the findings it counted: [`Insight::drill_down`] is the
//! insight's filters AND the group-by attribute EQUALS the value.

use crate::codec;
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::filter::{field_named, DateFilter, FieldFilters, FindingFilters, Kind, StringComparison};
use crate::query::{
    column_in, conditions, conditions_in, counted, element, standards_mask, standards_of_mask, FindingQuery, COUNTED, MASKED_STANDARDS,
};
use crate::sql::{vals, Row};
use crate::store::Store;
use rampart_model::Timestamp;
use rusqlite::types::Value;

/// The attributes an insight may group by: Security Hub's `GroupByAttribute` values that
/// rampart's findings carry. `ComplianceSecurityControlId` and
/// `ComplianceAssociatedStandardsId` hold several values per finding: a finding counts
/// once in the group of each of its values.
pub const GROUP_BY: &[&str] = &[
    "AwsAccountId",
    "CompanyName",
    "ComplianceAssociatedStandardsId",
    "ComplianceSecurityControlId",
    "ComplianceStatus",
    "GeneratorId",
    "ProductArn",
    "ProductName",
    "RecordState",
    "ResourceId",
    "ResourceRegion",
    "ResourceType",
    "SeverityLabel",
    "VerificationState",
    "WorkflowStatus",
];

/// The most groups an insight result holds (the largest first).
pub const MAX_INSIGHT_RESULTS: usize = 100;

/// An insight: managed (`managed/<n>`) or custom (`custom/<n>`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Insight {
    pub id: String,
    pub name: String,
    pub filters: FindingFilters,
    pub group_by: String,
    /// A managed insight is data of this build: it cannot be changed or deleted.
    pub managed: bool,
}

/// The count of one group of an insight (`InsightResultValue`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InsightResult {
    pub value: String,
    pub count: u64,
}

impl Insight {
    /// The findings of the group `value`: the insight's filters AND the group-by
    /// attribute EQUALS `value`.
    pub fn drill_down(&self, value: &str) -> Result<FindingQuery, StoreError> {
        let group = FindingFilters::default().with_string(&self.group_by, StringComparison::Equals, value)?;
        Ok(FindingQuery { also: vec![group], ..FindingQuery::new(self.filters.clone()) })
    }
}

fn check_group_by(group_by: &str) -> Result<(), StoreError> {
    if GROUP_BY.contains(&group_by) {
        return Ok(());
    }
    Err(StoreError::InvalidInsight(format!("cannot group by `{}`: use one of {}", crate::filter::shorten(group_by), GROUP_BY.join(", "))))
}

fn check_name(name: &str) -> Result<(), StoreError> {
    let len = name.chars().count();
    if name.trim().is_empty() || len > 128 {
        return Err(StoreError::InvalidInsight(format!("a name is 1 to 128 characters, not {len}")));
    }
    Ok(())
}

/// `Record state is ACTIVE` and `Workflow status is NEW or NOTIFIED`: the filters every
/// managed insight of Security Hub starts from.
fn open_findings() -> FindingFilters {
    let f = || -> Result<FindingFilters, crate::filter::QueryError> {
        FindingFilters::default()
            .with_string("RecordState", StringComparison::Equals, "ACTIVE")?
            .with_string("WorkflowStatus", StringComparison::Equals, "NEW")?
            .with_string("WorkflowStatus", StringComparison::Equals, "NOTIFIED")
    };
    // Invariant: these are known fields and comparisons that combine.
    f().expect("valid managed insight filters")
}

/// A managed insight: `(Security Hub's number, name, group by, filters besides
/// [`open_findings`] as (field, comparison, value))`.
type Managed = (u32, &'static str, &'static str, &'static [(&'static str, StringComparison, &'static str)]);

use StringComparison::{Equals as EQ, PrefixNotEquals as PNE};

/// Security Hub's managed insights that rampart's findings can answer, with the checks
/// that stand for the ASFF types AWS filters on:
///
/// | # | Security Hub insight | AWS filter on | rampart filter |
/// |---|---|---|---|
/// | 1 | AWS resources with the most findings | — | — |
/// | 10 | S3 buckets with public write or read permissions | Type `Effects/Data Exposure` | checks `s3_bucket_public_read`, `s3_bucket_public_write` |
/// | 6 | AWS resources that don't meet security standards / best practices | Type `…/AWS Security Best Practices` | an FSBP control (`ComplianceAssociatedStandardsId`) |
/// | 11 | S3 buckets that don't meet security standards / best practices | same | same, `AwsS3Bucket` |
/// | 13 | Credentials that may have leaked | Type `Sensitive Data Identifications/Passwords/` | the secrets checks (user data, Lambda and ECS environments, CloudFormation outputs, access keys in repositories) |
/// | 16 | EC2 instances that have missing security patches for important vulnerabilities | Type `…/Vulnerabilities/CVE` | check `host_cve` |
/// | 18 | EC2 instances that have ports accessible from the Internet | Type `…/Network Reachability` | check `inspector_network_reachability` (21, "open to the Internet", has the same definition) |
/// | 19 | EC2 instances that don't meet security standards / best practices | Type `…/Industry and Regulatory Standards/`, `…/AWS Security Best Practices` | configuration checks of `AwsEc2Instance` (not `host_*`, not reachability) |
/// | 27 | Top accounts by counts of findings | — | — |
/// | 28 | Top products by counts of findings | — | — |
/// | 29 | Severity by counts of findings | — | — |
/// | 30 | Top S3 buckets by counts of findings | — | — |
/// | 31 | Top EC2 instances by counts of findings | — | — |
/// | 34 | Top resources by counts of failed CIS checks | GeneratorId of the CIS 1.2.0 ruleset | a CIS AWS Foundations v3.0.0 requirement |
/// | 36 | Resources with the most failed security checks | — | — |
///
/// Left out, as rampart produces no such findings: 3 and 32 (AMIs), 14, 17, 22 (TTPs,
/// unusual behaviour, reconnaissance), 9, 33 and 37 (IAM principals' activity), 7, 8,
/// 23, 24, 25 (exfiltration, resource consumption, malware, cryptocurrency, unauthorized
/// access), 12 (sensitive data), 26 (threat intel), 35 (integrations: the same as 28).
const MANAGED: &[Managed] = &[
    (1, "AWS resources with the most findings", "ResourceId", &[]),
    (
        10,
        "S3 buckets with public write or read permissions",
        "ResourceId",
        &[("ResourceType", EQ, "AwsS3Bucket"), ("GeneratorId", EQ, "s3_bucket_public_read"), ("GeneratorId", EQ, "s3_bucket_public_write")],
    ),
    (
        6,
        "AWS resources that don't meet security standards / best practices",
        "ResourceId",
        &[("ComplianceAssociatedStandardsId", EQ, "standards/aws-foundational-security-best-practices/v/1.0.0")],
    ),
    (
        11,
        "S3 buckets that don't meet security standards / best practice",
        "ResourceId",
        &[
            ("ResourceType", EQ, "AwsS3Bucket"),
            ("ComplianceAssociatedStandardsId", EQ, "standards/aws-foundational-security-best-practices/v/1.0.0"),
        ],
    ),
    (
        13,
        "Credentials that may have leaked",
        "ResourceId",
        &[
            ("GeneratorId", EQ, "ec2_instance_user_data_secrets"),
            ("GeneratorId", EQ, "ec2_launch_template_user_data_secrets"),
            ("GeneratorId", EQ, "lambda_function_environment_secrets"),
            ("GeneratorId", EQ, "ecs_task_definition_environment_secrets"),
            ("GeneratorId", EQ, "cloudformation_stack_output_secrets"),
            ("GeneratorId", EQ, "secrets_exposed_access_key"),
        ],
    ),
    (
        16,
        "EC2 instances that have missing security patches for important vulnerabilities",
        "ResourceId",
        &[("ResourceType", EQ, "AwsEc2Instance"), ("GeneratorId", EQ, "host_cve")],
    ),
    (
        18,
        "EC2 instances that have ports accessible from the Internet",
        "ResourceId",
        &[("ResourceType", EQ, "AwsEc2Instance"), ("GeneratorId", EQ, "inspector_network_reachability")],
    ),
    (
        19,
        "EC2 instances that don't meet security standards / best practices",
        "ResourceId",
        &[("ResourceType", EQ, "AwsEc2Instance"), ("GeneratorId", PNE, "host_"), ("GeneratorId", PNE, "inspector_network_reachability")],
    ),
    (27, "Top accounts by counts of findings", "AwsAccountId", &[]),
    (28, "Top products by counts of findings", "ProductArn", &[]),
    (29, "Severity by counts of findings", "SeverityLabel", &[]),
    (30, "Top S3 buckets by counts of findings", "ResourceId", &[("ResourceType", EQ, "AwsS3Bucket")]),
    (31, "Top EC2 instances by counts of findings", "ResourceId", &[("ResourceType", EQ, "AwsEc2Instance")]),
    (
        34,
        "Top resources by counts of failed CIS checks",
        "ResourceId",
        &[("ComplianceAssociatedStandardsId", EQ, "standards/cis-aws-foundations-benchmark/v/3.0.0"), ("ComplianceStatus", EQ, "FAILED")],
    ),
    (36, "Resources with the most failed security checks", "ResourceId", &[("ComplianceStatus", EQ, "FAILED")]),
];

/// Managed insights updated "in the last day" (34, 36).
const LAST_DAY: &[u32] = &[34, 36];

/// Security Hub's managed insights that rampart answers, as data (see [`MANAGED`]'s table).
pub fn managed_insights() -> Vec<Insight> {
    MANAGED
        .iter()
        .map(|(n, name, group_by, extra)| {
            let mut filters = open_findings();
            for (field, comparison, value) in *extra {
                // Invariant: the table holds known fields with comparisons that combine
                // (`tests_insights.rs` runs every managed insight).
                filters = filters.with_string(field, *comparison, value).expect("valid managed insight filter");
            }
            if LAST_DAY.contains(n) {
                filters = filters.with_date("UpdatedAt", DateFilter::LastDays(1)).expect("valid managed insight filter");
            }
            Insight { id: format!("managed/{n}"), name: name.to_string(), filters, group_by: group_by.to_string(), managed: true }
        })
        .collect()
}

fn custom_id(id: &str) -> Option<i64> {
    id.strip_prefix("custom/")?.parse().ok()
}

/// The statement of an insight's result: per value of the group-by attribute, the number
/// of matching findings, most first, its last parameter the number of groups. When
/// `finding_counts` carries the group and every filtered field (`query::COUNTED`: the
/// managed insights by account, product and severity, and custom ones on those fields),
/// it sums that table's counts; else it counts `findings` rows (grouped by resource over
/// open findings, it reads the `findings_resource` index alone).
///
/// `standards`: when given, the masks ([`crate::query::standards_mask`]) of the standards
/// sets that the insight's `ComplianceAssociatedStandardsId` filters select (see
/// [`Store::standards_masks`]); counting `findings` rows, the statement then tests the
/// mask, which the resource indexes hold, instead of each finding's requirements.
///
/// `index`: the index to read the findings through (see [`Store::resource_index`]).
#[cfg(test)]
pub(crate) fn insight_statement(
    insight: &Insight,
    now: Timestamp,
    standards: Option<&[usize]>,
    index: Option<&str>,
) -> Result<(String, Vec<Value>), StoreError> {
    insight_statement_in(insight, now, standards, index, Dialect::Sqlite)
}

/// [`insight_statement`] in `dialect`. PostgreSQL has no `finding_counts`, no standards
/// masks in its indexes and no `INDEXED BY`: there the statement counts the `findings`
/// rows, with the findings query's own conditions (`query::conditions_in`), so both
/// backends answer alike.
pub(crate) fn insight_statement_in(
    insight: &Insight,
    now: Timestamp,
    standards: Option<&[usize]>,
    index: Option<&str>,
    dialect: Dialect,
) -> Result<(String, Vec<Value>), StoreError> {
    let spec = field_named(&insight.group_by)?;
    let sqlite = dialect == Dialect::Sqlite;
    let summed = sqlite && COUNTED.contains(&spec.name) && counted(&insight.filters);
    let (cond, values) = match (standards, insight.filters.get(STANDARDS)) {
        (Some(masks), Some(_)) if !summed && sqlite => {
            let mut rest = insight.filters.clone();
            rest.set(STANDARDS, FieldFilters::String(Vec::new()))?;
            let (cond, values) = conditions(&rest, now);
            let masks: Vec<String> = masks.iter().map(usize::to_string).collect();
            (format!("({cond}) AND {} IN ({})", standards_mask(), masks.join(", ")), values)
        }
        _ => conditions_in(&insight.filters, now, dialect),
    };
    let text = match (spec.kind == Kind::Strings, summed) {
        (true, summed) => {
            // Invariant: every multi-valued field of GROUP_BY has an element expression.
            let e = element(spec.name).expect("multi-valued field");
            // A finding counts once per distinct value of its elements (two FSBP
            // requirements are one standard).
            let (table, key, weight) = if summed { ("finding_counts", "f.key", "f.n") } else { ("findings", "f.id", "1") };
            format!(
                "SELECT g, sum(w) AS n FROM (SELECT DISTINCT {key} AS k, {g} AS g, {weight} AS w FROM {table} f, {each}
                 WHERE ({cond}) AND {e} IS NOT NULL) AS d GROUP BY g ORDER BY n DESC, g LIMIT ?",
                g = dialect.code_point_order(&e),
                each = dialect.json_elements("f.related_requirements"),
            )
        }
        (false, summed) => {
            let (expr, _) = column_in(spec.name, dialect);
            let findings = match index {
                Some(index) if sqlite => format!("findings f INDEXED BY {index}"),
                _ => "findings f".to_string(),
            };
            let (table, count) = if summed { ("finding_counts f".to_string(), "sum(f.n)") } else { (findings, "count(*)") };
            format!(
                "SELECT {expr} AS g, {count} AS n FROM {table} WHERE ({cond}) AND {expr} IS NOT NULL GROUP BY g ORDER BY n DESC, g LIMIT ?"
            )
        }
    };
    Ok((text, values))
}

/// The multi-valued field whose filters the standards mask answers.
const STANDARDS: &str = "ComplianceAssociatedStandardsId";

/// The most custom insights a store keeps (Security Hub: 100 per account and Region).
pub const MAX_CUSTOM_INSIGHTS: usize = 100;

impl Store {
    /// Saves a custom insight; [`StoreError::DuplicateInsight`] if one has its name.
    pub fn create_insight(
        &mut self,
        name: &str,
        filters: &FindingFilters,
        group_by: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<Insight, StoreError> {
        check_name(name)?;
        check_group_by(group_by)?;
        let at = codec::time_to_text(now);
        let id = self.db.tx(|t| {
            // One creator at a time, so that two cannot both see room for one more.
            if let Some(lock) = t.dialect().lock_for_writes("insights") {
                t.execute(&lock, &[])?;
            }
            let custom = t.query_one("SELECT count(*) FROM insights", &[])?.int(0)?;
            if custom >= MAX_CUSTOM_INSIGHTS as i64 {
                return Err(StoreError::InvalidInsight(format!(
                    "at most {MAX_CUSTOM_INSIGHTS} custom insights (Security Hub's limit): delete one you no longer use first"
                )));
            }
            let row = t.query_opt(
                "INSERT INTO insights (name, filters, group_by, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (name) DO NOTHING RETURNING id",
                &vals![name, filters.to_json().to_string(), group_by, created_by, &at, &at],
            )?;
            match row {
                Some(row) => row.int(0),
                None => Err(StoreError::DuplicateInsight(name.to_string())),
            }
        })?;
        Ok(Insight {
            id: format!("custom/{id}"),
            name: name.to_string(),
            filters: filters.clone(),
            group_by: group_by.to_string(),
            managed: false,
        })
    }

    /// Every insight: the managed ones, then the custom ones by name.
    pub fn insights(&self) -> Result<Vec<Insight>, StoreError> {
        let mut out = managed_insights();
        for row in self.sql().query("SELECT id, name, filters, group_by FROM insights ORDER BY name", &[])? {
            out.push(self.insight_from_row(&row)?);
        }
        Ok(out)
    }

    fn insight_from_row(&self, row: &Row) -> Result<Insight, StoreError> {
        let bad = crate::store::corrupt(&self.path);
        let id = row.int(0)?;
        let json = row.text(2)?;
        let filters = serde_json::from_str(&json)
            .ok()
            .and_then(|v| FindingFilters::from_json(&v).ok())
            .ok_or_else(|| bad(("insight filters", json.clone())))?;
        Ok(Insight { id: format!("custom/{id}"), name: row.text(1)?, filters, group_by: row.text(3)?, managed: false })
    }

    /// One insight by id (`managed/<n>` or `custom/<n>`); [`StoreError::UnknownInsight`].
    pub fn insight(&self, id: &str) -> Result<Insight, StoreError> {
        if let Some(m) = managed_insights().into_iter().find(|i| i.id == id) {
            return Ok(m);
        }
        let Some(n) = custom_id(id) else {
            return Err(StoreError::UnknownInsight(crate::filter::shorten(id)));
        };
        match self.sql().query_opt("SELECT id, name, filters, group_by FROM insights WHERE id = ?", &vals![n])? {
            Some(row) => self.insight_from_row(&row),
            None => Err(StoreError::UnknownInsight(id.to_string())),
        }
    }

    /// Changes a custom insight (what is `Some`); a managed one is refused.
    pub fn update_insight(
        &mut self,
        id: &str,
        name: Option<&str>,
        filters: Option<&FindingFilters>,
        group_by: Option<&str>,
        now: Timestamp,
    ) -> Result<Insight, StoreError> {
        let current = self.insight(id)?;
        if current.managed {
            return Err(StoreError::ManagedInsight(id.to_string()));
        }
        let name = name.unwrap_or(&current.name);
        let filters = filters.unwrap_or(&current.filters);
        let group_by = group_by.unwrap_or(&current.group_by);
        check_name(name)?;
        check_group_by(group_by)?;
        let taken = self.sql().query_opt("SELECT id FROM insights WHERE name = ?", &vals![name])?.map(|r| r.int(0)).transpose()?;
        if taken.is_some_and(|t| Some(t) != custom_id(id)) {
            return Err(StoreError::DuplicateInsight(name.to_string()));
        }
        let changed = self.sql().execute(
            "UPDATE insights SET name = ?, filters = ?, group_by = ?, updated_at = ? WHERE id = ?",
            &vals![name, filters.to_json().to_string(), group_by, codec::time_to_text(now), custom_id(id)],
        );
        match changed {
            // Another writer took the name in between.
            Err(e) if e.is_unique_violation() => return Err(StoreError::DuplicateInsight(name.to_string())),
            other => other?,
        };
        self.insight(id)
    }

    /// Deletes a custom insight; a managed one is refused.
    pub fn delete_insight(&mut self, id: &str) -> Result<(), StoreError> {
        if self.insight(id)?.managed {
            return Err(StoreError::ManagedInsight(id.to_string()));
        }
        self.sql().execute("DELETE FROM insights WHERE id = ?", &vals![custom_id(id)])?;
        Ok(())
    }

    /// The insight's result (`GetInsightResults`): the number of matching findings per
    /// value of its group-by attribute, most first (ties by value), at most
    /// [`MAX_INSIGHT_RESULTS`] groups. `now` is the time "last N days" counts back from.
    pub fn insight_results(&self, insight: &Insight, now: Timestamp) -> Result<Vec<InsightResult>, StoreError> {
        check_group_by(&insight.group_by)?;
        let masks = match insight.filters.get(STANDARDS) {
            Some(filters) if self.requirements_unescaped()? => Some(self.standards_masks(filters)?),
            _ => None,
        };
        let index = self.resource_index(insight, now)?;
        let (text, mut values) = insight_statement_in(insight, now, masks.as_deref(), index, self.sql().dialect())?;
        values.push(Value::Integer(MAX_INSIGHT_RESULTS as i64));
        self.sql().query(&text, &values)?.iter().map(|r| Ok(InsightResult { value: r.text(0)?, count: r.int(1)?.max(0) as u64 })).collect()
    }
}

impl Store {
    /// The index an insight grouped by resource reads, when it counts `findings` rows and
    /// its filters may match many of them: `findings_type_resource` when it filters on
    /// the resource type, else `findings_resource` (both hold what the managed insights
    /// filter on, so the index is read alone, in resource order). Without statistics,
    /// SQLite would rather read the index of a filtered column (the workflow status)
    /// and then every matching row. When the filters on the fields `finding_counts`
    /// carries match fewer than one finding in 20 (the others can only match fewer), the
    /// planner chooses: a check's index, say, reads a few rows. On PostgreSQL, none:
    /// its planner has statistics.
    pub(crate) fn resource_index(&self, insight: &Insight, now: Timestamp) -> Result<Option<&'static str>, StoreError> {
        if insight.group_by != "ResourceId" || self.sql().dialect() != Dialect::Sqlite {
            return Ok(None);
        }
        let mut bound = FindingFilters::default();
        for (name, filters) in insight.filters.iter() {
            if COUNTED.contains(&name) {
                bound.set(name, filters.clone())?;
            }
        }
        let dense = self.count_matching(&bound, now)? * 20 >= self.count_matching(&FindingFilters::default(), now)?;
        Ok(dense.then_some(if insight.filters.get("ResourceType").is_some() { "findings_type_resource" } else { "findings_resource" }))
    }

    /// Whether no finding's requirement list holds a backslash (an escaped character):
    /// then [`crate::query::standards_mask`] tells exactly which standards each names.
    /// `finding_counts` holds every list the findings have, once. On PostgreSQL (no
    /// `finding_counts`, no masks in its indexes) `false`: the insights there test each
    /// finding's requirements.
    pub(crate) fn requirements_unescaped(&self) -> Result<bool, StoreError> {
        if self.sql().dialect() != Dialect::Sqlite {
            return Ok(false);
        }
        self.sql().query_one("SELECT NOT EXISTS (SELECT 1 FROM finding_counts WHERE instr(related_requirements, '\\') > 0)", &[])?.flag(0)
    }

    /// The standards masks whose findings `filters` (of `ComplianceAssociatedStandardsId`)
    /// select: SQLite evaluates the filters' own SQL on one requirement list per mask (a
    /// `finding_counts` of four rows, the standards' titles alone, in place of the
    /// table), so the answer is the one the filters give on the findings. (SQLite's
    /// statement: the masks serve its indexes alone.)
    pub(crate) fn standards_masks(&self, filters: &FieldFilters) -> Result<Vec<usize>, StoreError> {
        let mut only = FindingFilters::default();
        only.set(STANDARDS, filters.clone())?;
        // The time plays no part in a string filter.
        let (cond, cond_values) = conditions(&only, time::OffsetDateTime::UNIX_EPOCH);
        let masks = 1usize << MASKED_STANDARDS;
        let rows: Vec<String> = (0..masks).map(|m| format!("SELECT {m} AS m, ? AS related_requirements")).collect();
        let text =
            format!("WITH finding_counts AS ({}) SELECT f.m FROM finding_counts f WHERE {cond} ORDER BY f.m", rows.join(" UNION ALL "));
        let mut values: Vec<Value> = (0..masks).map(|m| Value::Text(standards_of_mask(m))).collect();
        values.extend(cond_values);
        // SQLite's statement (its `finding_counts` and masks): PostgreSQL never asks.
        self.lite()?;
        self.sql().query(&text, &values)?.iter().map(|r| Ok(r.int(0)? as usize)).collect()
    }
}

/// One kind of result of a run: what decides its controls' statuses and so its security
/// scores (a control's status depends on which statuses its unsuppressed results have, not
/// on how many — see `rampart_compliance`), without the million rows behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultKind {
    pub status: rampart_model::Status,
    pub workflow_status: rampart_model::WorkflowStatus,
    pub related_requirements: Vec<String>,
}

impl Store {
    /// Each distinct (status, workflow status, related requirements) among the results
    /// `run_id` recorded (each once, in no particular order); [`StoreError::UnknownRun`].
    pub fn run_result_kinds(&self, run_id: &str) -> Result<Vec<ResultKind>, StoreError> {
        let db = self.sql();
        if db.query_opt("SELECT 1 FROM runs WHERE id = ?", &vals![run_id])?.is_none() {
            return Err(StoreError::UnknownRun(run_id.to_string()));
        }
        let bad = crate::store::corrupt(&self.path);
        let rows = db.query(
            "SELECT DISTINCT r.status, r.workflow_status, f.related_requirements
             FROM run_results r JOIN findings f ON f.id = r.finding_id WHERE r.run_id = ?",
            &vals![run_id],
        )?;
        rows.iter()
            .map(|row| {
                Ok(ResultKind {
                    status: codec::status_from_text(&row.text(0)?).map_err(&bad)?,
                    workflow_status: codec::workflow_from_text(&row.text(1)?).map_err(&bad)?,
                    related_requirements: codec::strings_from_json("requirement list", &row.text(2)?).map_err(&bad)?,
                })
            })
            .collect()
    }
}
