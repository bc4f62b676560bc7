//! The inventory kept with the latest scan: its resources (every one, not only those with
//! findings), one resource with its snapshot JSON and findings, and reachability
//! questions answered over it — the answers `rampart reach` gives over the same inventory
//! (`rampart_app::reach`).

use super::{nonempty, ApiError_, ApiFinding};
use crate::error::ApiError;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::Json;
use rampart_hub::{ResourceFilter, Store, StoreError};
use rampart_model::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(
    paths(resources, resource, reach),
    components(schemas(ApiInventoryResource, InventoryPage, ResourceDetail, ReachRequest, ReachAnswer, ReachSourceAnswer))
)]
pub(crate) struct Doc;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/api/v1/resources", VIEWER), get(resources)),
        (r("GET", "/api/v1/resources/{id}", VIEWER), get(resource)),
        // A question, not a change: a viewer may ask (it is a POST for its JSON body).
        (r("POST", "/api/v1/reach", VIEWER), post(reach)),
    ]
}

/// What to say when no scan kept an inventory.
pub(crate) const NO_INVENTORY: &str =
    "no inventory recorded yet: run `rampart scan aws` or `rampart demo` on this database (scans keep their inventory)";

/// A resource of the latest inventory.
#[derive(Serialize, ToSchema)]
pub struct ApiInventoryResource {
    /// The id findings give it: its ARN where it has one.
    pub id: String,
    /// Its own id or name (`i-0abc…`, a bucket's name).
    pub resource_id: String,
    /// The ASFF type (`AwsEc2Instance`), or the snapshot's collection (`ec2.managed_prefix_lists`).
    #[serde(rename = "type")]
    pub kind: String,
    pub account: String,
    pub region: String,
    pub name: String,
    /// How many of its active findings FAILED.
    pub failed: u64,
}

impl ApiInventoryResource {
    fn from(r: rampart_hub::InventoryResource, failed: u64) -> ApiInventoryResource {
        ApiInventoryResource { id: r.arn, resource_id: r.id, kind: r.kind, account: r.account, region: r.region, name: r.name, failed }
    }
}

/// Which resources to list.
#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct ResourceParams {
    /// Only this type (as `type` shows it, e.g. `AwsEc2Instance`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// At most this many (1–500, default 100).
    pub limit: Option<usize>,
    /// Where the previous page ended (its `next_cursor`).
    pub cursor: Option<String>,
}

/// One page of the latest inventory's resources, by id.
#[derive(Serialize, ToSchema)]
pub struct InventoryPage {
    /// Always `inventory`: the resources of the snapshot the latest scan kept.
    pub source: String,
    /// The run whose inventory this is; absent when no scan kept one (then no resource).
    pub run_id: Option<String>,
    pub collected_at: Option<String>,
    /// How many resources the filter selects in all.
    pub total: u64,
    pub resources: Vec<ApiInventoryResource>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Facets of the latest inventory for the console's filters: (types, accounts, regions).
pub(crate) type Facets = (rampart_hub::Facet, rampart_hub::Facet, rampart_hub::Facet);

/// One page of the latest inventory's resources and its facets; `None` without inventory.
pub(crate) async fn resource_page(state: &Shared, p: &ResourceParams) -> Result<Option<(InventoryPage, Facets)>, ApiError> {
    let limit = p.limit.unwrap_or(100);
    if !(1..=rampart_hub::MAX_RESOURCES_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(format!("`limit` is from 1 to {}", rampart_hub::MAX_RESOURCES_PAGE)));
    }
    let filter = ResourceFilter {
        kind: nonempty(&p.kind).map(str::to_string),
        account: nonempty(&p.account).map(str::to_string),
        region: nonempty(&p.region).map(str::to_string),
    };
    let cursor = nonempty(&p.cursor).map(str::to_string);
    state
        .store(move |s| {
            let Some(info) = s.latest_inventory()? else { return Ok(None) };
            let page = s.inventory_resources(&info.run_id, &filter, cursor.as_deref(), limit)?;
            let facets = s.inventory_facets(&info.run_id)?;
            Ok(Some((
                InventoryPage {
                    source: "inventory".to_string(),
                    run_id: Some(info.run_id),
                    collected_at: Some(rfc3339(info.collected_at)),
                    total: page.total,
                    resources: page.resources.into_iter().map(|r| ApiInventoryResource::from(r.resource, r.failed)).collect(),
                    next_cursor: page.next,
                },
                facets,
            )))
        })
        .await
}

