//! Intake and dispatch handlers: `POST /items`, assign, schedule, cancel,
//! conflicts, reveal, audit, and a unit's open work. Extract, call
//! storage (which asks `domain::policy`), tell the event streams, answer.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::Shared;
use super::auth::AuthUser;
use super::db::now_ms;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use super::events::Change;
use super::idempotency::{idem_request, stored_response};
use super::storage::ItemChange;
use crate::api::intake::{
    AssignRequest, AuditTrail, CancelRequest, ConflictAck, ConflictList, ItemWithConflicts, NewItem,
    RevealedParties, ScheduleRequest, UnitItemFilter, UnitItemPage,
};
use crate::api::{ChangeKind, ProblemCode, WorkItem, paths};

pub async fn create(
    State(state): State<Shared>,
    me: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewItem>,
) -> ApiResult<Response> {
    let idem = idem_request(&headers, me.id(), &format!("POST {}", paths::ITEMS), &req)?;
    let now = now_ms();
    let created = state.storage.create_item(&me.user, &idem, &req, now).await?;
    if let Some(id) = created.item_id
        && let Some(row) = state.storage.item(id).await?
    {
        let kind = if row.item.assignee.is_some() {
            ChangeKind::Assigned
        } else {
            ChangeKind::PoolChanged
        };
        state.publish(Change::for_item(kind, &row, None, now));
        tracing::info!(item = id, unit = row.item.unit_id, "item registered");
    }
    Ok(stored_response(created.response))
}

/// Tells the new assignee, the one it left, and the pool.
fn publish_moved(state: &Shared, change: &ItemChange, now: i64) {
    let previous = change.before.item.assignee.as_ref().map(|a| a.id);
    let kind = if change.after.item.assignee.is_some() {
        ChangeKind::Assigned
    } else {
        ChangeKind::PoolChanged
    };
    state.publish(Change::for_item(kind, &change.after, previous, now));
    if kind == ChangeKind::Assigned && previous.is_none() {
        state.publish(Change::for_item(
            ChangeKind::PoolChanged,
            &change.after,
            None,
            now,
        ));
    }
}

pub async fn assign(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AssignRequest>,
) -> ApiResult<Json<ItemWithConflicts>> {
    let now = now_ms();
    let (change, conflicts) = state.storage.assign(&me.user, id, &req, now).await?;
    publish_moved(&state, &change, now);
    Ok(Json(ItemWithConflicts {
        item: change.after.item,
        conflicts,
    }))
}

pub async fn schedule(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ScheduleRequest>,
) -> ApiResult<Json<WorkItem>> {
    let now = now_ms();
    let change = state.storage.schedule_item(&me.user, id, &req, now).await?;
    if change.before.item.assignee != change.after.item.assignee {
        publish_moved(&state, &change, now);
    }
    state.publish(Change::for_item(ChangeKind::Updated, &change.after, None, now));
    state.publish_schedule_change(&change, now);
    Ok(Json(change.after.item))
}

pub async fn cancel(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CancelRequest>,
) -> ApiResult<Json<WorkItem>> {
    let now = now_ms();
    let change = state.storage.cancel(&me.user, id, &req, now).await?;
    state.publish(Change::for_item(ChangeKind::Updated, &change.after, None, now));
    if change.after.item.assignee.is_none() {
        state.publish(Change::for_item(
            ChangeKind::PoolChanged,
            &change.after,
            None,
            now,
        ));
    }
    state.publish_schedule_change(&change, now);
    Ok(Json(change.after.item))
}

pub async fn conflicts(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ConflictList>> {
    let conflicts = state.storage.conflicts(&me.user, id).await?;
    Ok(Json(ConflictList { conflicts }))
}

pub async fn ack_conflicts(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ConflictAck>,
) -> ApiResult<Json<WorkItem>> {
    let now = now_ms();
    let change = state.storage.ack_conflicts(&me.user, id, &req, now).await?;
    state.publish(Change::for_item(ChangeKind::Updated, &change.after, None, now));
    Ok(Json(change.after.item))
}

pub async fn reveal(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RevealedParties>> {
    let parties = state.storage.reveal(&me.user, id, now_ms()).await?;
    // Who and which item only: the numbers never reach the log.
    tracing::info!(user = me.id(), item = id, "party numbers revealed");
    Ok(Json(RevealedParties { parties }))
}

pub async fn audit(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AuditTrail>> {
    let entries = state.storage.audit_trail(&me.user, id).await?;
    Ok(Json(AuditTrail { entries }))
}

#[derive(Debug, Deserialize)]
pub struct UnitItemsQuery {
    status: Option<String>,
    assignee: Option<String>,
    offset: Option<String>,
}

fn number(name: &str, v: Option<&str>) -> ApiResult<Option<i64>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::new(
                ProblemCode::InvalidParameter,
                format!("`{name}` must be a whole number, got {s:?}"),
            )
        }),
    }
}

pub async fn unit_items(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(unit): ApiPath<i64>,
    ApiQuery(q): ApiQuery<UnitItemsQuery>,
) -> ApiResult<Json<UnitItemPage>> {
    let filter = match q.status.as_deref().map(str::trim) {
        None | Some("") | Some("open") => UnitItemFilter::Open,
        Some("overdue") => UnitItemFilter::Overdue,
        Some("unassigned") => UnitItemFilter::Unassigned,
        Some(other) => {
            return Err(ApiError::new(
                ProblemCode::InvalidParameter,
                format!("`status` is open, overdue or unassigned, got {other:?}"),
            ));
        }
    };
    let assignee = number("assignee", q.assignee.as_deref())?;
    let offset = number("offset", q.offset.as_deref())?.unwrap_or(0).max(0);
    let page = state
        .storage
        .unit_items(&me.user, unit, filter, assignee, offset, now_ms())
        .await?;
    Ok(Json(page))
}
