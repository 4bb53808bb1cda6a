//! The list read behind `GET /items`: the caller's items written as JSON
//! by the database, as one value. No `WorkItem` is built and no party list
//! is parsed again: the parties go out as the masked JSON stored beside
//! them at insert (`parties_shown`). The bytes are those
//! `serde_json::to_vec(&ItemList { .. })` gives for the same rows
//! (`tests/api/list_encoding.rs` compares them), so clients see no
//! difference.

use std::sync::LazyLock;

use super::item_rows::{mask_parties, raw_parties};
use crate::server::db::Store;
use crate::server::storage::{ListJson, StorageError};

/// A stored value that does not read as JSON (or, impossibly, plain data
/// that does not encode): the row is bad, as a failed decode would say.
fn undecodable(e: serde_json::Error) -> StorageError {
    StorageError::Database(sqlx::Error::Decode(format!("item row: {e}").into()))
}

/// The stored parties as sent: masked, as JSON.
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

/// `{"items":[...],"cursor":"N"` and, with a cursor, `"removed":[...]`:
/// the caller's items changed after `since`. The database writes the
/// items' JSON itself ([`items_json_sql`]): one value crosses from it, not
/// a row per item. A row without `parties_shown` is filled first.
pub async fn list_json(store: &Store, user_id: i64, since: i64) -> Result<ListJson, StorageError> {
    let mut written = items_json(store, user_id, since).await?;
    if written.written != written.rows {
        // Rows stored before `parties_shown` existed, or by other tools:
        // filled once, then written by the database like the rest.
        fill_parties_shown(store).await?;
        written = items_json(store, user_id, since).await?;
        if written.written != written.rows {
            return Err(StorageError::Database(sqlx::Error::Decode(
                "item row: stored parties that do not read".into(),
            )));
        }
    }
    let mut cursor = since.max(written.last.unwrap_or(since));
    let items = written.items.unwrap_or_default();
    let mut body = Vec::with_capacity(items.len() + 64);
    body.extend_from_slice(b"{\"items\":[");
    body.extend_from_slice(items.as_bytes());
    body.push(b']');
    finish(
        &store.pool,
        user_id,
        since,
        &mut cursor,
        body,
        written.rows as usize,
    )
    .await
}

/// What [`items_json_sql`] answers: the rows, the items written (fewer
/// when a row has no `parties_shown`), the last change number, the items.
struct WrittenItems {
    rows: i64,
    written: i64,
    last: Option<i64>,
    items: Option<String>,
}

async fn items_json(store: &Store, user_id: i64, since: i64) -> Result<WrittenItems, StorageError> {
    let sql = if store.is_postgres() {
        &*PG_ITEMS_JSON
    } else {
        &*SQLITE_ITEMS_JSON
    };
    let (rows, written, last, items) = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(user_id)
        .bind(since)
        .fetch_one(&store.pool)
        .await?;
    Ok(WrittenItems {
        rows,
        written,
        last,
        items,
    })
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
