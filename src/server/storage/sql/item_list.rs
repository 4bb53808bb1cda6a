//! The list read behind `GET /items`: the caller's rows encoded straight
//! into the answer's JSON as they come from the database. No `WorkItem` is
//! built and no party list is parsed again: the parties go out as the
//! masked JSON stored beside them at insert (`parties_shown`), and text
//! columns are borrowed from the row. The bytes are those
//! `serde_json::to_vec(&ItemList { .. })` gives for the same rows (a test
//! below compares them), so clients see no difference.

use std::sync::LazyLock;

use futures_util::TryStreamExt;
use serde::Serialize;
use serde_json::value::RawValue;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::item_rows::{mask_parties, parse_enum, raw_parties};
use crate::domain::{Category, Channel, EpochMs, FrontlineGroup, ItemKind, ItemStatus};
use crate::server::db::Store;
use crate::server::storage::{ListJson, StorageError};

/// The columns in the order [`encode_row`] reads them by index (a name
/// lookup per column per row is a hash each).
const LIST_SELECT: &str = "SELECT i.id, i.kind, i.title, i.description, i.channel, i.category, \
    i.green_channel, i.frontline_group, i.fee_waiver_eligible, i.status, i.assignee_id, \
    a.username, a.display_name, i.unit_id, i.parties_shown, \
    CASE WHEN i.parties_shown IS NULL THEN i.parties END, i.due_at, i.created_at, i.updated_at, \
    i.typical_case, i.scheduled_start, i.scheduled_end, i.room_id, r.name, i.join_link, i.version, \
    i.change_seq \
    FROM items i LEFT JOIN users a ON a.id = i.assignee_id LEFT JOIN rooms r ON r.id = i.room_id \
    WHERE i.assignee_id = $1 AND i.change_seq > $2 ORDER BY i.change_seq";

/// One item as the list sends it: `WorkItem`'s fields, in its order, with
/// its `skip_serializing_if`s, borrowed from the row.
#[derive(Serialize)]
struct ListedItem<'r> {
    id: i64,
    kind: ItemKind,
    title: &'r str,
    description: &'r str,
    channel: Channel,
    category: Category,
    green_channel: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    frontline_group: Option<FrontlineGroup>,
    fee_waiver_eligible: bool,
    status: ItemStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignee: Option<ListedUser<'r>>,
    unit_id: i64,
    parties: &'r RawValue,
    due_at: EpochMs,
    created_at: EpochMs,
    updated_at: EpochMs,
    typical_case: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    mediation: Option<ListedMediation<'r>>,
    version: i64,
}

/// `UserRef`, borrowed.
#[derive(Serialize)]
struct ListedUser<'r> {
    id: i64,
    username: &'r str,
    display_name: &'r str,
}

/// `MediationInfo`, borrowed.
#[derive(Serialize)]
struct ListedMediation<'r> {
    scheduled_start: EpochMs,
    scheduled_end: EpochMs,
    room_id: i64,
    room_name: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    join_link: Option<&'r str>,
}

/// A stored value that does not read as JSON (or, impossibly, plain data
/// that does not encode): the row is bad, as a failed decode would say.
fn undecodable(e: serde_json::Error) -> StorageError {
    StorageError::Database(sqlx::Error::Decode(format!("item row: {e}").into()))
}

/// The stored parties as sent: masked, as JSON. Rows stored before
/// `parties_shown` existed (or written by other tools) are masked here.
fn shown_parties(stored: &str) -> Result<String, StorageError> {
    let mut parties = raw_parties(stored)?;
    mask_parties(&mut parties);
    serde_json::to_string(&parties).map_err(undecodable)
}

/// The masked JSON to keep in `parties_shown` for these stored parties.
pub fn parties_shown(parties: &[crate::api::Party]) -> Result<String, serde_json::Error> {
    let mut parties = parties.to_vec();
    mask_parties(&mut parties);
    serde_json::to_string(&parties)
}

