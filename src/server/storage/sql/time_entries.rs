//! Time entries: checked against what their transaction read, then written
//! as one script (the entry, what it adds to the statistics, its history
//! row). In a group commit (SQLite) a write reads everything it is checked
//! against in one call (`open_keyed`) and writes in one more
//! (`keyed_time_entry`): calls, not statements, are what a write costs
//! there (`script`). Alone (PostgreSQL) the same checks and statements run
//! a call at a time.

use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};

use super::idempotency::{IDEM_LOOKUP_SQL, StoredRow, answer_into};
use super::item_rows::{ITEM_BY_ID, NewHistory, changeable, history_into, item_from_row, load_item};
use super::records::check_common;
use super::rollup::{CELL_SQL, Cell};
use super::script::Script;
use crate::api::{NewTimeEntry, TimeEntry, User};
use crate::domain::EpochMs;
use crate::domain::records::{check_day_total, check_item_takes_time, check_minutes};
use crate::server::aggregate::{StatRecord, SubmissionKey, TxReads, apply_into, submission_key};
use crate::server::schedule::{day_bounds, today_shanghai};
use crate::server::storage::aggregates::{FactRow, ITEM_AND_OWNER_SQL, fact_of_row};
use crate::server::storage::{ItemRow, StorageError, StoredResponse};
use crate::sql_values;

const CREATED: u16 = 201;

/// Minutes a user logged in `[$2, $3)`: one day, in Beijing time.
const DAY_LOGGED_SQL: &str = "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM time_entries \
     WHERE user_id = $1 AND occurred_at >= $2 AND occurred_at < $3";

/// What a time entry is checked against, read inside its transaction.
pub struct EntryFound {
    /// The item, if it exists (who may see and change it is checked on it).
    item: Option<ItemRow>,
    /// The entry's day and the minutes its user logged on it already; None
    /// only at the ends of the calendar, where the time was refused.
    logged: Option<(jiff::civil::Date, i64)>,
}

fn day_of(occurred_at: EpochMs) -> Option<(jiff::civil::Date, EpochMs, EpochMs)> {
    let day = today_shanghai(occurred_at);
    day_bounds(day).map(|(start, end)| (day, start, end))
}

/// The minutes `user_id` logged on the day of `occurred_at`. On PostgreSQL
/// the user's row is locked first, so two entries of one user racing
/// cannot both pass; SQLite has one writer. `NO KEY`: the key-share locks
/// that inserting a record referencing the user takes must not conflict
/// with it (two duplicates would deadlock).
async fn logged_on_day(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    occurred_at: EpochMs,
) -> Result<Option<(jiff::civil::Date, i64)>, sqlx::Error> {
    if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    let Some((day, start, end)) = day_of(occurred_at) else {
        return Ok(None);
    };
    let (logged,): (i64,) = sqlx::query_as(DAY_LOGGED_SQL)
        .bind(user_id)
        .bind(start)
        .bind(end)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some((day, logged)))
}

fn check_day(logged: Option<(jiff::civil::Date, i64)>, minutes: i64) -> Result<(), StorageError> {
    if let Some((day, logged)) = logged {
        check_day_total(day, logged, minutes)?;
    }
    Ok(())
}

/// The entry's own row and what it adds to the statistics, onto `script`.
async fn entry_into(
    tx: &mut Transaction<'static, Any>,
    reads: &mut TxReads,
    e: &TimeEntry,
    now: EpochMs,
    script: &mut Script,
) -> Result<(), StorageError> {
    script.push(
        "INSERT INTO time_entries (id, item_id, user_id, minutes, activity, note, occurred_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        sql_values![
            e.id.as_str(),
            e.item_id,
            e.user_id,
            e.minutes,
            e.activity.as_str(),
            e.note.as_str(),
            e.occurred_at,
            e.created_at,
        ],
    );
    apply_into(tx, reads, StatRecord::TimeEntry(e), now, script).await
}

/// A time entry that comes with another record (an outcome's minutes):
/// checked against the user's day and written now, inside `tx`.
pub async fn insert_time_entry(
    tx: &mut Transaction<'static, Any>,
    reads: &mut TxReads,
    e: &TimeEntry,
    now: EpochMs,
) -> Result<(), StorageError> {
    check_day(logged_on_day(tx, e.user_id, e.occurred_at).await?, e.minutes)?;
    let mut script = Script::new();
    entry_into(tx, reads, e, now, &mut script).await?;
    script.run(tx).await?;
    Ok(())
}

/// A time entry checked against `found`, its statements pushed onto
/// `script`; returns the new record's body.
async fn time_entry_into(
    tx: &mut Transaction<'static, Any>,
    reads: &mut TxReads,
    me: &User,
    req: &NewTimeEntry,
    now: EpochMs,
    found: EntryFound,
    script: &mut Script,
) -> Result<String, StorageError> {
    let row = changeable(me, found.item, "log time on this item")?;
    let occurred_at = req.occurred_at.unwrap_or(now);
    check_common(me, req.note.as_deref(), occurred_at, now)?;
    check_minutes(req.minutes, None)?;
    check_item_takes_time(req.item_id, row.item.status)?;
    check_day(found.logged, req.minutes)?;
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
    entry_into(tx, reads, &entry, now, script).await?;
    // Plain data (minutes), shown by the client in its user's language.
    let note = entry.minutes.to_string();
    let history = NewHistory::of(
        req.item_id,
        now,
        Some(me.id),
        crate::api::HistoryAction::Time,
        &note,
    );
    history_into(script, history);
    // Plain derive(Serialize) data with string keys: cannot fail.
    Ok(serde_json::to_string(&entry).unwrap_or_default())
}

