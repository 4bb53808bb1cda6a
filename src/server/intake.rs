//! Intake and dispatch handlers: `POST /items`, assign, schedule, cancel,
//! conflicts, reveal, audit, and a unit's open work. Extract, call
//! storage (which asks `domain::policy` and announces each change inside
//! its transaction), answer.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use super::idempotency::{idem_request, stored_response};
use super::storage::Storage;
use crate::api::intake::{
    AssignRequest, AuditTrail, CancelRequest, ConflictAck, ConflictList, ItemWithConflicts, NewItem,
    RevealedParties, ScheduleRequest, UnitItemFilter, UnitItemPage,
};
use crate::api::{ProblemCode, WorkItem, paths};
use crate::domain::clock::now_ms;

pub async fn create<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewItem>,
) -> ApiResult<Response> {
    let idem = idem_request(&headers, me.id(), &format!("POST {}", paths::ITEMS), &req)?;
    let now = now_ms();
    // The storage announces the new item inside its transaction.
    let created = state.storage.create_item(&me.user, &idem, &req, now).await?;
    Ok(stored_response(created.response))
}

pub async fn assign<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AssignRequest>,
) -> ApiResult<Json<ItemWithConflicts>> {
    let now = now_ms();
    let (change, conflicts) = state.storage.assign(&me.user, id, &req, now).await?;
    Ok(Json(ItemWithConflicts {
        item: change.after.item,
        conflicts,
    }))
}

pub async fn schedule<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ScheduleRequest>,
) -> ApiResult<Json<WorkItem>> {
    let now = now_ms();
    let change = state.storage.schedule_item(&me.user, id, &req, now).await?;
    Ok(Json(change.after.item))
}

pub async fn cancel<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CancelRequest>,
) -> ApiResult<Json<WorkItem>> {
    let now = now_ms();
    let change = state.storage.cancel(&me.user, id, &req, now).await?;
    Ok(Json(change.after.item))
}

pub async fn conflicts<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ConflictList>> {
    let conflicts = state.storage.conflicts(&me.user, id).await?;
    Ok(Json(ConflictList { conflicts }))
}

pub async fn ack_conflicts<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ConflictAck>,
) -> ApiResult<Json<WorkItem>> {
    let now = now_ms();
    let change = state.storage.ack_conflicts(&me.user, id, &req, now).await?;
    Ok(Json(change.after.item))
}

pub async fn reveal<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RevealedParties>> {
    let parties = state.storage.reveal(&me.user, id, now_ms()).await?;
    // Who and which item only: the numbers never reach the log.
    tracing::info!(user = me.id(), item = id, "party numbers revealed");
    Ok(Json(RevealedParties { parties }))
}

pub async fn audit<S: Storage>(
    State(state): State<Shared<S>>,
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

pub async fn unit_items<S: Storage>(
    State(state): State<Shared<S>>,
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

/// `GET /api/v1/intake/units`: where the desk may send new work.
pub async fn intake_units<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
) -> ApiResult<Json<crate::api::intake_units::IntakeUnits>> {
    let units = state.storage.intake_units(&me.user).await?;
    Ok(Json(crate::api::intake_units::IntakeUnits { units }))
}
