//! The outbox taken and settled many entries at a time, for the concurrent
//! flush: one transaction takes the leases on a run of pending entries, and
//! one settles a batch of sent ones.

use super::outbox::{COLUMNS, Claim, entry_from_row, held_by_other};
use super::{LocalStore, StoreError};
use crate::domain::clock::now_ms;

impl LocalStore {
    /// Takes the lease on up to `limit` of the oldest pending entries of
    /// the signed-in writer, in order. It stops before the first one
    /// another live process holds (it is flushing; going past it could
    /// send an item's later write before its earlier one).
    pub async fn claim_batch(
        &self,
        owner: &str,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Claim>, StoreError> {
        // IMMEDIATE takes the write lock at once, so two processes cannot
        // both read an entry as free and then both take it.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let now = now_ms();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, lease_owner, lease_until FROM outbox WHERE state = 'pending' \
             AND (writer_user IS NULL OR (writer_user = ? AND writer_server = ?)) ORDER BY seq LIMIT ?"
        )))
        .bind(self.writer.as_ref().map(|w| w.user.as_str()))
        .bind(self.writer.as_ref().map(|w| w.server.as_str()))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut claims = Vec::with_capacity(rows.len());
        for row in &rows {
            if held_by_other(row, owner, now)? {
                break;
            }
            claims.push(Claim {
                entry: entry_from_row(row)?,
                owner: owner.to_string(),
            });
        }
        if !claims.is_empty() {
            sqlx::query(
                "UPDATE outbox SET lease_owner = ?, lease_until = ? \
                 WHERE id IN (SELECT value FROM json_each(?))",
            )
            .bind(owner)
            .bind(now + lease_ms)
            .bind(ids_json(&claims)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(claims)
    }

    /// The server has them all: they leave the outbox in one transaction
    /// (only those whose lease is still ours).
    pub async fn mark_sent_many(&self, claims: &[Claim]) -> Result<(), StoreError> {
        let Some(first) = claims.first() else {
            return Ok(());
        };
        sqlx::query("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?)) AND lease_owner = ?")
            .bind(ids_json(claims)?)
            .bind(&first.owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Gives back the leases of entries this flush did not get to (it went
    /// offline), without a verdict or an attempt counted.
    pub async fn release_unsent(&self, claims: &[Claim]) -> Result<(), StoreError> {
        let Some(first) = claims.first() else {
            return Ok(());
        };
        sqlx::query(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL \
             WHERE id IN (SELECT value FROM json_each(?)) AND lease_owner = ?",
        )
        .bind(ids_json(claims)?)
        .bind(&first.owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

fn ids_json(claims: &[Claim]) -> Result<String, StoreError> {
    let ids: Vec<&str> = claims.iter().map(|c| c.entry.id.as_str()).collect();
    Ok(serde_json::to_string(&ids)?)
}
