//! Outcomes, time entries and activities, each stored once per
//! `Idempotency-Key` in one transaction with the statistics it feeds.

use sqlx::{Any, Transaction};

use super::SqlStorage;
use super::announce::updated;
use super::idempotency::{commit_with, replay, replay_committed, store_answer};

use super::item_rows::{NewHistory, add_history, item_to_change, load_item, touch_item};
use crate::api::{Activity, NewActivity, NewOutcome, NewTimeEntry, Outcome, ProblemCode, TimeEntry, User};
use crate::domain::records::{
    ActivityInput, activity_targets, check_activity, check_day_total, check_item_takes_time, check_minutes,
    check_note, check_occurred_at, may_count,
};
use crate::domain::{EpochMs, ItemStatus, OutcomeFields, TimeActivity, Yuan};
use crate::server::aggregate::{StatRecord, apply as apply_statistics, campaigns_with_rules};
use crate::server::error::ApiError;
use crate::server::schedule::{day_bounds, today_shanghai};
use crate::server::storage::{IdemRequest, OutcomeLogged, StoredResponse};

const CREATED: u16 = 201;

/// When a keyed write fails, a concurrent duplicate with the same key may
/// have committed while this one ran (it read the item before the other
/// closed it, or lost a row lock to it): then the right answer is the one
/// that duplicate stored, not this failure. Same key with another body is
/// still refused as reused.
pub(super) async fn answer_as_duplicate<T>(
    storage: &SqlStorage,
    idem: &IdemRequest,
    result: Result<T, ApiError>,
    wrap: impl FnOnce(StoredResponse) -> T,
) -> Result<T, ApiError> {
    match result {
        Ok(done) => Ok(done),
        Err(failure) => match replay_committed(&storage.store, idem).await? {
            Some(stored) => Ok(wrap(stored)),
            None => Err(failure),
        },
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Plain derive(Serialize) data with string keys: cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// What every record checks before it touches the database: the caller
/// counts work at all, the note fits, and the time is plausible.
fn check_common(me: &User, note: Option<&str>, occurred_at: EpochMs, now: EpochMs) -> Result<(), ApiError> {
    may_count(me.role)?;
    check_note(note)?;
    check_occurred_at(occurred_at, now)?;
    Ok(())
}

/// Refuses an entry that would take the user's day (in Beijing time) past
/// 24 hours. On PostgreSQL the user's row is locked first, so two entries
/// of one user racing cannot both pass; SQLite has one writer. `NO KEY`:
/// the key-share locks that inserting a record referencing the user takes
/// must not conflict with it (two duplicates would deadlock).
async fn check_day(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    occurred_at: EpochMs,
    minutes: i64,
) -> Result<(), ApiError> {
    if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    let day = today_shanghai(occurred_at);
    // Only fails at the ends of the calendar, where occurred_at was refused.
    let Some((start, end)) = day_bounds(day) else {
        return Ok(());
    };
    let (logged,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM time_entries \
         WHERE user_id = $1 AND occurred_at >= $2 AND occurred_at < $3",
    )
    .bind(user_id)
    .bind(start)
    .bind(end)
    .fetch_one(&mut **tx)
    .await?;
    check_day_total(day, logged, minutes)?;
    Ok(())
}

async fn insert_time_entry(
    tx: &mut Transaction<'static, Any>,
    e: &TimeEntry,
    now: EpochMs,
) -> Result<(), ApiError> {
    check_day(tx, e.user_id, e.occurred_at, e.minutes).await?;
    sqlx::query(
        "INSERT INTO time_entries (id, item_id, user_id, minutes, activity, note, occurred_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&e.id)
    .bind(e.item_id)
    .bind(e.user_id)
    .bind(e.minutes)
    .bind(e.activity.as_str())
    .bind(&e.note)
    .bind(e.occurred_at)
    .bind(e.created_at)
    .execute(&mut **tx)
    .await?;
    apply_statistics(tx, StatRecord::TimeEntry(e), now).await
}

/// A keyed write's outcome before its answer is stored: the answer stored
/// for this key before, or the new record's body.
enum Prepared {
    Replay(StoredResponse),
    New(String),
}

/// A time entry, checked and written inside `tx` (not committed).
async fn time_entry_in(
    tx: &mut Transaction<'static, Any>,
    me: &User,
    idem: &IdemRequest,
    req: &NewTimeEntry,
    now: EpochMs,
) -> Result<Prepared, ApiError> {
    if let Some(stored) = replay(tx, idem).await? {
        return Ok(Prepared::Replay(stored));
    }
    let row = item_to_change(tx, me, req.item_id, "log time on this item").await?;
    let occurred_at = req.occurred_at.unwrap_or(now);
    check_common(me, req.note.as_deref(), occurred_at, now)?;
    check_minutes(req.minutes, None)?;
    check_item_takes_time(req.item_id, row.item.status)?;
    let entry = TimeEntry {
        id: uuid::Uuid::now_v7().to_string(),
        item_id: req.item_id,
        user_id: me.id,
        minutes: req.minutes,
        activity: req.activity,
        note: req.note.clone().unwrap_or_default(),
        occurred_at,
        created_at: now,
    };
    insert_time_entry(tx, &entry, now).await?;
    // Plain data (minutes), shown by the client in its user's language.
    let note = entry.minutes.to_string();
    let history = NewHistory {
        item_id: req.item_id,
        at: now,
        actor_id: Some(me.id),
        action: crate::api::HistoryAction::Time,
        from: None,
        to: None,
        note: &note,
    };
    add_history(tx, history).await?;
    Ok(Prepared::New(to_json(&entry)))
}

impl SqlStorage {
    pub(super) async fn log_outcome_impl(
        &self,
        me: &User,
        item_id: i64,
        idem: &IdemRequest,
        req: &NewOutcome,
        now: EpochMs,
    ) -> Result<OutcomeLogged, ApiError> {
        let mut w = self.store.begin_write().await?;
        if let Some(response) = replay(&mut w.tx, idem).await? {
            return Ok(OutcomeLogged {
                response,
                closed: None,
            });
        }
        // The item first: one the caller may not see is a 404 whatever the role.
        let row = item_to_change(&mut w.tx, me, item_id, "log an outcome on this item").await?;
        let occurred_at = req.occurred_at.unwrap_or(now);
        check_common(me, req.note.as_deref(), occurred_at, now)?;
        if let Some(m) = req.minutes {
            check_minutes(m, None)?;
        }
        if !row.item.status.accepts_outcome() {
            return Err(ApiError::new(
                ProblemCode::InvalidTransition,
                format!(
                    "the item is {} already; it takes no outcome",
                    row.item.status.as_str()
                ),
            ));
        }
        let fields = OutcomeFields {
            kind: row.item.kind,
            code: req.code,
            minutes: req.minutes,
            settled_amount: req.settled_amount,
            fee_waived: req.fee_waived,
        };
        fields
            .check()
            .map_err(|e| ApiError::validation("code", e.to_string()))?;
        let outcome = Outcome {
            id: uuid::Uuid::now_v7().to_string(),
            item_id,
            user_id: me.id,
            code: req.code,
            minutes: req.minutes,
            settled_amount: req.settled_amount,
            fee_waived: req.fee_waived,
            note: req.note.clone().unwrap_or_default(),
            occurred_at,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO outcomes (id, item_id, user_id, code, minutes, settled_fen, fee_waived_fen, note, occurred_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&outcome.id)
        .bind(item_id)
        .bind(me.id)
        .bind(outcome.code.as_str())
        .bind(outcome.minutes)
        .bind(outcome.settled_amount.map(Yuan::fen))
        .bind(outcome.fee_waived.map(Yuan::fen))
        .bind(&outcome.note)
        .bind(outcome.occurred_at)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        // Conditional on the status read above: two outcomes with different
        // keys racing on PostgreSQL leave one winner, the other gets a 409.
        let closed = sqlx::query("UPDATE items SET status = 'closed' WHERE id = $1 AND status = $2")
            .bind(item_id)
            .bind(row.item.status.as_str())
            .execute(&mut *w.tx)
            .await?;
        if closed.rows_affected() != 1 {
            // A duplicate with this very key may have closed it; the caller
            // answers as that one did (see `answer_as_duplicate`).
            return Err(ApiError::new(
                ProblemCode::InvalidTransition,
                "the item changed while the outcome was logged; reload it to see its outcome",
            ));
        }
        touch_item(&mut w.tx, item_id, now).await?;
        let history = NewHistory {
            item_id,
            at: now,
            actor_id: Some(me.id),
            action: crate::api::HistoryAction::Outcome,
            from: Some(row.item.status),
            to: Some(ItemStatus::Closed),
            note: outcome.code.as_str(),
        };
        add_history(&mut w.tx, history).await?;
        if let Some(minutes) = outcome.minutes {
            let entry = TimeEntry {
                id: uuid::Uuid::now_v7().to_string(),
                item_id,
                user_id: me.id,
                minutes,
                activity: TimeActivity::Session,
                note: outcome.note.clone(),
                occurred_at: outcome.occurred_at,
                created_at: now,
            };
            insert_time_entry(&mut w.tx, &entry, now).await?;
        }
        let record = StatRecord::Outcome {
            item_kind: row.item.kind,
            outcome: &outcome,
        };
        apply_statistics(&mut w.tx, record, now).await?;
        let closed = load_item(&mut *w.tx, item_id)
            .await?
            .ok_or_else(|| ApiError::not_found("item"))?;
        let a = self.announce(&mut w.tx, updated(&closed), &closed, now).await?;
        let response = commit_with(&self.store, w, idem, CREATED, to_json(&outcome)).await?;
        self.published(a, &closed);
        Ok(OutcomeLogged {
            response,
            closed: Some(closed),
        })
    }

    pub(super) async fn log_time_entry_impl(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewTimeEntry,
        now: EpochMs,
    ) -> Result<StoredResponse, ApiError> {
        // SQLite: in the next group commit (one fsync for the writes that
        // arrive together), answered after that commit.
        if let Some(batch) = self.group_commit() {
            let (me, idem, req) = (me.clone(), idem.clone(), req.clone());
            return batch
                .run(Box::new(move |tx| {
                    Box::pin(async move {
                        match time_entry_in(tx, &me, &idem, &req, now).await? {
                            Prepared::Replay(stored) => Ok(stored),
                            Prepared::New(body) => store_answer(tx, &idem, CREATED, body).await,
                        }
                    })
                }))
                .await;
        }
        let mut w = self.store.begin_write().await?;
        match time_entry_in(&mut w.tx, me, idem, req, now).await? {
            Prepared::Replay(stored) => Ok(stored),
            Prepared::New(body) => commit_with(&self.store, w, idem, CREATED, body).await,
        }
    }

    pub(super) async fn log_activity_impl(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewActivity,
        now: EpochMs,
    ) -> Result<StoredResponse, ApiError> {
        let mut w = self.store.begin_write().await?;
        if let Some(stored) = replay(&mut w.tx, idem).await? {
            return Ok(stored);
        }
        let occurred_at = req.occurred_at.unwrap_or(now);
        may_count(me.role)?;
        // Before the aggregates' lock in `apply`, like every record: the
        // rules read here are the ones `apply` counts by.
        crate::server::aggregate::lock_aggregates(&mut w.tx, false).await?;
        let defs = campaigns_with_rules(&mut w.tx).await?;
        let targets = activity_targets(defs.iter().map(|d| d.as_ref()), occurred_at);
        let input = ActivityInput {
            indicator: &req.indicator,
            count: req.count,
            count2: req.count2,
            note: req.note.as_deref(),
            occurred_at,
        };
        check_activity(&input, &targets, now)?;
        let activity = Activity {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: me.id,
            indicator: req.indicator.trim().to_string(),
            count: req.count,
            count2: req.count2,
            note: req.note.clone().unwrap_or_default(),
            occurred_at,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO activities (id, user_id, indicator, count, count2, note, occurred_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&activity.id)
        .bind(me.id)
        .bind(&activity.indicator)
        .bind(activity.count)
        .bind(activity.count2)
        .bind(&activity.note)
        .bind(activity.occurred_at)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        apply_statistics(&mut w.tx, StatRecord::Activity(&activity), now).await?;
        commit_with(&self.store, w, idem, CREATED, to_json(&activity)).await
    }
}

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