/// The resources of the inventory the latest scan kept (every resource it read, with its
/// failed findings' count), filtered by type, account and region, in pages by id.
#[utoipa::path(get, path = "/api/v1/resources", params(ResourceParams), responses((status = 200, body = InventoryPage), (status = 400, body = ApiError_)))]
pub async fn resources(State(state): State<Shared>, Query(p): Query<ResourceParams>) -> Result<Json<InventoryPage>, ApiError> {
    let page = resource_page(&state, &p).await?.map(|(page, _)| page).unwrap_or(InventoryPage {
        source: "inventory".to_string(),
        run_id: None,
        collected_at: None,
        total: 0,
        resources: Vec::new(),
        next_cursor: None,
    });
    Ok(Json(page))
}

/// A resource of the latest inventory: as the snapshot holds it, and its findings.
#[derive(Serialize, ToSchema)]
pub struct ResourceDetail {
    pub resource: ApiInventoryResource,
    pub run_id: String,
    /// The resource as the snapshot holds it (`rampart collect`'s JSON).
    #[schema(value_type = Object)]
    pub inventory: serde_json::Value,
    /// Its active findings, most severe first (at most 100).
    pub findings: Vec<ApiFinding>,
}

pub(crate) async fn resource_detail(state: &Shared, id: String) -> Result<ResourceDetail, ApiError> {
    let got = state
        .store(move |s| {
            let Some(info) = s.latest_inventory()? else { return Ok(Err(ApiError::not_found(NO_INVENTORY))) };
            let found = match rampart_app::inventory::resource(s, &info.run_id, &id) {
                Ok(Some(found)) => found,
                Ok(None) => {
                    return Ok(Err(ApiError::not_found(format!(
                        "no resource `{}` in the inventory of run {}: give its ARN or id as `/api/v1/resources` lists it",
                        rampart_app::shown(&id),
                        info.run_id
                    ))))
                }
                Err(e) => return Ok(Err(ApiError::internal(format!("{e:#}")))),
            };
            let (r, json) = found;
            let findings = resource_findings(s, &r.arn)?;
            let failed = findings.iter().filter(|f| f.status == rampart_model::Status::Failed).count() as u64;
            Ok(Ok(ResourceDetail {
                resource: ApiInventoryResource::from(r, failed),
                run_id: info.run_id,
                inventory: json,
                findings: findings.iter().map(ApiFinding::from).collect(),
            }))
        })
        .await?;
    got
}

/// Rampart's active findings of the resource `arn`, most severe first (at most 100).
fn resource_findings(s: &Store, arn: &str) -> Result<Vec<rampart_model::Finding>, StoreError> {
    let request = serde_json::json!({
        "Filters": {
            "ResourceId": [{ "Value": arn, "Comparison": "EQUALS" }],
            "RecordState": [{ "Value": "ACTIVE", "Comparison": "EQUALS" }],
        },
        "SortCriteria": [{ "Field": "SeverityLabel", "SortOrder": "desc" }],
        "MaxResults": rampart_hub::MAX_RESULTS,
    });
    let query = rampart_hub::FindingQuery::from_json(&request)?;
    Ok(s.get_findings(&query, time::OffsetDateTime::now_utc())?.findings.into_iter().map(|r| r.finding).collect())
}

/// One resource of the latest inventory, by its id (`/` encoded as `%2F`) or ARN.
#[utoipa::path(get, path = "/api/v1/resources/{id}", params(("id" = String, Path, description = "The resource's ARN or own id, URL-encoded")),
    responses((status = 200, body = ResourceDetail), (status = 404, body = ApiError_)))]
