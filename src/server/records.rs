//! Outcomes, time entries and activities: each created once per
//! `Idempotency-Key`, together with the statistics they feed. The handlers
//! here only extract and answer; checking (by `domain::records`, inside the
//! storing transaction, where the day's minutes and the rules are read) and
//! storing happen in `storage`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiJson, ApiPath, ApiResult};
use super::idempotency::{idem_request, stored_response};
use super::storage::Storage;
use crate::api::{NewActivity, NewOutcome, NewTimeEntry, paths};

pub async fn post_outcome<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(item_id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewOutcome>,
) -> ApiResult<Response> {
    let path = paths::with_id(paths::ITEM_OUTCOMES, item_id);
    let idem = idem_request(&headers, me.id(), &format!("POST {path}"), &req)?;
    let now = state.clock.now();
    let logged = state
        .storage
        .log_outcome(&me.user, item_id, &idem, &req, now)
        .await?;
    Ok(stored_response(logged.response))
}

pub async fn post_time_entry<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewTimeEntry>,
) -> ApiResult<Response> {
    let idem = idem_request(&headers, me.id(), &format!("POST {}", paths::TIME_ENTRIES), &req)?;
    let stored = state
        .storage
        .log_time_entry(&me.user, &idem, &req, state.clock.now())
        .await?;
    Ok(stored_response(stored))
}

pub async fn post_activity<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewActivity>,
) -> ApiResult<Response> {
    let idem = idem_request(&headers, me.id(), &format!("POST {}", paths::ACTIVITIES), &req)?;
    let stored = state
        .storage
        .log_activity(&me.user, &idem, &req, state.clock.now())
        .await?;
    Ok(stored_response(stored))
}
