//! The rooms' day, duty shifts and campaign definitions.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::Shared;
use super::auth::AuthUser;
use super::db::now_ms;
use super::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use super::item_store::{ITEM_SELECT, item_from_row};
use crate::api::{
    Campaign, CampaignList, DutyList, DutyShift, ProblemCode, Room, RoomSchedule, Schedule, UserRef,
};
use crate::domain::{EpochMs, Role};

/// Asia/Shanghai; China keeps no daylight saving, so a fixed +08:00 is the
/// same zone where no tz database is installed.
pub fn shanghai() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Shanghai")
        .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
}

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

pub async fn schedule(
    State(state): State<Shared>,
    me: AuthUser,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<Schedule>> {
    if !me.role().reads_schedule() {
        return Err(ApiError::forbidden(
            "the room schedule is for mediators, operators and coordinators",
        ));
    }
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
    let rooms: Vec<(i64, String, i64, Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT r.id, r.name, r.unit_id, r.operator_id, u.username, u.display_name FROM rooms r \
         LEFT JOIN users u ON u.id = r.operator_id ORDER BY r.id",
    )
    .fetch_all(&state.store.pool)
    .await?;
    let mut out = Vec::new();
    for r in rooms {
        let visible = match me.role() {
            Role::Admin => true,
            Role::Operator => r.3 == Some(me.id()),
            _ => r.2 == me.unit_id(),
        };
        if !visible {
            continue;
        }
        let sql = format!(
            "{ITEM_SELECT} WHERE i.room_id = $1 AND i.scheduled_start >= $2 AND i.scheduled_start < $3 \
             ORDER BY i.scheduled_start, i.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(r.0)
            .bind(start)
            .bind(end)
            .fetch_all(&state.store.pool)
            .await?;
        let sessions = rows
            .iter()
            .map(|x| item_from_row(x).map(|i| i.item))
            .collect::<Result<_, _>>()?;
        let operator = r.3.map(|id| UserRef {
            id,
            username: r.4.clone().unwrap_or_default(),
            display_name: r.5.clone().unwrap_or_default(),
        });
        out.push(RoomSchedule {
            room: Room {
                id: r.0,
                name: r.1,
                unit_id: r.2,
                operator,
            },
            sessions,
        });
    }
    Ok(Json(Schedule {
        date: date.to_string(),
        rooms: out,
    }))
}

type ShiftRow = (
    i64,
    i64,
    String,
    EpochMs,
    EpochMs,
    Option<EpochMs>,
    Option<EpochMs>,
    i64,
);

fn shift(r: ShiftRow) -> DutyShift {
    DutyShift {
        id: r.0,
        user_id: r.1,
        place: r.2,
        starts_at: r.3,
        ends_at: r.4,
        checked_in_at: r.5,
        checked_out_at: r.6,
        version: r.7,
    }
}

const SHIFT_SELECT: &str =
    "SELECT id, user_id, place, starts_at, ends_at, checked_in_at, checked_out_at, version FROM duty_shifts";

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

pub async fn duty(State(state): State<Shared>, me: AuthUser) -> ApiResult<Json<DutyList>> {
    let (start, end) = week_bounds(now_ms());
    let sql = format!(
        "{SHIFT_SELECT} WHERE user_id = $1 AND starts_at < $2 AND ends_at > $3 ORDER BY starts_at, id"
    );
    let rows: Vec<ShiftRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(me.id())
        .bind(end)
        .bind(start)
        .fetch_all(&state.store.pool)
        .await?;
    Ok(Json(DutyList {
        shifts: rows.into_iter().map(shift).collect(),
    }))
}

async fn stamp(state: &Shared, me: &AuthUser, id: i64, check_in: bool) -> ApiResult<Json<DutyShift>> {
    let mut w = state.store.begin_write().await?;
    let sql = format!("{SHIFT_SELECT} WHERE id = $1 AND user_id = $2");
    let row: Option<ShiftRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(me.id())
        .fetch_optional(&mut *w.tx)
        .await?;
    let s = shift(row.ok_or_else(|| ApiError::not_found("duty shift"))?);
    let conflict = |d: &str| ApiError::new(ProblemCode::InvalidTransition, d.to_string());
    let sql = match (check_in, s.checked_in_at, s.checked_out_at) {
        (true, Some(_), _) => return Err(conflict("you are already checked in to this shift")),
        (false, None, _) => return Err(conflict("check in to this shift before checking out")),
        (false, _, Some(_)) => return Err(conflict("you are already checked out of this shift")),
        (true, None, _) => "UPDATE duty_shifts SET checked_in_at = $1, version = version + 1 WHERE id = $2",
        (false, Some(_), None) => {
            "UPDATE duty_shifts SET checked_out_at = $1, version = version + 1 WHERE id = $2"
        }
    };
    sqlx::query(sql)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
    let sql = format!("{SHIFT_SELECT} WHERE id = $1");
    let row: ShiftRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut *w.tx)
        .await?;
    w.tx.commit().await?;
    Ok(Json(shift(row)))
}

pub async fn check_in(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DutyShift>> {
    stamp(&state, &me, id, true).await
}

pub async fn check_out(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DutyShift>> {
    stamp(&state, &me, id, false).await
}

pub async fn load_campaigns<'e, E>(exec: E) -> Result<Vec<Campaign>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, definition FROM campaigns ORDER BY id")
        .fetch_all(exec)
        .await?;
    rows.into_iter()
        .map(|(id, def)| {
            serde_json::from_str(&def).map_err(|e| sqlx::Error::Decode(format!("campaign {id}: {e}").into()))
        })
        .collect()
}

pub async fn campaigns(State(state): State<Shared>, _me: AuthUser) -> ApiResult<Json<CampaignList>> {
    Ok(Json(CampaignList {
        campaigns: load_campaigns(&state.store.pool).await?,
    }))
}
