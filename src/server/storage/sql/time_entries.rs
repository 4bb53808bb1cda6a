//! Time entries: checked against what their transaction read, then written
//! as one script (the entry, its day's minutes, what it adds to the
//! statistics, its history row). In a group commit (SQLite) the reads of
//! every write of a round go in one call (`ask`, then `found`) and their
//! writes in one more (`keyed_into`): calls, not statements, are what a
//! write costs there (`script`). Alone (PostgreSQL: `time_entry_alone`;
//! an outcome's minutes: `insert_time_entry`) the same checks and
//! statements run a call at a time.

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, FromRow, Row, Transaction};

use super::idempotency::{IDEM_LOOKUP_SQL, StoredRow, answer_into};
use super::item_rows::{ITEM_BY_ID, NewHistory, changeable, history_into, item_from_row, load_item};
use super::records::check_common;
use super::rollup::{CELL_SQL, Cell};
use super::script::Script;
use crate::api::{NewTimeEntry, TimeEntry, User};
use crate::domain::EpochMs;
use crate::domain::records::{check_day_total, check_item_takes_time, check_minutes};
use crate::server::aggregate::{StatRecord, SubmissionKey, TxReads, apply_into, submission_key};
use crate::server::schedule::today_shanghai;
use crate::server::storage::aggregates::{FactRow, ITEM_AND_OWNER_SQL, fact_of_row};
use crate::server::storage::{IdemRequest, ItemRow, StorageError, StoredResponse};
use crate::sql_values;

const CREATED: u16 = 201;

/// Minutes user `$1` logged on Beijing day number `$2` (no row: none).
const DAY_LOGGED_SQL: &str = "SELECT minutes FROM day_minutes WHERE user_id = $1 AND day = $2";

/// Adds `$3` minutes to user `$1`'s Beijing day number `$2`.
const DAY_ADD_SQL: &str = "INSERT INTO day_minutes (user_id, day, minutes) VALUES ($1, $2, $3) \
     ON CONFLICT (user_id, day) DO UPDATE SET minutes = day_minutes.minutes + excluded.minutes";

/// What a time entry is checked against, read inside its transaction.
pub struct EntryFound {
    /// The item, if it exists (who may see and change it is checked on it).
    item: Option<ItemRow>,
    /// The entry's Beijing day and the minutes its user logged on it already.
    logged: (jiff::civil::Date, i64),
}

const HOUR_MS: EpochMs = 3_600_000;
const DAY_MS: EpochMs = 24 * HOUR_MS;

/// The Beijing day number of a time (days since 1970-01-01 in UTC+8), the
/// key of `day_minutes` (migration 0014 computes the same in SQL). Beijing
/// has had no summer time since 1991; records before 2000 are refused.
pub fn day_number(at: EpochMs) -> i64 {
    // Saturating: asked before the time is checked, any i64 may come.
    at.saturating_add(8 * HOUR_MS).div_euclid(DAY_MS)
}

/// A time's Beijing date (for messages) and day number.
fn day_of(occurred_at: EpochMs) -> (jiff::civil::Date, i64) {
    (today_shanghai(occurred_at), day_number(occurred_at))
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
) -> Result<(jiff::civil::Date, i64), sqlx::Error> {
    if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    let (day, number) = day_of(occurred_at);
    let logged: Option<(i64,)> = sqlx::query_as(DAY_LOGGED_SQL)
        .bind(user_id)
        .bind(number)
        .fetch_optional(&mut **tx)
        .await?;
    Ok((day, logged.map_or(0, |(m,)| m)))
}

fn check_day((day, logged): (jiff::civil::Date, i64), minutes: i64) -> Result<(), StorageError> {
    check_day_total(day, logged, minutes)?;
    Ok(())
}

/// The entry's own row and what it adds to the statistics, onto `script`.
async fn entry_into(
    tx: &mut AnyConnection,
    reads: &mut TxReads,
    e: &TimeEntry,
    now: EpochMs,
    script: &mut Script,
) -> Result<(), StorageError> {
    entry_row_into(script, e, None);
    apply_into(tx, reads, StatRecord::TimeEntry(e), now, script).await
}

/// A time entry's row and its day's minutes, onto `script`: every time
/// entry is stored this way (a withdrawal's counter-entry names the entry
/// it withdraws and has its minutes negated), so `day_minutes` stays the
/// sum of the rows.
pub fn entry_row_into(script: &mut Script, e: &TimeEntry, withdraws: Option<&str>) {
    script.push(
        "INSERT INTO time_entries (id, item_id, user_id, minutes, activity, note, occurred_at, created_at, withdraws) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        sql_values![
            e.id.as_str(),
            e.item_id,
            e.user_id,
            e.minutes,
            e.activity.as_str(),
            e.note.as_str(),
            e.occurred_at,
            e.created_at,
            withdraws,
        ],
    );
    script.push(
        DAY_ADD_SQL,
        sql_values![e.user_id, day_number(e.occurred_at), e.minutes],
    );
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
    tx: &mut AnyConnection,
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

/// What a group commit's write asked for in its round's read call (see
/// `group_commit`), so its answers can be taken back in order.
pub struct Asked {
    day: (jiff::civil::Date, i64),
    fact: bool,
    cells: Vec<SubmissionKey>,
}

