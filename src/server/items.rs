//! `/api/v1/items`, `/pool`, claim and transition: extract, call storage,
//! tell the event streams, answer.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Shared;
use super::auth::AuthUser;
use super::db::now_ms;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use super::events::Change;
use super::storage::ClaimResult;
use crate::api::{ChangeKind, ItemDetail, ItemList, PoolList, ProblemCode, TransitionRequest};
use crate::domain::Role;

#[derive(Debug, Deserialize)]
pub struct SinceQuery {
    since: Option<String>,
}

pub async fn list(
    State(state): State<Shared>,
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
    let changed = state.storage.items_changed_since(me.id(), since).await?;
    let etag = format!(
        "\"u{}-c{}-n{}-r{}\"",
        me.id(),
        changed.cursor,
        changed.items.len(),
        changed.removed.len()
    );
    Ok(conditional(&headers, &etag, || ItemList {
        items: changed.items,
        cursor: changed.cursor.to_string(),
        removed: changed.removed,
    }))
}

/// 304 when the client already has this `etag`, else the body with it.
fn conditional<T: serde::Serialize>(headers: &HeaderMap, etag: &str, body: impl FnOnce() -> T) -> Response {
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    let etag_value = HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"\""));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    ([(header::ETAG, etag_value)], Json(body())).into_response()
}

pub async fn detail(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ItemDetail>> {
    let detail = state.storage.item_detail(&me.user, id).await?;
    Ok(Json(detail.ok_or_else(|| ApiError::not_found("item"))?))
}

pub async fn pool(State(state): State<Shared>, me: AuthUser, headers: HeaderMap) -> ApiResult<Response> {
    let items = if me.role().takes_work() || me.role() == Role::Admin {
        state.storage.pool(me.unit_id()).await?
    } else {
        Vec::new()
    };
    // Which items at which versions: a client that has them gets a 304
    // instead of the whole pool on every refresh.
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for i in &items {
        hash.update(format!("{}:{};", i.id, i.version));
    }
    let digest = hash.finalize();
    let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"p{}-{short}\"", me.unit_id());
    Ok(conditional(&headers, &etag, || PoolList { items }))
}

pub async fn claim(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<crate::api::intake::ClaimAnswer>> {
    let now = now_ms();
    match state.storage.claim(&me.user, id, now).await? {
        ClaimResult::Claimed(after) => {
            state.publish(Change::for_item(ChangeKind::Assigned, &after, None, now));
            state.publish(Change::for_item(ChangeKind::PoolChanged, &after, None, now));
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
                problem = problem.with_extra("claimed_by", holder);
            }
            Err(ApiError(problem))
        }
    }
}

pub async fn transition(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> ApiResult<Json<crate::api::WorkItem>> {
    let now = now_ms();
    let change = state.storage.transition(&me.user, id, req, now).await?;
    state.publish(Change::for_item(ChangeKind::Updated, &change.after, None, now));
    // A session started, ended or missed changes the room's day too.
    state.publish_schedule_change(&change, now);
    Ok(Json(change.after.item))
}
