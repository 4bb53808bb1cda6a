//! The items as the terminal app's queue keeps them: what it draws, sorts
//! and filters by, without the description and the parties (their names,
//! which the filter reads, come apart). With 10,000 cached items those
//! were most of the app's memory; the detail screen reads the whole item
//! back on demand ([`LocalStore::cached_item`]).

use super::{LocalStore, StoreError};
use crate::api::WorkItem;
use crate::domain::{EpochMs, ItemKind, ItemStatus};

/// The cached JSON without the description and the parties: the queue's
/// filter reads the parties' names, which come apart
/// ([`LocalStore::party_names`]), and the detail reads the whole item.
const QUEUE_JSON: &str = "json_remove(json, '$.description', '$.parties')";

impl LocalStore {
    /// Every item of `list`, as the queue keeps it.
    pub async fn queue_items(&self, list: &str) -> Result<Vec<WorkItem>, StoreError> {
        self.read_items(list, QUEUE_JSON).await
    }

    /// The open items of `list` past their due time at `now`, as the queue
    /// keeps them: what the overdue notice at start names. Filtered by
    /// SQLite from the queue keys, so the rest of the cache is never read.
    pub async fn overdue_queue_items(&self, list: &str, now: EpochMs) -> Result<Vec<WorkItem>, StoreError> {
        let finished = finished_statuses()?;
        let sql = format!(
            "SELECT '[' || group_concat({QUEUE_JSON}, ',') || ']' FROM cached_items \
             WHERE list = ?1 AND due_at < ?2 AND status NOT IN (SELECT value FROM json_each(?3))"
        );
        let array: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(list)
            .bind(now)
            .bind(finished)
            .fetch_one(&self.pool)
            .await?;
        Ok(match array {
            Some(text) => serde_json::from_str(&text)?,
            None => Vec::new(),
        })
    }

    /// The parties' names of each item of `list` that has parties: (item
    /// id, names one a line).
    pub async fn party_names(&self, list: &str) -> Result<Vec<(i64, String)>, StoreError> {
        let array: String = sqlx::query_scalar(
            "SELECT json_group_array(json_array(id, names)) FROM ( \
               SELECT id, (SELECT group_concat(json_extract(p.value, '$.name'), char(10)) \
                           FROM json_each(cached_items.json, '$.parties') p) AS names \
               FROM cached_items WHERE list = ?) WHERE names IS NOT NULL",
        )
        .bind(list)
        .fetch_one(&self.pool)
        .await?;
        Ok(serde_json::from_str(&array)?)
    }

    /// The items with these ids, as the queue keeps them, in no particular order.
    pub async fn queue_items_by_id(&self, ids: &[i64]) -> Result<Vec<WorkItem>, StoreError> {
        self.items_by_id(ids, QUEUE_JSON).await
    }
}

/// Which cached items a queue tab shows, as the first frame asks the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabRows {
    /// Items of this kind.
    Kind(ItemKind),
    /// Items of this kind, and every green-channel item.
    KindOrGreen(ItemKind),
    /// Every item.
    All,
}

impl LocalStore {
    /// The first `rows` items of `list` that `tab` shows in the queue's due
    /// order (open work first, then the due band, green channel first in a
    /// band, then due time and id: `tui::queue_index`), as the queue keeps
    /// them. The order is computed by SQLite from the queue keys' index;
    /// only the rows returned are read whole. Items whose kind or status
    /// this version does not know are left out, as [`LocalStore::cached_keys`]
    /// does.
    pub async fn first_queue_items(
        &self,
        list: &str,
        tab: TabRows,
        now: EpochMs,
        rows: usize,
    ) -> Result<Vec<WorkItem>, StoreError> {
        let names = |v: Vec<&str>| serde_json::to_string(&v);
        // A tab of one kind reads that kind's part of the index alone.
        let kinds = match tab {
            TabRows::Kind(k) => names(vec![k.as_str()])?,
            TabRows::KindOrGreen(_) | TabRows::All => {
                names(ItemKind::ALL.iter().map(|k| k.as_str()).collect())?
            }
        };
        let statuses = names(ItemStatus::ALL.iter().map(|s| s.as_str()).collect())?;
        let finished = finished_statuses()?;
        let (tab_kind, or_green, all) = match tab {
            TabRows::Kind(k) => (k.as_str(), false, false),
            TabRows::KindOrGreen(k) => (k.as_str(), true, false),
            TabRows::All => ("", false, true),
        };
        // `+list`: the rows are looked up by id; on the index of `list`
        // SQLite would walk every item of the list (twice the time).
        let sql = format!(
            "SELECT '[' || group_concat({QUEUE_JSON}, ',') || ']' FROM cached_items WHERE id IN ( \
               SELECT id FROM cached_items \
               WHERE list = ?1 AND kind IN (SELECT value FROM json_each(?2)) \
                 AND status IN (SELECT value FROM json_each(?3)) \
                 AND (?6 OR kind = ?7 OR (?8 AND green_channel)) \
               ORDER BY status IN (SELECT value FROM json_each(?4)), \
                 CASE WHEN due_at - ?5 < 0 THEN 0 WHEN due_at - ?5 < {HOUR} THEN 1 \
                      WHEN due_at - ?5 < {FOUR_HOURS} THEN 2 WHEN due_at - ?5 < {DAY} THEN 3 ELSE 4 END, \
                 green_channel DESC, due_at, id \
               LIMIT ?9) AND +list = ?1"
        );
        let array: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(list)
            .bind(kinds)
            .bind(statuses)
            .bind(finished)
            .bind(now)
            .bind(all)
            .bind(tab_kind)
            .bind(or_green)
            .bind(i64::try_from(rows).unwrap_or(i64::MAX))
            .fetch_one(&self.pool)
            .await?;
        Ok(match array {
            Some(text) => serde_json::from_str(&text)?,
            None => Vec::new(),
        })
    }
}

/// The statuses of finished work, as a JSON array for `json_each`.
fn finished_statuses() -> Result<String, serde_json::Error> {
    let finished: Vec<&str> = ItemStatus::ALL
        .iter()
        .filter(|s| s.is_finished())
        .map(|s| s.as_str())
        .collect();
    serde_json::to_string(&finished)
}

const HOUR: EpochMs = 3_600_000;
const FOUR_HOURS: EpochMs = 4 * HOUR;
const DAY: EpochMs = 24 * HOUR;