pub async fn resource(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<ResourceDetail>, ApiError> {
    Ok(Json(resource_detail(&state, id).await?))
}

fn internet() -> String {
    "internet".to_string()
}

fn tcp() -> String {
    "tcp".to_string()
}

/// A reachability question (the fields of `rampart reach`).
#[derive(Deserialize, Serialize, ToSchema, Clone, Debug)]
pub struct ReachRequest {
    /// `internet` (the default), an IP address, an instance (`i-`), network interface (`eni-`)
    /// or subnet (`subnet-`) id; a subnet is answered per interface it holds.
    #[serde(default = "internet")]
    pub from: String,
    /// An instance, network interface, interface VPC endpoint or NAT gateway id, or a load
    /// balancer's ARN or name; or `internet` or an address to ask whether `from` can
    /// connect out.
    pub to: String,
    /// One address of the `to` resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_address: Option<String>,
    /// `tcp` (the default), `udp`, `icmp`, `icmpv6` or a protocol number.
    #[serde(default = "tcp")]
    pub protocol: String,
    /// The destination port (ignored for port-less protocols).
    pub port: u16,
}

/// The answer from one source.
#[derive(Serialize, ToSchema)]
pub struct ReachSourceAnswer {
    pub from: String,
    /// `reachable` (with the path's steps), `blocked` (with each blocking rule and its
    /// fix) or `unknown` (with what was not read): `rampart reach --format json`'s answer.
    #[schema(value_type = Object)]
    pub answer: serde_json::Value,
    /// The answer as `rampart reach` prints it.
    pub text: String,
}

/// The answers to a reachability question over the latest inventory.
#[derive(Serialize, ToSchema)]
pub struct ReachAnswer {
    /// `reachable` from every source, `blocked` from some, or `unknown` for some.
    pub overall: String,
    /// The run whose inventory answered, and when it was collected.
    pub run_id: String,
    pub collected_at: String,
    pub answers: Vec<ReachSourceAnswer>,
}

/// The question in the application layer's terms, or why it makes no sense (a 400).
fn question(req: &ReachRequest) -> Result<rampart_app::reach::Question, ApiError> {
    let protocol = req.protocol.trim().parse().map_err(|e| ApiError::bad_request(format!("`protocol`: {e}")))?;
    let to_address = match req.to_address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(a.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "`to_address` `{}` is not an IP address: give one address of the `to` resource",
                rampart_app::shown(a)
            ))
        })?),
    };
    if req.to.trim().is_empty() {
        return Err(ApiError::bad_request("`to` is empty: give an instance or network interface id (or `internet` for egress)"));
    }
    let q = rampart_app::reach::Question {
        from: req.from.trim().to_string(),
        to: req.to.trim().to_string(),
        to_address,
        protocol,
        port: req.port,
    };
    rampart_app::reach::check(&q).map_err(|refusal| ApiError::bad_request(refusal.to_string()))?;
    Ok(q)
}

/// Answers `req` over the latest inventory.
pub(crate) async fn answer(state: &Shared, req: &ReachRequest) -> Result<ReachAnswer, ApiError> {
    let q = question(req)?;
    // Only the inventory's look-up holds the store; the question is answered outside it
    // (a whole subnet's answer takes a while and must not queue every other request).
    let (info, inv) = state
        .store(|s| match rampart_app::inventory::latest_shared(s) {
            Ok(found) => Ok(found.ok_or_else(|| ApiError::not_found(NO_INVENTORY))),
            Err(e) => Ok(Err(ApiError::internal(format!("{e:#}")))),
        })
        .await??;
    tokio::task::spawn_blocking(move || {
        // What `ask` refuses after reading (a subnet not in the inventory, or holding
        // no interface) is the question's fault.
        let answers = rampart_app::reach::ask(&inv, &q).map_err(|e| ApiError::bad_request(format!("{e:#}")))?;
        let overall = match rampart_app::reach::overall(&answers) {
            rampart_app::reach::Overall::Reachable => "reachable",
            rampart_app::reach::Overall::Blocked => "blocked",
            rampart_app::reach::Overall::Unknown => "unknown",
        };
        Ok(ReachAnswer {
            overall: overall.to_string(),
            run_id: info.run_id,
            collected_at: rfc3339(info.collected_at),
            answers: answers
                .iter()
                .map(|(from, v)| ReachSourceAnswer { from: from.clone(), answer: serde_json::to_value(v).unwrap_or_default(), text: v.to_string() })
                .collect(),
        })
    })
    .await
    .map_err(|e| ApiError::internal(format!("the reachability task failed: {e}")))?
}

/// Can `from` reach `to` on `port`/`protocol`? Answered over the inventory the latest scan
/// kept, as `rampart reach` answers: the path (internet gateway, route, network ACL rules,
/// the security group rule that allows it) or every rule that blocks it with the change
/// that would open it. A question that makes no sense is a 400 saying why.
#[utoipa::path(post, path = "/api/v1/reach", request_body = ReachRequest,
    responses((status = 200, body = ReachAnswer), (status = 400, body = ApiError_), (status = 404, body = ApiError_)))]
pub async fn reach(State(state): State<Shared>, body: Result<Json<ReachRequest>, JsonRejection>) -> Result<Json<ReachAnswer>, ApiError> {
    let Json(req) =
        body.map_err(|e| ApiError::bad_request(format!("{}: send {{\"from\", \"to\", \"port\", \"protocol\"}} as JSON", e.body_text())))?;
    Ok(Json(answer(&state, &req).await?))
}
