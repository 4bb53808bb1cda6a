//! The login guard's counts in the `login_guard` table (see
//! `server::login_guard` for the rules): one atomic upsert per count, so
//! parallel guesses on several instances cannot slip past a limit.

use sqlx::{Any, Transaction};

use super::SqlStorage;
use crate::domain::EpochMs;
use crate::server::storage::{
    LONGEST_WINDOW_MS, Limit, LoginGuardStore, PER_CLIENT, PER_NAME, PER_NAME_AND_CLIENT, Refused,
    StorageResult,
};

impl LoginGuardStore for SqlStorage {
    async fn count_login_attempt(
        &self,
        name: &str,
        client: &str,
        now: EpochMs,
    ) -> StorageResult<Option<Refused>> {
        let mut w = self.store.begin_write().await?;
        let refused = 'check: {
            let (mine, since) = bump(&mut w.tx, PER_NAME_AND_CLIENT, name, client, now).await?;
            if mine > PER_NAME_AND_CLIENT.max {
                break 'check Some(Refused::by(PER_NAME_AND_CLIENT, since, now));
            }
            let (from_client, since) = bump(&mut w.tx, PER_CLIENT, "", client, now).await?;
            if from_client > PER_CLIENT.max {
                break 'check Some(Refused::by(PER_CLIENT, since, now));
            }
            let (everywhere, since) = bump(&mut w.tx, PER_NAME, name, "", now).await?;
            // Past the global limit only an address that has not failed
            // this name yet gets a try (`mine` counts this attempt).
            (everywhere > PER_NAME.max && mine > 1).then(|| Refused::by(PER_NAME, since, now))
        };
        w.tx.commit().await?;
        Ok(refused)
    }

    async fn forgive_login(&self, name: &str, client: &str) -> StorageResult<()> {
        let mut w = self.store.begin_write().await?;
        sqlx::query("DELETE FROM login_guard WHERE scope = $1 AND name_hash = $2 AND client = $3")
            .bind(PER_NAME_AND_CLIENT.scope)
            .bind(name)
            .bind(client)
            .execute(&mut *w.tx)
            .await?;
        for (limit, name, client) in [(PER_CLIENT, "", client), (PER_NAME, name, "")] {
            sqlx::query(
                "UPDATE login_guard SET failures = failures - 1 \
                 WHERE scope = $1 AND name_hash = $2 AND client = $3 AND failures > 0",
            )
            .bind(limit.scope)
            .bind(name)
            .bind(client)
            .execute(&mut *w.tx)
            .await?;
        }
        w.tx.commit().await?;
        Ok(())
    }

    async fn prune_login_guard(&self, now: EpochMs, max_rows: i64) -> StorageResult<()> {
        let mut w = self.store.begin_write().await?;
        sqlx::query("DELETE FROM login_guard WHERE window_start < $1")
            .bind(now - LONGEST_WINDOW_MS)
            .execute(&mut *w.tx)
            .await?;
        let (rows,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM login_guard")
            .fetch_one(&mut *w.tx)
            .await?;
        if rows > max_rows {
            sqlx::query(
                "DELETE FROM login_guard WHERE (scope, name_hash, client) IN \
                 (SELECT scope, name_hash, client FROM login_guard \
                  ORDER BY failures, window_start LIMIT $1)",
            )
            .bind(rows - max_rows)
            .execute(&mut *w.tx)
            .await?;
        }
        w.tx.commit().await?;
        Ok(())
    }

    async fn login_guard_rows(&self) -> StorageResult<i64> {
        let (rows,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM login_guard")
            .fetch_one(&self.store.pool)
            .await?;
        Ok(rows)
    }
}

/// Adds one failure to a count, starting a new window when the old one has
/// passed; returns the count with this one and when its window began.
async fn bump(
    tx: &mut Transaction<'static, Any>,
    limit: Limit,
    name: &str,
    client: &str,
    now: EpochMs,
) -> Result<(i64, EpochMs), sqlx::Error> {
    // SET sees the row as it was, so both CASEs test the old window.
    sqlx::query_as(
        "INSERT INTO login_guard (scope, name_hash, client, failures, window_start) \
         VALUES ($1, $2, $3, 1, $4) \
         ON CONFLICT (scope, name_hash, client) DO UPDATE SET \
           failures = CASE WHEN login_guard.window_start <= $5 THEN 1 ELSE login_guard.failures + 1 END, \
           window_start = CASE WHEN login_guard.window_start <= $5 THEN $4 ELSE login_guard.window_start END \
         RETURNING failures, window_start",
    )
    .bind(limit.scope)
    .bind(name)
    .bind(client)
    .bind(now)
    .bind(now - limit.window_ms)
    .fetch_one(&mut **tx)
    .await
}