/// Appends one row's item to `out`; returns its change number.
fn encode_row(r: &AnyRow, out: &mut Vec<u8>) -> Result<i64, StorageError> {
    let fallback;
    let parties: &str = match r.try_get::<Option<&str>, _>(14)? {
        Some(shown) => shown,
        None => {
            fallback = shown_parties(r.try_get::<Option<&str>, _>(15)?.unwrap_or("[]"))?;
            &fallback
        }
    };
    let parties: &RawValue = serde_json::from_str(parties).map_err(undecodable)?;
    let assignee = match r.try_get::<Option<i64>, _>(10)? {
        Some(id) => Some(ListedUser {
            id,
            username: r.try_get(11)?,
            display_name: r.try_get(12)?,
        }),
        None => None,
    };
    let start: Option<i64> = r.try_get(20)?;
    let room_id: Option<i64> = r.try_get(22)?;
    let mediation = match (start, room_id) {
        (Some(start), Some(room_id)) => Some(ListedMediation {
            scheduled_start: start,
            scheduled_end: r.try_get::<Option<i64>, _>(21)?.unwrap_or(start),
            room_id,
            room_name: r.try_get::<Option<&str>, _>(23)?.unwrap_or_default(),
            join_link: r.try_get(24)?,
        }),
        _ => None,
    };
    let item = ListedItem {
        id: r.try_get(0)?,
        kind: parse_enum(r.try_get(1)?)?,
        title: r.try_get(2)?,
        description: r.try_get(3)?,
        channel: parse_enum(r.try_get(4)?)?,
        category: parse_enum(r.try_get(5)?)?,
        green_channel: r.try_get::<i64, _>(6)? != 0,
        frontline_group: r.try_get::<Option<&str>, _>(7)?.map(parse_enum).transpose()?,
        fee_waiver_eligible: r.try_get::<i64, _>(8)? != 0,
        status: parse_enum(r.try_get(9)?)?,
        assignee,
        unit_id: r.try_get(13)?,
        parties,
        due_at: r.try_get(16)?,
        created_at: r.try_get(17)?,
        updated_at: r.try_get(18)?,
        typical_case: r.try_get::<i64, _>(19)? != 0,
        mediation,
        version: r.try_get(25)?,
    };
    serde_json::to_writer(&mut *out, &item).map_err(undecodable)?;
    Ok(r.try_get(26)?)
}

/// `{"items":[...],"cursor":"N"` and, with a cursor, `"removed":[...]`:
/// the caller's items changed after `since`. The database writes the
/// items' JSON itself ([`items_json_sql`]): one value crosses from it, not
/// a row per item. Where it cannot (a row without `parties_shown`), each
/// row is encoded here as it arrives.
pub async fn list_json(store: &Store, user_id: i64, since: i64) -> Result<ListJson, StorageError> {
    let pool = &store.pool;
    let sql = if store.is_postgres() {
        &*PG_ITEMS_JSON
    } else {
        &*SQLITE_ITEMS_JSON
    };
    let (rows, written, last, items): (i64, i64, Option<i64>, Option<String>) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(user_id)
            .bind(since)
            .fetch_one(pool)
            .await?;
    if written != rows {
        return list_json_by_rows(pool, user_id, since).await;
    }
    let mut cursor = since.max(last.unwrap_or(since));
    let mut body = Vec::with_capacity(items.as_ref().map_or(0, String::len) + 64);
    body.extend_from_slice(b"{\"items\":[");
    body.extend_from_slice(items.unwrap_or_default().as_bytes());
    body.push(b']');
    finish(pool, user_id, since, &mut cursor, body, rows as usize).await
}

/// `cursor` and `removed` after the items, and the closing brace.
async fn finish(
    pool: &sqlx::AnyPool,
    user_id: i64,
    since: i64,
    cursor: &mut i64,
    mut body: Vec<u8>,
    items: usize,
) -> Result<ListJson, StorageError> {
    let removed = if since > 0 {
        removed_since(pool, user_id, since, cursor).await?
    } else {
        Vec::new()
    };
    body.extend_from_slice(b",\"cursor\":");
    serde_json::to_writer(&mut body, &cursor.to_string()).map_err(undecodable)?;
    if !removed.is_empty() {
        body.extend_from_slice(b",\"removed\":");
        serde_json::to_writer(&mut body, &removed).map_err(undecodable)?;
    }
    body.push(b'}');
    Ok(ListJson {
        body,
        cursor: *cursor,
        items,
    })
}

static SQLITE_ITEMS_JSON: LazyLock<String> = LazyLock::new(|| items_json_sql(|x| format!("json_quote({x})")));
static PG_ITEMS_JSON: LazyLock<String> = LazyLock::new(|| items_json_sql(|x| format!("to_json({x})::text")));

