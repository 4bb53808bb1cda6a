//! The outbox: every write waits here, durably, until the server has it.
//! Entries are sent in order; a lease in the store makes sure two processes
//! of one user never send the same entry at once.

use serde::Serialize;
use sqlx::Row;

use super::{LocalStore, StoreError, WriteKind, Writer};
use crate::domain::EpochMs;
use crate::domain::clock::now_ms;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    Pending,
    Failed,
}

/// A write to be sent.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub kind: WriteKind,
    pub method: String,
    pub path: String,
    pub body: serde_json::Value,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutboxEntry {
    /// The UUIDv7 that is also the `Idempotency-Key`.
    pub id: String,
    /// Not in the CLI's JSON (`path` says it there, as before).
    #[serde(skip)]
    pub kind: WriteKind,
    pub method: String,
    pub path: String,
    pub body: serde_json::Value,
    pub summary: String,
    pub state: EntryState,
    pub attempts: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    pub created_at: EpochMs,
    /// Who queued it (user name), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writer_user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writer_server: Option<String>,
}

impl OutboxEntry {
    /// Queued by someone else than `me` (or for another server): only
    /// they can send it. Entries from before writers were recorded are
    /// anyone's.
    pub fn is_others(&self, me: Option<&Writer>) -> bool {
        match (&self.writer_user, &self.writer_server) {
            (None, _) => false,
            (Some(u), s) => me.is_none_or(|m| &m.user != u || s.as_deref() != Some(m.server.as_str())),
        }
    }
}

/// An entry this process holds the lease on.
#[derive(Debug, Clone)]
pub struct Claim {
    pub entry: OutboxEntry,
    pub owner: String,
}

pub(super) fn entry_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<OutboxEntry, StoreError> {
    let body: String = row.try_get("body")?;
    let state: String = row.try_get("state")?;
    let kind: String = row.try_get("kind")?;
    Ok(OutboxEntry {
        id: row.try_get("id")?,
        kind: WriteKind::named(&kind),
        method: row.try_get("method")?,
        path: row.try_get("path")?,
        body: serde_json::from_str(&body)?,
        summary: row.try_get("summary")?,
        state: if state == "failed" {
            EntryState::Failed
        } else {
            EntryState::Pending
        },
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        writer_user: row.try_get("writer_user")?,
        writer_server: row.try_get("writer_server")?,
    })
}

/// A lease owner names its host and process: `host:pid:nonce`. This host's
/// name, for telling our own machine's processes from others' (a home dir
/// on NFS is shared between machines).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// A lease held by a process of this host that no longer runs (killed
/// after printing "saved") is free at once, rather than when it expires.
/// Leases of other hosts are left to expire.
fn owner_is_gone(owner: &str) -> bool {
    let mut parts = owner.splitn(3, ':');
    let (Some(host), Some(pid)) = (parts.next(), parts.next()) else {
        return false;
    };
    let here = host_name();
    !here.is_empty()
        && host == here
        && pid.parse::<u32>().is_ok()
        && std::path::Path::new("/proc/self").exists()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Whether another process, still running or not yet expired, holds the
/// lease of this outbox row.
pub(super) fn held_by_other(
    row: &sqlx::sqlite::SqliteRow,
    owner: &str,
    now: EpochMs,
) -> Result<bool, StoreError> {
    let lease_owner: Option<String> = row.try_get("lease_owner")?;
    let lease_until: Option<i64> = row.try_get("lease_until")?;
    Ok(lease_owner
        .as_deref()
        .is_some_and(|o| o != owner && !owner_is_gone(o))
        && lease_until.is_some_and(|u| u >= now))
}

pub(super) async fn insert_entry(
    conn: &mut sqlx::SqliteConnection,
    entry: &NewEntry,
    writer: Option<&Writer>,
) -> Result<String, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO outbox (id, kind, method, path, body, summary, created_at, writer_user, writer_server) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(entry.kind.as_str())
    .bind(&entry.method)
    .bind(&entry.path)
    .bind(entry.body.to_string())
    .bind(&entry.summary)
    .bind(now_ms())
    .bind(writer.map(|w| w.user.as_str()))
    .bind(writer.map(|w| w.server.as_str()))
    .execute(conn)
    .await?;
    Ok(id)
}

pub(super) const COLUMNS: &str = "id, kind, method, path, body, summary, state, attempts, last_error, created_at, writer_user, writer_server";

