//! Writing items into the read cache: many rows per statement, the JSON as
//! it came from the server (no decode-and-encode round trip), the queue's
//! sort keys beside it.

use std::borrow::Cow;
use std::sync::LazyLock;

use sqlx::SqliteConnection;

use super::StoreError;
use crate::api::WorkItem;
use crate::domain::{EpochMs, ItemKind, ItemStatus};

/// One item ready for the cache: its JSON and the keys the queue sorts by.
#[derive(Debug, Clone)]
pub struct CacheRow<'a> {
    pub id: i64,
    pub kind: ItemKind,
    pub green_channel: bool,
    pub due_at: EpochMs,
    pub status: ItemStatus,
    pub updated_at: EpochMs,
    pub json: Cow<'a, str>,
}

impl<'a> CacheRow<'a> {
    /// `json` must be the JSON of `item` (as received, or as encoded).
    pub fn new(item: &WorkItem, json: Cow<'a, str>) -> Self {
        Self {
            id: item.id,
            kind: item.kind,
            green_channel: item.green_channel,
            due_at: item.due_at,
            status: item.status,
            updated_at: item.updated_at,
            json,
        }
    }

    /// For an item the client holds decoded (its own writes, the pool).
    pub fn encoded(item: &WorkItem) -> Result<CacheRow<'static>, StoreError> {
        Ok(CacheRow::new(item, Cow::Owned(serde_json::to_string(item)?)))
    }
}

/// Rows per statement: 8 parameters each stays far below SQLite's limit of
/// 32,766 parameters, and one statement per 500 rows makes the per-statement
/// cost (a message to SQLite's worker thread, a step) small.
const BATCH: usize = 500;

static FULL_BATCH_SQL: LazyLock<String> = LazyLock::new(|| insert_sql(BATCH));

fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO cached_items (id, list, json, updated_at, kind, green_channel, due_at, status) VALUES ",
    );
    for n in 0..rows {
        if n > 0 {
            sql.push(',');
        }
        sql.push_str("(?,?,?,?,?,?,?,?)");
    }
    sql.push_str(
        " ON CONFLICT(id) DO UPDATE SET list = excluded.list, json = excluded.json, \
         updated_at = excluded.updated_at, kind = excluded.kind, \
         green_channel = excluded.green_channel, due_at = excluded.due_at, \
         status = excluded.status",
    );
    sql
}

/// Writes `rows` into `list` inside `tx`, `BATCH` rows per statement. The
/// full-batch statement is the same text every time, so sqlx prepares it
/// once per connection and reuses it.
pub(super) async fn upsert_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    list: &str,
    rows: &[CacheRow<'_>],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(BATCH) {
        let sql = if chunk.len() == BATCH {
            FULL_BATCH_SQL.clone()
        } else {
            insert_sql(chunk.len())
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            query = query
                .bind(row.id)
                .bind(list)
                .bind(row.json.as_ref())
                .bind(row.updated_at)
                .bind(row.kind.as_str())
                .bind(row.green_channel)
                .bind(row.due_at)
                .bind(row.status.as_str());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// What one `GET /items` answer changes in the cache.
#[derive(Debug)]
pub struct ListDelta<'a> {
    /// The cached list the rows belong to.
    pub list: &'a str,
    pub rows: &'a [CacheRow<'a>],
    /// Ids to drop (items that left the list).
    pub gone: &'a [i64],
    /// The sync-state key the cursor and ETag are kept under.
    pub sync_key: &'a str,
    pub cursor: Option<&'a str>,
    pub etag: Option<&'a str>,
}

/// A document fetched whole, cached as received.
#[derive(Debug)]
pub struct DocWrite<'a> {
    pub key: &'a str,
    pub json: &'a str,
    pub etag: Option<&'a str>,
}

/// Everything one sync fetched, written in one transaction: a crash leaves
/// either the old list with its old cursor or the new list with the new
/// cursor, and the sync pays for one commit (one set of fsyncs), not one
/// per list or document.
#[derive(Debug, Default)]
pub struct SyncWrite<'a> {
    pub delta: Option<ListDelta<'a>>,
    /// A list fetched whole (the pool): these rows become the whole list.
    pub whole: Option<(&'a str, &'a [CacheRow<'a>])>,
    pub docs: Vec<DocWrite<'a>>,
}

impl super::LocalStore {
    pub async fn apply_sync(&self, write: SyncWrite<'_>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some(delta) = write.delta {
            upsert_in(&mut tx, delta.list, delta.rows).await?;
            forget_in(&mut tx, delta.gone).await?;
            sync_state_in(&mut tx, delta.sync_key, delta.cursor, delta.etag).await?;
        }
        if let Some((list, rows)) = write.whole {
            clear_list_in(&mut tx, list).await?;
            upsert_in(&mut tx, list, rows).await?;
        }
        for doc in write.docs {
            doc_in(&mut tx, &doc).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Drops items from the cache (they left the caller), in one statement.
pub(super) async fn forget_in(conn: &mut SqliteConnection, ids: &[i64]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query("DELETE FROM cached_items WHERE id IN (SELECT value FROM json_each(?))")
        .bind(serde_json::to_string(ids)?)
        .execute(conn)
        .await?;
    Ok(())
}

/// Empties one cached list.
pub(super) async fn clear_list_in(conn: &mut SqliteConnection, list: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM cached_items WHERE list = ?")
        .bind(list)
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps a list's cursor and ETag.
pub(super) async fn sync_state_in(
    conn: &mut SqliteConnection,
    key: &str,
    cursor: Option<&str>,
    etag: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sync_state (key, cursor, etag) VALUES (?, ?, ?) \
         ON CONFLICT(key) DO UPDATE SET cursor = excluded.cursor, etag = excluded.etag",
    )
    .bind(key)
    .bind(cursor)
    .bind(etag)
    .execute(conn)
    .await?;
    Ok(())
}

/// Caches a document as received.
pub(super) async fn doc_in(conn: &mut SqliteConnection, doc: &DocWrite<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cached_docs (key, json, etag, fetched_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT(key) DO UPDATE SET json = excluded.json, etag = excluded.etag, \
         fetched_at = excluded.fetched_at",
    )
    .bind(doc.key)
    .bind(doc.json)
    .bind(doc.etag)
    .bind(crate::domain::clock::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}
