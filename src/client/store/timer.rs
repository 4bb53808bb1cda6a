//! The one running timer, stopped or replaced together with queueing its
//! time: read, queued and cleared in one transaction.

use sqlx::Row;

use super::outbox::insert_entry;
use super::{LocalStore, NewEntry, StoreError, Timer};
use crate::domain::EpochMs;

impl LocalStore {
    /// Stops the running timer: reads it, queues the time entry
    /// `entry_for` makes of it and clears it, all in one IMMEDIATE
    /// transaction, so two sessions stopping at once log the time once and a
    /// crash can neither lose it nor log it twice. `None` when no timer runs.
    pub async fn stop_timer_logged(
        &self,
        entry_for: impl FnOnce(&Timer) -> NewEntry,
    ) -> Result<Option<(String, NewEntry)>, StoreError> {
        self.switch_timer(None, entry_for).await
    }

    /// Starts the timer on `item_id`. A timer already running (perhaps
    /// started by another session) is stopped and its time queued in the
    /// same transaction: a lawyer switching items expects the time so far
    /// to count, never to vanish. Returns the entry queued for it.
    pub async fn start_timer_logged(
        &self,
        item_id: i64,
        at: EpochMs,
        entry_for: impl FnOnce(&Timer) -> NewEntry,
    ) -> Result<Option<(String, NewEntry)>, StoreError> {
        self.switch_timer(Some((item_id, at)), entry_for).await
    }

    async fn switch_timer(
        &self,
        next: Option<(i64, EpochMs)>,
        entry_for: impl FnOnce(&Timer) -> NewEntry,
    ) -> Result<Option<(String, NewEntry)>, StoreError> {
        // IMMEDIATE: the write lock is taken before the timer is read, so
        // no other session can stop or replace it between read and write.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (user, server) = self.owner();
        let row =
            sqlx::query("SELECT item_id, started_at FROM timer WHERE owner_user = ? AND owner_server = ?")
                .bind(user)
                .bind(server)
                .fetch_optional(&mut *tx)
                .await?;
        let mut logged = None;
        if let Some(row) = row {
            let timer = Timer {
                item_id: row.try_get("item_id")?,
                started_at: row.try_get("started_at")?,
            };
            // Only the row just read is cleared; if it is not there any
            // more, someone else logged it and this stop logs nothing.
            let cleared = sqlx::query(
                "DELETE FROM timer WHERE owner_user = ? AND owner_server = ? AND item_id = ? AND started_at = ?",
            )
            .bind(user)
            .bind(server)
            .bind(timer.item_id)
                .bind(timer.started_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if cleared == 0 {
                tx.rollback().await?;
                return Ok(None);
            }
            let entry = entry_for(&timer);
            let id = insert_entry(&mut tx, &entry, self.writer.as_ref()).await?;
            logged = Some((id, entry));
        }
        if let Some((item_id, at)) = next {
            sqlx::query(
                "INSERT INTO timer (owner_user, owner_server, item_id, started_at) VALUES (?, ?, ?, ?)",
            )
            .bind(user)
            .bind(server)
            .bind(item_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(logged)
    }
}
