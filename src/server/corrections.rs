//! Corrections, as handlers: a record's writer withdraws a wrong time entry
//! or activity while its period is open and not handed in; a coordinator
//! over the item's unit (or an admin) corrects its outcome with a reason.
//! Each adds a counter-record (and, for an outcome, the corrected record);
//! nothing is deleted, so the aggregates stay a sum of the stored records
//! and `admin stats rebuild` finds nothing to change. The storing is the
//! `Storage` trait's (`storage::sql::corrections`), in one shape for all.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiJson, ApiPath, ApiResult};
use super::storage::Storage;
use crate::api::corrections::{CorrectedOutcome, OutcomeCorrection};
use crate::api::{Activity, TimeEntry};

/// Answers the counter-record.
pub async fn withdraw_time_entry<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<TimeEntry>)> {
    let counter = state
        .storage
        .withdraw_time_entry(&me.user, &id, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(counter)))
}

/// Answers the counter-record.
pub async fn withdraw_activity<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<Activity>)> {
    let counter = state
        .storage
        .withdraw_activity(&me.user, &id, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(counter)))
}

/// Answers the item after the correction, the outcome replaced and the
/// corrected one.
pub async fn correct_outcome<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(item_id): ApiPath<i64>,
    ApiJson(req): ApiJson<OutcomeCorrection>,
) -> ApiResult<(StatusCode, Json<CorrectedOutcome>)> {
    let done = state
        .storage
        .correct_outcome(&me.user, item_id, &req, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(done)))
}