/// The caller's rows as `WorkItem` JSON written by the database: fields
/// in `WorkItem`'s order, `None`s left out as serde leaves them out, text
/// quoted by `quote` (SQLite's `json_quote`, PostgreSQL's `to_json`). A row
/// without `parties_shown` gives NULL, which the aggregate skips: the
/// count of written items then differs from the count of rows.
fn items_json_sql(quote: fn(&str) -> String) -> String {
    let q = quote;
    let flag = |c: &str| format!("CASE WHEN {c} <> 0 THEN 'true' ELSE 'false' END");
    let item = [
        "'{\"id\":' || i.id".to_string(),
        format!("',\"kind\":' || {}", q("i.kind")),
        format!("',\"title\":' || {}", q("i.title")),
        format!("',\"description\":' || {}", q("i.description")),
        format!("',\"channel\":' || {}", q("i.channel")),
        format!("',\"category\":' || {}", q("i.category")),
        format!("',\"green_channel\":' || {}", flag("i.green_channel")),
        format!(
            "CASE WHEN i.frontline_group IS NULL THEN '' ELSE ',\"frontline_group\":' || {} END",
            q("i.frontline_group")
        ),
        format!("',\"fee_waiver_eligible\":' || {}", flag("i.fee_waiver_eligible")),
        format!("',\"status\":' || {}", q("i.status")),
        format!(
            "CASE WHEN i.assignee_id IS NULL THEN '' ELSE ',\"assignee\":{{\"id\":' || i.assignee_id || \
             ',\"username\":' || {} || ',\"display_name\":' || {} || '}}' END",
            q("a.username"),
            q("a.display_name")
        ),
        "',\"unit_id\":' || i.unit_id".to_string(),
        "',\"parties\":' || i.parties_shown".to_string(),
        "',\"due_at\":' || i.due_at || ',\"created_at\":' || i.created_at || ',\"updated_at\":' || i.updated_at"
            .to_string(),
        format!("',\"typical_case\":' || {}", flag("i.typical_case")),
        format!(
            "CASE WHEN i.scheduled_start IS NULL OR i.room_id IS NULL THEN '' ELSE \
             ',\"mediation\":{{\"scheduled_start\":' || i.scheduled_start || \
             ',\"scheduled_end\":' || COALESCE(i.scheduled_end, i.scheduled_start) || \
             ',\"room_id\":' || i.room_id || ',\"room_name\":' || {} || \
             CASE WHEN i.join_link IS NULL THEN '' ELSE ',\"join_link\":' || {} END || '}}' END",
            q("COALESCE(r.name, '')"),
            q("i.join_link")
        ),
        "',\"version\":' || i.version || '}'".to_string(),
    ]
    .join(" || ");
    format!(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(t.j) AS BIGINT), CAST(MAX(t.s) AS BIGINT), \
         string_agg(t.j, ',' ORDER BY t.s) FROM (SELECT i.change_seq AS s, {item} AS j \
         FROM items i LEFT JOIN users a ON a.id = i.assignee_id LEFT JOIN rooms r ON r.id = i.room_id \
         WHERE i.assignee_id = $1 AND i.change_seq > $2) t"
    )
}

/// [`list_json`] a row at a time: each row encoded as it arrives (the
/// database steps on its own thread meanwhile).
async fn list_json_by_rows(pool: &sqlx::AnyPool, user_id: i64, since: i64) -> Result<ListJson, StorageError> {
    let mut body = Vec::with_capacity(64 * 1024);
    body.extend_from_slice(b"{\"items\":[");
    let mut cursor = since;
    let mut items = 0usize;
    {
        let mut rows = sqlx::query(LIST_SELECT).bind(user_id).bind(since).fetch(pool);
        while let Some(row) = rows.try_next().await? {
            if items > 0 {
                body.push(b',');
            }
            cursor = cursor.max(encode_row(&row, &mut body)?);
            items += 1;
        }
    }
    body.push(b']');
    finish(pool, user_id, since, &mut cursor, body, items).await
}

/// The ids of items that left the caller after `since` (a departure per
/// hand the item passed through), without their bodies; moves `cursor`
/// past them.
pub async fn removed_since(
    pool: &sqlx::AnyPool,
    user_id: i64,
    since: i64,
    cursor: &mut i64,
) -> Result<Vec<i64>, StorageError> {
    let left: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT d.item_id, d.change_seq FROM item_departures d JOIN items i ON i.id = d.item_id \
         WHERE d.user_id = $1 AND d.change_seq > $2 \
         AND (i.assignee_id IS NULL OR i.assignee_id <> $1) ORDER BY d.change_seq",
    )
    .bind(user_id)
    .bind(since)
    .fetch_all(pool)
    .await?;
    let mut removed = Vec::new();
    for (item_id, seq) in left {
        *cursor = (*cursor).max(seq);
        if !removed.contains(&item_id) {
            removed.push(item_id);
        }
    }
    Ok(removed)
}

/// Fills `parties_shown` for rows stored before it existed (or by other
/// tools), a batch per transaction, so their lists are written by the
/// database too. Run at start; two instances doing it at once write the
/// same values. A row whose parties do not read stays as it is (its list
/// read reports it, as before).
pub async fn fill_parties_shown(store: &Store) -> Result<usize, StorageError> {
    const BATCH: i64 = 1_000;
    let (mut filled, mut after) = (0, i64::MIN);
    loop {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, parties FROM items WHERE parties_shown IS NULL AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(BATCH)
        .fetch_all(&store.pool)
        .await?;
        let Some(&(last, _)) = rows.last() else {
            return Ok(filled);
        };
        after = last;
        let mut w = store.begin_write().await?;
        for (id, parties) in &rows {
            let Ok(shown) = shown_parties(parties) else {
                tracing::warn!(item = id, "stored parties do not read; left as they are");
                continue;
            };
            sqlx::query("UPDATE items SET parties_shown = $1 WHERE id = $2 AND parties_shown IS NULL")
                .bind(shown)
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
            filled += 1;
        }
        w.tx.commit().await?;
    }
}
