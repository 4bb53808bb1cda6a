//! The hand-in endpoints: `POST …/submissions` (hand a unit's form in),
//! `POST …/submissions/{unit}` (approve, return or reopen) and `GET
//! …/submissions` (who handed in). The rules and the writes are storage's
//! (`SubmissionStore`); here the request is read and checked.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiError, ApiJson, ApiPath, ApiResult};
use super::storage::Storage;
use crate::api::ProblemCode;
use crate::api::rollup::{NewSubmission, Submission, SubmissionList, SubmissionStep};
use crate::domain::campaign::{CampaignDef, Period, parse_period};
use crate::domain::rollup::SubmissionAction;

/// Longest 填报人, 联系电话 and reason, in characters.
const MAX_NAME: usize = 50;
const MAX_PHONE: usize = 30;
const MAX_REASON: usize = 500;

async fn load<S: Storage>(
    state: &Shared<S>,
    id: &str,
    period: &str,
) -> ApiResult<(Arc<CampaignDef>, Period)> {
    let def = state.storage.campaign_def(id).await?;
    let period = parse_period(&def, period)
        .map_err(|e| ApiError::new(ProblemCode::InvalidParameter, format!("period: {e}")))?;
    Ok((def, period))
}

fn text(field: &str, value: &str, max: usize) -> ApiResult<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(ApiError::validation(
            field,
            format!("{field}: give 1 to {max} characters without control characters"),
        ));
    }
    Ok(v.to_string())
}

/// `POST /campaigns/{id}/periods/{period}/submissions`.
pub async fn submit<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath((id, period)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<NewSubmission>,
) -> ApiResult<(StatusCode, Json<Submission>)> {
    let (def, period) = load(&state, &id, &period).await?;
    let filled_by = text("filled_by", &req.filled_by, MAX_NAME)?;
    let phone = text("phone", &req.phone, MAX_PHONE)?;
    let unit = req.unit.unwrap_or(me.unit_id());
    let now = state.clock.now();
    let out = state
        .storage
        .submit_form(&me.user, &def, &period, unit, &filled_by, &phone, now)
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `POST /campaigns/{id}/periods/{period}/submissions/{unit}`: approve,
/// return or reopen.
pub async fn step<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath((id, period, unit)): ApiPath<(String, String, i64)>,
    ApiJson(req): ApiJson<SubmissionStep>,
) -> ApiResult<Json<Submission>> {
    let (def, period) = load(&state, &id, &period).await?;
    let action = req.action;
    let reason = match (action, req.reason.as_deref()) {
        (SubmissionAction::Submit, _) => {
            return Err(ApiError::validation(
                "action",
                "hand a form in with POST …/submissions; here: approve, return or reopen".into(),
            ));
        }
        (SubmissionAction::Return | SubmissionAction::Reopen, r) => {
            Some(text("reason", r.unwrap_or(""), MAX_REASON)?)
        }
        (SubmissionAction::Approve, Some(r)) if !r.trim().is_empty() => Some(text("reason", r, MAX_REASON)?),
        (SubmissionAction::Approve, _) => None,
    };
    let now = state.clock.now();
    let out = state
        .storage
        .step_submission(&me.user, &def, &period, unit, action, reason.as_deref(), now)
        .await?;
    Ok(Json(out))
}

/// `GET /campaigns/{id}/periods/{period}/submissions`: the caller's unit
/// and every unit below it, each on time, late, missing or pending.
pub async fn list<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath((id, period)): ApiPath<(String, String)>,
) -> ApiResult<Json<SubmissionList>> {
    let (def, period) = load(&state, &id, &period).await?;
    let now = state.clock.now();
    Ok(Json(state.storage.hand_ins(&me.user, &def, &period, now).await?))
}
