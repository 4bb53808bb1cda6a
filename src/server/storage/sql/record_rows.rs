//! Reading an item's records back for its detail: outcomes and time
//! entries, without the withdrawn ones.

use sqlx::Any;

use crate::api::{Outcome, TimeEntry};
use crate::domain::{EpochMs, TimeActivity, Yuan};

type OutcomeRow = (
    String,
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    EpochMs,
    EpochMs,
);

pub async fn load_outcomes<'e, E>(exec: E, item_id: i64) -> Result<Vec<Outcome>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows: Vec<OutcomeRow> = sqlx::query_as(
        "SELECT id, item_id, user_id, code, minutes, settled_fen, fee_waived_fen, note, occurred_at, created_at \
         FROM outcomes o WHERE item_id = $1 AND withdraws IS NULL \
         AND NOT EXISTS (SELECT 1 FROM outcomes w WHERE w.withdraws = o.id) ORDER BY created_at, id",
    )
    .bind(item_id)
    .fetch_all(exec)
    .await?;
    let fen = |v: Option<i64>| v.and_then(|f| Yuan::from_fen(f).ok());
    rows.into_iter()
        .map(|r| {
            Ok(Outcome {
                id: r.0,
                item_id: r.1,
                user_id: r.2,
                code: crate::domain::OutcomeCode::parse(&r.3)
                    .ok_or_else(|| sqlx::Error::Decode(format!("outcome code {:?}", r.3).into()))?,
                minutes: r.4,
                settled_amount: fen(r.5),
                fee_waived: fen(r.6),
                note: r.7,
                occurred_at: r.8,
                created_at: r.9,
            })
        })
        .collect()
}

pub async fn load_time_entries<'e, E>(exec: E, item_id: i64) -> Result<Vec<TimeEntry>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows: Vec<(String, i64, i64, i64, String, String, EpochMs, EpochMs)> = sqlx::query_as(
        "SELECT id, item_id, user_id, minutes, activity, note, occurred_at, created_at \
         FROM time_entries WHERE item_id = $1 ORDER BY created_at, id",
    )
    .bind(item_id)
    .fetch_all(exec)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(TimeEntry {
                id: r.0,
                item_id: r.1,
                user_id: r.2,
                minutes: r.3,
                activity: TimeActivity::parse(&r.4)
                    .ok_or_else(|| sqlx::Error::Decode(format!("activity {:?}", r.4).into()))?,
                note: r.5,
                occurred_at: r.6,
                created_at: r.7,
            })
        })
        .collect()
}