impl LocalStore {
    /// Stores a write durably and returns its id. When this returns, the
    /// entry is on disk (`synchronous=FULL`) and may be reported as saved.
    pub async fn enqueue(&self, entry: NewEntry) -> Result<String, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let id = insert_entry(&mut tx, &entry, self.writer.as_ref()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every entry still here, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox ORDER BY seq"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Pending entries queued by someone other than `user` on `server`.
    pub async fn others_pending(&self, user: &str, server: &str) -> Result<Vec<OutboxEntry>, StoreError> {
        let me = Writer {
            user: user.to_string(),
            server: server.to_string(),
        };
        let all = self.outbox().await?;
        Ok(all.into_iter().filter(|e| e.is_others(Some(&me))).collect())
    }

    pub async fn pending_count(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Takes the lease on the oldest pending entry for `lease_ms`. `None`
    /// when nothing is pending or another process holds the oldest one
    /// (it is flushing; taking a later entry would break the order).
    pub async fn claim_next(&self, owner: &str, lease_ms: i64) -> Result<Option<Claim>, StoreError> {
        // IMMEDIATE takes the write lock at once, so two processes cannot
        // both read the entry as free and then both take it.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let now = now_ms();
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, lease_owner, lease_until FROM outbox WHERE state = 'pending' \
             AND (writer_user IS NULL OR (writer_user = ? AND writer_server = ?)) ORDER BY seq LIMIT 1"
        )))
        // Only the signed-in lawyer's own entries go out with their token;
        // others' wait for them to sign in.
        .bind(self.writer.as_ref().map(|w| w.user.as_str()))
        .bind(self.writer.as_ref().map(|w| w.server.as_str()))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Ok(None);
        };
        if held_by_other(&row, owner, now)? {
            tx.commit().await?;
            return Ok(None);
        }
        let entry = entry_from_row(&row)?;
        sqlx::query("UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?")
            .bind(owner)
            .bind(now + lease_ms)
            .bind(&entry.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(Claim {
            entry,
            owner: owner.to_string(),
        }))
    }

    /// Counts one more attempt and renews the lease.
    pub async fn note_attempt(
        &self,
        claim: &Claim,
        error: Option<&str>,
        lease_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = COALESCE(?, last_error), lease_until = ? \
             WHERE id = ? AND lease_owner = ?",
        )
        .bind(error)
        .bind(now_ms() + lease_ms)
        .bind(&claim.entry.id)
        .bind(&claim.owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The server has it: the entry leaves the outbox.
    pub async fn mark_sent(&self, claim: &Claim) -> Result<(), StoreError> {
        // Only while the lease is ours: an entry someone else took over is
        // theirs to settle.
        sqlx::query("DELETE FROM outbox WHERE id = ? AND lease_owner = ?")
            .bind(&claim.entry.id)
            .bind(&claim.owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The server refused it: it stays, failed, with the server's words.
    pub async fn mark_failed(&self, claim: &Claim, message: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET state = 'failed', last_error = ?, lease_owner = NULL, lease_until = NULL \
             WHERE id = ? AND lease_owner = ?",
        )
        .bind(message)
        .bind(&claim.entry.id)
        .bind(&claim.owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives the lease back without a verdict (offline; try again later).
    pub async fn release(&self, claim: &Claim, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, last_error = ? WHERE id = ? AND lease_owner = ?",
        )
        .bind(error)
        .bind(&claim.entry.id)
        .bind(&claim.owner)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Finds an entry by its full id or a unique head or tail of it (ids are
    /// long; `outbox` shows the tail).
    pub async fn find_entry(&self, id_or_prefix: &str) -> Result<OutboxEntry, StoreError> {
        let part = id_or_prefix.trim().replace(['%', '_'], "");
        if part.is_empty() {
            return Err(StoreError::NoSuchEntry(id_or_prefix.to_string()));
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox WHERE id LIKE ? OR id LIKE ? ORDER BY seq"
        )))
        .bind(format!("{part}%"))
        .bind(format!("%{part}"))
        .fetch_all(&self.pool)
        .await?;
        match rows.as_slice() {
            [one] => entry_from_row(one),
            _ => Err(StoreError::NoSuchEntry(id_or_prefix.to_string())),
        }
    }

    /// A failed entry goes back in line, with a fresh attempt count. Its id
    /// (the Idempotency-Key) is kept unless the body changed.
    pub async fn retry_entry(&self, id: &str, new_body: Option<serde_json::Value>) -> Result<(), StoreError> {
        let entry = self.find_entry(id).await?;
        let body = new_body.unwrap_or_else(|| entry.body.clone());
        let summary = entry.summary.clone();
        self.requeue(&entry, body, &summary).await.map(|_| ())
    }

    /// A failed entry goes back in line as edited (`edit::apply`), with the
    /// summary of its new body. Returns its id, new when the body changed.
    pub async fn retry_edited(&self, id: &str, edited: NewEntry) -> Result<String, StoreError> {
        let entry = self.find_entry(id).await?;
        self.requeue(&entry, edited.body, &edited.summary).await
    }

    async fn requeue(
        &self,
        entry: &OutboxEntry,
        body: serde_json::Value,
        summary: &str,
    ) -> Result<String, StoreError> {
        // A changed body is a different request: it needs a new key, or the
        // server would answer "key reused with a different body".
        let new_id = if body != entry.body {
            uuid::Uuid::now_v7().to_string()
        } else {
            entry.id.clone()
        };
        // Only a failed entry nobody is sending: changing the id of one in
        // flight would make its sender's `mark_sent` miss and the work go
        // out twice, under two keys.
        let changed = sqlx::query(
            "UPDATE outbox SET id = ?, body = ?, summary = ?, state = 'pending', attempts = 0, last_error = NULL, \
             lease_owner = NULL, lease_until = NULL \
             WHERE id = ? AND state = 'failed' AND (lease_until IS NULL OR lease_until < ?)",
        )
        .bind(&new_id)
        .bind(body.to_string())
        .bind(summary)
        .bind(&entry.id)
        .bind(now_ms())
        .execute(&self.pool)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotRetryable(entry.id.clone()));
        }
        Ok(new_id)
    }

    pub async fn discard_entry(&self, id: &str) -> Result<OutboxEntry, StoreError> {
        let entry = self.find_entry(id).await?;
        sqlx::query("DELETE FROM outbox WHERE id = ?")
            .bind(&entry.id)
            .execute(&self.pool)
            .await?;
        Ok(entry)
    }
}
