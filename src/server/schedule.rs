//! The rooms' day, duty shifts and campaign definitions.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use super::storage::Storage;
use crate::api::{CampaignList, DutyList, DutyShift, ProblemCode, Schedule};
use crate::domain::EpochMs;
use crate::domain::clock::now_ms;

use crate::domain::clock::shanghai;

/// [start, end) of a civil day in Shanghai, as epoch ms.
pub fn day_bounds(date: jiff::civil::Date) -> Option<(EpochMs, EpochMs)> {
    let tz = shanghai();
    let start = date
        .to_zoned_datetime(tz.clone())
        .ok()?
        .timestamp()
        .as_millisecond();
    let end = date
        .tomorrow()
        .ok()?
        .to_zoned_datetime(tz)
        .ok()?
        .timestamp()
        .as_millisecond();
    Some((start, end))
}

pub fn today_shanghai(now: EpochMs) -> jiff::civil::Date {
    jiff::Timestamp::from_millisecond(now)
        .map(|t| t.to_zoned_datetime(shanghai()).date())
        .unwrap_or_default()
}

#[derive(Debug, Deserialize)]
pub struct DateQuery {
    date: Option<String>,
}

pub async fn schedule<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<Schedule>> {
    let date = match q.date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today_shanghai(now_ms()),
        Some(s) => s.parse::<jiff::civil::Date>().map_err(|_| {
            ApiError::new(
                ProblemCode::InvalidParameter,
                format!("`date` must look like 2026-03-01, got {s:?}"),
            )
        })?,
    };
    let (start, end) = day_bounds(date)
        .ok_or_else(|| ApiError::new(ProblemCode::InvalidParameter, "`date` is out of range"))?;
    let rooms = state.storage.schedule(&me.user, start, end).await?;
    Ok(Json(Schedule {
        date: date.to_string(),
        rooms,
    }))
}

/// Monday 00:00 to next Monday 00:00 in Shanghai, around `now`.
pub fn week_bounds(now: EpochMs) -> (EpochMs, EpochMs) {
    let today = today_shanghai(now);
    let back = i64::from(today.weekday().to_monday_zero_offset());
    let monday = today.checked_sub(jiff::Span::new().days(back)).unwrap_or(today);
    let next = monday.checked_add(jiff::Span::new().days(7)).unwrap_or(monday);
    let start = day_bounds(monday).map(|b| b.0).unwrap_or(now);
    let end = day_bounds(next).map(|b| b.0).unwrap_or(now);
    (start, end)
}

pub async fn duty<S: Storage>(State(state): State<Shared<S>>, me: AuthUser) -> ApiResult<Json<DutyList>> {
    let (start, end) = week_bounds(now_ms());
    let shifts = state.storage.duty_shifts(me.id(), start, end).await?;
    Ok(Json(DutyList { shifts }))
}

fn duty_grace_ms<S: Storage>(state: &Shared<S>) -> EpochMs {
    i64::try_from(state.duty_grace.as_millis()).unwrap_or(i64::MAX)
}

pub async fn check_in<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DutyShift>> {
    let grace = duty_grace_ms(&state);
    Ok(Json(
        state
            .storage
            .stamp_duty(me.id(), id, true, now_ms(), grace)
            .await?,
    ))
}

pub async fn check_out<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DutyShift>> {
    Ok(Json(
        state
            .storage
            .stamp_duty(me.id(), id, false, now_ms(), duty_grace_ms(&state))
            .await?,
    ))
}

pub async fn campaigns<S: Storage>(
    State(state): State<Shared<S>>,
    _me: AuthUser,
) -> ApiResult<Json<CampaignList>> {
    Ok(Json(CampaignList {
        campaigns: state.storage.campaigns().await?,
    }))
}
