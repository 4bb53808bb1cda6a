//! The SQL of demo seeding (`server/demo.rs` decides what the demo holds):
//! whether the database is empty, the lock two instances seeding at once
//! take, and the rows only the demo writes directly (rooms, generated
//! items, duty shifts).

use sqlx::{Any, Transaction};

use super::db::{Store, next_id};
use crate::domain::EpochMs;

/// The advisory lock key demo seeding holds (any fixed number; "dutydesk" in ASCII).
const DEMO_SEED_LOCK: i64 = 0x6475_7479_6465_736b;

/// Whether no user is stored yet.
pub async fn has_no_users(store: &Store) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(&store.pool)
        .await?;
    Ok(n == 0)
}

/// PostgreSQL: waits inside the transaction for any other instance's seed
/// to end, then tells whether the database is still empty. Two instances
/// started together on one empty database both saw it empty: the second
/// waits here for the first's seed, then finds it seeded. (SQLite's writer
/// lock and one instance per file do this there.)
pub async fn lock_and_recheck_empty(tx: &mut Transaction<'static, Any>) -> Result<bool, sqlx::Error> {
    sqlx::query("SELECT CAST(pg_advisory_xact_lock($1) AS TEXT)")
        .bind(DEMO_SEED_LOCK)
        .execute(&mut **tx)
        .await?;
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(&mut **tx)
        .await?;
    Ok(n == 0)
}

/// Adds a mediation room run by `operator`; its id.
pub async fn insert_room(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    unit: i64,
    operator: i64,
) -> Result<i64, sqlx::Error> {
    let id = next_id(tx, "room").await?;
    sqlx::query("INSERT INTO rooms (id, name, unit_id, operator_id) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(name)
        .bind(unit)
        .bind(operator)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// A generated demo item, column by column. Its id and change number are
/// allocated by the caller, before the text that names the id is made.
#[derive(Debug, Clone)]
pub struct SeedItem<'a> {
    pub id: i64,
    pub seq: i64,
    pub kind: &'a str,
    pub title: String,
    pub description: String,
    pub channel: &'a str,
    pub category: &'a str,
    pub green_channel: bool,
    pub frontline_group: Option<&'a str>,
    pub fee_waiver_eligible: bool,
    pub status: &'a str,
    pub assignee_id: Option<i64>,
    pub unit_id: i64,
    /// The parties as the `parties` column's JSON.
    pub parties: String,
    pub due_at: EpochMs,
    pub created_at: EpochMs,
    pub typical_case: bool,
    pub scheduled: Option<(EpochMs, EpochMs)>,
    pub room_id: Option<i64>,
    pub join_link: Option<String>,
    pub enterprise_party: bool,
}

/// Stores a generated item (version 1) and its `created` history line.
pub async fn insert_item(tx: &mut Transaction<'static, Any>, item: &SeedItem<'_>) -> Result<(), sqlx::Error> {
    // As every list sends them (`sql::item_list`).
    let mut parties = crate::server::storage::sql::item_rows::raw_parties(&item.parties)?;
    crate::server::storage::sql::item_rows::mask_parties(&mut parties);
    let shown = serde_json::to_string(&parties).map_err(|e| sqlx::Error::Decode(e.into()))?;
    sqlx::query(
        "INSERT INTO items (id, kind, title, description, channel, category, green_channel, frontline_group, \
         fee_waiver_eligible, status, assignee_id, unit_id, parties, due_at, created_at, updated_at, typical_case, \
         scheduled_start, scheduled_end, room_id, join_link, version, change_seq, enterprise_party, parties_shown) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, $22, $23, $24)",
    )
    .bind(item.id)
    .bind(item.kind)
    .bind(&item.title)
    .bind(&item.description)
    .bind(item.channel)
    .bind(item.category)
    .bind(i64::from(item.green_channel))
    .bind(item.frontline_group)
    .bind(i64::from(item.fee_waiver_eligible))
    .bind(item.status)
    .bind(item.assignee_id)
    .bind(item.unit_id)
    .bind(&item.parties)
    .bind(item.due_at)
    .bind(item.created_at)
    .bind(item.created_at)
    .bind(i64::from(item.typical_case))
    .bind(item.scheduled.map(|s| s.0))
    .bind(item.scheduled.map(|s| s.1))
    .bind(item.room_id)
    .bind(item.join_link.as_deref())
    .bind(item.seq)
    .bind(i64::from(item.enterprise_party))
    .bind(shown)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO item_history (id, item_id, at, actor_id, action, from_status, to_status, note) \
         VALUES ($1, $2, $3, NULL, 'created', NULL, 'new', '')",
    )
    .bind(next_id(tx, "history").await?)
    .bind(item.id)
    .bind(item.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds one duty shift, not checked in yet.
pub async fn insert_duty_shift(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    place: &str,
    (starts, ends): (EpochMs, EpochMs),
) -> Result<(), sqlx::Error> {
    let id = next_id(tx, "duty").await?;
    sqlx::query(
        "INSERT INTO duty_shifts (id, user_id, place, starts_at, ends_at, checked_in_at, checked_out_at, version) \
         VALUES ($1, $2, $3, $4, $5, NULL, NULL, 1)",
    )
    .bind(id)
    .bind(user)
    .bind(place)
    .bind(starts)
    .bind(ends)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
