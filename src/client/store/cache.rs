//! The read cache (so the client starts at once and reads offline), sync
//! cursors, drafts and the one running timer.

use serde::Serialize;
use sqlx::Row;

use super::cache_write::{CacheRow, DocWrite, clear_list_in, doc_in, forget_in, sync_state_in, upsert_in};
use super::{LocalStore, StoreError};
use crate::api::WorkItem;
use crate::domain::clock::now_ms;
use crate::domain::{EpochMs, ItemKind, ItemStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Timer {
    pub item_id: i64,
    pub started_at: EpochMs,
}

#[derive(Debug, Clone)]
pub struct CachedDoc {
    pub json: String,
    pub etag: Option<String>,
    pub fetched_at: EpochMs,
}

/// What the queue files and sorts an item by, kept beside its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachedKey {
    pub id: i64,
    pub kind: ItemKind,
    pub green_channel: bool,
    pub due_at: EpochMs,
    pub status: ItemStatus,
}

/// Which cached list an item belongs to.
pub const MINE: &str = "mine";
pub const POOL: &str = "pool";

impl LocalStore {
    /// Replaces or adds items of one list (a delta from `?since=`).
    pub async fn upsert_items(&self, list: &str, items: &[WorkItem]) -> Result<(), StoreError> {
        let rows = items
            .iter()
            .map(CacheRow::encoded)
            .collect::<Result<Vec<_>, _>>()?;
        self.upsert_rows(list, &rows).await
    }

