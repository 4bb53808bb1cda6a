//! The cheap half of a conditional list read: the latest change number
//! behind a list, from the indexes alone, read before any item row.

use super::SqlStorage;
use crate::server::storage::StampStore;
use crate::server::storage::StorageError;

impl StampStore for SqlStorage {
    async fn list_stamp(&self, user_id: i64) -> Result<i64, StorageError> {
        // Kept until a change to one of the user's items is heard on the bus
        // (a second at most, see `read_cache`).
        let cache = &self.bus.hub().cache;
        if let Some(stamp) = cache.stamp(user_id) {
            return Ok(stamp);
        }
        let generation = cache.stamp_generation();
        let read_at = std::time::Instant::now();
        let stamp = self.list_stamp_in_db(user_id).await?;
        cache.keep_stamp(generation, user_id, stamp, read_at);
        Ok(stamp)
    }

    async fn pool_stamp(&self, unit_id: i64) -> Result<i64, StorageError> {
        let (stamp,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(change_seq), 0) AS BIGINT) FROM items WHERE unit_id = $1",
        )
        .bind(unit_id)
        .fetch_one(&self.store.pool)
        .await?;
        Ok(stamp)
    }
}

impl SqlStorage {
    async fn list_stamp_in_db(&self, user_id: i64) -> Result<i64, StorageError> {
        // Three index lookups (`items_assignee`, `items_previous_assignee`,
        // `item_departures_user`: an item that left this user changes their
        // list too); an OR would make SQLite scan.
        let (stamp,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(s), 0) AS BIGINT) FROM ( \
             SELECT MAX(change_seq) AS s FROM items WHERE assignee_id = $1 \
             UNION ALL SELECT MAX(change_seq) AS s FROM items WHERE previous_assignee_id = $1 \
             UNION ALL SELECT MAX(change_seq) AS s FROM item_departures WHERE user_id = $1) AS t",
        )
        .bind(user_id)
        .fetch_one(&self.store.pool)
        .await?;
        Ok(stamp)
    }
}