/// A time entry alone in its transaction (not in a group commit), after
/// its key was found new; returns the new record's body. The caller
/// stores the answer and commits.
pub async fn time_entry_alone(
    tx: &mut Transaction<'static, Any>,
    me: &User,
    req: &NewTimeEntry,
    now: EpochMs,
) -> Result<String, StorageError> {
    let item = load_item(&mut **tx, req.item_id).await?;
    let logged = logged_on_day(tx, me.id, req.occurred_at.unwrap_or(now)).await?;
    let found = EntryFound { item, logged };
    let mut script = Script::new();
    let body = time_entry_into(tx, &mut TxReads::default(), me, req, now, found, &mut script).await?;
    script.run(tx).await?;
    Ok(body)
}

/// For a group commit's write: opens its savepoint (`SAVEPOINT dd_write`,
/// see `group_commit`) and reads, in one call, its key's stored row and
/// what the entry is checked against — the item, the user's day, and what
/// the statistics have not read yet in this transaction (the item's counted
/// columns and its owner, the submissions it may add to). On an error it
/// is not known whether the savepoint was opened: the caller must not roll
/// back to it.
pub async fn open_keyed(
    tx: &mut Transaction<'static, Any>,
    reads: &mut TxReads,
    me: &User,
    idem: &crate::server::storage::IdemRequest,
    req: &NewTimeEntry,
    now: EpochMs,
) -> Result<(Option<StoredRow>, EntryFound), sqlx::Error> {
    // Once per transaction: which submissions to read depends on the rules.
    let defs = reads.defs(tx).await?;
    let occurred_at = req.occurred_at.unwrap_or(now);
    let day = day_of(occurred_at);
    let fact_known = reads.known_fact(req.item_id, me.id).is_some();
    // By the unit the user had when signing in; kept only if the unit read
    // below (this transaction's) is the same.
    let cells: Vec<SubmissionKey> = defs
        .iter()
        .map(|d| submission_key(d, occurred_at, me.unit.id))
        .filter(|k| !reads.knows_cell(k))
        .collect();
    let mut script = Script::new();
    script.push("SAVEPOINT dd_write", Vec::new());
    script.push(IDEM_LOOKUP_SQL, sql_values![idem.user_id, idem.key.as_str()]);
    script.push(ITEM_BY_ID.as_str(), sql_values![req.item_id]);
    if let Some((_, start, end)) = day {
        script.push(DAY_LOGGED_SQL, sql_values![me.id, start, end]);
    }
    if !fact_known {
        script.push(ITEM_AND_OWNER_SQL, sql_values![req.item_id, me.id]);
    }
    for (campaign, period, unit) in &cells {
        script.push(CELL_SQL, sql_values![campaign.as_str(), period.as_str(), *unit]);
    }
    let mut parts = script.fetch(tx).await?.into_iter().skip(1);
    let mut next = || parts.next().unwrap_or_default();
    let stored = first(next()).map(|r| StoredRow::from_row(&r)).transpose()?;
    let item = first(next()).map(|r| item_from_row(&r)).transpose()?;
    let logged = match day {
        Some((day, _, _)) => {
            let logged = first(next()).map(|r| r.try_get::<i64, _>(0)).transpose()?;
            Some((day, logged.unwrap_or(0)))
        }
        None => None,
    };
    if !fact_known && let Some(row) = first(next()) {
        let fact = fact_of_row(FactRow::from_row(&row)?, me.id)?;
        reads.remember_fact(req.item_id, me.id, fact);
    }
    let same_unit = reads
        .known_fact(req.item_id, me.id)
        .is_some_and(|(_, owner)| owner.unit_id == me.unit.id);
    for key in cells {
        let cell: Cell = first(next()).map(|r| FromRow::from_row(&r)).transpose()?;
        if same_unit {
            reads.remember_cell(key, cell);
        }
    }
    Ok((stored, EntryFound { item, logged }))
}

fn first(rows: Vec<AnyRow>) -> Option<AnyRow> {
    rows.into_iter().next()
}

/// A group commit's time entry and its stored answer, written in one
/// call, once `open_keyed` found its key new.
pub async fn keyed_time_entry(
    tx: &mut Transaction<'static, Any>,
    reads: &mut TxReads,
    me: &User,
    idem: &crate::server::storage::IdemRequest,
    req: &NewTimeEntry,
    now: EpochMs,
    found: EntryFound,
) -> Result<StoredResponse, StorageError> {
    let mut script = Script::new();
    let body = time_entry_into(tx, reads, me, req, now, found, &mut script).await?;
    answer_into(&mut script, idem, CREATED, &body);
    script.run(tx).await?;
    Ok(StoredResponse {
        status: CREATED,
        body,
    })
}