    /// Replaces or adds items of one list from their JSON as received (a
    /// sync's list), in one transaction.
    pub async fn upsert_rows(&self, list: &str, rows: &[CacheRow<'_>]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        upsert_in(&mut tx, list, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes `items` the whole of a list (the pool is fetched whole), in one
    /// transaction: a reader never sees the list empty.
    pub async fn replace_list(&self, list: &str, items: &[WorkItem]) -> Result<(), StoreError> {
        let rows = items
            .iter()
            .map(CacheRow::encoded)
            .collect::<Result<Vec<_>, _>>()?;
        let mut tx = self.pool.begin().await?;
        clear_list_in(&mut tx, list).await?;
        upsert_in(&mut tx, list, &rows).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drops items from the cache (they left the caller), in one statement.
    pub async fn forget_items(&self, ids: &[i64]) -> Result<(), StoreError> {
        forget_in(&mut *self.pool.acquire().await?, ids).await
    }

    pub async fn cached_items(&self, list: &str) -> Result<Vec<WorkItem>, StoreError> {
        self.read_items(list, "json").await
    }

    /// The items of `list`, each read as the SQL expression `column` gives
    /// it (`json`, or a slimmer JSON of the same shape).
    pub(super) async fn read_items(&self, list: &str, column: &str) -> Result<Vec<WorkItem>, StoreError> {
        // The first frame waits on this. Each half of the id range is read
        // on one of the pool's two connections as a single JSON array (rows
        // cross from SQLite's worker thread one message each) and decoded
        // on its own thread.
        let (low, high): (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT min(id), max(id) FROM cached_items")
                .fetch_one(&self.pool)
                .await?;
        let (Some(low), Some(high)) = (low, high) else {
            return Ok(Vec::new());
        };
        let middle = low + (high - low) / 2;
        let (mut first, second) = tokio::try_join!(
            self.cached_range(list, column, low, middle),
            self.cached_range(list, column, middle + 1, high)
        )?;
        first.extend(second);
        Ok(first)
    }

    /// The items of `list` with ids in `from..=to`, by id.
    async fn cached_range(
        &self,
        list: &str,
        column: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<WorkItem>, StoreError> {
        let sql = format!(
            "SELECT '[' || group_concat(json, ',') || ']' FROM \
             (SELECT {column} AS json FROM cached_items WHERE id BETWEEN ? AND ? AND list = ? ORDER BY id)"
        );
        let array: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .bind(list)
            .fetch_one(&self.pool)
            .await?;
        let Some(text) = array else {
            return Ok(Vec::new());
        };
        match tokio::task::spawn_blocking(move || serde_json::from_str(&text)).await {
            Ok(decoded) => Ok(decoded?),
            // Decoding does not panic; a runtime shutting down ends the read.
            Err(e) => Err(StoreError::Io {
                path: self.path.clone(),
                source: std::io::Error::other(e),
            }),
        }
    }

    /// What the queue files and sorts the items of `list` by, for all of
    /// them: read from an index, one small JSON array, cheap at any size.
    pub async fn cached_keys(&self, list: &str) -> Result<Vec<CachedKey>, StoreError> {
        let array: String = sqlx::query_scalar(
            "SELECT json_group_array(json_array(id, kind, green_channel, due_at, status)) \
             FROM cached_items WHERE list = ?",
        )
        .bind(list)
        .fetch_one(&self.pool)
        .await?;
        // A row whose kind or status this version cannot read is left out
        // here; the full read that follows the first frame has it.
        let rows: Vec<(i64, String, i64, EpochMs, String)> = serde_json::from_str(&array)?;
        fn parse<T: serde::de::DeserializeOwned>(text: String) -> Option<T> {
            serde_json::from_value(serde_json::Value::String(text)).ok()
        }
        Ok(rows
            .into_iter()
            .filter_map(|(id, kind, green, due_at, status)| {
                Some(CachedKey {
                    id,
                    kind: parse(kind)?,
                    green_channel: green != 0,
                    due_at,
                    status: parse(status)?,
                })
            })
            .collect())
    }

    /// The cached items with these ids, in no particular order.
    pub async fn cached_items_by_id(&self, ids: &[i64]) -> Result<Vec<WorkItem>, StoreError> {
        self.items_by_id(ids, "json").await
    }

    /// The items with these ids, each read as `column` gives it.
    pub(super) async fn items_by_id(&self, ids: &[i64], column: &str) -> Result<Vec<WorkItem>, StoreError> {
        let sql = format!(
            "SELECT '[' || group_concat({column}, ',') || ']' FROM cached_items \
             WHERE id IN (SELECT value FROM json_each(?))"
        );
        let array: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(serde_json::to_string(ids)?)
            .fetch_one(&self.pool)
            .await?;
        Ok(match array {
            Some(text) => serde_json::from_str(&text)?,
            None => Vec::new(),
        })
    }

    pub async fn cached_item(&self, id: i64) -> Result<Option<WorkItem>, StoreError> {
        let json: Option<String> = sqlx::query_scalar("SELECT json FROM cached_items WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    pub async fn put_doc(&self, key: &str, json: &str, etag: Option<&str>) -> Result<(), StoreError> {
        let doc = DocWrite { key, json, etag };
        doc_in(&mut *self.pool.acquire().await?, &doc).await
    }

    pub async fn doc(&self, key: &str) -> Result<Option<CachedDoc>, StoreError> {
        let row = sqlx::query("SELECT json, etag, fetched_at FROM cached_docs WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(CachedDoc {
                json: r.try_get("json")?,
                etag: r.try_get("etag")?,
                fetched_at: r.try_get("fetched_at")?,
            })
        })
        .transpose()
    }

    /// The `since` cursor and ETag last seen for a list.
    pub async fn sync_state(&self, key: &str) -> Result<(Option<String>, Option<String>), StoreError> {
        let row = sqlx::query("SELECT cursor, etag FROM sync_state WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok((r.try_get("cursor")?, r.try_get("etag")?)),
            None => Ok((None, None)),
        }
    }

    pub async fn set_sync_state(
        &self,
        key: &str,
        cursor: Option<&str>,
        etag: Option<&str>,
    ) -> Result<(), StoreError> {
        sync_state_in(&mut *self.pool.acquire().await?, key, cursor, etag).await
    }

    /// Keeps a half-filled form (JSON) under its form key, for the
    /// signed-in user only.
    pub async fn save_draft(&self, form: &str, json: &str) -> Result<(), StoreError> {
        let (user, server) = self.owner();
        sqlx::query(
            "INSERT INTO drafts (owner_user, owner_server, form, json, updated_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT(owner_user, owner_server, form) DO UPDATE SET json = excluded.json, \
             updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(server)
        .bind(form)
        .bind(json)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn draft(&self, form: &str) -> Result<Option<String>, StoreError> {
        let (user, server) = self.owner();
        Ok(sqlx::query_scalar(
            "SELECT json FROM drafts WHERE owner_user = ? AND owner_server = ? AND form = ?",
        )
        .bind(user)
        .bind(server)
        .bind(form)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every kept draft of the signed-in user whose form key starts with
    /// `prefix`, newest first: one query, however many items are cached.
    pub async fn drafts(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        let (user, server) = self.owner();
        Ok(sqlx::query_as(
            "SELECT form, json FROM drafts WHERE owner_user = ?2 AND owner_server = ?3 \
             AND substr(form, 1, length(?1)) = ?1 ORDER BY updated_at DESC",
        )
        .bind(prefix)
        .bind(user)
        .bind(server)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Like [`LocalStore::drafts`], only those whose form key is `prefix`
    /// followed by the id of an item still cached: one query, without
    /// reading the cached items.
    pub async fn drafts_of_cached_items(&self, prefix: &str) -> Result<Vec<(String, String)>, StoreError> {
        let (user, server) = self.owner();
        Ok(sqlx::query_as(
            "SELECT d.form, d.json FROM drafts d WHERE d.owner_user = ?2 AND d.owner_server = ?3 \
             AND substr(d.form, 1, length(?1)) = ?1 \
             AND EXISTS (SELECT 1 FROM cached_items c \
                         WHERE c.id = CAST(substr(d.form, length(?1) + 1) AS INTEGER) \
                         AND CAST(c.id AS TEXT) = substr(d.form, length(?1) + 1)) \
             ORDER BY d.updated_at DESC",
        )
        .bind(prefix)
        .bind(user)
        .bind(server)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn delete_draft(&self, form: &str) -> Result<(), StoreError> {
        let (user, server) = self.owner();
        sqlx::query("DELETE FROM drafts WHERE owner_user = ? AND owner_server = ? AND form = ?")
            .bind(user)
            .bind(server)
            .bind(form)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The signed-in user's running timer.
    pub async fn timer(&self) -> Result<Option<Timer>, StoreError> {
        let (user, server) = self.owner();
        let row =
            sqlx::query("SELECT item_id, started_at FROM timer WHERE owner_user = ? AND owner_server = ?")
                .bind(user)
                .bind(server)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(Timer {
                item_id: r.try_get("item_id")?,
                started_at: r.try_get("started_at")?,
            })
        })
        .transpose()
    }
}
