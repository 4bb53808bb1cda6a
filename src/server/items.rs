//! `/api/v1/items`, `/pool`, claim and transition: extract, call storage,
//! tell the event streams, answer.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use super::storage::{ClaimResult, Storage};
use crate::api::{ItemDetail, PoolList, ProblemCode, TransitionRequest};
use crate::domain::Role;
use crate::domain::clock::now_ms;

#[derive(Debug, Deserialize)]
pub struct SinceQuery {
    since: Option<String>,
}

pub async fn list<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiQuery(q): ApiQuery<SinceQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let since: i64 = match q.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s.parse().ok().filter(|v: &i64| *v >= 0).ok_or_else(|| {
            ApiError::new(
                ProblemCode::InvalidParameter,
                format!(
                    "`since` must be a cursor from an earlier list, got {s:?}; drop it to get everything"
                ),
            )
        })?,
    };
    // The stamp is read before the rows: a change between the two makes
    // this tag older than the body, so the next request refetches; never
    // the other way round.
    let stamp = state.storage.list_stamp(me.id()).await?;
    let etag = format!("\"u{}-s{since}-l{stamp}\"", me.id());
    if let Some(not_modified) = not_modified(&headers, &etag) {
        return Ok(not_modified);
    }
    // The encoded list for this very tag (user, cursor, stamp), when this
    // instance made it within the last second (`read_cache`).
    let cache = &state.bus.hub().cache;
    if let Some(body) = cache.body(&etag) {
        return Ok(json_bytes(&etag, body));
    }
    let read_at = std::time::Instant::now();
    // Encoded from the rows as they arrive: no item is built and no
    // party list parsed again (`storage::sql::item_list`).
    let list = state.storage.items_list_json(me.id(), since).await?;
    let body = axum::body::Bytes::from(list.body);
    cache.keep_body(&etag, body.clone(), read_at);
    Ok(json_bytes(&etag, body))
}

fn json_bytes(etag: &str, body: axum::body::Bytes) -> Response {
    (
        [
            (header::ETAG, etag_value(etag)),
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
        ],
        body,
    )
        .into_response()
}

/// 304 when the client already has this `etag`.
fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    unchanged.then(|| (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value(etag))]).into_response())
}

fn etag_value(etag: &str) -> HeaderValue {
    HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"\""))
}

fn with_etag<T: serde::Serialize>(etag: &str, body: T) -> Response {
    ([(header::ETAG, etag_value(etag))], Json(body)).into_response()
}

pub async fn detail<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ItemDetail>> {
    let detail = state.storage.item_detail(&me.user, id).await?;
    Ok(Json(detail.ok_or_else(|| ApiError::not_found("item"))?))
}

pub async fn pool<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if !(me.role().takes_work() || me.role() == Role::Admin) {
        return Ok(with_etag("\"p-none\"", PoolList { items: Vec::new() }));
    }
    // The unit's latest change number, read before the rows (see `list`):
    // a client that has this pool gets a 304 without a row read.
    let stamp = state.storage.pool_stamp(me.unit_id()).await?;
    let etag = format!("\"p{}-s{stamp}\"", me.unit_id());
    if let Some(not_modified) = not_modified(&headers, &etag) {
        return Ok(not_modified);
    }
    let items = state.storage.pool(me.unit_id()).await?;
    Ok(with_etag(&etag, PoolList { items }))
}

pub async fn claim<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<crate::api::intake::ClaimAnswer>> {
    let now = now_ms();
    match state.storage.claim(&me.user, id, now).await? {
        ClaimResult::Claimed(after) => {
            // A warning, not a block: the claim stands either way.
            let conflicts = state.storage.conflicts(&me.user, id).await?;
            Ok(Json(crate::api::intake::ClaimAnswer {
                item: after.item,
                conflicts,
            }))
        }
        ClaimResult::Taken { holder } => {
            let who = holder.clone().unwrap_or_else(|| "someone else".to_string());
            let mut problem = crate::api::Problem::new(
                ProblemCode::AlreadyClaimed,
                format!("{who} claimed this item first; pick another from the pool"),
            );
            // Clients name the holder in their own words.
            if let Some(holder) = holder {
                problem = problem.with_holder(holder);
            }
            Err(ApiError(problem))
        }
    }
}

pub async fn transition<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> ApiResult<Json<crate::api::WorkItem>> {
    let now = now_ms();
    let change = state.storage.transition(&me.user, id, req, now).await?;
    Ok(Json(change.after.item))
}
