//! Outcomes, time entries and activities: each created once per
//! `Idempotency-Key`, together with the statistics they feed. The handlers
//! here only extract and answer; storing happens in `storage`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::Shared;
use super::auth::AuthUser;
use super::db::now_ms;
use super::error::{ApiError, ApiJson, ApiPath, ApiResult};
use super::idempotency::{idem_request, stored_response};
use crate::api::{NewActivity, NewOutcome, NewTimeEntry, paths};

/// The most one activity may add to a value. Far above a real training's
/// attendees; low enough that no sum of such entries overflows.
pub const MAX_ACTIVITY_COUNT: i64 = 1_000_000;

pub async fn post_outcome(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(item_id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewOutcome>,
) -> ApiResult<Response> {
    let path = paths::with_id(paths::ITEM_OUTCOMES, item_id);
    let idem = idem_request(&headers, me.id(), &format!("POST {path}"), &req)?;
    let now = now_ms();
    let logged = state
        .storage
        .log_outcome(&me.user, item_id, &idem, &req, now)
        .await?;
    Ok(stored_response(logged.response))
}

pub async fn post_time_entry(
    State(state): State<Shared>,
    me: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewTimeEntry>,
) -> ApiResult<Response> {
    let idem = idem_request(&headers, me.id(), &format!("POST {}", paths::TIME_ENTRIES), &req)?;
    let stored = state
        .storage
        .log_time_entry(&me.user, &idem, &req, now_ms())
        .await?;
    Ok(stored_response(stored))
}

pub async fn post_activity(
    State(state): State<Shared>,
    me: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewActivity>,
) -> ApiResult<Response> {
    let idem = idem_request(&headers, me.id(), &format!("POST {}", paths::ACTIVITIES), &req)?;
    if req.indicator.trim().is_empty() {
        return Err(ApiError::validation(
            "indicator",
            "name the indicator this activity counts toward, e.g. enterprises_visited".into(),
        ));
    }
    if req.count < 0 || req.count2.is_some_and(|c| c < 0) {
        return Err(ApiError::validation("count", "counts cannot be negative".into()));
    }
    if req.count > MAX_ACTIVITY_COUNT || req.count2.is_some_and(|c| c > MAX_ACTIVITY_COUNT) {
        return Err(ApiError::validation(
            "count",
            format!(
                "one activity counts at most {MAX_ACTIVITY_COUNT}; split larger ones or check the number"
            ),
        ));
    }
    let stored = state
        .storage
        .log_activity(&me.user, &idem, &req, now_ms())
        .await?;
    Ok(stored_response(stored))
}
