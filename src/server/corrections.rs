//! Withdrawing a wrong time entry or activity: its writer adds a
//! counter-record (the same record with its minutes or counts negated,
//! `withdraws` naming the original) while the period is open and not
//! handed in. Nothing is deleted, so the aggregates stay a sum of the
//! stored records and `admin stats rebuild` finds nothing to change.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::Shared;
use super::aggregate::{StatRecord, apply};
use super::auth::AuthUser;
use super::error::{ApiError, ApiPath, ApiResult};
use crate::api::{Activity, ProblemCode, TimeEntry};
use crate::domain::TimeActivity;

/// `POST`: withdraw one of your time entries.
pub const TIME_ENTRY_WITHDRAW: &str = "/api/v1/time-entries/{id}/withdraw";
/// `POST`: withdraw one of your activities.
pub const ACTIVITY_WITHDRAW: &str = "/api/v1/activities/{id}/withdraw";

fn already() -> ApiError {
    ApiError::new(
        ProblemCode::AlreadyWithdrawn,
        "this record is withdrawn already (or is itself a withdrawal); nothing changed",
    )
}

/// Answers the counter-record.
pub async fn withdraw_time_entry(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<TimeEntry>)> {
    let now = state.clock.now();
    let mut w = state.store.begin_write().await?;
    let row: Option<(i64, i64, i64, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT item_id, user_id, minutes, activity, occurred_at, withdraws FROM time_entries WHERE id = $1",
    )
    .bind(&id)
    .fetch_optional(&mut *w.tx)
    .await?;
    // Someone else's entry is a 404, as if it were not there.
    let Some((item_id, user_id, minutes, activity, occurred_at, withdraws)) = row.filter(|r| r.1 == me.id())
    else {
        return Err(ApiError::not_found("time entry"));
    };
    if withdraws.is_some() || withdrawn(&mut w.tx, "time_entries", &id).await? {
        return Err(already());
    }
    let activity = TimeActivity::parse(&activity).ok_or_else(|| ApiError::not_found("time entry"))?;
    let counter = TimeEntry {
        id: uuid::Uuid::now_v7().to_string(),
        item_id,
        user_id,
        minutes: -minutes,
        activity,
        note: String::new(),
        occurred_at,
        created_at: now,
    };
    sqlx::query(
        "INSERT INTO time_entries (id, item_id, user_id, minutes, activity, note, occurred_at, created_at, withdraws) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&counter.id)
    .bind(counter.item_id)
    .bind(counter.user_id)
    .bind(counter.minutes)
    .bind(counter.activity.as_str())
    .bind(&counter.note)
    .bind(counter.occurred_at)
    .bind(counter.created_at)
    .bind(&id)
    .execute(&mut *w.tx)
    .await?;
    // Refused (and rolled back) when the period is closed or handed in.
    apply(&mut w.tx, StatRecord::TimeEntry(&counter), now).await?;
    w.tx.commit().await?;
    Ok((StatusCode::CREATED, Json(counter)))
}

/// Answers the counter-record.
pub async fn withdraw_activity(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<Activity>)> {
    let now = state.clock.now();
    let mut w = state.store.begin_write().await?;
    let row: Option<(i64, String, i64, Option<i64>, i64, Option<String>)> = sqlx::query_as(
        "SELECT user_id, indicator, count, count2, occurred_at, withdraws FROM activities WHERE id = $1",
    )
    .bind(&id)
    .fetch_optional(&mut *w.tx)
    .await?;
    let Some((user_id, indicator, count, count2, occurred_at, withdraws)) = row.filter(|r| r.0 == me.id())
    else {
        return Err(ApiError::not_found("activity"));
    };
    if withdraws.is_some() || withdrawn(&mut w.tx, "activities", &id).await? {
        return Err(already());
    }
    let counter = Activity {
        id: uuid::Uuid::now_v7().to_string(),
        user_id,
        indicator,
        count: -count,
        count2: count2.map(|c| -c),
        note: String::new(),
        occurred_at,
        created_at: now,
    };
    sqlx::query(
        "INSERT INTO activities (id, user_id, indicator, count, count2, note, occurred_at, created_at, withdraws) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&counter.id)
    .bind(counter.user_id)
    .bind(&counter.indicator)
    .bind(counter.count)
    .bind(counter.count2)
    .bind(&counter.note)
    .bind(counter.occurred_at)
    .bind(counter.created_at)
    .bind(&id)
    .execute(&mut *w.tx)
    .await?;
    apply(&mut w.tx, StatRecord::Activity(&counter), now).await?;
    w.tx.commit().await?;
    Ok((StatusCode::CREATED, Json(counter)))
}

/// Whether a counter-record for `id` already stands in `table` (a record is
/// withdrawn once).
async fn withdrawn(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &'static str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    // `table` is one of two literals above, never input.
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table} WHERE withdraws = $1");
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}