impl Asked {
    /// How many statements it pushed.
    fn parts(&self) -> usize {
        3 + usize::from(self.fact) + self.cells.len()
    }
}

/// For a group commit's write: the reads it is checked against, pushed
/// onto the round's read script — its key's stored row, the item, the
/// user's day, and what the statistics have not read yet in this
/// transaction (the item's counted columns and its owner, the submissions
/// it may add to under each rule of `reads`, which must be read already).
pub fn ask(
    script: &mut Script,
    reads: &TxReads,
    me: &User,
    idem: &IdemRequest,
    req: &NewTimeEntry,
    now: EpochMs,
) -> Asked {
    let occurred_at = req.occurred_at.unwrap_or(now);
    let day = day_of(occurred_at);
    let fact = reads.known_fact(req.item_id, me.id).is_none();
    // By the unit the user had when signing in; kept only if the unit read
    // with them (this transaction's) is the same.
    let cells: Vec<SubmissionKey> = reads
        .known_defs()
        .unwrap_or_default()
        .iter()
        .map(|d| submission_key(d, occurred_at, me.unit.id))
        .filter(|k| !reads.knows_cell(k))
        .collect();
    script.push(IDEM_LOOKUP_SQL, sql_values![idem.user_id, idem.key.as_str()]);
    script.push(ITEM_BY_ID.as_str(), sql_values![req.item_id]);
    script.push(DAY_LOGGED_SQL, sql_values![me.id, day.1]);
    if fact {
        script.push(ITEM_AND_OWNER_SQL, sql_values![req.item_id, me.id]);
    }
    for (campaign, period, unit) in &cells {
        script.push(CELL_SQL, sql_values![campaign.as_str(), period.as_str(), *unit]);
    }
    Asked { day, fact, cells }
}

/// Takes what [`ask`] asked for off `parts` (exactly its share, whatever
/// fails): the key's stored row and what the entry is checked against.
/// What the statistics read is kept in `reads` (the submissions only with
/// `rules_held`: they were asked for under the rules `reads` holds now).
pub fn found(
    parts: &mut impl Iterator<Item = Vec<AnyRow>>,
    asked: Asked,
    reads: &mut TxReads,
    rules_held: bool,
    me: &User,
    req: &NewTimeEntry,
) -> Result<(Option<StoredRow>, EntryFound), sqlx::Error> {
    let mut mine = parts.take(asked.parts()).collect::<Vec<_>>().into_iter();
    let mut next = || mine.next().and_then(|rows| rows.into_iter().next());
    let stored = next().map(|r| StoredRow::from_row(&r)).transpose()?;
    let item = next().map(|r| item_from_row(&r)).transpose()?;
    let logged = next().map(|r| r.try_get::<i64, _>(0)).transpose()?;
    let logged = (asked.day.0, logged.unwrap_or(0));
    if asked.fact
        && let Some(row) = next()
    {
        let fact = fact_of_row(FactRow::from_row(&row)?, me.id)?;
        reads.remember_fact(req.item_id, me.id, fact);
    }
    let same_unit = reads
        .known_fact(req.item_id, me.id)
        .is_some_and(|(_, owner)| owner.unit_id == me.unit.id);
    for key in asked.cells {
        let cell: Cell = next().map(|r| FromRow::from_row(&r)).transpose()?;
        if same_unit && rules_held {
            reads.remember_cell(key, cell);
        }
    }
    Ok((stored, EntryFound { item, logged }))
}

/// Minutes accepted so far in a group commit's round, by user and day:
/// its reads ran before any of its writes.
pub type DayTotals = std::collections::HashMap<(i64, jiff::civil::Date), i64>;

/// A group commit's time entry checked against `found` (and the entries
/// accepted before it in its round, `days`), its statements and stored
/// answer pushed onto `script`.
#[allow(clippy::too_many_arguments)]
pub async fn keyed_into(
    tx: &mut AnyConnection,
    reads: &mut TxReads,
    me: &User,
    idem: &IdemRequest,
    req: &NewTimeEntry,
    now: EpochMs,
    mut found: EntryFound,
    days: &mut DayTotals,
    script: &mut Script,
) -> Result<StoredResponse, StorageError> {
    let day = found.logged.0;
    found.logged.1 += days.get(&(me.id, day)).copied().unwrap_or(0);
    let body = time_entry_into(tx, reads, me, req, now, found, script).await?;
    answer_into(script, idem, CREATED, &body);
    *days.entry((me.id, day)).or_default() += req.minutes;
    Ok(StoredResponse {
        status: CREATED,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::{DAY_MS, HOUR_MS, day_number};
    use crate::domain::records::EARLIEST_MS;
    use crate::server::schedule::{day_bounds, today_shanghai};

    #[test]
    fn the_day_number_is_the_beijing_date_at_every_midnight_from_2000_to_2100() {
        let mut at = EARLIEST_MS;
        while at < EARLIEST_MS + 100 * 366 * DAY_MS {
            let (start, end) = day_bounds(today_shanghai(at)).expect("a day of this century");
            assert_eq!(day_number(start), day_number(at), "{at}");
            assert_eq!(day_number(start - 1) + 1, day_number(start), "{at}");
            assert_eq!(day_number(end - 1), day_number(start), "{at}");
            assert_eq!(day_number(end), day_number(start) + 1, "{at}");
            at += DAY_MS + HOUR_MS;
        }
    }
}
